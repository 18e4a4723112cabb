import type { Config } from '../config.js';
import type { Database, Queryable } from '../db/database.js';
import { toPreferences, type UserRow } from '../db/queries/users.js';
import type { EventType } from '../events.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../metrics.js';
import type { StreamBus } from '../notify/bus.js';
import { enqueueSuggestionNotifications, notifyUsers } from '../notify/notifyUser.js';
import type { Preferences } from '../preferences.js';
import type { GenerationResult, SuggestionContext, SuggestionGenerator } from '../suggest/types.js';
import { CLAIMED_COLUMNS, toClaimed, type ClaimedEvent, type ClaimedRow } from './claimedEvent.js';
import { applyCompliance } from './compliance.js';
import { coalescingFor, importanceScore, passesFilters, rateLimitFor, SYSTEM_TYPES, warrantsSuggestion } from './decide.js';
import { parsePayload } from './payload.js';

export interface ProcessingDeps {
  db: Database;
  generator: SuggestionGenerator;
  metrics: Metrics;
  log: Logger;
  config: Config;
  bus?: StreamBus;
  /** Fetches what a partial payload lacks (the product behind an inventory item, order velocity...). */
  enrich?: (event: ClaimedEvent, payload: Record<string, unknown>, prefs: Preferences) => Promise<SuggestionContext | undefined>;
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

const MAX_BATCH_ITEMS = 50;
const MAX_GROUP = 5_000;

/**
 * Seed steps 4 to 6 for a batch of claimed events: decide, generate, then one transaction writes
 * every suggestion, agent run and event update (and queues notifications), so one event gets at
 * most one suggestion whatever crashes. Generation happens before the transaction: a slow model
 * never holds locks. Rows are completed only while this worker still holds their lease.
 */
export async function processEvents(deps: ProcessingDeps, events: ClaimedEvent[], workerId: string): Promise<Map<string, EventOutcome>> {
  const now = deps.now?.() ?? new Date();
  const outcomes = new Map<string, EventOutcome>();
  if (events.length === 0) return outcomes;
  const users = await loadUsers(deps.db, [...new Set(events.map((e) => e.userId))]);
  const claimedIds = new Set(events.map((e) => e.id));
  const payloads = new Map<string, Record<string, unknown>>();
  const payloadOf = (e: ClaimedEvent) => {
    let p = payloads.get(e.id);
    if (!p) payloads.set(e.id, (p = parsePayload(e.eventDataJson)));
    return p;
  };

  // --- decide -------------------------------------------------------------------------------
  const plans: Plan[] = [];
  const grouped = new Map<string, { events: ClaimedEvent[]; coalescing: ReturnType<typeof coalescingFor>; user: UserState }>();
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
    const groupType = e.eventType === 'shopify.inventory.updated' ? 'shopify.inventory.low' : ('type' in verdict ? verdict.type : e.eventType);
    const coalescing = coalescingFor(groupType, user.prefs);
    if ('skip' in verdict && !(e.eventType === 'shopify.inventory.updated' && verdict.skip === 'not_low' && coalescing.kind === 'debounce')) {
      plans.push({ kind: 'skip', events: [e], reason: verdict.skip });
      continue;
    }
    if (coalescing.kind === 'none' || (coalescing.kind === 'debounce' && e.subject === null)) {
      if ('type' in verdict) plans.push({ kind: 'suggest', effectiveType: verdict.type, primary: e, covered: [e], via: 'single' });
      else plans.push({ kind: 'skip', events: [e], reason: verdict.skip });
      continue;
    }
    const key = coalescing.kind === 'debounce' ? `d|${e.userId}|${e.eventType}|${e.subject}` : `b|${e.userId}|${e.eventType}`;
    const g = grouped.get(key);
    if (g) g.events.push(e);
    else grouped.set(key, { events: [e], coalescing, user });
  }

