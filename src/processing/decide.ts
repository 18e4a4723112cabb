import type { Payload } from '../events/eventSpec.js';
import { type EventType, eventSpec, isEventType } from '../events/registry.js';
import type { Preferences } from '../preferences.js';

/**
 * Step 4 of the seed ("Should generate suggestion?") as pure functions over the event-type
 * registry (each type's spec in sources/<name>/eventTypes.ts) and the user's preferences: what an
 * event should become, how it coalesces, and the hourly rate limit.
 */

export type Coalescing =
  | { kind: 'none' }
  /** Updates to one object within the window make one suggestion from the latest state. */
  | { kind: 'debounce'; windowSeconds: number }
  /** A burst of one type (a bulk import) makes one summary once it has been quiet for the window. */
  | { kind: 'batch'; windowSeconds: number; minEvents: number };

/** Why an event makes no suggestion (its `outcome`). */
export type SkipReason = 'auto_suggest_off' | 'not_warranted' | 'filtered' | 'low_importance' | (string & {});

export type Verdict = { type: EventType } | { skip: SkipReason };

/**
 * What one event should become for this user: the type of the suggestion it warrants (a stored
 * type may become another: an inventory level at or below the threshold is low stock), or why
 * it makes none.
 */
export function judge(type: EventType, payload: Payload, prefs: Preferences): Verdict {
  if (!prefs.autoSuggest) return { skip: 'auto_suggest_off' };
  let effective = type;
  const becomes = eventSpec(type).becomes?.(payload, prefs);
  if (becomes) {
    if ('skip' in becomes) return becomes;
    if (!isEventType(becomes.type)) throw new Error(`${type} becomes ${becomes.type}, which has no spec`);
    effective = becomes.type;
  }
  if (!warrantsSuggestion(effective)) return { skip: 'not_warranted' };
  if (!passesFilters(effective, payload, prefs)) return { skip: 'filtered' };
  const min = prefs.filters.minImportance;
  if (min !== undefined && importanceScore(effective, payload) < min) return { skip: 'low_importance' };
  return { type: effective };
}

export function warrantsSuggestion(type: EventType): boolean {
  return eventSpec(type).handling === 'suggest';
}

/** Instructions processing acts on (compliance requests, an uninstall): never suggestions. */
export function isSystemType(type: EventType): boolean {
  return eventSpec(type).handling === 'system';
}

/**
 * A type judged into another (`becomes`) coalesces on the type it is stored as: every level of an
 * item joins the same debounce group, and the latest one decides, low or not.
 */
export function coalescesWhenSkipped(type: EventType): boolean {
  return eventSpec(type).becomes !== undefined;
}

export function coalescingFor(type: EventType, prefs: Preferences): Coalescing {
  const how = eventSpec(type).coalesce;
  if (how === 'debounce' && prefs.flow.debounceSeconds > 0)
    return { kind: 'debounce', windowSeconds: prefs.flow.debounceSeconds };
  if (how === 'batch' && prefs.flow.batchWindowSeconds > 0)
    return { kind: 'batch', windowSeconds: prefs.flow.batchWindowSeconds, minEvents: prefs.flow.batchMinEvents };
  return { kind: 'none' };
}

/** The rate limit counts the suggestions of a (user, type) made within this window. */
export const RATE_WINDOW_MS = 3_600_000;

export function rateLimitFor(type: string, prefs: Preferences): number {
  return prefs.flow.perType[type] ?? prefs.flow.maxPerTypePerHour;
}

/** The one rate-limit rule: another suggestion of this type is allowed while fewer were made in the window. */
export function withinRateLimit(type: string, prefs: Preferences, madeInWindow: number): boolean {
  return madeInWindow < rateLimitFor(type, prefs);
}

/** The user's filters: event types to include or exclude, then the type's own content filters. */
export function passesFilters(type: EventType, payload: Payload, prefs: Preferences): boolean {
  const f = prefs.filters;
  if (f.includeEventTypes?.length && !f.includeEventTypes.includes(type)) return false;
  if (f.excludeEventTypes?.includes(type)) return false;
  return eventSpec(type).filter?.(payload, f) ?? true;
}

/**
 * Importance 0-100: the type's base, raised by what makes an event matter more to a merchant
 * (an item out of stock, a large order) and lowered by what makes it matter less (a draft
 * product, a test order).
 */
export function importanceScore(type: EventType, payload: Payload): number {
  const spec = eventSpec(type);
  const score = spec.importance + (spec.adjustImportance?.(payload) ?? 0);
  return Math.max(0, Math.min(100, score));
}
