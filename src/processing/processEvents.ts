import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Database, Queryable } from '../db/database.js';
import { toPreferences, type UserRow } from '../db/queries/users.js';
import type { EventType } from '../events.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../metrics.js';
import type { StreamBus } from '../notify/bus.js';
import { enqueueSuggestionNotifications, notifyUsers } from '../notify/notifyUser.js';
import type { Preferences } from '../preferences.js';
import { batchItem } from '../suggest/eventTypes/index.js';
import type { GenerationResult, SuggestionContext, SuggestionGenerator } from '../suggest/types.js';
import { CLAIMED_COLUMNS, type ClaimedEvent, type ClaimedRow, toClaimed } from './claimedEvent.js';
import { applyCompliance } from './compliance.js';
import {
  coalescingFor,
  importanceScore,
  passesFilters,
  rateLimitFor,
  SYSTEM_TYPES,
  warrantsSuggestion,
} from './decide.js';
import { repeatedLowStockAlerts } from './lowStockAlerts.js';
import { parsePayload } from './payload.js';

export interface ProcessingDeps {
  db: Database;
  generator: SuggestionGenerator;
  metrics: Metrics;
  log: Logger;
  config: Config;
  bus?: StreamBus;
  /** Fetches what a partial payload lacks (the product behind an inventory item, order velocity...). */
  enrich?: (
    event: ClaimedEvent,
    payload: Record<string, unknown>,
    prefs: Preferences,
  ) => Promise<SuggestionContext | undefined>;
  now?: () => Date;
}

export type EventOutcome =
  | { kind: 'suggested'; suggestionId: string }
  | { kind: 'covered'; suggestionId: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'deferred'; until: Date }
  | { kind: 'system'; detail: string }
  /** Another worker completed it first (its lease had expired): nothing written. */
  | { kind: 'superseded' };

interface UserState {
  row: UserRow;
  prefs: Preferences;
}

/** One suggestion to write: from `primary`, covering `covered` (the primary included). */
interface SuggestionPlan {
  kind: 'suggest';
  effectiveType: EventType;
  primary: ClaimedEvent;
  covered: ClaimedEvent[];
  via: 'single' | 'debounced' | 'batched';
  result?: GenerationResult;
}
type Plan =
  | SuggestionPlan
  | { kind: 'skip'; events: ClaimedEvent[]; reason: string }
  | { kind: 'system'; event: ClaimedEvent }
  | { kind: 'defer'; events: ClaimedEvent[]; until: Date };

/** A debounce or batch waits at most this many windows after its first event. */
const MAX_WAIT_WINDOWS = 6;
const MAX_GROUP = 5_000;

/**
 * Seed steps 4 to 6 for a batch of claimed events: decide, generate, then one transaction writes
 * every suggestion, agent run and event update (and queues notifications), so one event gets at
 * most one suggestion whatever crashes. Generation happens before the transaction: a slow model
 * never holds locks. Rows are completed only while this worker still holds their lease.
 */
