import type { EventType } from '../events.js';
import type { Preferences } from '../preferences.js';

/**
 * Step 4 of the seed ("Should generate suggestion?") as pure functions: which event types warrant
 * a suggestion, how important an event is, whether the user's filters let it through, and how
 * events of a type are coalesced (debounced per object, or batched into one summary).
 */

/** Types that deserve a proactive suggestion. Row changes and lifecycle events are kept, not suggested. */
const WARRANTS: ReadonlySet<EventType> = new Set<EventType>([
  'shopify.product.created',
  'shopify.product.updated',
  'shopify.product.deleted',
  'shopify.collection.created',
  'shopify.inventory.low',
  'shopify.order.created',
  'supabase.schema.changed',
  'supabase.table.created',
  'supabase.table.dropped',
  'supabase.column.added',
  'supabase.column.dropped',
  'supabase.column.renamed',
  'supabase.column.retyped',
  'supabase.constraint.changed',
  'supabase.migration.pending',
  'calendar.event.upcoming',
]);

export function warrantsSuggestion(type: EventType): boolean {
  return WARRANTS.has(type);
}

/** Lifecycle and compliance events: acted on by processing, never turned into suggestions. */
export const SYSTEM_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'shopify.app.uninstalled',
  'shopify.customers.data_request',
  'shopify.customers.redact',
  'shopify.shop.redact',
]);

export type Coalescing =
  | { kind: 'none' }
  /** Updates to one object within the window make one suggestion from the latest state. */
  | { kind: 'debounce'; windowSeconds: number }
  /** A burst of one type (a bulk import) makes one summary once it has been quiet for the window. */
  | { kind: 'batch'; windowSeconds: number; minEvents: number };

const DEBOUNCED: ReadonlySet<EventType> = new Set<EventType>([
  'shopify.product.updated',
  'shopify.collection.updated',
  'shopify.inventory.low',
  'supabase.schema.changed',
]);
const BATCHED: ReadonlySet<EventType> = new Set<EventType>([
  'shopify.product.created',
  'shopify.collection.created',
  'shopify.order.created',
  'shopify.product.deleted',
  'supabase.table.created',
  'supabase.column.added',
  'supabase.column.dropped',
  'supabase.table.dropped',
]);

export function coalescingFor(type: EventType, prefs: Preferences): Coalescing {
  if (DEBOUNCED.has(type) && prefs.flow.debounceSeconds > 0)
    return { kind: 'debounce', windowSeconds: prefs.flow.debounceSeconds };
  if (BATCHED.has(type) && prefs.flow.batchWindowSeconds > 0) {
    return { kind: 'batch', windowSeconds: prefs.flow.batchWindowSeconds, minEvents: prefs.flow.batchMinEvents };
  }
  return { kind: 'none' };
}

export function rateLimitFor(type: string, prefs: Preferences): number {
  return prefs.flow.perType[type] ?? prefs.flow.maxPerTypePerHour;
}

type Payload = Record<string, unknown>;

/**
 * Every payload field the decisions below (and the inventory threshold in processing) read: all
 * that flow control loads for the members of a debounce or batch group. A field read here must be
 * listed, or a group member would be judged without it.
 */
export const DECISION_FIELDS = [
  'available',
  'product_type',
  'vendor',
  'tags',
  'schema',
  'table',
  'total_price',
  'current_total_price',
  'test',
  'status',
] as const;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

function shopifyTags(p: Payload): string[] {
  const tags = p.tags;
  if (Array.isArray(tags))
    return tags
      .map(String)
      .map((t) => t.trim())
      .filter(Boolean);
  return typeof tags === 'string'
    ? tags
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean)
    : [];
}

const lower = (xs: string[] | undefined) => xs?.map((x) => x.toLowerCase());

/** The user's filters (CONTRACT: "only product types X, only tables in schema public"). */
export function passesFilters(type: EventType, payload: Payload, prefs: Preferences): boolean {
  const f = prefs.filters;
  if (f.includeEventTypes?.length && !f.includeEventTypes.includes(type)) return false;
  if (f.excludeEventTypes?.includes(type)) return false;
  if (type.startsWith('shopify.product.')) {
    const productType = str(payload.product_type)?.toLowerCase();
    if (f.productTypes?.length && !(productType && lower(f.productTypes)!.includes(productType))) return false;
    const vendor = str(payload.vendor)?.toLowerCase();
    if (f.vendors?.length && !(vendor && lower(f.vendors)!.includes(vendor))) return false;
    if (f.tags?.length) {
      const tags = lower(shopifyTags(payload))!;
      if (!lower(f.tags)!.some((t) => tags.includes(t))) return false;
    }
  }
  if (type.startsWith('supabase.') && type !== 'supabase.migration.pending') {
    const schema = str(payload.schema);
    const table = str(payload.table);
    if (f.schemas?.length && !(schema && f.schemas.includes(schema))) return false;
    if (
      f.tables?.length &&
      !(table && (f.tables.includes(table) || (schema !== undefined && f.tables.includes(`${schema}.${table}`))))
    )
      return false;
  }
  return true;
}

const BASE_IMPORTANCE: Partial<Record<EventType, number>> = {
  'shopify.product.created': 80,
  'shopify.inventory.low': 85,
  'shopify.collection.created': 70,
  'shopify.order.created': 50,
  'shopify.product.updated': 40,
  'shopify.product.deleted': 30,
  'supabase.table.created': 75,
  'supabase.migration.pending': 80,
  'supabase.column.added': 60,
  'supabase.column.retyped': 60,
  'supabase.column.dropped': 55,
  'supabase.table.dropped': 65,
  'supabase.column.renamed': 50,
  'supabase.constraint.changed': 45,
  'supabase.schema.changed': 35,
  'calendar.event.upcoming': 70,
};

/**
 * Importance 0-100: a base per type, raised by what makes an event matter more to a merchant
 * (an item out of stock, a large order, a product that is live) and lowered by what makes it
 * matter less (a draft product, a test order).
 */
export function importanceScore(type: EventType, payload: Payload): number {
  let score = BASE_IMPORTANCE[type] ?? 20;
  if (type === 'shopify.inventory.low') {
    const available = num(payload.available);
    if (available !== undefined && available <= 0) score += 10;
  }
  if (type === 'shopify.order.created') {
    const total = num(payload.total_price) ?? num(payload.current_total_price);
    if (total !== undefined && total >= 200) score += 20;
    else if (total !== undefined && total >= 100) score += 10;
    if (payload.test === true) score -= 30;
  }
  if (type.startsWith('shopify.product.')) {
    const status = str(payload.status);
    if (status === 'draft' || status === 'archived') score -= 25;
  }
  return Math.max(0, Math.min(100, score));
}
