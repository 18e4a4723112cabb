import type { Database } from '../db/database.js';
import {
  buildExistingEvents,
  buildInsertEvents,
  type InsertedEvent,
  type InsertedRow,
  matchExisting,
  matchInserted,
  type StorableEvent,
} from '../db/queries/events.js';
import type { NewEvent } from '../events/newEvent.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../metrics.js';
import { type PayloadIssue, timestampHolds, toStorableJson } from './storablePayload.js';
import { fromStorage, StorageError, StoreOverloadedError } from './storeErrors.js';
import type { StoreResult } from './storeResult.js';

export type { StoreResult } from './storeResult.js';

/** A newly committed event, as listeners hear of it. */
export interface StoredEvent {
  id: string;
  userId: string;
  eventType: string;
  source: string;
  /** Its live-feed message, written in the same statement (EventStore's liveFeed option). */
  stream?: { streamId: string; createdAt: Date; data: Record<string, unknown> };
}

interface Waiter {
  events: readonly PreparedEvent[];
  resolve: (r: StoreResult) => void;
  reject: (e: unknown) => void;
}

interface PreparedEvent extends StorableEvent {
  payloadIssues: PayloadIssue[] | null;
}

/** What became of one event of a group commit. */
type Outcome =
  | { kind: 'stored'; inserted: InsertedEvent; event: PreparedEvent }
  | { kind: 'duplicate' }
  | { kind: 'failed'; error: StorageError };

/** Channel the worker listens on: a NOTIFY follows each commit that stored events. */
export const EVENTS_CHANNEL = 'lookout_events';

export interface EventStoreOptions {
  /** Group commits in flight at once (PGlite: 1, PostgreSQL: 4). */
  maxInflight?: number;
  /** Events per group commit. */
  maxBatch?: number;
  liveFeed?: boolean;
  /** Load shedding: admit() refuses once the oldest unanswered delivery has waited this long. */
  maxWaitMs?: number;
  /** Load shedding: admit() refuses once this many admitted deliveries are unanswered. */
  maxPending?: number;
  log?: Logger;
  /** Milliseconds, monotonic (tests may inject one). */
  now?: () => number;
}

/** Error codes a single row can cause (its data, a constraint on it, a limit it hits): isolate it. */
const ROW_CAUSED_CLASSES = new Set(['22', '23', '54']);

function rowCaused(err: StorageError): boolean {
  return typeof err.code === 'string' && /^[0-9A-Z]{5}$/.test(err.code) && ROW_CAUSED_CLASSES.has(err.code.slice(0, 2));
}

/**
 * The idempotent, batched store behind every webhook and poll (group commit): concurrent callers'
 * events share one INSERT (one commit), so a burst of deliveries costs a few commits rather
 * than one each. A caller's promise resolves only after its events are committed (or found already
 * stored), so a 2xx is never sent for an event that is not durable.
 *
 * One bad event must not fail the others it shares a commit with. Payloads are made storable
 * before the INSERT (storablePayload.ts: what jsonb and timestamptz cannot hold is kept as raw
 * text beside a sanitised copy); and if the database still refuses a group commit for a reason a
 * single row can cause (a data exception, a constraint, a limit), the group is split in halves
 * and retried until the culprit is alone. The others commit; the culprit is stored once more with
 * an empty jsonb copy and its raw text, and only if that too is refused does it fail, alone.
 * Failures of the database itself (unreachable, read-only, timeouts...) fail every caller of the
 * group with a StorageError, which ingest answers with 503.
 */
export class EventStore {
  readonly #pending: Waiter[] = [];
  /** Every unanswered store() call, oldest first (Set iteration follows insertion). */
  readonly #unanswered = new Set<{ since: number }>();
  /** Deliveries admitted by admit() and not yet answered, oldest first. */
  readonly #admitted = new Set<{ since: number }>();
  #inflight = 0;
  readonly #maxInflight: number;
  readonly #maxBatch: number;
  readonly #liveFeed: boolean;
  readonly #maxWaitMs: number;
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #log: Logger | undefined;
  readonly #listeners = new Set<(stored: StoredEvent[]) => void>();

  constructor(
    private readonly db: Database,
    private readonly metrics?: Metrics,
    opts: EventStoreOptions = {},
  ) {
    this.#liveFeed = opts.liveFeed ?? false;
    // PGlite has a single connection: parallel inserts would only queue inside it.
    this.#maxInflight = opts.maxInflight ?? (db.engine === 'pglite' ? 1 : 4);
    this.#maxBatch = opts.maxBatch ?? 500;
    this.#maxWaitMs = opts.maxWaitMs ?? Number.POSITIVE_INFINITY;
    this.#maxPending = opts.maxPending ?? Number.POSITIVE_INFINITY;
    this.#now = opts.now ?? (() => performance.now());
    this.#log = opts.log;
  }

