/**
 * What the store already knows, read from stored events: the earlier version of a product, a
 * variant's sales over a window, the catalogue, a customer's earlier orders, what was bought
 * together, the events of a period, the last low-stock alert of an item. Every query is bounded
 * (LIMIT, a time window) and served by an index of migration 0006 or 0003; payloads come back as
 * text so ids above 2^53 keep every digit (the caller parses them with lossless-json).
 */
import type { Queryable } from '../database.js';

const DAY_MS = 86_400_000;

const PRODUCT_TYPES = `('shopify.product.created', 'shopify.product.updated')`;

export interface StoredVersion {
  json: string;
  at: Date;
}

/**
 * The version of a product to diff an update against: the newest one finished before this event
 * (processed or dead: what the user last heard about); when there is none (the product existed
 * before Lookout, and this is a burst of quick edits), the oldest still-unfinished version of the
 * burst. `updates`: versions after the stored one (this one included), or the burst's edits.
 */
export async function productVersionBefore(
  db: Queryable,
  q: { userId: string; subject: string; eventId: string; receivedAt: Date },
): Promise<{ version: StoredVersion; basis: 'stored' | 'burst'; updates: number } | undefined> {
  const { rows } = await db.query<{ json: string; at: Date; basis: 'stored' | 'burst' }>(
    `(select event_data::text as json, received_at as at, 'stored' as basis from background_events
       where user_id = $1 and subject = $2 and id <> $3 and received_at <= $4
         and event_type in ${PRODUCT_TYPES} and status in ('processed', 'dead')
       order by received_at desc limit 1)
     union all
     (select event_data::text as json, received_at as at, 'burst' as basis from background_events
       where user_id = $1 and subject = $2 and id <> $3 and received_at <= $4
         and event_type in ${PRODUCT_TYPES} and status in ('pending', 'processing')
       order by received_at asc limit 1)`,
    [q.userId, q.subject, q.eventId, q.receivedAt],
  );
  const chosen = rows.find((r) => r.basis === 'stored') ?? rows.find((r) => r.basis === 'burst');
  if (!chosen) return undefined;
  const { rows: counted } = await db.query<{ n: number }>(
    `select count(*)::int as n from background_events
     where user_id = $1 and subject = $2 and received_at > $3 and received_at <= $4 and event_type in ${PRODUCT_TYPES}`,
    [q.userId, q.subject, chosen.at, q.receivedAt],
  );
  // For a burst, count its first edit too: "5 quick edits", not 4.
  const after = counted[0]?.n ?? 1;
  return {
    version: { json: chosen.json, at: chosen.at },
    basis: chosen.basis,
    updates: chosen.basis === 'burst' ? after + 1 : after,
  };
}

/** The latest stored version of a product, by numeric id or gid (deleted products included). */
export async function latestProduct(
  db: Queryable,
  userId: string,
  productId: string,
): Promise<StoredVersion | undefined> {
  const gid = productId.startsWith('gid://') ? productId : `gid://shopify/Product/${productId}`;
  const { rows } = await db.query<StoredVersion>(
    `select event_data::text as json, received_at as at from background_events
     where user_id = $1 and subject = $2 and event_type in ${PRODUCT_TYPES}
     order by received_at desc limit 1`,
    [userId, gid],
  );
  return rows[0];
}

/** The product whose variants hold this inventory item (inventory_levels/update names only the item). */
export async function productOfInventoryItem(
  db: Queryable,
  userId: string,
  inventoryItemId: string,
): Promise<StoredVersion | undefined> {
  if (!/^\d+$/.test(inventoryItemId)) return undefined;
  const { rows } = await db.query<StoredVersion>(
    `select event_data::text as json, received_at as at from background_events
     where user_id = $1 and event_type in ${PRODUCT_TYPES}
       and event_data->'variants' @> jsonb_build_array(jsonb_build_object('inventory_item_id', $2::numeric))
     order by received_at desc limit 1`,
    [userId, inventoryItemId],
  );
  return rows[0];
}

