import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import { type Database, MAINTENANCE_STATEMENT_TIMEOUT_MS, type Queryable } from '../db/database.js';
import {
  completeEvents,
  deferEvents,
  groupSpan,
  insertSuggestions,
  loadGroup,
  lockForCommit,
  suggestionCounts,
} from '../db/queries/processing.js';
import { toPreferences, type UserRow } from '../db/queries/users.js';
import type { Payload } from '../events/eventSpec.js';
import { eventSpec } from '../events/registry.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../metrics.js';
import type { StreamBus } from '../notify/bus.js';
import { CHANNELS } from '../notify/channels/registry.js';
import { enqueueSuggestionNotifications, notifyUsers } from '../notify/notifyUser.js';
import type { Preferences } from '../preferences.js';
import { batchItem } from '../suggest/eventTypes/index.js';
import type { SuggestionContext, SuggestionGenerator, SuggestionInput } from '../suggest/types.js';
import { type ClaimedEvent, loadBatchProjections, loadPayloads } from './claimedEvent.js';
import { RATE_WINDOW_MS } from './decide.js';
import { repeatedLowStockAlerts } from './lowStockAlerts.js';
import { parsePayload } from './payload.js';
import {
  decideCommit,
  type EventOutcome,
  eventsOf,
  groupSettlesAt,
  type Plan,
  type PlanInputs,
  planClaimed,
  planGroup,
  type SuggestionPlan,
} from './plan.js';

export type { EventOutcome } from './plan.js';

export interface ProcessingDeps {
  db: Database;
  generator: SuggestionGenerator;
  metrics: Metrics;
  log: Logger;
  config: Config;
  bus?: StreamBus;
  /** Fetches what a partial payload lacks (the product behind an inventory item, order velocity...). */
  enrich?: (event: ClaimedEvent, payload: Payload, prefs: Preferences) => Promise<SuggestionContext | undefined>;
  now?: () => Date;
}

/**
 * Seed steps 4 to 6 for a batch of claimed events: plan (plan.ts: pure decisions over the
 * event-type registry and the user's preferences), generate, then one transaction writes every
 * suggestion, agent run and event update (and queues notifications), so one event gets at most
 * one suggestion whatever crashes. Generation happens before the transaction: a slow model never
 * holds locks. Rows are completed only while this worker still holds their lease.
 */
export async function processEvents(
  deps: ProcessingDeps,
  events: ClaimedEvent[],
  workerId: string,
): Promise<Map<string, EventOutcome>> {
  const now = deps.now?.() ?? new Date();
  if (events.length === 0) return new Map();
  const prefs = await loadPreferences(deps.db, [...new Set(events.map((e) => e.userId))]);
  const plans = await plan(deps.db, events, prefs, now);
  const payloads = await generate(deps, plans, prefs);
  const { outcomes, created } = await commit(deps, { events, plans, prefs, payloads, workerId, now });
  record(deps, plans, outcomes, created);
  await announce(deps, created);
  return outcomes;
}

/** Decisions: each claimed event alone, then each group once its span (and, when quiet, its members) is read. */
async function plan(
  db: Queryable,
  events: readonly ClaimedEvent[],
  prefs: ReadonlyMap<string, Preferences>,
  now: Date,
): Promise<Plan[]> {
  const decisionData = new Map<string, Payload>();
  const inputs: PlanInputs = {
    prefs,
    dataOf: (e) => {
      let p = decisionData.get(e.id);
      if (!p) {
        p = parsePayload(e.decisionJson);
        decisionData.set(e.id, p);
      }
      return p;
    },
  };
  const { plans, groups } = planClaimed(events, inputs);
  for (const group of groups) {
    const settlesAt = groupSettlesAt(group, await groupSpan(db, group));
    // Not quiet yet: wait for the burst (or the stream of updates) to end. Only the span was read.
    if (settlesAt > now) plans.push({ kind: 'defer', events: group.claimed, until: settlesAt });
    else plans.push(...planGroup(group, await loadGroup(db, group), inputs));
  }
  return plans;
}

