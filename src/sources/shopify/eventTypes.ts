import { type EventSpec, type Payload, read, suggestionModule } from '../../events/eventSpec.js';
import type { Preferences } from '../../preferences.js';
import { collection } from '../../suggest/eventTypes/collection.js';
import { inventoryLow } from '../../suggest/eventTypes/inventoryLow.js';
import { minorEvents } from '../../suggest/eventTypes/minorEvents.js';
import { orderCreated } from '../../suggest/eventTypes/orderCreated.js';
import { productCreated } from '../../suggest/eventTypes/productCreated.js';
import { productDeleted } from '../../suggest/eventTypes/productDeleted.js';
import { productUpdated } from '../../suggest/eventTypes/productUpdated.js';
import { applyCompliance } from './compliance.js';
import { isLowInventory } from './topics.js';

/** The event types the Shopify source emits (topics.ts maps webhook topics onto them). */

const minor = suggestionModule(minorEvents);

function tagsOf(p: Payload): string[] {
  const tags = p.tags;
  const list = Array.isArray(tags) ? tags.map(String) : typeof tags === 'string' ? tags.split(',') : [];
  return list.map((t) => t.trim().toLowerCase()).filter(Boolean);
}

const lower = (xs: readonly string[]) => xs.map((x) => x.toLowerCase());

/** The user's product filters: only these product types, vendors, or products with one of these tags. */
function productFilter(p: Payload, f: Preferences['filters']): boolean {
  const productType = read.str(p.product_type)?.toLowerCase();
  if (f.productTypes?.length && !(productType && lower(f.productTypes).includes(productType))) return false;
  const vendor = read.str(p.vendor)?.toLowerCase();
  if (f.vendors?.length && !(vendor && lower(f.vendors).includes(vendor))) return false;
  if (f.tags?.length) {
    const tags = tagsOf(p);
    if (!lower(f.tags).some((t) => tags.includes(t))) return false;
  }
  return true;
}

/** A draft or archived product matters less than one that is live. */
const productStatus = (p: Payload) => (['draft', 'archived'].includes(read.str(p.status) ?? '') ? -25 : 0);

const product = {
  filter: productFilter,
  adjustImportance: productStatus,
  decisionFields: ['product_type', 'vendor', 'tags', 'status'],
} satisfies Partial<EventSpec>;

export const SHOPIFY_EVENT_TYPES = [
  'shopify.product.created',
  'shopify.product.updated',
  'shopify.product.deleted',
  'shopify.collection.created',
  'shopify.collection.updated',
  'shopify.inventory.low',
  'shopify.inventory.updated',
  'shopify.order.created',
  'shopify.app.uninstalled',
  'shopify.customers.data_request',
  'shopify.customers.redact',
  'shopify.shop.redact',
] as const;
export type ShopifyEventType = (typeof SHOPIFY_EVENT_TYPES)[number];

/** A missing or extra entry is a compile error: every type has exactly one spec. */
export const shopifyEventSpecs: Readonly<Record<ShopifyEventType, EventSpec>> = {
  'shopify.product.created': {
    label: 'Product created',
    handling: 'suggest',
    importance: 80,
    coalesce: 'batch',
    suggestion: suggestionModule(productCreated),
    ...product,
  },
  'shopify.product.updated': {
    label: 'Product updated',
    handling: 'suggest',
    importance: 40,
    coalesce: 'debounce',
    suggestion: suggestionModule(productUpdated),
    ...product,
  },
  'shopify.product.deleted': {
    label: 'Product deleted',
    handling: 'suggest',
    importance: 30,
    coalesce: 'batch',
    suggestion: suggestionModule(productDeleted),
    ...product,
  },
  'shopify.collection.created': {
    label: 'Collection created',
    handling: 'suggest',
    importance: 70,
    coalesce: 'batch',
    suggestion: suggestionModule(collection),
  },
  'shopify.collection.updated': {
    label: 'Collection updated',
    handling: 'keep',
    importance: 20,
    coalesce: 'debounce',
    suggestion: suggestionModule(collection),
  },
  'shopify.inventory.low': {
    label: 'Inventory low',
    handling: 'suggest',
    importance: 85,
    // Sold out matters more than running low.
    adjustImportance: (p) => ((read.num(p.available) ?? 1) <= 0 ? 10 : 0),
    coalesce: 'debounce',
    decisionFields: ['available'],
    suggestion: suggestionModule(inventoryLow),
  },
  'shopify.inventory.updated': {
    label: 'Inventory updated',
    handling: 'keep',
    importance: 20,
    coalesce: 'debounce',
    decisionFields: ['available'],
    suggestion: minor,
    // Whether a level is low depends on the user's threshold: judged at processing time.
    becomes: (p, prefs) => {
      const available = typeof p.available === 'number' ? p.available : null;
      return isLowInventory(available, prefs.thresholds.lowStock)
        ? { type: 'shopify.inventory.low' }
        : { skip: 'not_low' };
    },
  },
  'shopify.order.created': {
    label: 'Order created',
    handling: 'suggest',
    importance: 50,
    // A large order matters more; a test order much less.
    adjustImportance: (p) => {
      const total = read.num(p.total_price) ?? read.num(p.current_total_price);
      const size = total === undefined ? 0 : total >= 200 ? 20 : total >= 100 ? 10 : 0;
      return size - (p.test === true ? 30 : 0);
    },
    coalesce: 'batch',
    decisionFields: ['total_price', 'current_total_price', 'test'],
    suggestion: suggestionModule(orderCreated),
  },
  'shopify.app.uninstalled': {
    label: 'App uninstalled',
    handling: 'system',
    importance: 20,
    coalesce: 'none',
    suggestion: minor,
    act: applyCompliance,
  },
  'shopify.customers.data_request': {
    label: 'Customer data request',
    handling: 'system',
    importance: 20,
    coalesce: 'none',
    suggestion: minor,
    act: applyCompliance,
  },
  'shopify.customers.redact': {
    label: 'Customer redaction',
    handling: 'system',
    importance: 20,
    coalesce: 'none',
    suggestion: minor,
    act: applyCompliance,
  },
  'shopify.shop.redact': {
    label: 'Shop redaction',
    handling: 'system',
    importance: 20,
    coalesce: 'none',
    suggestion: minor,
    act: applyCompliance,
  },
};