export interface Sales {
  units: number;
  orders: number;
  /** Whole days the stored orders cover within the window (at least 1). */
  days: number;
  from: Date;
  to: Date;
}

/**
 * Units of a product (or one of its variants) sold in the `windowDays` before `asOf`, from stored
 * orders, test and cancelled orders excluded. The window starts no earlier than the data does:
 * `coveredSince` (when the shop was connected, or its first stored order, whichever is earlier),
 * nor before the product existed; velocity is then units over the days actually covered.
 */
export async function sales(
  db: Queryable,
  q: {
    userId: string;
    productId: string;
    variantId?: string;
    windowDays: number;
    asOf: Date;
    coveredSince?: Date;
    productCreatedAt?: Date;
  },
): Promise<Sales | undefined> {
  if (!/^\d+$/.test(q.productId) || (q.variantId !== undefined && !/^\d+$/.test(q.variantId))) return undefined;
  const windowStart = q.asOf.getTime() - q.windowDays * DAY_MS;
  const starts = [windowStart, q.coveredSince?.getTime(), q.productCreatedAt?.getTime()].filter(
    (t): t is number => t !== undefined && !Number.isNaN(t),
  );
  const from = new Date(Math.max(...starts));
  // The GIN index on line_items finds the orders that contain the product; the lateral join then
  // sums only its lines (and only the variant's, when one is asked for).
  const { rows } = await db.query<{ units: number | null; orders: number }>(
    `select coalesce(sum((li->>'quantity')::int), 0)::int as units, count(distinct e.id)::int as orders
     from background_events e
     cross join lateral jsonb_array_elements(e.event_data->'line_items') li
     where e.user_id = $1 and e.event_type = 'shopify.order.created'
       and e.event_data->'line_items' @> jsonb_build_array(jsonb_build_object('product_id', $2::numeric))
       and e.event_timestamp >= $4 and e.event_timestamp <= $5
       and coalesce(e.event_data->>'cancelled_at', '') = '' and coalesce(e.event_data->>'test', 'false') <> 'true'
       and li->>'product_id' = $2::text and ($3::text is null or li->>'variant_id' = $3::text)`,
    [q.userId, q.productId, q.variantId ?? null, from, q.asOf],
  );
  const days = Math.max(1, Math.round((q.asOf.getTime() - from.getTime()) / DAY_MS));
  return { units: rows[0]?.units ?? 0, orders: rows[0]?.orders ?? 0, days, from, to: q.asOf };
}

/** When the stored orders of a shop start: the integration's creation or its first stored order. */
export async function ordersCoveredSince(
  db: Queryable,
  userId: string,
  integrationId: string | null,
): Promise<Date | undefined> {
  const { rows } = await db.query<{ since: Date | null }>(
    `select least(
       (select created_at from integrations where id = $2),
       (select event_timestamp from background_events
         where user_id = $1 and event_type = 'shopify.order.created' order by event_timestamp asc limit 1)
     ) as since`,
    [userId, integrationId],
  );
  return rows[0]?.since ?? undefined;
}

/**
 * The latest stored version of the most recently changed products, deleted ones left out, as a
 * compact projection built in SQL (the fields cross-sell and collections read; variants reduced to
 * title and prices): a fraction of the payload to transfer and parse.
 */
