import { randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database.js';
import { EVENT_QUEUE } from '../db/leasedQueue.js';
import { getSuggestion, type SuggestionView } from '../db/queries/suggestions.js';
import { toPreferences, type UserRow } from '../db/queries/users.js';
import type { Payload } from '../events/eventSpec.js';
import type { EventType } from '../events.js';
import { EVENTS_CHANNEL } from '../ingest/eventStore.js';
import type { Logger } from '../lib/logger.js';
import { DELIVERY_WAKE_CHANNEL } from '../notify/deliveries.js';
import type { Preferences } from '../preferences.js';
import { batchItem } from '../suggest/eventTypes/index.js';
import type { AgentRunRecord, SuggestionContext, SuggestionGenerator, SuggestionInput } from '../suggest/types.js';
import {
  CLAIMED_COLUMNS,
  type ClaimedEvent,
  type ClaimedRow,
  loadBatchProjections,
  loadPayloads,
  toClaimed,
} from './claimedEvent.js';
import { parsePayload } from './payload.js';

/**
 * Writing a suggestion again, with the user's preferences as they are now, in place: the
 * suggestion keeps its id (one event, at most one suggestion), gets the new title, body and parts
 * and a new agent run (the old runs stay, for the inspector), and is `new` again. It is not
 * notified again. A regeneration names the agent run it replaces (`basedOn`): a retried request
 * whose first try already replaced it changes nothing and returns the suggestion as it is, and of
 * two requests racing, one writes (a row lock and a compare on agent_run_id).
 */

export interface RegenerateDeps {
  db: Database;
  generator: SuggestionGenerator;
  enrich?: (event: ClaimedEvent, payload: Payload, prefs: Preferences) => Promise<SuggestionContext | undefined>;
  log: Logger;
}

export type RegenerateResult =
  | { kind: 'regenerated'; suggestion: SuggestionView }
  /** Already regenerated from `basedOn` (a retried request), or by a request that won a race. */
  | { kind: 'unchanged'; suggestion: SuggestionView }
  | { kind: 'not_found' }
  /** Accepted suggestions keep the text the user accepted. */
  | { kind: 'accepted'; suggestion: SuggestionView }
  /** The event it was made for is gone (deleted with its integration's user data). */
  | { kind: 'event_gone' };

interface SuggestionRow {
  id: string;
  user_id: string;
  event_id: string;
  event_type: string;
  status: string;
  agent_run_id: string | null;
  content: Record<string, unknown>;
}

export async function regenerateSuggestion(
  deps: RegenerateDeps,
  q: { suggestionId: string; userId: string | null; basedOn?: string | null },
): Promise<RegenerateResult> {
  const { db } = deps;
  const { rows } = await db.query<SuggestionRow>(
    `select id, user_id, event_id, event_type, status, agent_run_id, content from suggestions
     where id = $1 and ($2::uuid is null or user_id = $2)`,
    [q.suggestionId, q.userId],
  );
  const s = rows[0];
  if (!s) return { kind: 'not_found' };
  const current = async () => (await getSuggestion(db, s.user_id, s.id))!;
  if (s.status === 'accepted') return { kind: 'accepted', suggestion: await current() };
  if (q.basedOn !== undefined && q.basedOn !== s.agent_run_id)
    return { kind: 'unchanged', suggestion: await current() };

  const event = (
    await db.query<ClaimedRow>(`select ${CLAIMED_COLUMNS} from background_events e where e.id = $1`, [s.event_id])
  ).rows[0];
  const user = (await db.query<UserRow>('select * from users where id = $1', [s.user_id])).rows[0];
  if (!event || !user) return { kind: 'event_gone' };
  const claimed = toClaimed(event);
  const prefs = toPreferences(user);
  const payload = parsePayload((await loadPayloads(db, [claimed.id])).get(claimed.id) ?? '{}');
  const context = await deps.enrich?.(claimed, payload, prefs).catch((err: unknown) => {
    deps.log.warn({ err, eventId: claimed.id }, 'enrichment failed: regenerating from the payload alone');
    return undefined;
  });
  const via = s.content.via;
  let batch: SuggestionInput['batch'];
  if (via === 'batched' || via === 'debounced') {
    const covered = (
      await db.query<{ id: string }>(
        'select id from background_events where suggestion_id = $1 order by received_at, seq limit 5000',
        [s.id],
      )
    ).rows.map((r) => r.id);
    if (via === 'batched') {
      const projections = await loadBatchProjections(db, covered);
      batch = {
        count: covered.length,
        items: covered.map((id) => batchItem(s.event_type as EventType, parsePayload(projections.get(id) ?? '{}'))),
      };
    } else batch = { count: covered.length, items: [] };
  }
  const result = await deps.generator.generate({
    eventType: s.event_type as EventType,
    eventId: claimed.id,
    occurredAt: claimed.eventTimestamp.toISOString(),
    eventData: payload,
    context,
    profile: prefs.profile,
    vibe: prefs.vibe,
    batch,
  });
  const written = await db.transaction(async (tx) => {
    const locked = await tx.query<{ agent_run_id: string | null; status: string }>(
      'select agent_run_id, status from suggestions where id = $1 for update',
      [s.id],
    );
    const now = locked.rows[0];
    // Replaced meanwhile (or accepted meanwhile): the other writer's text stands.
    if (!now || now.agent_run_id !== s.agent_run_id || now.status === 'accepted') return false;
    const runId = randomUUID();
    await insertAgentRun(tx, { id: runId, userId: s.user_id, eventId: claimed.id, run: result.run });
    const content = {
      ...result.draft.content,
      ...(typeof via === 'string' ? { covers: batch?.count ?? s.content.covers, via } : {}),
    };
    await tx.query(
      `update suggestions set title = $2, body = $3, content = $4::jsonb, agent_run_id = $5, status = 'new',
         actioned_at = null where id = $1`,
      [s.id, result.draft.title, result.draft.body, JSON.stringify(content), runId],
    );
    await tx.query('update background_events set user_actioned = false where suggestion_id = $1', [s.id]);
    return true;
  });
  return { kind: written ? 'regenerated' : 'unchanged', suggestion: await current() };
}

async function insertAgentRun(
  tx: Queryable,
  r: { id: string; userId: string; eventId: string; run: AgentRunRecord },
): Promise<void> {
  await tx.query(
    `insert into agent_runs (id, user_id, event_id, generator, model, prompt, output, tokens_in, tokens_out, latency_ms,
       status, error)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      r.id,
      r.userId,
      r.eventId,
      r.run.generator,
      r.run.model,
      r.run.prompt,
      r.run.output,
      r.run.tokensIn,
      r.run.tokensOut,
      Math.round(r.run.latencyMs),
      r.run.status,
      r.run.error,
    ],
  );
}

export type EventReplayResult =
  | { kind: 'requeued' }
  | { kind: 'regenerated' | 'unchanged'; suggestion: SuggestionView }
  | { kind: 'not_found' }
  /** Refused (409): `leased` a worker holds it now; `queued` it is waiting already; `accepted` its suggestion is. */
  | { kind: 'conflict'; reason: 'leased' | 'queued' | 'accepted' | 'event_gone'; message: string };

/**
 * The operator replays any event. Dead: back in the queue (attempts reset). Processed without a
 * suggestion (filtered, rate-limited, auto-suggest off...): back in the queue, decided again with
 * the preferences of now. Processed with a suggestion it produced or joined: that suggestion is
 * regenerated in place (never a second suggestion for the same events). Waiting or leased: 409.
 */
export async function replayAnyEvent(deps: RegenerateDeps, id: string, now: Date): Promise<EventReplayResult> {
  const state = await deps.db.transaction(async (tx) => {
    const { rows } = await tx.query<{ status: string; leased: boolean; suggestion_id: string | null }>(
      `select status, (locked_until is not null and locked_until > $2) as leased, suggestion_id
       from background_events where id = $1 for update`,
      [id, now],
    );
    const e = rows[0];
    if (!e) return { kind: 'not_found' as const };
    if (e.status === 'dead') {
      await EVENT_QUEUE.replay(tx, [id], now);
      return { kind: 'requeued' as const };
    }
    if (e.status === 'processing' && e.leased) return { kind: 'leased' as const };
    if (e.status !== 'processed') return { kind: 'queued' as const };
    if (e.suggestion_id) return { kind: 'suggestion' as const, suggestionId: e.suggestion_id };
    await tx.query(
      `update background_events set status = 'pending', attempts = 0, run_at = $2, outcome = null, processed_at = null,
         last_error = null, locked_by = null, locked_until = null, suggestion_generated = false
       where id = $1`,
      [id, now],
    );
    return { kind: 'requeued' as const };
  });
  switch (state.kind) {
    case 'not_found':
      return state;
    case 'requeued':
      await deps.db.notify(EVENTS_CHANNEL, '1');
      return state;
    case 'leased':
      return { kind: 'conflict', reason: 'leased', message: 'a worker is processing this event now; try again later' };
    case 'queued':
      return { kind: 'conflict', reason: 'queued', message: 'this event is already waiting to be processed' };
    case 'suggestion': {
      const r = await regenerateSuggestion(deps, { suggestionId: state.suggestionId, userId: null });
      if (r.kind === 'regenerated' || r.kind === 'unchanged') return r;
      if (r.kind === 'accepted')
        return {
          kind: 'conflict',
          reason: 'accepted',
          message: 'the suggestion this event made is accepted: its text stays as the user accepted it',
        };
      return { kind: 'conflict', reason: 'event_gone', message: 'the suggestion of this event is gone' };
    }
  }
}

/**
 * The operator replays any delivery: dead, failed or delivered, it is sent again (attempts reset;
 * the same delivery id, so receivers that drop duplicates by webhook-id or Message-ID still can).
 * One a worker is sending now, or one already waiting, is refused (409).
 */
export async function replayAnyDelivery(
  db: Database,
  id: string,
  now: Date,
): Promise<{ kind: 'requeued' } | { kind: 'not_found' } | { kind: 'conflict'; reason: 'leased' | 'queued' }> {
  const { rows } = await db.query<{ id: string }>(
    `update notification_deliveries set status = 'pending', attempts = 0, next_attempt_at = $2, last_error = null,
       locked_by = null, locked_until = null, delivered_at = null, updated_at = $2
     where id = $1 and status in ('dead', 'failed', 'delivered') and (locked_until is null or locked_until <= $2)
     returning id`,
    [id, now],
  );
  if (rows[0]) {
    await db.query('select pg_notify($1, $2)', [DELIVERY_WAKE_CHANNEL, '']);
    return { kind: 'requeued' };
  }
  const found = await db.query<{ leased: boolean }>(
    `select (locked_until is not null and locked_until > $2) as leased from notification_deliveries where id = $1`,
    [id, now],
  );
  if (!found.rows[0]) return { kind: 'not_found' };
  return { kind: 'conflict', reason: found.rows[0].leased ? 'leased' : 'queued' };
}
