import type { Payload } from '../events/eventSpec.js';
import type { EventType } from '../events/registry.js';
import type { Preferences } from '../preferences.js';
import type { GenerationResult } from '../suggest/types.js';
import type { ClaimedEvent } from './claimedEvent.js';
import {
  type Coalescing,
  coalescesWhenSkipped,
  coalescingFor,
  isSystemType,
  judge,
  withinRateLimit,
} from './decide.js';

/**
 * What a batch of claimed events becomes, as pure functions: no database, no clock (`now` is
 * given), no generator. processEvents reads what these need (users, group spans and members, the
 * rows' current state, rate counts), calls them, and writes what they decide.
 */

/** One suggestion to write: from `primary`, covering `covered` (the primary included). */
export interface SuggestionPlan {
  kind: 'suggest';
  effectiveType: EventType;
  primary: ClaimedEvent;
  covered: ClaimedEvent[];
  via: 'single' | 'debounced' | 'batched';
  result?: GenerationResult;
}

export type Plan =
  | SuggestionPlan
  | { kind: 'skip'; events: ClaimedEvent[]; reason: string }
  /** A compliance request or a lifecycle instruction: processing acts on it. */
  | { kind: 'system'; event: ClaimedEvent }
  /** Part of a debounce or batch that is not quiet yet: back in the queue until `until`. */
  | { kind: 'defer'; events: ClaimedEvent[]; until: Date };

/** Events of one user that coalesce: a debounce group (one object) or a batch (one type). */
export interface Group {
  key: string;
  userId: string;
  /** The stored type and, for a debounce, the object: what a member of the group shares. */
  eventType: EventType;
  subject: string | null;
  bySubject: boolean;
  coalescing: Exclude<Coalescing, { kind: 'none' }>;
  /** The claimed events of this batch that belong to it. */
  claimed: ClaimedEvent[];
}

export interface PlanInputs {
  /** Each user's preferences; an event of a user who no longer exists is skipped. */
  prefs: ReadonlyMap<string, Preferences>;
  /** The fields of an event's payload that decisions read (its decision data). */
  dataOf: (e: ClaimedEvent) => Payload;
}

/** A debounce or batch waits at most this many windows after its first event. */
export const MAX_WAIT_WINDOWS = 6;

/**
 * First pass: each claimed event is decided alone (skipped, a system instruction, a suggestion of
 * its own) or joins the group it coalesces with, to be settled once the group's span is known.
 */
export function planClaimed(events: readonly ClaimedEvent[], inputs: PlanInputs): { plans: Plan[]; groups: Group[] } {
  const plans: Plan[] = [];
  const groups = new Map<string, Group>();
  for (const e of events) {
    const prefs = inputs.prefs.get(e.userId);
    if (!prefs) {
      plans.push({ kind: 'skip', events: [e], reason: 'no_user' });
      continue;
    }
    if (isSystemType(e.eventType)) {
      plans.push({ kind: 'system', event: e });
      continue;
    }
    const verdict = judge(e.eventType, inputs.dataOf(e), prefs);
    // A type that becomes another coalesces on its stored type: the latest level decides.
    const groupType = coalescesWhenSkipped(e.eventType) || 'skip' in verdict ? e.eventType : verdict.type;
    const coalescing = coalescingFor(groupType, prefs);
    if ('skip' in verdict && !(coalescesWhenSkipped(e.eventType) && coalescing.kind === 'debounce')) {
      plans.push({ kind: 'skip', events: [e], reason: verdict.skip });
      continue;
    }
    if (coalescing.kind === 'none' || (coalescing.kind === 'debounce' && e.subject === null)) {
      plans.push(
        'type' in verdict
          ? { kind: 'suggest', effectiveType: verdict.type, primary: e, covered: [e], via: 'single' }
          : { kind: 'skip', events: [e], reason: verdict.skip },
      );
      continue;
    }
    const bySubject = coalescing.kind === 'debounce';
    const key = bySubject ? `d|${e.userId}|${e.eventType}|${e.subject}` : `b|${e.userId}|${e.eventType}`;
    const group = groups.get(key);
    if (group) group.claimed.push(e);
    else
      groups.set(key, {
        key,
        userId: e.userId,
        eventType: e.eventType,
        subject: e.subject,
        bySubject,
        coalescing,
        claimed: [e],
      });
  }
  return { plans, groups: [...groups.values()] };
}

