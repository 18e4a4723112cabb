/**
 * What templates and prompts need from Shopify payloads, read once into plain typed facts. Accepts
 * REST webhook payloads and thin summaries ({title, price, tags}) alike: batches and context carry
 * the latter.
 */

import { percentOff } from './format.js';
import { at, list, num, obj, shopifyId, str, stripHtml, truncate } from './payload.js';

export interface VariantFacts {
  title?: string;
  sku?: string;
  price?: number;
  compareAtPrice?: number;
  inventory?: number;
  oldInventory?: number;
}

export interface ProductFacts {
  id?: string;
  title: string;
  /** False when the title is a stand-in built from the id. */
  named: boolean;
  handle?: string;
  vendor?: string;
  productType?: string;
  tags: string[];
  status?: string;
  description?: string;
  variants: VariantFacts[];
  minPrice?: number;
  maxPrice?: number;
  /** Largest compare-at price above its variant's price. */
  compareAtPrice?: number;
  /** Largest whole percent off across variants. */
  discountPct?: number;
  /** True when variants disagree on the discount ("up to"). */
  discountVaries: boolean;
  totalInventory?: number;
  totalOldInventory?: number;
}

/** Shopify sends tags as "a, b, c" over REST and as an array over GraphQL. */
export function readTags(value: unknown): string[] {
  const raw = typeof value === 'string' ? value.split(',') : list(value).map((t) => str(t) ?? '');
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of raw) {
    const tag = t.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      out.push(tag);
    }
  }
  return out;
}

function readVariant(value: unknown): VariantFacts {
  return {
    title: str(at(value, 'title')),
    sku: str(at(value, 'sku')),
    price: num(at(value, 'price')),
    compareAtPrice: num(at(value, 'compare_at_price') ?? at(value, 'compareAtPrice')),
    inventory: num(at(value, 'inventory_quantity') ?? at(value, 'inventoryQuantity')),
    oldInventory: num(at(value, 'old_inventory_quantity')),
  };
}

function sum(values: Array<number | undefined>): number | undefined {
  let total: number | undefined;
  for (const v of values) if (v !== undefined) total = (total ?? 0) + v;
  return total;
}

export function readProduct(value: unknown, fallbackId?: string): ProductFacts {
  const id = shopifyId(value) ?? fallbackId;
  const titleText = str(at(value, 'title')) ?? str(at(value, 'name'));
  let variants = list(at(value, 'variants')).map(readVariant);
  // A summary ({title, price, compareAtPrice}) is one implicit variant.
  if (variants.length === 0 && at(value, 'price') !== undefined) variants = [readVariant(value)];
  // Variants with a title of "Default Title" are Shopify's way of saying "no options".
  for (const v of variants) if (v.title === 'Default Title') v.title = undefined;

  const prices = variants.map((v) => v.price).filter((p): p is number => p !== undefined);
  let discountPct: number | undefined;
  let compareAtPrice: number | undefined;
  const pcts = new Set<number>();
  for (const v of variants) {
    if (v.price === undefined || v.compareAtPrice === undefined) continue;
    const pct = percentOff(v.price, v.compareAtPrice);
    pcts.add(pct ?? 0);
    if (pct !== undefined && (discountPct === undefined || pct > discountPct)) discountPct = pct;
    if (pct !== undefined && (compareAtPrice === undefined || v.compareAtPrice > compareAtPrice))
      compareAtPrice = v.compareAtPrice;
  }
  const description = str(at(value, 'body_html')) ?? str(at(value, 'description'));
  return {
    id,
    title: titleText ?? (id ? `product ${id}` : 'product'),
    named: titleText !== undefined,
    handle: str(at(value, 'handle')),
    vendor: str(at(value, 'vendor')),
    productType: str(at(value, 'product_type')) ?? str(at(value, 'productType')),
    tags: readTags(at(value, 'tags')),
    status: str(at(value, 'status'))?.toLowerCase(),
    description: description ? truncate(stripHtml(description), 280) : undefined,
    variants,
    minPrice: prices.length > 0 ? Math.min(...prices) : undefined,
    maxPrice: prices.length > 0 ? Math.max(...prices) : undefined,
    compareAtPrice,
    discountPct,
    discountVaries: pcts.size > 1,
    totalInventory: sum(variants.map((v) => v.inventory)) ?? num(at(value, 'totalInventory')),
    totalOldInventory: sum(variants.map((v) => v.oldInventory)),
  };
}