  /** Called after each commit that stored new events: the worker's wake-up, the live feed. */
  onStored(listener: (stored: StoredEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Load shedding for deliveries that can be retried (webhooks): call before doing any work for a
   * delivery, and call the returned release when it is answered. Throws StoreOverloadedError at
   * once when `maxPending` admitted deliveries are unanswered, or when the oldest unanswered one
   * (admitted delivery, or any store() call, polls included) has waited `maxWaitMs`: the sender
   * hears "retry later" now instead of after its own timeout, which would add a retry to the load.
   */
  admit(): () => void {
    const reason = this.overloaded();
    if (reason) throw new StoreOverloadedError(reason);
    const ticket = { since: this.#now() };
    this.#admitted.add(ticket);
    return () => {
      this.#admitted.delete(ticket);
    };
  }

  /** Why new deliveries would be refused now, or undefined. */
  overloaded(): string | undefined {
    if (this.#admitted.size >= this.#maxPending)
      return `${this.#admitted.size} deliveries are waiting to be stored (bound ${this.#maxPending})`;
    const waited = this.oldestWaitMs();
    if (waited >= this.#maxWaitMs)
      return `the oldest delivery has waited ${Math.round(waited)} ms to be stored (bound ${this.#maxWaitMs} ms)`;
    return undefined;
  }

  /** How long the oldest unanswered delivery or store() call has been waiting, in ms (0 if none). */
  oldestWaitMs(): number {
    const oldest = (s: Set<{ since: number }>) => s.values().next().value?.since;
    const since = [oldest(this.#admitted), oldest(this.#unanswered)].filter((t): t is number => t !== undefined);
    return since.length === 0 ? 0 : this.#now() - Math.min(...since);
  }

  store(events: readonly NewEvent[]): Promise<StoreResult> {
    if (events.length === 0) return Promise.resolve({ ids: [], inserted: 0, duplicates: 0, issues: [] });
    const prepared = events.map(prepare);
    const entry = { since: this.#now() };
    this.#unanswered.add(entry);
    return new Promise<StoreResult>((resolve, reject) => {
      this.#pending.push({ events: prepared, resolve, reject });
      if (this.#inflight < this.#maxInflight) void this.#flush();
    }).finally(() => this.#unanswered.delete(entry));
  }

  async #flush(): Promise<void> {
    const batch: Waiter[] = [];
    let size = 0;
    while (
      this.#pending.length > 0 &&
      (batch.length === 0 || size + this.#pending[0]!.events.length <= this.#maxBatch)
    ) {
      const w = this.#pending.shift()!;
      batch.push(w);
      size += w.events.length;
    }
    if (batch.length === 0) return;
    this.#inflight++;
    try {
      const all = batch.flatMap((w) => w.events);
      const outcomes = await this.#commit(all);
      this.metrics?.storeBatchSize.observe(all.length);
      const stored = outcomes.flatMap((o) => (o.kind === 'stored' ? [o] : []));
      // The worker's wake-up goes after the commit, unawaited; its backstop poll covers a lost NOTIFY.
      if (stored.length > 0) void this.db.notify(EVENTS_CHANNEL, String(stored.length)).catch(() => {});
      let offset = 0;
      for (const w of batch) {
        const mine = outcomes.slice(offset, offset + w.events.length);
        offset += w.events.length;
        const failed = mine.find((o) => o.kind === 'failed');
        if (failed) {
          w.reject(failed.error);
          continue;
        }
        const ids = mine.map((o) => (o.kind === 'stored' ? o.inserted.id : undefined));
        w.events.forEach((e, i) => {
          if (ids[i] !== undefined) {
            this.metrics?.eventsReceived.inc({ source: e.source, type: e.eventType, via: e.via });
            for (const issue of e.payloadIssues ?? []) this.metrics?.eventsFlagged.inc({ source: e.source, issue });
          } else this.metrics?.eventsDuplicate.inc({ source: e.source, via: e.via });
        });
        const n = ids.filter((id) => id !== undefined).length;
        w.resolve({
          ids,
          inserted: n,
          duplicates: w.events.length - n,
          issues: mine.map((o, i) => (o.kind === 'stored' ? o.event.payloadIssues : w.events[i]!.payloadIssues)),
        });
      }
      if (stored.length > 0) {
        const announced = stored.map(({ inserted, event }) => ({
          id: inserted.id,
          userId: event.userId,
          eventType: event.eventType,
          source: event.source,
          stream: inserted.stream,
        }));
        for (const l of this.#listeners) l(announced);
      }
    } catch (err) {
      // Not a refusal of the database (those are outcomes): a bug, which every caller hears of.
      for (const w of batch) w.reject(err);
    } finally {
      this.#inflight--;
      if (this.#pending.length > 0 && this.#inflight < this.#maxInflight) void this.#flush();
    }
  }

  /** Stores `events`, isolating rows the database refuses (see the class comment). */
  async #commit(events: readonly PreparedEvent[]): Promise<Outcome[]> {
    try {
      return await this.#insertAndVerify(events);
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      if (!rowCaused(err)) return events.map(() => ({ kind: 'failed', error: err }));
      if (events.length === 1) return [await this.#storeUnreadable(events[0]!, err)];
      const mid = Math.ceil(events.length / 2);
      const left = await this.#commit(events.slice(0, mid));
      const right = await this.#commit(events.slice(mid));
      return [...left, ...right];
    }
  }

  /**
   * One INSERT, then, for every event it did not insert, a look for the row that made it a
   * duplicate: an event is "duplicate" only when that row exists. (PGlite once answered an INSERT
   * with neither rows nor an error; see MAX_PAYLOAD_DEPTH.)
   */
  async #insertAndVerify(events: readonly PreparedEvent[]): Promise<Outcome[]> {
    const insert = buildInsertEvents(events, { liveFeed: this.#liveFeed });
    const { rows } = await fromStorage(() => this.db.query<InsertedRow>(insert.sql, insert.params));
    const inserted = new Map(matchInserted(events, rows).map((r) => [r.index, r]));
    const missing = events.filter((_, i) => !inserted.has(i));
    let exists: boolean[] = [];
    if (missing.length > 0) {
      const check = buildExistingEvents(missing);
      const found = await fromStorage(() =>
        this.db.query<{ user_id: string; source: string; dedupe_key: string }>(check.sql, check.params),
      );
      exists = matchExisting(missing, found.rows);
    }
    let m = 0;
    return events.map((event, i): Outcome => {
      const row = inserted.get(i);
      if (row) return { kind: 'stored', inserted: row, event };
      if (exists[m++]) return { kind: 'duplicate' };
      return {
        kind: 'failed',
        error: new StorageError('the database neither stored the event nor holds an earlier copy of it'),
      };
    });
  }

  /**
   * The last resort for an event the database refused alone: store its exact text with an empty
   * jsonb copy, so the event is kept (and visible, flagged) rather than refused again at every
   * retry. If that is refused too, the row itself is the problem (its user was deleted, a
   * constraint on its key) and the event fails with the database's error: a 503, alone.
   */
  async #storeUnreadable(event: PreparedEvent, refusal: StorageError): Promise<Outcome> {
    this.#log?.warn(
      { code: refusal.code, source: event.source, eventType: event.eventType },
      'the database refused one event of a group commit: storing its raw text with an empty jsonb copy',
    );
    const issues: PayloadIssue[] = [...(event.payloadIssues ?? []), 'rejected_by_database'];
    const fallback: PreparedEvent = {
      ...event,
      storedJson: '{}',
      rawJson: event.eventDataJson,
      payloadIssues: [...new Set(issues)],
    };
    try {
      const [outcome] = await this.#insertAndVerify([fallback]);
      return outcome!;
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      this.#log?.warn(
        { code: err.code, source: event.source },
        'the database refused the event even without its payload',
      );
      return { kind: 'failed', error: err };
    }
  }
}

/** Makes an event storable: its payload and timestamp in forms PostgreSQL accepts (see storablePayload.ts). */
function prepare(e: NewEvent): PreparedEvent {
  const { json, issues } = toStorableJson(e.eventDataJson);
  const allIssues: PayloadIssue[] = [...issues];
  let eventTimestamp = e.eventTimestamp;
  if (!timestampHolds(eventTimestamp)) {
    eventTimestamp = new Date();
    allIssues.push('event_timestamp_out_of_range');
  }
  return {
    ...e,
    eventTimestamp,
    storedJson: json,
    rawJson: json === e.eventDataJson ? null : e.eventDataJson,
    payloadIssues: allIssues.length > 0 ? allIssues : null,
  };
}