export async function processEvents(
  deps: ProcessingDeps,
  events: ClaimedEvent[],
  workerId: string,
): Promise<Map<string, EventOutcome>> {
  const now = deps.now?.() ?? new Date();
  const outcomes = new Map<string, EventOutcome>();
  if (events.length === 0) return outcomes;
  const users = await loadUsers(deps.db, [...new Set(events.map((e) => e.userId))]);
  const claimedIds = new Set(events.map((e) => e.id));
  const payloads = new Map<string, Record<string, unknown>>();
  const payloadOf = (e: ClaimedEvent) => {
    let p = payloads.get(e.id);
    if (!p) {
      p = parsePayload(e.eventDataJson);
      payloads.set(e.id, p);
    }
    return p;
  };

  // --- decide -------------------------------------------------------------------------------
  const plans: Plan[] = [];
  const grouped = new Map<
    string,
    { events: ClaimedEvent[]; coalescing: ReturnType<typeof coalescingFor>; user: UserState }
  >();
  /** What an event should become, or why not (the same rules for claimed events and group members). */
  const judge = (e: ClaimedEvent, user: UserState): { type: EventType } | { skip: string } => {
    if (!user.prefs.autoSuggest) return { skip: 'auto_suggest_off' };
    const p = payloadOf(e);
    let type = e.eventType;
    if (type === 'shopify.inventory.updated') {
      const available = typeof p.available === 'number' ? p.available : null;
      if (available === null || available > user.prefs.thresholds.lowStock) return { skip: 'not_low' };
      type = 'shopify.inventory.low';
    }
    if (!warrantsSuggestion(type)) return { skip: 'not_warranted' };
    if (!passesFilters(type, p, user.prefs)) return { skip: 'filtered' };
    const min = user.prefs.filters.minImportance;
    if (min !== undefined && importanceScore(type, p) < min) return { skip: 'low_importance' };
    return { type };
  };

  for (const e of events) {
    const user = users.get(e.userId);
    if (!user) {
      plans.push({ kind: 'skip', events: [e], reason: 'no_user' });
      continue;
    }
    if (SYSTEM_TYPES.has(e.eventType)) {
      plans.push({ kind: 'system', event: e });
      continue;
    }
    const verdict = judge(e, user);
    // Inventory levels are debounced on the stored type: the latest level decides.
    const groupType =
      e.eventType === 'shopify.inventory.updated'
        ? 'shopify.inventory.low'
        : 'type' in verdict
          ? verdict.type
          : e.eventType;
    const coalescing = coalescingFor(groupType, user.prefs);
    if (
      'skip' in verdict &&
      !(e.eventType === 'shopify.inventory.updated' && verdict.skip === 'not_low' && coalescing.kind === 'debounce')
    ) {
      plans.push({ kind: 'skip', events: [e], reason: verdict.skip });
      continue;
    }
    if (coalescing.kind === 'none' || (coalescing.kind === 'debounce' && e.subject === null)) {
      if ('type' in verdict)
        plans.push({ kind: 'suggest', effectiveType: verdict.type, primary: e, covered: [e], via: 'single' });
      else plans.push({ kind: 'skip', events: [e], reason: verdict.skip });
      continue;
    }
    const key =
      coalescing.kind === 'debounce' ? `d|${e.userId}|${e.eventType}|${e.subject}` : `b|${e.userId}|${e.eventType}`;
    const g = grouped.get(key);
    if (g) g.events.push(e);
    else grouped.set(key, { events: [e], coalescing, user });
  }

  for (const [key, g] of grouped) {
    const first = g.events[0]!;
    const members = await loadGroup(deps.db, first, key.startsWith('d|'));
    const loaded = new Set(members.map((m) => m.id));
    for (const e of g.events) if (!loaded.has(e.id)) members.push(e);
    members.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    const newest = members[members.length - 1]!;
    const oldest = members[0]!;
    const windowMs = g.coalescing.kind === 'none' ? 0 : g.coalescing.windowSeconds * 1000;
    // Quiet for a window after the newest event, but never later than MAX_WAIT_WINDOWS windows
    // after the oldest: a product updated every minute still gets its suggestion.
    const settlesAt = new Date(
      Math.min(newest.receivedAt.getTime() + windowMs, oldest.receivedAt.getTime() + MAX_WAIT_WINDOWS * windowMs),
    );
    if (settlesAt > now) {
      // Not quiet yet: wait for the burst (or the stream of updates) to end.
      plans.push({ kind: 'defer', events: g.events, until: settlesAt });
      continue;
    }
    if (g.coalescing.kind === 'debounce') {
      const verdict = judge(newest, g.user);
      if ('skip' in verdict) plans.push({ kind: 'skip', events: members, reason: verdict.skip });
      else
        plans.push({
          kind: 'suggest',
          effectiveType: verdict.type,
          primary: newest,
          covered: members,
          via: members.length > 1 ? 'debounced' : 'single',
        });
      continue;
    }
    const eligible: ClaimedEvent[] = [];
    for (const m of members) {
      const verdict = judge(m, g.user);
      if ('skip' in verdict) plans.push({ kind: 'skip', events: [m], reason: verdict.skip });
      else eligible.push(m);
    }
    if (eligible.length === 0) continue;
    if (g.coalescing.kind === 'batch' && eligible.length >= g.coalescing.minEvents) {
      plans.push({
        kind: 'suggest',
        effectiveType: first.eventType,
        primary: eligible[eligible.length - 1]!,
        covered: eligible,
        via: 'batched',
      });
    } else {
      for (const m of eligible)
        plans.push({ kind: 'suggest', effectiveType: m.eventType, primary: m, covered: [m], via: 'single' });
    }
  }

  // --- generate (outside any transaction) ---------------------------------------------------
  for (const plan of plans) {
    if (plan.kind !== 'suggest') continue;
    const user = users.get(plan.primary.userId)!;
    const payload = payloadOf(plan.primary);
    const context = await deps.enrich?.(plan.primary, payload, user.prefs).catch((err: unknown) => {
      deps.log.warn({ err, eventId: plan.primary.id }, 'enrichment failed: generating from the payload alone');
      return undefined;
    });
    plan.result = await deps.generator.generate({
      eventType: plan.effectiveType,
      eventId: plan.primary.id,
      occurredAt: plan.primary.eventTimestamp.toISOString(),
      eventData: payload,
      context,
      profile: user.prefs.profile,
      vibe: user.prefs.vibe,
      batch:
        plan.via === 'batched'
          ? // A thin summary of every covered event: the summary's counts add up to the batch.
            { count: plan.covered.length, items: plan.covered.map((c) => batchItem(plan.effectiveType, payloadOf(c))) }
          : plan.via === 'debounced'
            ? { count: plan.covered.length, items: [] }
            : undefined,
    });
  }

  // --- commit -------------------------------------------------------------------------------
  // A constant number of statements per batch, whatever its size: the worker's throughput is
  // bounded by round trips, not by CPU.
  const created: Array<{ userId: string; suggestionId: string; plan: SuggestionPlan; createdAt: Date }> = [];
  await deps.db.transaction(async (tx) => {
    const suggestPlans = plans.filter((p): p is SuggestionPlan => p.kind === 'suggest');
    const rateKeys = [...new Set(suggestPlans.map((p) => `${p.primary.userId}|${p.effectiveType}`))].sort();
    if (rateKeys.length > 0) {
      // Serialises writers of the same user and type: rate limits and group coverage stay exact.
      await tx.query(`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest($1::text[]) as k order by k`, [
        rateKeys,
      ]);
    }
    const allIds = [
      ...new Set(
        plans.flatMap((p) =>
          (p.kind === 'suggest' ? p.covered : p.kind === 'system' ? [p.event] : p.events).map((e) => e.id),
        ),
      ),
    ];
    const { rows: current } = await tx.query<{ id: string; status: string; locked_by: string | null }>(
      `select id, status, locked_by from background_events where id = any($1::uuid[]) for update`,
      [allIds],
    );
    const state = new Map(current.map((r) => [r.id, r]));
    /** Claimed rows must still be ours; other group members must still be unfinished. */
    const writable = (e: ClaimedEvent) => {
      const s = state.get(e.id);
      if (!s) return false;
      return claimedIds.has(e.id)
        ? s.status === 'processing' && s.locked_by === workerId
        : s.status === 'pending' || s.status === 'processing';
    };

    // Suggestions made in the last hour per (user, type), read once for the whole batch.
    const rateCounts = new Map<string, number>();
    if (rateKeys.length > 0) {
      const { rows } = await tx.query<{ k: string; n: number }>(
        `select k.u::text || '|' || k.t as k, count(s.id)::int as n
         from unnest($1::uuid[], $2::text[]) as k(u, t)
         left join suggestions s on s.user_id = k.u and s.event_type = k.t and s.created_at > $3
         group by k.u, k.t`,
        [
          rateKeys.map((k) => k.split('|')[0]),
          rateKeys.map((k) => k.split('|')[1]),
          new Date(now.getTime() - 3600_000),
        ],
      );
      for (const r of rows) rateCounts.set(r.k, r.n);
    }

    // One alert per fact: low stock already alerted (by the webhook or the poll) is not alerted again.
    const repeatedAlerts = await repeatedLowStockAlerts(
      tx,
      suggestPlans
        .filter((p) => p.effectiveType === 'shopify.inventory.low')
        .map((p) => ({
          key: p.primary.id,
          userId: p.primary.userId,
          eventIds: p.covered.map((c) => c.id),
          payload: payloadOf(p.primary),
          threshold: users.get(p.primary.userId)!.prefs.thresholds.lowStock,
          receivedAt: p.primary.receivedAt,
        })),
    );

    const done: Array<{ id: string; outcome: string; suggestionId: string | null; type: string | null }> = [];
    const deferred: Array<{ id: string; until: Date }> = [];
    const toWrite: Array<{ plan: SuggestionPlan; covered: ClaimedEvent[]; runId: string; suggestionId: string }> = [];
    for (const plan of plans) {
      if (plan.kind === 'defer') {
        for (const e of plan.events) {
          if (writable(e)) {
            deferred.push({ id: e.id, until: plan.until });
            outcomes.set(e.id, { kind: 'deferred', until: plan.until });
          } else outcomes.set(e.id, { kind: 'superseded' });
        }
      } else if (plan.kind === 'skip') {
        for (const e of plan.events) {
          if (writable(e)) {
            done.push({ id: e.id, outcome: plan.reason, suggestionId: null, type: null });
            outcomes.set(e.id, { kind: 'skipped', reason: plan.reason });
          } else outcomes.set(e.id, { kind: 'superseded' });
        }
      } else if (plan.kind === 'system') {
        if (!writable(plan.event)) {
          outcomes.set(plan.event.id, { kind: 'superseded' });
          continue;
        }
        const detail = await applyCompliance(tx, plan.event);
        done.push({ id: plan.event.id, outcome: detail, suggestionId: null, type: null });
        outcomes.set(plan.event.id, { kind: 'system', detail });
      } else {
        const covered = plan.covered.filter(writable);
        if (!writable(plan.primary) || covered.length === 0) {
          for (const e of plan.covered) outcomes.set(e.id, { kind: 'superseded' });
          continue;
        }
        if (repeatedAlerts.has(plan.primary.id)) {
          for (const e of covered) {
            done.push({ id: e.id, outcome: 'already_alerted', suggestionId: null, type: null });
            outcomes.set(e.id, { kind: 'skipped', reason: 'already_alerted' });
          }
          continue;
        }
        const rateKey = `${plan.primary.userId}|${plan.effectiveType}`;
        const used = rateCounts.get(rateKey) ?? 0;
        if (used >= rateLimitFor(plan.effectiveType, users.get(plan.primary.userId)!.prefs)) {
          for (const e of covered) {
            done.push({
              id: e.id,
              outcome: 'rate_limited',
              suggestionId: null,
              type: e.id === plan.primary.id ? plan.effectiveType : null,
            });
            outcomes.set(e.id, { kind: 'skipped', reason: 'rate_limited' });
          }
          continue;
        }
        rateCounts.set(rateKey, used + 1);
        const suggestionId = randomUUID();
        toWrite.push({ plan, covered, runId: randomUUID(), suggestionId });
        for (const e of covered) {
          const primary = e.id === plan.primary.id;
          done.push({
            id: e.id,
            outcome: primary ? 'suggested' : plan.via,
            suggestionId,
            type: primary ? plan.effectiveType : null,
          });
          outcomes.set(e.id, primary ? { kind: 'suggested', suggestionId } : { kind: 'covered', suggestionId });
        }
      }
    }

    if (toWrite.length > 0) {
      const runs = toWrite.map((w) => w.plan.result!.run);
      await tx.query(
        `insert into agent_runs (id, user_id, event_id, generator, model, prompt, output, tokens_in, tokens_out, latency_ms, status, error)
         select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::int[], $11::text[], $12::text[])`,
        [
          toWrite.map((w) => w.runId),
          toWrite.map((w) => w.plan.primary.userId),
          toWrite.map((w) => w.plan.primary.id),
          runs.map((r) => r.generator),
          runs.map((r) => r.model),
          runs.map((r) => r.prompt),
          runs.map((r) => r.output),
          runs.map((r) => r.tokensIn),
          runs.map((r) => r.tokensOut),
          runs.map((r) => Math.round(r.latencyMs)),
          runs.map((r) => r.status),
          runs.map((r) => r.error),
        ],
      );
      const { rows } = await tx.query<{ id: string; created_at: Date }>(
        `insert into suggestions (id, user_id, event_id, event_type, agent_run_id, title, body, content)
         select i, u, e, t, r, ti, b, c::jsonb from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[])
           as x(i, u, e, t, r, ti, b, c)
         returning id, created_at`,
        [
          toWrite.map((w) => w.suggestionId),
          toWrite.map((w) => w.plan.primary.userId),
          toWrite.map((w) => w.plan.primary.id),
          toWrite.map((w) => w.plan.effectiveType),
          toWrite.map((w) => w.runId),
          toWrite.map((w) => w.plan.result!.draft.title),
          toWrite.map((w) => w.plan.result!.draft.body),
          toWrite.map((w) =>
            JSON.stringify({
              ...w.plan.result!.draft.content,
              ...(w.plan.via !== 'single' ? { covers: w.covered.length, via: w.plan.via } : {}),
            }),
          ),
        ],
      );
      const createdAt = new Map(rows.map((r) => [r.id, r.created_at]));
      for (const w of toWrite) {
        const userId = w.plan.primary.userId;
        const channels = users.get(userId)!.prefs.channels;
        if (channels.slack || channels.email || channels.webhook) {
          await enqueueSuggestionNotifications(tx, { userId, suggestionId: w.suggestionId, now });
        }
        created.push({
          userId,
          suggestionId: w.suggestionId,
          plan: w.plan,
          createdAt: createdAt.get(w.suggestionId) ?? now,
        });
      }
    }
    if (deferred.length > 0) {
      await tx.query(
        `update background_events e set status = 'pending', run_at = d.until, attempts = greatest(e.attempts - 1, 0), locked_by = null, locked_until = null
         from unnest($1::uuid[], $2::timestamptz[]) as d(id, until) where e.id = d.id`,
        [deferred.map((d) => d.id), deferred.map((d) => d.until)],
      );
    }
    if (done.length > 0) {
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
  });

  // --- notify (after commit) ----------------------------------------------------------------
  for (const c of created) {
    deps.metrics.suggestionsGenerated.inc({ type: c.plan.effectiveType });
    const r = c.plan.result!;
    if (r.run.generator === 'llm') {
      deps.metrics.llmLatency.observe({ status: r.run.status }, r.run.latencyMs / 1000);
      if (r.run.tokensIn) deps.metrics.llmTokens.inc({ direction: 'in' }, r.run.tokensIn);
      if (r.run.tokensOut) deps.metrics.llmTokens.inc({ direction: 'out' }, r.run.tokensOut);
    }
  }
  const claimedById = new Map(events.map((e) => [e.id, e]));
  for (const [id, o] of outcomes) {
    const e = claimedById.get(id);
    if (!e) continue;
    if (o.kind === 'deferred' || o.kind === 'superseded') continue;
    deps.metrics.eventsProcessed.inc({ type: e.eventType, outcome: o.kind === 'skipped' ? o.reason : o.kind });
    deps.metrics.processingLatency.observe({ source: e.source }, (Date.now() - e.receivedAt.getTime()) / 1000);
  }
  if (deps.bus && created.length > 0) {
    await notifyUsers(
      deps.bus,
      created.map((c) => ({
        userId: c.userId,
        suggestion: {
          id: c.suggestionId,
          eventId: c.plan.primary.id,
          eventType: c.plan.effectiveType,
          title: c.plan.result!.draft.title,
          body: c.plan.result!.draft.body,
          createdAt: c.createdAt,
        },
      })),
      deps.log,
    );
  }
  return outcomes;
}

async function loadUsers(db: Queryable, ids: string[]): Promise<Map<string, UserState>> {
  const { rows } = await db.query<UserRow>('select * from users where id = any($1::uuid[])', [ids]);
  return new Map(rows.map((row) => [row.id, { row, prefs: toPreferences(row) }]));
}

/** The unfinished events a debounce (same object) or batch (same type) groups together. */
async function loadGroup(db: Queryable, e: ClaimedEvent, bySubject: boolean): Promise<ClaimedEvent[]> {
  const { rows } = await db.query<ClaimedRow>(
    `select ${CLAIMED_COLUMNS} from background_events e
     where e.user_id = $1 and e.event_type = $2 and e.status in ('pending', 'processing')
       and ($3::boolean is false or e.subject = $4)
     order by e.received_at, e.seq limit ${MAX_GROUP}`,
    [e.userId, e.eventType, bySubject, e.subject],
  );
  return rows.map(toClaimed);
}