/**
 * When a group may be suggested: quiet for a window after its newest event, but never later than
 * MAX_WAIT_WINDOWS windows after its oldest (a product updated every minute still gets its
 * suggestion). `span` is what the database holds of the group's unfinished events.
 */
export function groupSettlesAt(group: Group, span: { oldest: Date | null; newest: Date | null }): Date {
  const times = group.claimed.map((e) => e.receivedAt.getTime());
  const newest = Math.max(span.newest?.getTime() ?? 0, ...times);
  const oldest = Math.min(span.oldest?.getTime() ?? Number.POSITIVE_INFINITY, ...times);
  const windowMs = group.coalescing.windowSeconds * 1000;
  return new Date(Math.min(newest + windowMs, oldest + MAX_WAIT_WINDOWS * windowMs));
}

/**
 * A quiet group, with all its unfinished members (the claimed ones and those still queued): a
 * debounce makes one suggestion from the newest; a batch makes one summary of every member that
 * warrants one when there are enough of them, else one suggestion each.
 */
export function planGroup(group: Group, members: readonly ClaimedEvent[], inputs: PlanInputs): Plan[] {
  const prefs = inputs.prefs.get(group.userId)!;
  const all = [...members];
  const have = new Set(all.map((m) => m.id));
  for (const e of group.claimed) if (!have.has(e.id)) all.push(e);
  all.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  if (group.coalescing.kind === 'debounce') {
    const newest = all[all.length - 1]!;
    const verdict = judge(newest.eventType, inputs.dataOf(newest), prefs);
    if ('skip' in verdict) return [{ kind: 'skip', events: all, reason: verdict.skip }];
    return [
      {
        kind: 'suggest',
        effectiveType: verdict.type,
        primary: newest,
        covered: all,
        via: all.length > 1 ? 'debounced' : 'single',
      },
    ];
  }
  const plans: Plan[] = [];
  const eligible: Array<{ e: ClaimedEvent; type: EventType }> = [];
  for (const m of all) {
    const verdict = judge(m.eventType, inputs.dataOf(m), prefs);
    if ('skip' in verdict) plans.push({ kind: 'skip', events: [m], reason: verdict.skip });
    else eligible.push({ e: m, type: verdict.type });
  }
  if (eligible.length === 0) return plans;
  if (eligible.length >= group.coalescing.minEvents) {
    plans.push({
      kind: 'suggest',
      effectiveType: group.eventType,
      primary: eligible[eligible.length - 1]!.e,
      covered: eligible.map((x) => x.e),
      via: 'batched',
    });
  } else {
    for (const { e, type } of eligible)
      plans.push({ kind: 'suggest', effectiveType: type, primary: e, covered: [e], via: 'single' });
  }
  return plans;
}

export type EventOutcome =
  | { kind: 'suggested'; suggestionId: string }
  | { kind: 'covered'; suggestionId: string }
  | { kind: 'skipped'; reason: string }
  | { kind: 'deferred'; until: Date }
  | { kind: 'system'; detail: string }
  /** Another worker completed it first (its lease had expired): nothing written. */
  | { kind: 'superseded' };

/** What the commit writes for a batch, decided from the rows' state at commit time. */
export interface Commit {
  outcomes: Map<string, EventOutcome>;
  /** Events finished: processed with this outcome (and suggestion, and the type a `becomes` chose). */
  done: Array<{ id: string; outcome: string; suggestionId: string | null; type: string | null }>;
  deferred: Array<{ id: string; until: Date }>;
  /** Suggestions to write, with the ids they get. */
  suggestions: Array<{ plan: SuggestionPlan; covered: ClaimedEvent[]; runId: string; suggestionId: string }>;
  /** System instructions to carry out (their outcome is known only once they ran). */
  system: ClaimedEvent[];
}

