import type { Queryable } from '../db/database.js';
import { DECISION_FIELDS } from '../events/registry.js';
import type { EventType, Source } from '../events.js';

/**
 * An event a worker holds under lease (or a member of its debounce or batch group), as processing
 * reads it: identity, timing and the few payload fields decisions read. The whole payload is read
 * only for what needs it (a suggestion's event, a batch's sample items, a compliance request), so
 * a group of thousands of events costs kilobytes, not its payloads.
 */
export interface ClaimedEvent {
  id: string;
  userId: string;
  integrationId: string | null;
  eventType: EventType;
  source: Source;
  /** The payload's DECISION_FIELDS that are present, as JSON text (ids above 2^53 intact). */
  decisionJson: string;
  eventTimestamp: Date;
  receivedAt: Date;
  attempts: number;
  subject: string | null;
}

export interface ClaimedRow {
  id: string;
  user_id: string;
  integration_id: string | null;
  event_type: EventType;
  source: Source;
  decision_data: string;
  event_timestamp: Date;
  received_at: Date;
  attempts: number;
  subject: string | null;
}

for (const f of DECISION_FIELDS) if (!/^[a-z_]+$/.test(f)) throw new Error(`not a plain payload key: ${f}`);
const DECISION_KEYS = `array[${DECISION_FIELDS.map((f) => `'${f}'`).join(', ')}]::text[]`;

/** The columns of a ClaimedRow, for `select ... from background_events <alias>` and `returning`. */
export function claimedColumns(alias: string): string {
  const a = alias;
  return `${a}.id, ${a}.user_id, ${a}.integration_id, ${a}.event_type, ${a}.source,
  (select coalesce(jsonb_object_agg(k, ${a}.event_data->k), '{}'::jsonb) from unnest(${DECISION_KEYS}) as k
   where jsonb_typeof(${a}.event_data) = 'object' and ${a}.event_data ? k)::text as decision_data,
  ${a}.event_timestamp, ${a}.received_at, ${a}.attempts, ${a}.subject`;
}

/** claimedColumns for `background_events e`. */
export const CLAIMED_COLUMNS = claimedColumns('e');

/** Whole payloads by event id, as raw text: read only for the events that need them. */
export async function loadPayloads(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; event_data: string | null }>(
    'select id, event_data::text as event_data from background_events where id = any($1::uuid[])',
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.event_data ?? '{}']));
}

/**
 * What a batch summary reads of each covered event (suggest/eventTypes/batch.ts `batchItem`: a
 * title, a product type, variant prices), projected by the database: a few dozen bytes per event,
 * so a summary can count every member of a 5,000-event import without loading 5,000 payloads.
 */
export async function loadBatchProjections(db: Queryable, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; item: string }>(
    `select id, jsonb_strip_nulls(jsonb_build_object(
       'title', event_data->'title', 'name', event_data->'name', 'summary', event_data->'summary',
       'product_type', event_data->'product_type', 'productType', event_data->'productType',
       'schema', event_data->'schema', 'table', event_data->'table',
       'price', event_data->'price', 'compare_at_price', event_data->'compare_at_price',
       'variants', (select jsonb_agg(jsonb_build_object('price', v->'price', 'compare_at_price', v->'compare_at_price',
                      'compareAtPrice', v->'compareAtPrice'))
                    from jsonb_array_elements(case when jsonb_typeof(event_data->'variants') = 'array'
                                              then event_data->'variants' else '[]'::jsonb end) as v)
     ))::text as item
     from background_events where id = any($1::uuid[]) and jsonb_typeof(event_data) = 'object'`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.item]));
}

export function toClaimed(r: ClaimedRow): ClaimedEvent {
  return {
    id: r.id,
    userId: r.user_id,
    integrationId: r.integration_id,
    eventType: r.event_type,
    source: r.source,
    decisionJson: r.decision_data,
    eventTimestamp: r.event_timestamp,
    receivedAt: r.received_at,
    attempts: r.attempts,
    subject: r.subject,
  };
}