export async function catalogue(db: Queryable, userId: string, limit = 200): Promise<StoredVersion[]> {
  const { rows } = await db.query<StoredVersion>(
    `with recent as (
       select subject, event_data, received_at from background_events
       where user_id = $1 and event_type in ${PRODUCT_TYPES} and subject is not null
       order by received_at desc limit ${Math.max(limit * 5, 500)}
     ), latest as (
       select distinct on (subject) subject, event_data as d, received_at from recent order by subject, received_at desc
     )
     select jsonb_build_object(
         'id', d->'id', 'admin_graphql_api_id', d->'admin_graphql_api_id', 'title', d->'title', 'handle', d->'handle',
         'product_type', d->'product_type', 'vendor', d->'vendor', 'tags', d->'tags', 'status', d->'status',
         'created_at', d->'created_at',
         'variants', (select coalesce(jsonb_agg(jsonb_build_object('title', v->'title', 'price', v->'price',
                        'compare_at_price', v->'compare_at_price')), '[]'::jsonb)
                      from jsonb_array_elements(case when jsonb_typeof(d->'variants') = 'array' then d->'variants'
                        else '[]'::jsonb end) v)
       )::text as json, l.received_at as at
     from latest l
     where not exists (
       select 1 from background_events x
       where x.user_id = $1 and x.subject = l.d->>'id' and x.event_type = 'shopify.product.deleted'
     )
     order by l.received_at desc limit $2`,
    [userId, limit],
  );
  return rows;
}

/** The customer's orders before this one (test orders excluded): how many, first and last. */
export async function customerOrders(
  db: Queryable,
  q: { userId: string; customerId: string; before: Date; excludeEventId: string },
): Promise<{ count: number; first: Date | null; last: Date | null }> {
  const { rows } = await db.query<{ n: number; first: Date | null; last: Date | null }>(
    `select count(*)::int as n, min(event_timestamp) as first, max(event_timestamp) as last from (
       select event_timestamp from background_events
       where user_id = $1 and event_type = 'shopify.order.created' and (event_data #>> '{customer,id}') = $2
         and event_timestamp < $3 and id <> $4 and coalesce(event_data->>'test', 'false') <> 'true'
       order by event_timestamp desc limit 1000
     ) o`,
    [q.userId, q.customerId, q.before, q.excludeEventId],
  );
  return { count: rows[0]?.n ?? 0, first: rows[0]?.first ?? null, last: rows[0]?.last ?? null };
}

/** Products bought in the same stored orders as `productId` (the latest 500 such orders). */
export async function boughtTogether(
  db: Queryable,
  q: { userId: string; productId: string; before: Date; excludeEventId: string },
): Promise<Array<{ productId: string; title: string; orders: number; price: number | null }>> {
  if (!/^\d+$/.test(q.productId)) return [];
  const { rows } = await db.query<{ product_id: string; title: string; orders: number; price: string | null }>(
    `with orders as (
       select e.id, e.event_data from background_events e
       where e.user_id = $1 and e.event_type = 'shopify.order.created'
         and e.event_data->'line_items' @> jsonb_build_array(jsonb_build_object('product_id', $2::numeric))
         and e.event_timestamp < $3 and e.id <> $4 and coalesce(e.event_data->>'test', 'false') <> 'true'
       order by e.event_timestamp desc limit 500
     )
     select li->>'product_id' as product_id, max(li->>'title') as title, count(distinct o.id)::int as orders,
            max(li->>'price') as price
     from orders o cross join lateral jsonb_array_elements(o.event_data->'line_items') li
     where li->>'product_id' is not null and li->>'product_id' <> $2::text
     group by li->>'product_id'
     order by orders desc, title limit 10`,
    [q.userId, q.productId, q.before, q.excludeEventId],
  );
  return rows.map((r) => ({
    productId: r.product_id,
    title: r.title,
    orders: r.orders,
    price: r.price !== null && Number.isFinite(Number(r.price)) ? Number(r.price) : null,
  }));
}

/** Products created in a window before a moment (a collection's launch candidates). */
export async function productsCreatedBetween(
  db: Queryable,
  userId: string,
  from: Date,
  to: Date,
): Promise<StoredVersion[]> {
  const { rows } = await db.query<StoredVersion>(
    `select event_data::text as json, received_at as at from background_events
     where user_id = $1 and event_type = 'shopify.product.created' and received_at >= $2 and received_at <= $3
     order by received_at desc limit 50`,
    [userId, from, to],
  );
  return rows;
}