export interface CommitInputs {
  /** Claimed rows must still be this worker's; other group members must still be unfinished. */
  writable: (e: ClaimedEvent) => boolean;
  prefs: ReadonlyMap<string, Preferences>;
  /** Suggestions made in the rate window, per `${userId}|${type}`. */
  rateCounts: ReadonlyMap<string, number>;
  /** Primary event ids of low-stock plans already alerted for the same situation. */
  repeatedAlerts: ReadonlySet<string>;
  newId: () => string;
}

/**
 * Second half of the decision, inside the commit transaction: rows another worker finished are
 * left alone (`superseded`), a repeated low-stock alert and a suggestion over the user's hourly
 * limit become `already_alerted` / `rate_limited`, and the rest get their ids.
 */
export function decideCommit(plans: readonly Plan[], inputs: CommitInputs): Commit {
  const commit: Commit = { outcomes: new Map(), done: [], deferred: [], suggestions: [], system: [] };
  const used = new Map(inputs.rateCounts);
  const finish = (events: readonly ClaimedEvent[], reason: string, typeFor?: (e: ClaimedEvent) => string | null) => {
    for (const e of events) {
      commit.done.push({ id: e.id, outcome: reason, suggestionId: null, type: typeFor?.(e) ?? null });
      commit.outcomes.set(e.id, { kind: 'skipped', reason });
    }
  };
  for (const plan of plans) {
    if (plan.kind === 'defer') {
      for (const e of plan.events) {
        if (!inputs.writable(e)) commit.outcomes.set(e.id, { kind: 'superseded' });
        else {
          commit.deferred.push({ id: e.id, until: plan.until });
          commit.outcomes.set(e.id, { kind: 'deferred', until: plan.until });
        }
      }
    } else if (plan.kind === 'skip') {
      for (const e of plan.events) {
        if (inputs.writable(e)) finish([e], plan.reason);
        else commit.outcomes.set(e.id, { kind: 'superseded' });
      }
    } else if (plan.kind === 'system') {
      if (inputs.writable(plan.event)) commit.system.push(plan.event);
      else commit.outcomes.set(plan.event.id, { kind: 'superseded' });
    } else {
      const covered = plan.covered.filter(inputs.writable);
      if (!inputs.writable(plan.primary) || covered.length === 0) {
        for (const e of plan.covered) commit.outcomes.set(e.id, { kind: 'superseded' });
        continue;
      }
      if (inputs.repeatedAlerts.has(plan.primary.id)) {
        finish(covered, 'already_alerted');
        continue;
      }
      const rateKey = `${plan.primary.userId}|${plan.effectiveType}`;
      const made = used.get(rateKey) ?? 0;
      if (!withinRateLimit(plan.effectiveType, inputs.prefs.get(plan.primary.userId)!, made)) {
        finish(covered, 'rate_limited', (e) => (e.id === plan.primary.id ? plan.effectiveType : null));
        continue;
      }
      used.set(rateKey, made + 1);
      const suggestionId = inputs.newId();
      commit.suggestions.push({ plan, covered, runId: inputs.newId(), suggestionId });
      for (const e of covered) {
        const primary = e.id === plan.primary.id;
        commit.done.push({
          id: e.id,
          outcome: primary ? 'suggested' : plan.via,
          suggestionId,
          type: primary ? plan.effectiveType : null,
        });
        commit.outcomes.set(e.id, primary ? { kind: 'suggested', suggestionId } : { kind: 'covered', suggestionId });
      }
    }
  }
  return commit;
}

/** Every event a plan finishes or defers (claimed or a queued group member). */
export function eventsOf(plan: Plan): ClaimedEvent[] {
  return plan.kind === 'suggest' ? plan.covered : plan.kind === 'system' ? [plan.event] : plan.events;
}
