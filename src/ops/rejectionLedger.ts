import type { Queryable } from '../db/database.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../metrics.js';

/**
 * Carries this process's webhook rejections (lookout_webhook_rejected_total) into the database,
 * per minute, so the worker that evaluates alerts sees the refusals of every web process. It adds
 * what the counter gained since the last flush, every `everyMs`: a flood of bad deliveries costs
 * one upsert per flush, not a write per delivery.
 */
export class RejectionLedger {
  #flushed = 0;
  #timer?: NodeJS.Timeout;
  #running?: Promise<unknown>;

  constructor(
    private readonly deps: { db: Queryable; metrics: Metrics; log: Logger; clock?: () => Date },
    private readonly everyMs = 10_000,
  ) {}

  start(): void {
    this.#timer ??= setInterval(() => {
      this.#running ??= this.flush()
        .catch((err: unknown) => this.deps.log.warn({ err }, 'could not record webhook rejections'))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.everyMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
    await this.flush().catch((err: unknown) => this.deps.log.warn({ err }, 'could not record webhook rejections'));
  }

  /** Records the rejections counted since the last flush; returns how many. */
  async flush(): Promise<number> {
    const { values } = await this.deps.metrics.deliveriesRejected.get();
    const total = values.reduce((sum, v) => sum + v.value, 0);
    const delta = total - this.#flushed;
    if (delta <= 0) return 0;
    const now = this.deps.clock?.() ?? new Date();
    // Counted as flushed before the write, so a concurrent flush does not add the same rejections.
    this.#flushed = total;
    try {
      await this.deps.db.query(
        `insert into webhook_rejection_counts (minute, rejected) values (date_trunc('minute', $1::timestamptz), $2)
       on conflict (minute) do update set rejected = webhook_rejection_counts.rejected + excluded.rejected`,
        [now, delta],
      );
    } catch (err) {
      this.#flushed -= delta;
      throw err;
    }
    return delta;
  }
}