/**
 * Writes each suggestion's draft, outside any transaction. Whole payloads are read here, for the
 * events that need them (each suggestion's event and each system instruction, in one query); a
 * batch's members are read as thin projections (a title, a price) so its counts add up without
 * loading every payload.
 */
async function generate(
  deps: ProcessingDeps,
  plans: readonly Plan[],
  prefs: ReadonlyMap<string, Preferences>,
): Promise<Map<string, string>> {
  const payloads = await loadPayloads(
    deps.db,
    plans.flatMap((p) => (p.kind === 'suggest' ? [p.primary.id] : p.kind === 'system' ? [p.event.id] : [])),
  );
  for (const p of plans) {
    if (p.kind !== 'suggest') continue;
    const userPrefs = prefs.get(p.primary.userId)!;
    const payload = parsePayload(payloads.get(p.primary.id) ?? '{}');
    const context = await deps.enrich?.(p.primary, payload, userPrefs).catch((err: unknown) => {
      deps.log.warn({ err, eventId: p.primary.id }, 'enrichment failed: generating from the payload alone');
      return undefined;
    });
    let batch: SuggestionInput['batch'];
    if (p.via === 'batched') {
      const projections = await loadBatchProjections(
        deps.db,
        p.covered.map((c) => c.id),
      );
      batch = {
        count: p.covered.length,
        items: p.covered.map((c) => batchItem(p.effectiveType, parsePayload(projections.get(c.id) ?? '{}'))),
      };
    } else if (p.via === 'debounced') batch = { count: p.covered.length, items: [] };
    p.result = await deps.generator.generate({
      eventType: p.effectiveType,
      eventId: p.primary.id,
      occurredAt: p.primary.eventTimestamp.toISOString(),
      eventData: payload,
      context,
      profile: userPrefs.profile,
      vibe: userPrefs.vibe,
      batch,
    });
  }
  return payloads;
}

interface Created {
  userId: string;
  suggestionId: string;
  plan: SuggestionPlan;
  createdAt: Date;
}

