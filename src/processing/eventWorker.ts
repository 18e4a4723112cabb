import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { MAINTENANCE_STATEMENT_TIMEOUT_MS, type Unlisten } from '../db/database.js';
import { EVENTS_CHANNEL, type EventStore } from '../ingest/eventStore.js';
import { CLAIMED_COLUMNS, type ClaimedEvent, type ClaimedRow, toClaimed } from './claimedEvent.js';
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
}

/** Exponential backoff with jitter (50-100% of the step), so retries of a burst spread out. */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step * (0.5 + random() / 2));
}

/**
 * The worker of the durable inbox: claims due events with FOR UPDATE SKIP LOCKED under a lease,
 * processes them (processEvents), and on failure retries with backoff or, after maxAttempts,
 * moves them to `dead` with their last error. Any number of workers, in any number of
 * processes, share one queue: a claim is exclusive and a crashed worker's lease simply expires.
 */
export class EventWorker {
  readonly id: string;
  readonly #opts: Required<Omit<EventWorkerOptions, 'workerId'>>;
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
    };
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
        n = await this.runOnce();
      } catch (err) {
        this.deps.log.error({ err }, 'worker batch failed');
      }
      if (n < this.#opts.batchSize && !this.#stopped) await this.#idle();
    }
  }

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
    const { rows } = await this.deps.db.query<ClaimedRow>(
      `with due as (
         select id from background_events
         where status in ('pending', 'processing') and run_at <= now()
         order by run_at
         limit $1
         for update skip locked
       )
       update background_events e
       set status = 'processing', locked_by = $2, attempts = e.attempts + 1,
           locked_until = now() + make_interval(secs => $3::double precision / 1000),
           run_at = now() + make_interval(secs => $3::double precision / 1000)
       from due where e.id = due.id
       returning ${CLAIMED_COLUMNS}`,
      [this.#opts.batchSize, this.id, this.#opts.leaseMs],
    );
    return rows.map(toClaimed);
  }

  async #fail(e: ClaimedEvent, err: unknown): Promise<void> {
    const message = err instanceof Error ? err.message : String(err);
    const dead = e.attempts >= this.#opts.maxAttempts;
    this.deps.metrics.eventsFailed.inc({ type: e.eventType, final: String(dead) });
    this.deps.log.warn(
      { err, eventId: e.id, attempts: e.attempts, dead },
      dead ? 'event is dead' : 'event failed: will retry',
    );
    const delay = retryDelayMs(e.attempts, this.#opts.baseBackoffMs, this.#opts.maxBackoffMs);
    await this.deps.db
      .query(
        `update background_events
       set status = $3, last_error = $4, locked_by = null, locked_until = null,
           run_at = case when $3 = 'dead' then run_at else now() + make_interval(secs => $5::double precision / 1000) end
       where id = $1 and locked_by = $2`,
        [e.id, this.id, dead ? 'dead' : 'pending', message.slice(0, 2000), delay],
      )
      .catch((e2: unknown) =>
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
  const { rows } = await db.transaction(
    (tx) =>
      tx.query<{ id: string }>(
        `update background_events set status = 'pending', attempts = 0, run_at = now(), last_error = null, locked_by = null, locked_until = null
         where status = 'dead' and ($1::uuid[] is null or id = any($1::uuid[]))
         returning id`,
        ['ids' in which ? which.ids : null],
      ),
    { statementTimeoutMs: MAINTENANCE_STATEMENT_TIMEOUT_MS },
  );
  if (rows.length > 0) await db.notify(EVENTS_CHANNEL, String(rows.length));
  return rows.map((r) => r.id);
}