/** The start of the previous occurrence of a calendar event (same UID), before `start`. */
export async function previousOccurrence(
  db: Queryable,
  q: { userId: string; uid: string; before: Date; notBefore: Date },
): Promise<Date | undefined> {
  const { rows } = await db.query<{ start: string }>(
    `select event_data->>'start' as start from background_events
     where user_id = $1 and subject = $2 and event_type = 'calendar.event.upcoming'
       and (event_data->>'start')::timestamptz < $3 and (event_data->>'start')::timestamptz >= $4
     order by (event_data->>'start')::timestamptz desc limit 1`,
    [q.userId, q.uid, q.before, q.notBefore],
  );
  const t = rows[0] ? Date.parse(rows[0].start) : Number.NaN;
  return Number.isNaN(t) ? undefined : new Date(t);
}

export interface PeriodOrders {
  orders: number;
  cancelled: number;
  units: number;
  revenue: Array<{ currency: string; amount: number }>;
  topProducts: Array<{ title: string; units: number }>;
}

export interface PeriodRows {
  orders: PeriodOrders;
  lowStock: Array<{ json: string }>;
  products: Array<{ title: string | null; type: string }>;
  schema: Array<{ event_type: string; json: string }>;
}

const MAX_PERIOD_ORDERS = 5_000;
const SCHEMA_TYPES = [
  'supabase.table.created',
  'supabase.table.dropped',
  'supabase.column.added',
  'supabase.column.dropped',
  'supabase.column.renamed',
  'supabase.column.retyped',
  'supabase.constraint.changed',
  'supabase.schema.changed',
  'supabase.migration.pending',
];
/** A money string as numeric, or null when it is not one (a malformed payload must not fail the recap). */
const amountOf = (expr: string) => `case when ${expr} ~ '^-?[0-9]+(\\.[0-9]+)?$' then (${expr})::numeric end`;

/** A period's orders counted and summed in SQL (test orders left out), and its other events, each list bounded. */
export async function periodEvents(db: Queryable, userId: string, from: Date, to: Date): Promise<PeriodRows> {
  const window = [userId, from, to];
  const { rows: agg } = await db.query<{ summary: string }>(
    `with o as (
       select event_data as d, coalesce(event_data->>'cancelled_at', '') <> '' as cancelled
       from background_events where user_id = $1 and event_type = 'shopify.order.created'
         and event_timestamp >= $2 and event_timestamp < $3 and coalesce(event_data->>'test', 'false') <> 'true'
       order by event_timestamp desc limit ${MAX_PERIOD_ORDERS}
     ), lines as (
       select li->>'title' as title, coalesce((li->>'quantity')::int, 1) as q
       from o cross join lateral jsonb_array_elements(case when jsonb_typeof(o.d->'line_items') = 'array'
         then o.d->'line_items' else '[]'::jsonb end) li
       where not o.cancelled
     )
     select json_build_object(
       'orders', (select count(*) from o where not cancelled),
       'cancelled', (select count(*) from o where cancelled),
       'units', (select coalesce(sum(q), 0) from lines),
       'revenue', (select coalesce(json_agg(json_build_object('currency', c, 'amount', a) order by c), '[]'::json)
         from (
          select d->>'currency' as c, sum(${amountOf("coalesce(d->>'current_total_price', d->>'total_price')")}) as a
          from o where not cancelled and d->>'currency' is not null group by 1) r where a is not null),
       'topProducts', (select coalesce(json_agg(json_build_object('title', title, 'units', u) order by u desc, title),
         '[]'::json) from (
          select title, sum(q) as u from lines where title is not null group by 1 order by 2 desc, 1 limit 5) t)
     )::text as summary`,
    window,
  );
  const summary = JSON.parse(agg[0]?.summary ?? '{}') as PeriodOrders;
  const lowStock = await db.query<{ json: string }>(
    `select event_data::text as json from background_events
     where user_id = $1 and event_type = 'shopify.inventory.low' and outcome = 'suggested'
       and received_at >= $2 and received_at < $3
     order by received_at desc limit 20`,
    window,
  );
  const products = await db.query<{ title: string | null; type: string }>(
    `select event_data->>'title' as title, event_type as type from background_events
     where user_id = $1 and event_type in ('shopify.product.created', 'shopify.collection.created')
       and received_at >= $2 and received_at < $3
     order by received_at desc limit 50`,
    window,
  );
  const schema = await db.query<{ event_type: string; json: string }>(
    `select event_type, event_data::text as json from background_events
     where user_id = $1 and event_type = any($4::text[]) and received_at >= $2 and received_at < $3
     order by received_at desc limit 30`,
    [...window, SCHEMA_TYPES],
  );
  return {
    orders: {
      orders: Number(summary.orders ?? 0),
      cancelled: Number(summary.cancelled ?? 0),
      units: Number(summary.units ?? 0),
      revenue: (summary.revenue ?? []).map((r) => ({ currency: r.currency, amount: Number(r.amount) })),
      topProducts: (summary.topProducts ?? []).map((t) => ({ title: t.title, units: Number(t.units) })),
    },
    lowStock: lowStock.rows,
    products: products.rows,
    schema: schema.rows,
  };
}

