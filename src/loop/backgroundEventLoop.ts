import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { IntegrationRow } from '../db/queries/integrations.js';
import { setLoopEnabled } from '../db/queries/users.js';
import type { NewEvent } from '../events/newEvent.js';
import type { EventStore } from '../ingest/eventStore.js';
import { backoffMs } from '../lib/backoff.js';
import type { Logger } from '../lib/logger.js';
import type { SecretBox } from '../lib/secretBox.js';
import type { GuardOptions } from '../lib/urlGuard.js';
import type { Metrics } from '../metrics.js';
import type { Poller } from './pollers.js';

export interface LoopDeps {
  db: Database;
  eventStore: EventStore;
  metrics: Metrics;
  log: Logger;
  config: Config;
  secrets: SecretBox;
  /** How user-supplied URLs are checked (see PollerDeps). */
  urlGuard?: GuardOptions;
  /** Pollers per integration kind: the composition root passes each source's (sources/index.ts). */
  pollers?: Readonly<Record<string, Poller>>;
}

export interface LoopOptions {
  /** Polls in flight at once in this process (I/O bound: one slow store must not hold others). */
  maxConcurrent?: number;
  /** How often the schedule is checked when nothing wakes the loop. */
  tickMs?: number;
  /** A claimed poll that has not finished after this is claimable again (crashed process). */
  claimLeaseS?: number;
  /** Bound on one poll. */
  pollTimeoutMs?: number;
  /** Cap of the error backoff. */
  maxBackoffS?: number;
}

export const POLLS_CHANNEL = 'lookout_polls';

/**
 * The seed's BackgroundEventLoop, made durable: the schedule is `integrations.next_poll_at`, and
 * any number of processes claim due integrations with FOR UPDATE SKIP LOCKED, so each integration
 * is polled once per period however many workers run, a failing store backs off on its own, and
 * a crashed process's claims expire. start(userId)/stop(userId) switch a user's loop in the
 * database; startForAllUsers() starts this process's share of the work.
 */
export class BackgroundEventLoop {
  readonly #opts: Required<LoopOptions>;
  readonly #pollers: Readonly<Record<string, Poller>>;
  #running = false;
  #inflight = 0;
  #loop?: Promise<void>;
  #wake?: () => void;
  #woken = false;
  #active = new Set<Promise<void>>();
  #unlisten?: () => Promise<void>;
  /** Integrations being polled by this process, and when each last asked for a poll. */
  readonly #polling = new Set<string>();
  readonly #asked = new Map<string, number>();

