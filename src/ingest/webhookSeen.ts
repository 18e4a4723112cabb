import type { Logger } from '../lib/logger.js';

/**
 * Records "last webhook at" per integration for the dashboard's health view without a write per
 * delivery: ids are collected and flushed at most once a second, off the request path.
 */
export class WebhookSeenTracker {
  readonly #pending = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (ids: string[]) => Promise<void>,
    private readonly log: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  mark(ids: string[]): void {
    for (const id of ids) this.#pending.add(id);
    this.#timer ??= setTimeout(() => void this.flush(), this.intervalMs);
    this.#timer.unref();
  }

  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size === 0) return;
    const ids = [...this.#pending];
    this.#pending.clear();
    await this.write(ids).catch((err: unknown) => this.log.warn({ err }, 'could not record webhook health'));
  }
}
