import type { NewEvent } from '../../events/newEvent.js';
import { RawJson } from '../../lib/rawJson.js';
import { eventSubject } from '../../sources/index.js';
import type { Queryable } from '../database.js';

/** background_events as the API returns it: the seed's names, the payload as raw JSON text. */
export interface EventView {
  id: string;
  user_id: string;
  integration_id: string | null;
  event_type: string;
  source: string;
  /** The exact text received when jsonb could not hold it (see payload_issues), else the stored jsonb. */
  event_data: RawJson;
  /** Why event_data_raw was kept (NUL, lone surrogate, number out of range...); null for most events. */
  payload_issues: string[] | null;
  event_timestamp: Date;
  received_at: Date;
  suggestion_generated: boolean;
  suggestion_id: string | null;
  user_actioned: boolean;
  status: string;
  attempts: number;
  last_error: string | null;
  outcome: string | null;
  processed_at: Date | null;
}

const EVENT_COLUMNS = `id, user_id, integration_id, event_type, source,
  coalesce(event_data_raw, event_data::text) as event_data, payload_issues, event_timestamp, received_at,
  suggestion_generated, suggestion_id, user_actioned, status, attempts, last_error, outcome, processed_at`;

type EventDbRow = Omit<EventView, 'event_data'> & { event_data: string };

function toView(r: EventDbRow): EventView {
  return { ...r, event_data: new RawJson(r.event_data) };
}

/** An event as the store writes it: the payload in the form jsonb accepts, and what was changed. */
export interface StorableEvent extends NewEvent {
  /** JSON text for the jsonb column: eventDataJson itself unless it held what jsonb cannot. */
  storedJson: string;
  /** The exact text received, kept only when storedJson differs from it. */
  rawJson: string | null;
  /** Why storedJson differs (or why eventTimestamp is the time of receipt); null when nothing did. */
  payloadIssues: readonly string[] | null;
}

export interface InsertedEvent {
  /** Index of the event in the input. */
  index: number;
  id: string;
  /** The live-feed message written with it (when asked for). */
  stream?: { streamId: string; createdAt: Date; data: Record<string, unknown> };
}

/** A row the INSERT returned. */
export interface InsertedRow {
  id: string;
  user_id: string;
  source: string;
  dedupe_key: string;
  stream_id?: string;
  stream_created_at?: Date;
  stream_data?: Record<string, unknown>;
}

/**
 * The statement that stores events idempotently in one round trip: a repeated source event (same
 * user, source and dedupe key) is skipped. The payload goes in as text and is cast to jsonb by
 * PostgreSQL, so no digit is lost. With `liveFeed`, the same statement also writes each new
 * event's `event` message to stream_messages (the SSE feed), so announcing events costs no extra
 * round trip. Built apart from running it, so that the caller can tell its own bugs (here) from
 * the database's refusals (when it runs).
 */
export function buildInsertEvents(
  events: readonly StorableEvent[],
  opts: { liveFeed?: boolean } = {},
): { sql: string; params: unknown[] } {
  const insert = `insert into background_events (user_id, integration_id, source, event_type, event_data,
                  event_data_raw, payload_issues, event_timestamp, dedupe_key, subject)
     -- An integration deleted since the caller looked it up becomes NULL (as its foreign key's
     -- ON DELETE SET NULL would have made it) instead of failing the whole group commit.
     select u, (select id from integrations where id = x.i), s, t, d::jsonb, r, string_to_array(p, ','), ts, k, j
     from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
       $9::text[], $10::text[])
       with ordinality as x(u, i, s, t, d, r, p, ts, k, j, ord)
      -- A key retention removed while a redelivery could still come is a duplicate too.
      where not exists (select 1 from dedupe_tombstones z where z.user_id = x.u and z.source = x.s
        and z.dedupe_key = x.k)
     order by ord
     on conflict (user_id, source, dedupe_key) do nothing
     returning id, user_id, source, dedupe_key, event_type`;
  const sql = opts.liveFeed
    ? `with ins as (${insert}),
       msg as (
         insert into stream_messages (user_id, type, entity_id, data)
         select user_id, 'event', id::text, jsonb_build_object('eventType', event_type, 'source', source) from ins
         returning id, entity_id, created_at, data
       )
       select ins.id, ins.user_id, ins.source, ins.dedupe_key, msg.id::text as stream_id,
         msg.created_at as stream_created_at, msg.data as stream_data
       from ins join msg on msg.entity_id = ins.id::text`
    : insert;
  return {
    sql,
    params: [
      events.map((e) => e.userId),
      events.map((e) => e.integrationId),
      events.map((e) => e.source),
      events.map((e) => e.eventType),
      events.map((e) => e.storedJson),
      events.map((e) => e.rawJson),
      events.map((e) => (e.payloadIssues && e.payloadIssues.length > 0 ? e.payloadIssues.join(',') : null)),
      events.map((e) => e.eventTimestamp.toISOString()),
      events.map((e) => e.dedupeKey),
      // What each event is about, as its source reads it from the stored payload (Source.subjectOf).
      events.map((e) => eventSubject(e.source, e.eventType, e.storedJson)),
    ],
  };
}

