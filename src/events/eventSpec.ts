import type { Queryable } from '../db/database.js';
import type { Preferences } from '../preferences.js';
import type { EventTypeModule } from '../suggest/eventTypes/module.js';

/**
 * Everything Lookout knows about one event type, in one place: how it is shown, whether it
 * deserves a suggestion, how much it matters, which of the user's filters apply, how a burst of
 * them coalesces, and the suggestion that is written for it. Each source declares the specs of the
 * types it emits (sources/<name>/eventTypes.ts); the type names are those specs' keys, so a type
 * without a spec cannot exist, and decisions, generators, the prompt and the dashboard all read
 * the same entry.
 */
export interface EventSpec {
  /** Shown in the dashboard's feed and insights ("Product created"). */
  label: string;
  handling: Handling;
  /** 0-100 before the payload's adjustments; compared with the user's minimum importance. */
  importance: number;
  /** What makes one event of the type matter more or less (a sold-out item, a test order): added to `importance`. */
  adjustImportance?: (payload: Payload) => number;
  /** The user's content filters that apply to this type (product types, tables...): false filters it out. */
  filter?: (payload: Payload, filters: Preferences['filters']) => boolean;
  /**
   * How events of the type coalesce: `debounce` makes one suggestion per object (its subject) from
   * its latest state once it has been quiet for the user's debounce window; `batch` makes one
   * summary of a burst (a bulk import) once it has been quiet for the batch window.
   */
  coalesce: Coalesce;
  /** Payload fields `adjustImportance`, `filter` and `becomes` read: all that flow control loads for group members. */
  decisionFields?: readonly string[];
  /** The suggestion: context it needs, its facts, its offline template and its model task. */
  suggestion: EventTypeModule<unknown>;
  /**
   * A stored type that processing judges into another with the user's settings: an inventory level
   * is low stock when at or below the user's threshold. Returns the type it becomes, or why not.
   * Events of such a type coalesce on the stored type, so the latest of a burst decides.
   */
  becomes?: (payload: Payload, prefs: Preferences) => { type: string } | { skip: string };
  /**
   * For `system` types: what processing does, inside the transaction that completes the event
   * (a compliance redaction, say). Returns the event's outcome.
   */
  act?: (tx: Queryable, event: SystemEvent, payloadJson: string) => Promise<string>;
}

/** What a system action knows of its event. */
export interface SystemEvent {
  id: string;
  userId: string;
  integrationId: string | null;
  eventType: string;
}

export type Payload = Record<string, unknown>;

/** What processing makes of an event. */
export type Handling =
  /** Worth a suggestion, within the user's flow control. */
  | 'suggest'
  /** An instruction processing acts on (a compliance request, an uninstall): never a suggestion. */
  | 'system'
  /** Kept as history (a row change, a stock level): no suggestion of its own. */
  | 'keep';

export type Coalesce = 'none' | 'debounce' | 'batch';

/** The spec's suggestion module, typed loosely: each module keeps its own facts type. */
export const suggestionModule = <F>(m: EventTypeModule<F>): EventTypeModule<unknown> =>
  m as unknown as EventTypeModule<unknown>;

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
};
const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** Payload readers for the specs' small functions. */
export const read = { num, str };