/** The product and variant titles of several inventory items, in one round trip. */
export async function inventoryItemNames(
  db: Queryable,
  userId: string,
  items: string[],
): Promise<Map<string, { title: string | null; variant: string | null }>> {
  const ids = items.filter((i) => /^\d+$/.test(i));
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ item: string; title: string | null; variant: string | null }>(
    `select i.item, p.d->>'title' as title,
       (select v->>'title' from jsonb_array_elements(p.d->'variants') v where v->>'inventory_item_id' = i.item
         limit 1) as variant
     from unnest($2::text[]) as i(item)
     cross join lateral (
       select event_data as d from background_events
       where user_id = $1 and event_type in ${PRODUCT_TYPES}
         and event_data->'variants' @> jsonb_build_array(jsonb_build_object('inventory_item_id', i.item::numeric))
       order by received_at desc limit 1
     ) p`,
    [userId, ids],
  );
  return new Map(rows.map((r) => [r.item, { title: r.title, variant: r.variant }]));
}

/**
 * The last low-stock alert of an inventory item (a suggestion was made), and whether the item was
 * seen above the threshold since: what decides if a new low-stock event is a new fact.
 */
export async function lastLowStockAlert(
  db: Queryable,
  q: {
    userId: string;
    inventoryItemId: string;
    /** Alerts received up to this moment count. */
    before: Date;
    /** Restocks received up to this moment count (default `before`). */
    restockBefore?: Date;
    threshold: number;
    excludeIds: string[];
  },
): Promise<{ at: Date; available: number | null; restockedSince: boolean } | undefined> {
  const { rows } = await db.query<{ at: Date; available: string | null; restocked: boolean }>(
    `with alert as (
       select received_at, event_data->>'available' as available from background_events
       where user_id = $1 and (event_data->>'inventory_item_id') = $2
         and event_type in ('shopify.inventory.low', 'shopify.inventory.updated') and outcome = 'suggested'
         and received_at <= $3 and not (id = any($5::uuid[]))
       order by received_at desc limit 1
     )
     select a.received_at as at, a.available,
       exists (
         select 1 from background_events r
         where r.user_id = $1 and (r.event_data->>'inventory_item_id') = $2
           and r.event_type in ('shopify.inventory.low', 'shopify.inventory.updated')
           and r.received_at > a.received_at and r.received_at <= $6
           and jsonb_typeof(r.event_data->'available') = 'number' and (r.event_data->>'available')::numeric > $4
       ) as restocked
     from alert a`,
    [q.userId, q.inventoryItemId, q.before, q.threshold, q.excludeIds, q.restockBefore ?? q.before],
  );
  const r = rows[0];
  if (!r) return undefined;
  const available = r.available !== null && Number.isFinite(Number(r.available)) ? Number(r.available) : null;
  return { at: r.at, available, restockedSince: r.restocked };
}
