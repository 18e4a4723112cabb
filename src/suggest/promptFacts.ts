/**
 * The compact facts a prompt carries per event type: the fields that decide the suggestion, not
 * the whole payload (an order webhook is 10 kB of tax lines and addresses; the model needs the
 * items and a first name). Personal data other than a first name never enters a prompt.
 */
import type { EventType } from '../events.js';
import { at, list, num, obj, str, truncate } from './payload.js';
import { DEFAULT_CYCLE_DAYS, DEFAULT_LEAD_TIME_DAYS, DEFAULT_SAFETY_STOCK_DAYS, planReorder } from './reorderMath.js';
import { type ProductFacts, readCollection, readInventory, readOrder, readProduct } from './shopifyFacts.js';
import { readColumnChange, readMigrations, readSchemaTable, readTableRef } from './supabaseFacts.js';
import type { SuggestionContext, SuggestionInput } from './types.js';

const MAX_LIST = 20;

export function productBrief(p: ProductFacts): Record<string, unknown> {
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    tags: p.tags.length > 0 ? p.tags : undefined,
    status: p.status,
    description: p.description,
    minPrice: p.minPrice,
    maxPrice: p.maxPrice !== p.minPrice ? p.maxPrice : undefined,
    compareAtPrice: p.compareAtPrice,
    discountPercent: p.discountPct,
    totalInventory: p.totalInventory,
    variants:
      p.variants.length > 1
        ? p.variants.slice(0, 10).map((v) => ({
            title: v.title,
            price: v.price,
            compareAtPrice: v.compareAtPrice,
            inventory: v.inventory,
            oldInventory: v.oldInventory,
          }))
        : undefined,
  };
}

function velocityOf(ctx: SuggestionContext | undefined): number | undefined {
  const v = ctx?.orderVelocity;
  return typeof v === 'number' ? v : num(at(v, 'unitsPerDay'));
}

function eventFacts(type: EventType, d: unknown, ctx: SuggestionContext | undefined): unknown {
  switch (type) {
    case 'shopify.product.created':
    case 'shopify.product.updated':
    case 'shopify.product.deleted':
      return productBrief(readProduct(d));
    case 'shopify.collection.created':
    case 'shopify.collection.updated':
      return readCollection(d);
    case 'shopify.inventory.low': {
      const facts = readInventory(d, ctx);
      const leadTimeDays = ctx?.leadTimeDays ?? DEFAULT_LEAD_TIME_DAYS;
      const safetyStockDays = ctx?.safetyStockDays ?? DEFAULT_SAFETY_STOCK_DAYS;
      const cycleDays = ctx?.reorderCycleDays ?? DEFAULT_CYCLE_DAYS;
      // The arithmetic is done here, so the model explains numbers instead of inventing them.
      const plan = planReorder({
        available: facts.available,
        unitsPerDay: velocityOf(ctx),
        leadTimeDays,
        safetyStockDays,
        cycleDays,
      });
      return {
        ...facts,
        unitsPerDay: velocityOf(ctx),
        leadTimeDays,
        safetyStockDays,
        reorderCycleDays: cycleDays,
        plan,
      };
    }
    case 'shopify.order.created': {
      const o = readOrder(d);
      return { ...o, items: o.items.slice(0, MAX_LIST) };
    }
    case 'supabase.table.created':
    case 'supabase.column.added':
    case 'supabase.column.renamed':
    case 'supabase.column.retyped':
      return { table: readTableRef(d, ctx), column: readColumnChange(d), schema: readSchemaTable(d, ctx) };
    case 'supabase.schema.changed':
    case 'supabase.table.dropped':
    case 'supabase.column.dropped':
    case 'supabase.constraint.changed':
      return changeBrief(d);
    case 'supabase.migration.pending':
      return {
        files: readMigrations(d),
        status: str(at(d, 'status')),
        version: str(at(d, 'version')),
        latestApplied: str(at(d, 'latestApplied')),
        migrationsDir: str(at(d, 'migrationsDir')) ?? str(at(d, 'dir')),
        target: str(at(d, 'target')),
      };
    case 'supabase.row.inserted':
    case 'supabase.row.updated':
    case 'supabase.row.deleted': {
      // Row values may be personal data: the model gets the table, the id and which columns moved.
      const record = obj(at(d, 'record'));
      const old = obj(at(d, 'old_record'));
      const changed =
        record && old
          ? Object.keys(record)
              .filter((k) => JSON.stringify(record[k]) !== JSON.stringify(old[k]))
              .sort()
          : undefined;
      return { table: readTableRef(d), id: str(record?.id) ?? str(old?.id), changedColumns: changed };
    }
    case 'calendar.event.upcoming':
      return {
        summary: str(at(d, 'summary')) ?? str(at(d, 'title')),
        start: str(at(d, 'start')) ?? str(at(d, 'startsAt')) ?? str(at(d, 'dtstart')),
        end: str(at(d, 'end')) ?? str(at(d, 'endsAt')),
        location: str(at(d, 'location')),
        description: str(at(d, 'description')) ? truncate(str(at(d, 'description')) as string, 600) : undefined,
      };
    default:
      return {
        shop: str(at(d, 'shop_domain')) ?? str(at(d, 'myshopify_domain')),
        sku: str(at(d, 'sku')),
        orders: list(at(d, 'orders_requested') ?? at(d, 'orders_to_redact')).length || undefined,
      };
  }
}