export interface LineItemFacts {
  title: string;
  variantTitle?: string;
  quantity: number;
  price?: number;
  productId?: string;
  vendor?: string;
}

export interface OrderFacts {
  id?: string;
  name: string;
  /** The only personal datum a suggestion may carry. */
  firstName?: string;
  currency?: string;
  totalPrice?: number;
  cancelled: boolean;
  financialStatus?: string;
  items: LineItemFacts[];
}

export function readOrder(value: unknown): OrderFacts {
  const id = shopifyId(value);
  const items = list(at(value, 'line_items')).map(
    (li): LineItemFacts => ({
      title: str(at(li, 'title')) ?? str(at(li, 'name')) ?? 'item',
      variantTitle: str(at(li, 'variant_title')),
      quantity: num(at(li, 'quantity')) ?? 1,
      price: num(at(li, 'price')),
      productId: str(at(li, 'product_id')),
      vendor: str(at(li, 'vendor')),
    }),
  );
  const firstName =
    str(at(value, 'customer', 'first_name')) ??
    str(at(value, 'billing_address', 'first_name')) ??
    str(at(value, 'shipping_address', 'first_name'));
  return {
    id,
    name:
      str(at(value, 'name')) ??
      (str(at(value, 'order_number')) ? `#${str(at(value, 'order_number'))}` : `order ${id ?? ''}`.trim()),
    firstName,
    currency: str(at(value, 'currency')) ?? str(at(value, 'presentment_currency')),
    totalPrice: num(at(value, 'current_total_price') ?? at(value, 'total_price')),
    cancelled: str(at(value, 'cancelled_at')) !== undefined,
    financialStatus: str(at(value, 'financial_status')),
    items,
  };
}

export interface CollectionFacts {
  id?: string;
  title: string;
  handle?: string;
  description?: string;
  publishedAt?: string;
  publishedScope?: string;
}

export function readCollection(value: unknown): CollectionFacts {
  const id = shopifyId(value);
  const description = str(at(value, 'body_html')) ?? str(at(value, 'description'));
  return {
    id,
    title: str(at(value, 'title')) ?? (id ? `collection ${id}` : 'collection'),
    handle: str(at(value, 'handle')),
    description: description ? truncate(stripHtml(description), 280) : undefined,
    publishedAt: str(at(value, 'published_at')),
    publishedScope: str(at(value, 'published_scope')),
  };
}

export interface InventoryFacts {
  inventoryItemId?: string;
  locationId?: string;
  available?: number;
  sku?: string;
  updatedAt?: string;
  /** The product and variant the item belongs to, when the pipeline fetched it. */
  productTitle?: string;
  variantTitle?: string;
}

function cleanVariant(title: string | undefined): string | undefined {
  return title === 'Default Title' ? undefined : title;
}

/** inventory_levels/update carries ids only: the product name comes from context. */
export function readInventory(
  payload: unknown,
  context: { product?: unknown; inventory?: unknown } | undefined,
): InventoryFacts {
  const gid = str(at(payload, 'admin_graphql_api_id'));
  const itemFromGid = gid ? /inventory_item_id=(\d+)/.exec(gid)?.[1] : undefined;
  const inventoryItemId = itemFromGid ?? str(at(payload, 'inventory_item_id')) ?? shopifyId(payload);
  const product = context?.product;
  const variants = list(at(product, 'variants'));
  // The variant that owns this inventory item; a single-variant product needs no match.
  const variant =
    obj(at(product, 'variant')) ??
    obj(variants.find((v) => inventoryItemId !== undefined && str(at(v, 'inventory_item_id')) === inventoryItemId)) ??
    (variants.length === 1 ? obj(variants[0]) : undefined);
  const variantTitle = str(at(variant, 'title'));
  return {
    inventoryItemId,
    locationId: str(at(payload, 'location_id')),
    available:
      num(at(payload, 'available')) ??
      num(at(context?.inventory, 'available')) ??
      num(at(variant, 'inventory_quantity')),
    sku: str(at(payload, 'sku')) ?? str(at(context?.inventory, 'sku')) ?? str(at(variant, 'sku')),
    updatedAt: str(at(payload, 'updated_at')),
    // Polled low-stock payloads already carry the names (title, variant_title); webhooks do not.
    productTitle: str(at(payload, 'title')) ?? str(at(product, 'title')),
    variantTitle: cleanVariant(str(at(payload, 'variant_title')) ?? variantTitle),
  };
}