  constructor(
    private readonly deps: LoopDeps,
    opts: LoopOptions = {},
  ) {
    this.#opts = {
      maxConcurrent: opts.maxConcurrent ?? 32,
      tickMs: opts.tickMs ?? 500,
      claimLeaseS: opts.claimLeaseS ?? 300,
      pollTimeoutMs: opts.pollTimeoutMs ?? 60_000,
      maxBackoffS: opts.maxBackoffS ?? 3600,
    };
    this.#pollers = { ...deps.pollers };
  }

  /** Resumes a user's loop: their integrations are polled now and then every period. */
  async start(userId: string): Promise<void> {
    await setLoopEnabled(this.deps.db, userId, true);
    await this.deps.db.query(`update integrations set next_poll_at = now() where user_id = $1 and status = 'active'`, [
      userId,
    ]);
    await this.#announce();
  }

  /** Pauses a user's loop: no polls until start(userId). Webhooks are still stored. */
  async stop(userId: string): Promise<void> {
    await setLoopEnabled(this.deps.db, userId, false);
  }

  /** Starts this process's scheduler: it polls whatever is due, for every user whose loop is on. */
  async startForAllUsers(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    if (this.deps.db.engine === 'postgres')
      this.#unlisten = await this.deps.db.listen(POLLS_CHANNEL, () => this.wake());
    this.#loop = this.#run();
  }

  async stopAll(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    await this.#unlisten?.();
    this.wake();
    await this.#loop;
    await Promise.all(this.#active);
  }

  /** Something changed (a new integration): look at the schedule now. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  /** Polls one integration as soon as possible (a real-time signal); if it is being polled, once more after. */
  async pollSoon(integrationId: string): Promise<void> {
    this.#asked.set(integrationId, performance.now());
    // A poll that started before this signal may have read the log before the change it signals:
    // #launch polls once more when it ends.
    if (this.#polling.has(integrationId)) return;
    await this.deps.db.query(`update integrations set next_poll_at = now() where id = $1`, [integrationId]);
    this.wake();
  }

  async #announce(): Promise<void> {
    this.wake();
    if (this.deps.db.engine === 'postgres') await this.deps.db.notify(POLLS_CHANNEL, '');
  }

  /** Tells every process's loop that an integration was created or changed. */
  integrationChanged(): void {
    void this.#announce().catch((err: unknown) => this.deps.log.warn({ err }, 'could not announce the integration'));
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let claimed = 0;
      const room = this.#opts.maxConcurrent - this.#inflight;
      if (room > 0) {
        try {
          const due = await this.claimDue(room);
          claimed = due.length;
          for (const i of due) this.#launch(i);
        } catch (err) {
          this.deps.log.error({ err }, 'could not read the poll schedule');
        }
      }
      if (claimed > 0 && claimed === room) {
        // Full: wait for a slot rather than for the tick.
        await Promise.race([...this.#active, this.#sleep(this.#opts.tickMs)]);
      } else if (this.#running) {
        await this.#sleep(this.#opts.tickMs);
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        this.#woken = false;
        resolve();
      };
    });
  }

  #launch(i: IntegrationRow & { due_at: Date }): void {
    this.#inflight++;
    const launchedAt = performance.now();
    this.#polling.add(i.id);
    const p = this.pollIntegration(i, i.due_at).finally(() => {
      this.#inflight--;
      this.#active.delete(p);
      this.#polling.delete(i.id);
      const asked = this.#asked.get(i.id);
      this.#asked.delete(i.id);
      if (asked !== undefined && asked >= launchedAt) void this.pollSoon(i.id).catch(() => {});
      this.wake();
    });
    this.#active.add(p);
  }

  /** Claims up to `limit` due integrations of users whose loop is on; each is then leased to this process. */
  async claimDue(limit: number): Promise<Array<IntegrationRow & { due_at: Date }>> {
    const { rows } = await this.deps.db.query<IntegrationRow & { due_at: Date }>(
      `with due as (
         select i.id, i.next_poll_at from integrations i join users u on u.id = i.user_id
         where i.status = 'active' and u.loop_enabled and i.next_poll_at <= now()
         order by i.next_poll_at limit $1
         for update of i skip locked
       )
       update integrations i set next_poll_at = now() + make_interval(secs => $2)
       from due where i.id = due.id
       returning i.*, due.next_poll_at as due_at`,
      [limit, this.#opts.claimLeaseS],
    );
    return rows;
  }

  /** One poll of one integration: store what it found, keep its state, schedule the next. */
  async pollIntegration(i: IntegrationRow, dueAt?: Date): Promise<void> {
    const poller = Object.hasOwn(this.#pollers, i.kind) ? this.#pollers[i.kind] : undefined;
    if (dueAt)
      this.deps.metrics.pollLateness.observe({ kind: i.kind }, Math.max(0, Date.now() - dueAt.getTime()) / 1000);
    const interval = i.poll_interval_s ?? this.deps.config.pollIntervalS;
    try {
      if (!poller) throw new Error(`no poller for ${i.kind} integrations`);
      const outcome = await withTimeout(
        poller(i, this.deps),
        this.#opts.pollTimeoutMs,
        `poll of ${i.kind} integration ${i.id}`,
      );
      const events: NewEvent[] = outcome.events.map((e) => ({
        ...e,
        userId: i.user_id,
        integrationId: i.id,
        source: i.kind,
        via: 'poll',
      }));
      await this.deps.eventStore.store(events);
      await outcome.afterStore?.();
      await this.deps.db.query(
        `update integrations set poll_state = $2, last_poll_at = now(), last_poll_note = $3, last_poll_error = null,
         poll_failures = 0,
           next_poll_at = now() + make_interval(secs => $4::double precision), updated_at = now()
         where id = $1`,
        [i.id, JSON.stringify(outcome.state ?? {}), outcome.idle ?? null, jitter(interval)],
      );
      this.deps.metrics.polls.inc({ kind: i.kind, outcome: outcome.idle ? 'idle' : 'ok' });
    } catch (err) {
      const failures = i.poll_failures + 1;
      // Twice the period after a first failure, doubling up to the cap (jittered: see lib/backoff).
      const backoffS = backoffMs(failures + 1, interval * 1000, this.#opts.maxBackoffS * 1000) / 1000;
      this.deps.metrics.polls.inc({ kind: i.kind, outcome: 'error' });
      this.deps.log.warn({ err, integrationId: i.id, failures }, 'poll failed: backing off');
      await this.deps.db
        .query(
          `update integrations set poll_failures = $2, last_poll_error = $3, last_poll_at = now(),
           next_poll_at = now() + make_interval(secs => $4::double precision), updated_at = now()
         where id = $1`,
          [i.id, failures, (err instanceof Error ? err.message : String(err)).slice(0, 1000), backoffS],
        )
        .catch((e2: unknown) =>
          this.deps.log.error({ err: e2, integrationId: i.id }, 'could not record the poll failure'),
        );
    }
  }
}

/** ±10%: integrations created together drift apart instead of polling in lock-step forever. */
function jitter(seconds: number): number {
  return seconds * (0.9 + Math.random() * 0.2);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}
