import type { PayloadIssue } from './storablePayload.js';

/** What became of the events of one store() call (EventStore). */
export interface StoreResult {
  /** ids of newly stored events, in input order (undefined where it was a duplicate) */
  ids: Array<string | undefined>;
  inserted: number;
  duplicates: number;
  /** What jsonb could not hold, per event in input order (null where nothing): the row is flagged. */
  issues: Array<readonly PayloadIssue[] | null>;
}
