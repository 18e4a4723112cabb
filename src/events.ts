/** The event vocabulary shared by sources, ingest, processing and suggestion generators. */

export const SOURCES = ['shopify', 'supabase', 'calendar'] as const;
export type Source = (typeof SOURCES)[number];

export const EVENT_TYPES = [
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
  'supabase.schema.changed',
  'supabase.table.created',
  'supabase.table.dropped',
  'supabase.column.added',
  'supabase.column.dropped',
  'supabase.column.renamed',
  'supabase.column.retyped',
  'supabase.constraint.changed',
  'supabase.migration.pending',
  'supabase.row.inserted',
  'supabase.row.updated',
  'supabase.row.deleted',
  'calendar.event.upcoming',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event about to be stored in background_events (by a webhook or by a poll). */
export interface NewEvent {
  userId: string;
  integrationId: string | null;
  source: Source;
  eventType: EventType;
  /** The payload as JSON text, exactly as received: never re-serialised (ids above 2^53). */
  eventDataJson: string;
  eventTimestamp: Date;
  /**
   * Identifies the source event: the same delivery or the same polled change always yields the
   * same key, so storage is idempotent (unique per user, source and key).
   */
  dedupeKey: string;
  /** How it reached us: metrics only. */
  via: 'webhook' | 'poll';
}
