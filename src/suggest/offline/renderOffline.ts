/**
 * The offline generator's dispatch: one template per event type (a Record over EventType, so a new
 * type fails to compile until it has one), then the vibe's hard rules.
 */
import type { EventType } from '../../events.js';
import { finalizeDraft } from '../finalizeDraft.js';
import type { SuggestionDraft, SuggestionInput } from '../types.js';
import { batchSummary } from './batchSummary.js';
import { calendarUpcoming } from './calendarUpcoming.js';
import { collectionLaunch } from './collectionLaunch.js';
import { inventoryLow } from './inventoryLow.js';
import { migrationPending } from './migrationPending.js';
import { orderFollowUp } from './orderFollowUp.js';
import { otherEvents } from './otherEvents.js';
import { productCreated } from './productCreated.js';
import { productDeleted } from './productDeleted.js';
import { productUpdated } from './productUpdated.js';
import { rowChange } from './rowChange.js';
import { schemaChangelog } from './schemaChangelog.js';
import { tableDocs } from './tableDocs.js';
import { type Template, templateEnv } from './templateEnv.js';

export const TEMPLATES: Record<EventType, Template> = {
  'shopify.product.created': productCreated,
  'shopify.product.updated': productUpdated,
  'shopify.product.deleted': productDeleted,
  'shopify.collection.created': collectionLaunch,
  'shopify.collection.updated': collectionLaunch,
  'shopify.inventory.low': inventoryLow,
  'shopify.inventory.updated': otherEvents,
  'shopify.order.created': orderFollowUp,
  'shopify.app.uninstalled': otherEvents,
  'shopify.customers.data_request': otherEvents,
  'shopify.customers.redact': otherEvents,
  'shopify.shop.redact': otherEvents,
  'supabase.schema.changed': schemaChangelog,
  'supabase.table.created': tableDocs,
  'supabase.table.dropped': schemaChangelog,
  'supabase.column.added': tableDocs,
  'supabase.column.dropped': schemaChangelog,
  'supabase.column.renamed': tableDocs,
  'supabase.column.retyped': tableDocs,
  'supabase.constraint.changed': schemaChangelog,
  'supabase.migration.pending': migrationPending,
  'supabase.row.inserted': rowChange,
  'supabase.row.updated': rowChange,
  'supabase.row.deleted': rowChange,
  'calendar.event.upcoming': calendarUpcoming,
};

/** The draft for an input: deterministic, no I/O, no clock. Throws only on a template bug. */
export function renderOffline(input: SuggestionInput): SuggestionDraft {
  const env = templateEnv(input);
  const template =
    input.batch && input.batch.items.length > 0 ? batchSummary : (TEMPLATES[input.eventType] ?? otherEvents);
  return finalizeDraft(template(env), env.v);
}
