import { CLAIMED_COLUMNS, type ClaimedEvent, type ClaimedRow, toClaimed } from '../../processing/claimedEvent.js';
import type { AgentRunRecord } from '../../suggest/types.js';
import type { Queryable } from '../database.js';

/**
 * The SQL of processing a claimed batch: reading coalescing groups, locking what the commit
 * touches, the rate-limit counts, and the bulk writes of the commit. A constant number of
 * statements per batch, whatever its size: the worker is bounded by round trips, not by CPU.
 */

const GROUP_FILTER = `e.user_id = $1 and e.event_type = $2 and e.status in ('pending', 'processing')
  and ($3::boolean is false or e.subject = $4)`;

/** A group of unfinished events: one user's events of one type (and, for a debounce, one object). */
export interface GroupKey {
  userId: string;
  eventType: string;
  subject: string | null;
  bySubject: boolean;
}

const groupParams = (g: GroupKey) => [g.userId, g.eventType, g.bySubject, g.subject];

/** When the unfinished events of a group arrived: enough to know whether it is quiet, without reading it. */
export async function groupSpan(db: Queryable, g: GroupKey): Promise<{ oldest: Date | null; newest: Date | null }> {
  const { rows } = await db.query<{ oldest: Date | null; newest: Date | null }>(
    `select min(e.received_at) as oldest, max(e.received_at) as newest from background_events e where ${GROUP_FILTER}`,
    groupParams(g),
  );
  return rows[0] ?? { oldest: null, newest: null };
}

/** The most members a group is read with (a bulk import of more is summarised in parts). */
export const MAX_GROUP = 5_000;

/** The unfinished events of a group, oldest first, without their payloads (see ClaimedEvent). */
export async function loadGroup(db: Queryable, g: GroupKey): Promise<ClaimedEvent[]> {
  const { rows } = await db.query<ClaimedRow>(
    `select ${CLAIMED_COLUMNS} from background_events e where ${GROUP_FILTER}
     order by e.received_at, e.seq limit ${MAX_GROUP}`,
    groupParams(g),
  );
  return rows.map(toClaimed);
}

/**
 * Locks what a commit touches: an advisory lock per (user, type) written to, taken in order, so
 * writers of the same user and type serialise (rate limits and group coverage stay exact), then
 * the event rows themselves. Returns each row's state as it is now.
 */
export async function lockForCommit(
  tx: Queryable,
  rateKeys: readonly string[],
  eventIds: readonly string[],
): Promise<Map<string, { status: string; locked_by: string | null }>> {
  if (rateKeys.length > 0) {
    await tx.query(`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest($1::text[]) as k order by k`, [
      [...rateKeys].sort(),
    ]);
  }
  const { rows } = await tx.query<{ id: string; status: string; locked_by: string | null }>(
    `select id, status, locked_by from background_events where id = any($1::uuid[]) for update`,
    [eventIds],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Suggestions made since `since`, per `${userId}|${type}` key. */
export async function suggestionCounts(
  tx: Queryable,
  rateKeys: readonly string[],
  since: Date,
): Promise<Map<string, number>> {
  if (rateKeys.length === 0) return new Map();
  const { rows } = await tx.query<{ k: string; n: number }>(
    `select k.u::text || '|' || k.t as k, count(s.id)::int as n
     from unnest($1::uuid[], $2::text[]) as k(u, t)
     left join suggestions s on s.user_id = k.u and s.event_type = k.t and s.created_at > $3
     group by k.u, k.t`,
    [rateKeys.map((k) => k.split('|')[0]), rateKeys.map((k) => k.split('|')[1]), since],
  );
  return new Map(rows.map((r) => [r.k, r.n]));
}

export interface NewSuggestion {
  id: string;
  runId: string;
  userId: string;
  eventId: string;
  eventType: string;
  title: string;
  body: string;
  /** JSON text of the structured parts. */
  contentJson: string;
  run: AgentRunRecord;
  /**
   * The run's output is exactly the draft this suggestion stores (the offline generator's always
   * is): the run's output is then stored as null rather than written twice.
   */
  outputIsDraft?: boolean;
}

/**
 * The agent runs and suggestions of a commit, two statements whatever their number. Returns each
 * suggestion's created_at.
 */
export async function insertSuggestions(tx: Queryable, items: readonly NewSuggestion[]): Promise<Map<string, Date>> {
  if (items.length === 0) return new Map();
  const runs = items.map((i) => i.run);
  await tx.query(
    `insert into agent_runs (id, user_id, event_id, generator, model, prompt, output, tokens_in, tokens_out, latency_ms,
     status, error)
     select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
       $9::int[], $10::int[], $11::text[], $12::text[])`,
    [
      items.map((i) => i.runId),
      items.map((i) => i.userId),
      items.map((i) => i.eventId),
      runs.map((r) => r.generator),
      runs.map((r) => r.model),
      runs.map((r) => r.prompt),
      items.map((i) => (i.outputIsDraft ? null : i.run.output)),
      runs.map((r) => r.tokensIn),
      runs.map((r) => r.tokensOut),
      runs.map((r) => Math.round(r.latencyMs)),
      runs.map((r) => r.status),
      runs.map((r) => r.error),
    ],
  );
  const { rows } = await tx.query<{ id: string; created_at: Date }>(
    `insert into suggestions (id, user_id, event_id, event_type, agent_run_id, title, body, content)
     select i, u, e, t, r, ti, b, c::jsonb from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[],
       $6::text[], $7::text[], $8::text[])
       as x(i, u, e, t, r, ti, b, c)
     returning id, created_at`,
    [
      items.map((i) => i.id),
      items.map((i) => i.userId),
      items.map((i) => i.eventId),
      items.map((i) => i.eventType),
      items.map((i) => i.runId),
      items.map((i) => i.title),
      items.map((i) => i.body),
      items.map((i) => i.contentJson),
    ],
  );
  return new Map(rows.map((r) => [r.id, r.created_at]));
}

/**
 * Group members that are not quiet yet go back to the queue until `until`; the claim's attempt is
 * given back (waiting is not failing).
 */
export async function deferEvents(tx: Queryable, deferred: ReadonlyArray<{ id: string; until: Date }>): Promise<void> {
  if (deferred.length === 0) return;
  await tx.query(
    `update background_events e set status = 'pending', run_at = d.until, attempts = greatest(e.attempts - 1, 0),
     locked_by = null, locked_until = null
     from unnest($1::uuid[], $2::timestamptz[]) as d(id, until) where e.id = d.id`,
    [deferred.map((d) => d.id), deferred.map((d) => d.until)],
  );
}

/** Events finished: processed, with their outcome, suggestion, and the type a `becomes` chose. */
export async function completeEvents(
  tx: Queryable,
  done: ReadonlyArray<{ id: string; outcome: string; suggestionId: string | null; type: string | null }>,
): Promise<void> {
  if (done.length === 0) return;
  await tx.query(
    // locked_by stays: it records which worker completed the event.
    `update background_events e set status = 'processed', processed_at = now(), locked_until = null,
       outcome = d.outcome, suggestion_id = d.sid, suggestion_generated = d.sid is not null,
       event_type = coalesce(d.type, e.event_type), last_error = null
     from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) as d(id, outcome, sid, type)
     where e.id = d.id`,
    [done.map((d) => d.id), done.map((d) => d.outcome), done.map((d) => d.suggestionId), done.map((d) => d.type)],
  );
}
