import type { Database } from '../db/database.js';
import { insertEvents } from '../db/queries/events.js';
import type { NewEvent } from '../events.js';
import type { Metrics } from '../metrics.js';

export interface StoreResult {
  /** ids of newly stored events, in input order (undefined where it was a duplicate) */
  ids: Array<string | undefined>;
  inserted: number;
  duplicates: number;
}

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
  events: readonly NewEvent[];
  resolve: (r: StoreResult) => void;
  reject: (e: unknown) => void;
}

/** Channel the worker listens on: a NOTIFY follows each commit that stored events. */
export const EVENTS_CHANNEL = 'lookout_events';

/**
 * The idempotent, batched store behind every webhook and poll (group commit): concurrent callers'
 * events share one INSERT (one commit), so a burst of deliveries costs a few commits rather
 * than one each. A caller's promise resolves only after its events are committed, so a 2xx is
 * never sent for an event that is not durable; if the commit fails every caller in it gets the error.
 */
export class EventStore {
  readonly #pending: Waiter[] = [];
  #inflight = 0;
  readonly #maxInflight: number;
  readonly #maxBatch: number;
  readonly #liveFeed: boolean;
  readonly #listeners = new Set<(stored: StoredEvent[]) => void>();

  constructor(
    private readonly db: Database,
    private readonly metrics?: Metrics,
    opts: { maxInflight?: number; maxBatch?: number; liveFeed?: boolean } = {},
  ) {
    this.#liveFeed = opts.liveFeed ?? false;
    // PGlite has a single connection: parallel inserts would only queue inside it.
    this.#maxInflight = opts.maxInflight ?? (db.engine === 'pglite' ? 1 : 4);
    this.#maxBatch = opts.maxBatch ?? 500;
  }

  /** Called after each commit that stored new events: the worker's wake-up, the live feed. */
  onStored(listener: (stored: StoredEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  store(events: readonly NewEvent[]): Promise<StoreResult> {
    if (events.length === 0) return Promise.resolve({ ids: [], inserted: 0, duplicates: 0 });
    return new Promise((resolve, reject) => {
      this.#pending.push({ events, resolve, reject });
      if (this.#inflight < this.#maxInflight) void this.#flush();
    });
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
      // One INSERT is atomic on its own: no BEGIN/COMMIT round trips. The worker's wake-up goes
      // after the commit, unawaited; its backstop poll covers a NOTIFY that is lost.
      const inserted = await insertEvents(this.db, all, { liveFeed: this.#liveFeed });
      if (inserted.length > 0) void this.db.notify(EVENTS_CHANNEL, String(inserted.length)).catch(() => {});
      this.metrics?.storeBatchSize.observe(all.length);
      const idByIndex = new Map(inserted.map((r) => [r.index, r.id]));
      let offset = 0;
      for (const w of batch) {
        const ids = w.events.map((_, i) => idByIndex.get(offset + i));
        offset += w.events.length;
        const n = ids.filter((id) => id !== undefined).length;
        w.events.forEach((e, i) => {
          if (ids[i] !== undefined)
            this.metrics?.eventsReceived.inc({ source: e.source, type: e.eventType, via: e.via });
          else this.metrics?.eventsDuplicate.inc({ source: e.source, via: e.via });
        });
        w.resolve({ ids, inserted: n, duplicates: w.events.length - n });
      }
      if (inserted.length > 0) {
        const stored = inserted.map((r) => ({
          id: r.id,
          userId: all[r.index]!.userId,
          eventType: all[r.index]!.eventType,
          source: all[r.index]!.source,
          stream: r.stream,
        }));
        for (const l of this.#listeners) l(stored);
      }
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      this.#inflight--;
      if (this.#pending.length > 0 && this.#inflight < this.#maxInflight) void this.#flush();
    }
  }
}