/** One transaction: lock, decide against the rows' state now (plan.ts `decideCommit`), write. */
async function commit(
  deps: ProcessingDeps,
  b: {
    events: readonly ClaimedEvent[];
    plans: readonly Plan[];
    prefs: ReadonlyMap<string, Preferences>;
    payloads: ReadonlyMap<string, string>;
    workerId: string;
    now: Date;
  },
): Promise<{ outcomes: Map<string, EventOutcome>; created: Created[] }> {
  const claimedIds = new Set(b.events.map((e) => e.id));
  const suggestPlans = b.plans.filter((p): p is SuggestionPlan => p.kind === 'suggest');
  const rateKeys = [...new Set(suggestPlans.map((p) => `${p.primary.userId}|${p.effectiveType}`))];
  const eventIds = [...new Set(b.plans.flatMap((p) => eventsOf(p).map((e) => e.id)))];
  const created: Created[] = [];
  // A shop's redaction rewrites every payload it sent: bulk work, with the longer bound.
  const txOptions = b.plans.some((p) => p.kind === 'system')
    ? { statementTimeoutMs: MAINTENANCE_STATEMENT_TIMEOUT_MS }
    : undefined;
  const outcomes = await deps.db.transaction(async (tx) => {
    const state = await lockForCommit(tx, rateKeys, eventIds);
    const decided = decideCommit(b.plans, {
      // Claimed rows must still be ours; other group members must still be unfinished.
      writable: (e) => {
        const s = state.get(e.id);
        if (!s) return false;
        return claimedIds.has(e.id)
          ? s.status === 'processing' && s.locked_by === b.workerId
          : s.status === 'pending' || s.status === 'processing';
      },
      prefs: b.prefs,
      rateCounts: await suggestionCounts(tx, rateKeys, new Date(b.now.getTime() - RATE_WINDOW_MS)),
      // One alert per fact: low stock already alerted (by the webhook or the poll) is not alerted again.
      repeatedAlerts: await repeatedLowStockAlerts(
        tx,
        suggestPlans
          .filter((p) => p.effectiveType === 'shopify.inventory.low')
          .map((p) => ({
            key: p.primary.id,
            userId: p.primary.userId,
            eventIds: p.covered.map((c) => c.id),
            payload: parsePayload(b.payloads.get(p.primary.id) ?? '{}'),
            threshold: b.prefs.get(p.primary.userId)!.thresholds.lowStock,
            receivedAt: p.primary.receivedAt,
          })),
      ),
      newId: randomUUID,
    });
    for (const e of decided.system) {
      const act = eventSpec(e.eventType).act;
      const detail = act ? await act(tx, e, b.payloads.get(e.id) ?? '{}') : 'ignored';
      decided.done.push({ id: e.id, outcome: detail, suggestionId: null, type: null });
      decided.outcomes.set(e.id, { kind: 'system', detail });
    }
    const createdAt = await insertSuggestions(
      tx,
      decided.suggestions.map((w) => ({
        id: w.suggestionId,
        runId: w.runId,
        userId: w.plan.primary.userId,
        eventId: w.plan.primary.id,
        eventType: w.plan.effectiveType,
        title: w.plan.result!.draft.title,
        body: w.plan.result!.draft.body,
        contentJson: JSON.stringify({
          ...w.plan.result!.draft.content,
          ...(w.plan.via !== 'single' ? { covers: w.covered.length, via: w.plan.via } : {}),
        }),
        run: w.plan.result!.run,
        outputIsDraft: w.plan.result!.run.output === JSON.stringify(w.plan.result!.draft),
      })),
    );
    for (const w of decided.suggestions) {
      const userId = w.plan.primary.userId;
      const channels = b.prefs.get(userId)!.channels;
      if (CHANNELS.hasOutbound(channels)) {
        await enqueueSuggestionNotifications(tx, { userId, suggestionId: w.suggestionId, now: b.now });
      }
      created.push({
        userId,
        suggestionId: w.suggestionId,
        plan: w.plan,
        createdAt: createdAt.get(w.suggestionId) ?? b.now,
      });
    }
    await deferEvents(tx, decided.deferred);
    await completeEvents(tx, decided.done);
    return decided.outcomes;
  }, txOptions);
  return { outcomes, created };
}

/** Metrics, after the commit: every event the batch finished counts, covered group members included. */
function record(deps: ProcessingDeps, plans: readonly Plan[], outcomes: Map<string, EventOutcome>, created: Created[]) {
  for (const c of created) {
    deps.metrics.suggestionsGenerated.inc({ type: c.plan.effectiveType });
    const r = c.plan.result!;
    if (r.run.generator === 'llm') {
      deps.metrics.llmLatency.observe({ status: r.run.status }, r.run.latencyMs / 1000);
      if (r.run.tokensIn) deps.metrics.llmTokens.inc({ direction: 'in' }, r.run.tokensIn);
      if (r.run.tokensOut) deps.metrics.llmTokens.inc({ direction: 'out' }, r.run.tokensOut);
    }
  }
  const finished = new Map<string, ClaimedEvent>();
  for (const p of plans) for (const e of eventsOf(p)) finished.set(e.id, e);
  for (const [id, o] of outcomes) {
    const e = finished.get(id);
    if (!e || o.kind === 'deferred' || o.kind === 'superseded') continue;
    deps.metrics.eventsProcessed.inc({ type: e.eventType, outcome: o.kind === 'skipped' ? o.reason : o.kind });
    deps.metrics.processingLatency.observe({ source: e.source }, (Date.now() - e.receivedAt.getTime()) / 1000);
  }
}

/** The user's open dashboards hear of each new suggestion, after the commit. */
async function announce(deps: ProcessingDeps, created: Created[]): Promise<void> {
  if (!deps.bus || created.length === 0) return;
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

async function loadPreferences(db: Queryable, ids: string[]): Promise<Map<string, Preferences>> {
  const { rows } = await db.query<UserRow>('select * from users where id = any($1::uuid[])', [ids]);
  return new Map(rows.map((row) => [row.id, toPreferences(row)]));
}