/**
 * A schema change as the model needs it: Lookout's diff payloads carry whole table snapshots and
 * dedupe keys; the model gets the kind, the table, the column or constraint and before/after.
 */
function changeBrief(d: unknown): unknown {
  const listed = list(at(d, 'changes'));
  if (listed.length > 0) return { changes: listed.slice(0, 50).map(changeBrief) };
  const before = at(d, 'before');
  const after = at(d, 'after');
  const snapshotLike = (v: unknown): unknown =>
    Array.isArray(at(v, 'columns')) ? { columns: list(at(v, 'columns')).length } : v;
  return {
    kind: str(at(d, 'kind')),
    table: readTableRef(d),
    column: at(d, 'column') !== undefined ? readColumnChange(d) : undefined,
    constraint: at(d, 'constraint'),
    before: snapshotLike(before),
    after: snapshotLike(after),
    commandTag: str(at(d, 'commandTag')),
    objectType: str(at(d, 'objectType')),
    objectIdentity: str(at(d, 'objectIdentity')),
    occurredAt: str(at(d, 'occurredAt')),
  };
}

function contextFacts(ctx: SuggestionContext | undefined): Record<string, unknown> | undefined {
  if (!ctx) return undefined;
  const out: Record<string, unknown> = {
    product: ctx.product !== undefined ? productBrief(readProduct(ctx.product)) : undefined,
    previous: ctx.previous !== undefined ? productBrief(readProduct(ctx.previous)) : undefined,
    collection: ctx.collection !== undefined ? readCollection(ctx.collection) : undefined,
    products: ctx.products?.slice(0, MAX_LIST).map((p) => {
      const f = readProduct(p);
      return { title: f.title, productType: f.productType, vendor: f.vendor, tags: f.tags, price: f.minPrice };
    }),
    orderVelocity: ctx.orderVelocity,
    relatedEvents: ctx.relatedEvents
      ?.slice(0, MAX_LIST)
      .map((r) => ({ eventType: str(at(r, 'eventType')), title: str(at(r, 'title')), at: str(at(r, 'at')) })),
    currency: ctx.currency,
    shopDomain: ctx.shopDomain,
  };
  return Object.values(out).some((v) => v !== undefined) ? out : undefined;
}

export interface PromptFacts {
  event: unknown;
  context: Record<string, unknown> | undefined;
  batch: { count: number; items: unknown[] } | undefined;
}

export function promptFacts(input: SuggestionInput): PromptFacts {
  const batchItems = input.batch?.items.slice(0, MAX_LIST).map((i) => {
    const p = readProduct(i);
    return { title: p.title, productType: p.productType, price: p.minPrice, discountPercent: p.discountPct };
  });
  return {
    event: eventFacts(input.eventType, input.eventData, input.context),
    context: contextFacts(input.context),
    batch: input.batch ? { count: input.batch.count, items: batchItems ?? [] } : undefined,
  };
}
