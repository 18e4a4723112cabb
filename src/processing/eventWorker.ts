import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MAINTENANCE_STATEMENT_TIMEOUT_MS, type Unlisten } from '../db/database.js';
import { EVENT_QUEUE } from '../db/leasedQueue.js';
import { EVENTS_CHANNEL, type EventStore } from '../ingest/eventStore.js';
import { backoffMs } from '../lib/backoff.js';
import { type ClaimedEvent, type ClaimedRow, claimedColumns, toClaimed } from './claimedEvent.js';
import { type ProcessingDeps, processEvents } from './processEvents.js';

export interface EventWorkerOptions {
  /** Events claimed per transaction. */
  batchSize?: number;
  /** How long a claim lasts: a worker that dies loses its events to others after this. */
  leaseMs?: number;
  /** Attempts before an event is dead. */
  maxAttempts?: number;
  /** The slow poll behind the wake-ups (NOTIFY, in-process): picks up deferred and retried events. */
  backstopMs?: number;
  /** Claim loops run in parallel in this process. */
  concurrency?: number;
  /** Base of the retry backoff; doubles per attempt, with jitter, up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  workerId?: string;
  /**
   * Ingest priority in a process that also serves webhooks: while this says ingest is busy, each
   * claim loop waits (at most maxYieldMs per batch, so processing never stops) before claiming.
   */
  yieldWhile?: () => boolean;
  maxYieldMs?: number;
}

/**
 * The worker of the durable inbox: claims due events with FOR UPDATE SKIP LOCKED under a lease,
 * processes them (processEvents), and on failure retries with backoff or, after maxAttempts,
 * moves them to `dead` with their last error. Any number of workers, in any number of
 * processes, share one queue: a claim is exclusive and a crashed worker's lease simply expires.
 */
export class EventWorker {
  readonly id: string;
  readonly #opts: Required<Omit<EventWorkerOptions, 'workerId' | 'yieldWhile'>>;
  readonly #yieldWhile: (() => boolean) | undefined;
  #stopped = true;
  #loops: Promise<void>[] = [];
  #wakers = new Set<() => void>();
  #pendingWake = false;
  #unlisten?: Unlisten;
  #offStored?: () => void;

  constructor(
    private readonly deps: ProcessingDeps & { eventStore?: EventStore },
    opts: EventWorkerOptions = {},
  ) {
    this.id = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#opts = {
      batchSize: opts.batchSize ?? 100,
      leaseMs: opts.leaseMs ?? 60_000,
      maxAttempts: opts.maxAttempts ?? 8,
      backstopMs: opts.backstopMs ?? 1_000,
      concurrency: opts.concurrency ?? (deps.db.engine === 'pglite' ? 1 : 2),
      baseBackoffMs: opts.baseBackoffMs ?? 2_000,
      maxBackoffMs: opts.maxBackoffMs ?? 15 * 60_000,
      maxYieldMs: opts.maxYieldMs ?? 250,
    };
    this.#yieldWhile = opts.yieldWhile;
  }

  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    // Wake-ups: the store's commit in this process, and NOTIFY from other processes' commits.
    this.#offStored = this.deps.eventStore?.onStored(() => this.wake());
    if (this.deps.db.engine === 'postgres')
      this.#unlisten = await this.deps.db.listen(EVENTS_CHANNEL, () => this.wake());
    this.#loops = Array.from({ length: this.#opts.concurrency }, () => this.#loop());
  }

  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#offStored?.();
    await this.#unlisten?.();
    this.wake();
    await Promise.all(this.#loops);
  }

  wake(): void {
    if (this.#wakers.size === 0) this.#pendingWake = true;
    for (const w of this.#wakers) w();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let n = 0;
      try {
        await this.#yieldToIngest();
        n = await this.runOnce();
      } catch (err) {
        this.deps.log.error({ err }, 'worker batch failed');
      }
      if (n < this.#opts.batchSize && !this.#stopped) await this.#idle();
    }
  }

  /** Waits while ingest is busy (yieldWhile), up to maxYieldMs: deliveries get the CPU and the pool first. */
  async #yieldToIngest(): Promise<void> {
    if (!this.#yieldWhile) return;
    const until = performance.now() + this.#opts.maxYieldMs;
    while (!this.#stopped && this.#yieldWhile() && performance.now() < until) {
      this.yielded++;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Times a claim loop waited for ingest (ingest priority); for benches and tests. */
  yielded = 0;

  #idle(): Promise<void> {
    if (this.#pendingWake) {
      this.#pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, this.#opts.backstopMs);
      this.#wakers.add(done);
    });
  }

  /** Claims one batch of due events and processes it; returns how many were claimed. */
  async runOnce(): Promise<number> {
    const events = await this.claim();
    if (events.length === 0) return 0;
    try {
      await processEvents(this.deps, events, this.id);
    } catch (err) {
      // One bad event must not hold back the others: retry them one by one to isolate it.
      if (events.length === 1) await this.#fail(events[0]!, err);
      else
        for (const e of events) await processEvents(this.deps, [e], this.id).catch((e2: unknown) => this.#fail(e, e2));
    }
    return events.length;
  }

  async claim(): Promise<ClaimedEvent[]> {
    const rows = await EVENT_QUEUE.claim<ClaimedRow>(this.deps.db, {
      limit: this.#opts.batchSize,
      workerId: this.id,
      leaseMs: this.#opts.leaseMs,
      now: this.#now(),
      returning: claimedColumns('q'),
    });
    return rows.map(toClaimed);
  }

  #now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  async #fail(e: ClaimedEvent, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const dead = e.attempts >= this.#opts.maxAttempts;
    this.deps.metrics.eventsFailed.inc({ type: e.eventType, final: String(dead) });
    this.deps.log.warn(
      { err, eventId: e.id, attempts: e.attempts, dead },
      dead ? 'event is dead' : 'event failed: will retry',
    );
    await EVENT_QUEUE.fail(this.deps.db, {
      id: e.id,
      workerId: this.id,
      attempts: e.attempts,
      maxAttempts: this.#opts.maxAttempts,
      error: message,
      retryInMs: backoffMs(e.attempts, this.#opts.baseBackoffMs, this.#opts.maxBackoffMs),
      now: this.#now(),
    }).catch((e2: unknown) =>
      this.deps.log.error({ err: e2, eventId: e.id }, 'could not record the failure: the lease will expire instead'),
    );
  }
}

/** Puts dead events back in the queue (after their cause is fixed). Returns the ids requeued. */
export async function replayEvents(
  db: ProcessingDeps['db'],
  which: { ids: string[] } | { allDead: true },
): Promise<string[]> {
  // Thousands of dead events may go back at once: bulk maintenance, with the longer bound.
  const ids = await db.transaction((tx) => EVENT_QUEUE.replay(tx, 'ids' in which ? which.ids : null, new Date()), {
    statementTimeoutMs: MAINTENANCE_STATEMENT_TIMEOUT_MS,
  });
  if (ids.length > 0) await db.notify(EVENTS_CHANNEL, String(ids.length));
  return ids;
}