  for (const [key, g] of grouped) {
    const first = g.events[0]!;
    const members = await loadGroup(deps.db, first, key.startsWith('d|'));
    for (const e of g.events) if (!members.some((m) => m.id === e.id)) members.push(e);
    members.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
    const newest = members[members.length - 1]!;
    const windowMs = g.coalescing.kind === 'none' ? 0 : g.coalescing.windowSeconds * 1000;
    const settlesAt = new Date(newest.receivedAt.getTime() + windowMs);
    if (settlesAt > now) {
      // Not quiet yet: wait for the burst (or the stream of updates) to end.
      plans.push({ kind: 'defer', events: g.events, until: settlesAt });
      continue;
    }
    if (g.coalescing.kind === 'debounce') {
      const verdict = judge(newest, g.user);
      if ('skip' in verdict) plans.push({ kind: 'skip', events: members, reason: verdict.skip });
      else plans.push({ kind: 'suggest', effectiveType: verdict.type, primary: newest, covered: members, via: members.length > 1 ? 'debounced' : 'single' });
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
      plans.push({ kind: 'suggest', effectiveType: first.eventType, primary: eligible[eligible.length - 1]!, covered: eligible, via: 'batched' });
    } else {
      for (const m of eligible) plans.push({ kind: 'suggest', effectiveType: m.eventType, primary: m, covered: [m], via: 'single' });
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
      eventData: payload,
      context,
      profile: user.prefs.profile,
      vibe: user.prefs.vibe,
      batch: plan.via === 'batched'
        ? { count: plan.covered.length, items: plan.covered.slice(-MAX_BATCH_ITEMS).map((c) => payloadOf(c)) }
        : plan.via === 'debounced' ? { count: plan.covered.length, items: [] } : undefined,
    });
  }

  // --- commit -------------------------------------------------------------------------------
  const created: Array<{ userId: string; suggestionId: string; plan: SuggestionPlan; createdAt: Date }> = [];
  await deps.db.transaction(async (tx) => {
    const rateKeys = [...new Set(plans.filter((p): p is SuggestionPlan => p.kind === 'suggest').map((p) => `${p.primary.userId}|${p.effectiveType}`))].sort();
    if (rateKeys.length > 0) {
      // Serialises writers of the same user and type: rate limits and group coverage stay exact.
      await tx.query(`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest($1::text[]) as k order by k`, [rateKeys]);
    }
    const allIds = [...new Set(plans.flatMap((p) => (p.kind === 'suggest' ? p.covered : p.kind === 'system' ? [p.event] : p.events).map((e) => e.id)))];
    const { rows: current } = await tx.query<{ id: string; status: string; locked_by: string | null }>(
      `select id, status, locked_by from background_events where id = any($1::uuid[]) for update`, [allIds],
    );
    const state = new Map(current.map((r) => [r.id, r]));
    /** Claimed rows must still be ours; other group members must still be unfinished. */
    const writable = (e: ClaimedEvent) => {
      const s = state.get(e.id);
      if (!s) return false;
      return claimedIds.has(e.id) ? s.status === 'processing' && s.locked_by === workerId : s.status === 'pending' || s.status === 'processing';
    };

    const done: Array<{ id: string; outcome: string; suggestionId: string | null; type: string | null }> = [];
    const rateCounts = new Map<string, number>();
    for (const plan of plans) {
      if (plan.kind === 'defer') {
        const ids = plan.events.filter(writable).map((e) => e.id);
        await tx.query(
          `update background_events set status = 'pending', run_at = $2, attempts = greatest(attempts - 1, 0), locked_by = null, locked_until = null
           where id = any($1::uuid[])`, [ids, plan.until],
        );
        for (const e of plan.events) outcomes.set(e.id, ids.includes(e.id) ? { kind: 'deferred', until: plan.until } : { kind: 'superseded' });
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
        const rateKey = `${plan.primary.userId}|${plan.effectiveType}`;
        let used = rateCounts.get(rateKey);
        if (used === undefined) {
          const { rows } = await tx.query<{ n: number }>(
            `select count(*)::int as n from suggestions where user_id = $1 and event_type = $2 and created_at > $3`,
            [plan.primary.userId, plan.effectiveType, new Date(now.getTime() - 3600_000)],
          );
          used = rows[0]!.n;
        }
        const user = users.get(plan.primary.userId)!;
        if (used >= rateLimitFor(plan.effectiveType, user.prefs)) {
          for (const e of covered) {
            done.push({ id: e.id, outcome: 'rate_limited', suggestionId: null, type: e.id === plan.primary.id ? plan.effectiveType : null });
            outcomes.set(e.id, { kind: 'skipped', reason: 'rate_limited' });
          }
          rateCounts.set(rateKey, used);
          continue;
        }
        rateCounts.set(rateKey, used + 1);
        const r = plan.result!;
        const { rows: runRows } = await tx.query<{ id: string }>(
          `insert into agent_runs (user_id, event_id, generator, model, prompt, output, tokens_in, tokens_out, latency_ms, status, error)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
          [plan.primary.userId, plan.primary.id, r.run.generator, r.run.model, r.run.prompt, r.run.output, r.run.tokensIn, r.run.tokensOut,
            Math.round(r.run.latencyMs), r.run.status, r.run.error],
        );
        const { rows: sRows } = await tx.query<{ id: string; created_at: Date }>(
          `insert into suggestions (user_id, event_id, event_type, agent_run_id, title, body, content)
           values ($1, $2, $3, $4, $5, $6, $7) returning id, created_at`,
          [plan.primary.userId, plan.primary.id, plan.effectiveType, runRows[0]!.id, r.draft.title, r.draft.body,
            JSON.stringify({ ...r.draft.content, ...(plan.via !== 'single' ? { covers: covered.length, via: plan.via } : {}) })],
        );
        const suggestionId = sRows[0]!.id;
        for (const e of covered) {
          const primary = e.id === plan.primary.id;
          done.push({ id: e.id, outcome: primary ? 'suggested' : plan.via, suggestionId, type: primary ? plan.effectiveType : null });
          outcomes.set(e.id, primary ? { kind: 'suggested', suggestionId } : { kind: 'covered', suggestionId });
        }
        if (user.prefs.channels.slack || user.prefs.channels.email || user.prefs.channels.webhook) {
          await enqueueSuggestionNotifications(tx, { userId: plan.primary.userId, suggestionId, now });
        }
        created.push({ userId: plan.primary.userId, suggestionId, plan, createdAt: sRows[0]!.created_at });
      }
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
  for (const [id, o] of outcomes) {
    const e = events.find((x) => x.id === id);
    if (!e) continue;
    if (o.kind === 'deferred' || o.kind === 'superseded') continue;
    deps.metrics.eventsProcessed.inc({ type: e.eventType, outcome: o.kind === 'skipped' ? o.reason : o.kind });
    deps.metrics.processingLatency.observe({ source: e.source }, (Date.now() - e.receivedAt.getTime()) / 1000);
  }
  if (deps.bus && created.length > 0) {
    await notifyUsers(deps.bus, created.map((c) => ({
      userId: c.userId,
      suggestion: { id: c.suggestionId, eventId: c.plan.primary.id, eventType: c.plan.effectiveType, title: c.plan.result!.draft.title, body: c.plan.result!.draft.body, createdAt: c.createdAt },
    })), deps.log);
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