const keyOf = (userId: string, source: string, dedupeKey: string) => `${userId}\u0000${source}\u0000${dedupeKey}`;

/** The rows the INSERT returned, matched to their input index. */
export function matchInserted(events: readonly NewEvent[], rows: readonly InsertedRow[]): InsertedEvent[] {
  const indexByKey = new Map(events.map((e, i) => [keyOf(e.userId, e.source, e.dedupeKey), i]));
  return rows.map((r) => ({
    index: indexByKey.get(keyOf(r.user_id, r.source, r.dedupe_key))!,
    id: r.id,
    stream: r.stream_id
      ? { streamId: r.stream_id, createdAt: r.stream_created_at!, data: r.stream_data ?? {} }
      : undefined,
  }));
}

/**
 * Stores events idempotently in one statement; returns the rows actually inserted. Payloads go in
 * as given: ingest stores through EventStore, which first makes them storable (storablePayload.ts).
 */
export async function insertEvents(
  db: Queryable,
  events: readonly NewEvent[],
  opts: { liveFeed?: boolean } = {},
): Promise<InsertedEvent[]> {
  if (events.length === 0) return [];
  const storable = events.map((e) => ({ ...e, storedJson: e.eventDataJson, rawJson: null, payloadIssues: null }));
  const { sql, params } = buildInsertEvents(storable, opts);
  const { rows } = await db.query<InsertedRow>(sql, params);
  return matchInserted(events, rows);
}

/**
 * Which of these events have a stored row or a retention tombstone (by user, source and dedupe
 * key): an INSERT ... ON CONFLICT DO NOTHING that returned no row for an event means "already
 * there" only if this finds it. Run after the INSERT's commit, so rows committed concurrently by others are seen.
 */
export function buildExistingEvents(events: readonly NewEvent[]): { sql: string; params: unknown[] } {
  return {
    sql: `select e.user_id, e.source, e.dedupe_key
          from unnest($1::uuid[], $2::text[], $3::text[]) as x(u, s, k)
          join background_events e on e.user_id = x.u and e.source = x.s and e.dedupe_key = x.k
          union all
          select z.user_id, z.source, z.dedupe_key
          from unnest($1::uuid[], $2::text[], $3::text[]) as x(u, s, k)
          join dedupe_tombstones z on z.user_id = x.u and z.source = x.s and z.dedupe_key = x.k`,
    params: [events.map((e) => e.userId), events.map((e) => e.source), events.map((e) => e.dedupeKey)],
  };
}

export function matchExisting(
  events: readonly NewEvent[],
  rows: ReadonlyArray<{ user_id: string; source: string; dedupe_key: string }>,
): boolean[] {
  const found = new Set(rows.map((r) => keyOf(r.user_id, r.source, r.dedupe_key)));
  return events.map((e) => found.has(keyOf(e.userId, e.source, e.dedupeKey)));
}

export interface EventFilter {
  source?: string;
  type?: string;
  status?: string;
  limit: number;
  /** seq of the last item of the previous page */
  before?: string;
}

export async function listEvents(
  db: Queryable,
  userId: string,
  f: EventFilter,
): Promise<{ items: EventView[]; nextSeq: string | null }> {
  // The cursor's copy of seq is text (a bigint may exceed 2^53) under its own name: ORDER BY binds
  // a bare name to an output column first, so an alias named `seq` would sort as text (10 < 9).
  const { rows } = await db.query<EventDbRow & { page_seq: string }>(
    `select ${EVENT_COLUMNS}, e.seq::text as page_seq from background_events e
     where e.user_id = $1
       and ($2::text is null or e.source = $2)
       and ($3::text is null or e.event_type = $3)
       and ($4::text is null or e.status = $4)
       and ($5::bigint is null or e.seq < $5::bigint)
     order by e.seq desc limit $6`,
    [userId, f.source ?? null, f.type ?? null, f.status ?? null, f.before ?? null, f.limit + 1],
  );
  const page = rows.slice(0, f.limit);
  return {
    items: page.map(({ page_seq: _seq, ...r }) => toView(r)),
    nextSeq: rows.length > f.limit ? page[page.length - 1]!.page_seq : null,
  };
}

export async function getEvent(db: Queryable, userId: string, id: string): Promise<EventView | undefined> {
  const { rows } = await db.query<EventDbRow>(
    `select ${EVENT_COLUMNS} from background_events where id = $1 and user_id = $2`,
    [id, userId],
  );
  return rows[0] && toView(rows[0]);
}
