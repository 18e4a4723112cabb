/**
 * Every event type's module (its context needs, facts, template and model task), one entry per
 * type: a Record over EventType, so a new type fails to compile until it has one.
 */
import type { EventType } from '../../events.js';
import { batch } from './batch.js';
import { calendar } from './calendar.js';
import { collection } from './collection.js';
import { inventoryLow } from './inventoryLow.js';
import { migrationPending } from './migrationPending.js';
import { minorEvents } from './minorEvents.js';
import type { EventTypeModule } from './module.js';
import { orderCreated } from './orderCreated.js';
import { productCreated } from './productCreated.js';
import { productDeleted } from './productDeleted.js';
import { productUpdated } from './productUpdated.js';
import { schemaChangelog } from './schemaChangelog.js';
import { tableDocs } from './tableDocs.js';

export { batchItem } from './batch.js';
export type { ContextNeed, EventTypeModule, TemplateEnv } from './module.js';

// Each module keeps its own facts type; the registry only needs them as modules.
const m = <F>(x: EventTypeModule<F>) => x as unknown as EventTypeModule<unknown>;

export const EVENT_TYPE_MODULES: Record<EventType, EventTypeModule<unknown>> = {
  'shopify.product.created': m(productCreated),
  'shopify.product.updated': m(productUpdated),
  'shopify.product.deleted': m(productDeleted),
  'shopify.collection.created': m(collection),
  'shopify.collection.updated': m(collection),
  'shopify.inventory.low': m(inventoryLow),
  'shopify.inventory.updated': m(minorEvents),
  'shopify.order.created': m(orderCreated),
  'shopify.app.uninstalled': m(minorEvents),
  'shopify.customers.data_request': m(minorEvents),
  'shopify.customers.redact': m(minorEvents),
  'shopify.shop.redact': m(minorEvents),
  'supabase.schema.changed': m(schemaChangelog),
  'supabase.table.created': m(tableDocs),
  'supabase.table.dropped': m(schemaChangelog),
  'supabase.column.added': m(tableDocs),
  'supabase.column.dropped': m(schemaChangelog),
  'supabase.column.renamed': m(tableDocs),
  'supabase.column.retyped': m(tableDocs),
  'supabase.constraint.changed': m(schemaChangelog),
  'supabase.migration.pending': m(migrationPending),
  'supabase.row.inserted': m(minorEvents),
  'supabase.row.updated': m(minorEvents),
  'supabase.row.deleted': m(minorEvents),
  'calendar.event.upcoming': m(calendar),
};

/** The module that writes a suggestion for this input: the batch summary when events were batched. */
export function moduleFor(input: { eventType: EventType; batch?: { items: unknown[] } }): EventTypeModule<unknown> {
  return input.batch && input.batch.items.length > 0 ? m(batch) : EVENT_TYPE_MODULES[input.eventType];
}
