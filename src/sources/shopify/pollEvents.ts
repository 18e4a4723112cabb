import {
  inventoryLevelKey,
  inventoryLowKey,
  inventorySoldOutKey,
  productCreatedKey,
  productUpdatedKey,
} from './dedupeKeys.js';
import { numericIdFromGid } from './gid.js';
import { lowStockPayloadJson, productPayloadJson } from './pollPayloads.js';
import type { LowStockVariant, ShopifyAdapter, ShopifyProduct } from './shopifyAdapter.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

/** What the poller keeps between runs (stored by the loop with the integration, as JSON). */
export interface ShopifyPollState {
  /** Greatest product updatedAt seen, in Shopify's clock. Absent before the first poll. */
  watermark?: string;
  /** Products already reported at exactly the watermark (`>=` returns them again). */
  seenAtWatermark?: string[];
  /** Variants currently low: when the episode started, to alert once per episode. */
  lowStock?: Record<string, { quantity: number; since: string }>;
  /** When stock levels were last checked: a variant not low then was above the threshold. */
  stockCheckedAt?: string;
}

export interface PolledEvent {
  eventType: EventType;
  eventDataJson: string;
  eventTimestamp: Date;
  dedupeKey: string;
}

export type ShopifyPollSource = Pick<
  ShopifyAdapter,
  'shopDomain' | 'getRecentProducts' | 'latestProducts' | 'checkInventoryLevels'
>;

export interface PollOptions {
  lowStockThreshold: number;
  now?: () => Date;
}

/**
 * The fallback for missed webhooks: product changes since the watermark and variants at or below
 * the threshold. Dedupe keys are the "change" keys of dedupeKeys.ts, the same ones parseWebhook
 * gives a products/create or products/update delivery as `changeKey`, so a poll that overlaps a
 * webhook stores nothing new. The caller must persist `state` only with the events it stored.
 */
export async function pollShopify(
  adapter: ShopifyPollSource,
  state: ShopifyPollState,
  opts: PollOptions,
): Promise<{ events: PolledEvent[]; state: ShopifyPollState }> {
  const now = (opts.now ?? (() => new Date()))();
  const products = state.watermark === undefined ? await baseline(adapter) : await productChanges(adapter, state);
  const low = await lowStockChanges(adapter, state, opts.lowStockThreshold, now);
  return {
    events: [...products.events, ...low.events],
    state: { ...products.state, lowStock: low.lowStock, stockCheckedAt: now.toISOString() },
  };
}

type ProductStep = { events: PolledEvent[]; state: Pick<ShopifyPollState, 'watermark' | 'seenAtWatermark'> };

/**
 * First poll of a shop: start from its newest change instead of announcing every existing
 * product as new. An empty shop starts at the epoch, so its first product is "created".
 */
async function baseline(adapter: ShopifyPollSource): Promise<ProductStep> {
  const newest = await adapter.latestProducts();
  const watermark = newest[0]?.updatedAt ?? new Date(0).toISOString();
  return { events: [], state: { watermark, seenAtWatermark: newest.map((p) => p.id) } };
}

async function productChanges(adapter: ShopifyPollSource, state: ShopifyPollState): Promise<ProductStep> {
  const previous = state.watermark ?? new Date(0).toISOString();
  const previousMs = Date.parse(previous);
  const seen = new Set(state.seenAtWatermark ?? []);
  const { products, watermark } = await adapter.getRecentProducts(previous);

  const events: PolledEvent[] = [];
  for (const product of products) {
    const updatedMs = Date.parse(product.updatedAt);
    if (updatedMs < previousMs || (updatedMs === previousMs && seen.has(product.id))) continue;
    events.push(productEvent(adapter.shopDomain, product, isNew(product, previousMs, seen)));
  }

  const next = watermark ?? previous;
  const nextMs = Date.parse(next);
  const atNext = products.filter((p) => Date.parse(p.updatedAt) === nextMs).map((p) => p.id);
  const seenAtWatermark = nextMs === previousMs ? [...new Set([...seen, ...atNext])] : atNext;
  return { events, state: { watermark: next, seenAtWatermark } };
}

/** Created after the watermark, or in its very second without having been reported. */
function isNew(product: ShopifyProduct, previousMs: number, seen: Set<string>): boolean {
  const createdMs = Date.parse(product.createdAt);
  return createdMs > previousMs || (createdMs === previousMs && !seen.has(product.id));
}

function productEvent(shop: string, product: ShopifyProduct, created: boolean): PolledEvent {
  const id = numericIdFromGid(product.id) ?? product.id;
  const updatedAt = new Date(product.updatedAt);
  return {
    eventType: created ? 'shopify.product.created' : 'shopify.product.updated',
    eventDataJson: productPayloadJson(product),
    eventTimestamp: created ? new Date(product.createdAt) : updatedAt,
    dedupeKey: created ? productCreatedKey(shop, id) : productUpdatedKey(shop, id, updatedAt),
  };
}

async function lowStockChanges(adapter: ShopifyPollSource, state: ShopifyPollState, threshold: number, now: Date) {
  const previous = state.lowStock ?? {};
  const lowStock: NonNullable<ShopifyPollState['lowStock']> = {};
  const events: PolledEvent[] = [];
  for (const variant of await adapter.checkInventoryLevels(threshold)) {
    const prior = previous[variant.variantId];
    const since = prior?.since ?? now.toISOString();
    lowStock[variant.variantId] = { quantity: variant.inventoryQuantity, since };
    const variantKey = numericIdFromGid(variant.variantId) ?? variant.variantId;
    if (prior) {
      // Same episode: already alerted, unless it has just sold out.
      if (prior.quantity > 0 && variant.inventoryQuantity <= 0) {
        events.push({
          eventType: 'shopify.inventory.low',
          eventDataJson: lowStockPayloadJson(variant, threshold),
          eventTimestamp: now,
          dedupeKey:
            levelKey(adapter.shopDomain, variant) ?? inventorySoldOutKey(adapter.shopDomain, variantKey, since),
        });
      }
      continue;
    }
    events.push({
      eventType: 'shopify.inventory.low',
      eventDataJson: lowStockPayloadJson(variant, threshold, state.stockCheckedAt),
      eventTimestamp: now,
      dedupeKey: levelKey(adapter.shopDomain, variant) ?? inventoryLowKey(adapter.shopDomain, variantKey, since),
    });
  }
  // Variants no longer listed were restocked: their episode is over, and so is their entry.
  return { events, lowStock };
}

/**
 * The key of the stock change that made the variant low (or sold out): the one an
 * inventory_levels/update webhook of that change carries, so webhook and poll store it once.
 * Null when Shopify listed no level: the episode key applies.
 */
function levelKey(shop: string, variant: LowStockVariant): string | null {
  const change = variant.lastLevelChange;
  if (!change) return null;
  const item = numericIdFromGid(variant.inventoryItemId);
  const location = numericIdFromGid(change.locationId);
  const at = new Date(change.updatedAt);
  if (item === null || location === null || Number.isNaN(at.getTime())) return null;
  return inventoryLevelKey(shop, item, location, at);
}
