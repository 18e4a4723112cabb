import type pg from 'pg';
import type { Database } from '../../db/database.js';
import type { IntegrationRow } from '../../db/queries/integrations.js';
import { backoffMs } from '../../lib/backoff.js';
import type { Logger } from '../../lib/logger.js';
import type { SecretBox } from '../../lib/secretBox.js';
import type { GuardOptions } from '../../lib/urlGuard.js';
import { urlSource } from './connectActions.js';
import { ddlLogInstalled } from './ddlTrigger.js';
import { connectUserDatabase } from './userConnection.js';

/** The channel lookout.record_ddl() notifies (see ddlTrigger.ts). */
export const DDL_CHANNEL = 'lookout_ddl';

export type ListenerStatus = 'connecting' | 'listening' | 'no_trigger' | 'reconnecting' | 'stopped';

export interface DdlListenerDeps {
  /** Lookout's database: which integrations to listen for. */
  db: Database;
  secrets: SecretBox;
  guard: GuardOptions;
  log: Logger;
  /** Poll this integration now: the poll reads the DDL log from its cursor and stores the events. */
  pollSoon(integrationId: string): Promise<void>;
}

export interface DdlListenerOptions {
  /** How often the set of integrations is read again (new ones, removed ones, changed URLs). */
  reconcileMs?: number;
  /** A query on the idle connection, so a connection that died silently is noticed. */
  heartbeatMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

interface Listener {
  dbUrl: string;
  status: ListenerStatus;
  stop(): void;
  done: Promise<void>;
}

/**
 * Real-time schema events: for each active Supabase integration whose database has the DDL
 * trigger, one connection that LISTENs on `lookout_ddl`. A notification asks the poll loop to
 * poll that integration at once, so a schema change becomes an event within a second or two
 * instead of at the next period. On (re)connecting it polls too: whatever was recorded while it
 * was not listening is read then, so a dropped connection loses nothing (the log is the record;
 * the notification only says "read it now"). A dropped connection is retried with backoff.
 *
 * Each worker process listens for itself; the poll loop's claim keeps the polls single.
 */
export class DdlListeners {
  readonly name = 'supabase ddl listeners';
  readonly #opts: Required<DdlListenerOptions>;
  readonly #listeners = new Map<string, Listener>();
  /** Integrations whose trigger was just installed: listen before a poll has seen it. */
  readonly #wanted = new Set<string>();
  #timer?: NodeJS.Timeout;
  #running = false;
  #reconciling?: Promise<void>;

  constructor(
    private readonly deps: DdlListenerDeps,
    opts: DdlListenerOptions = {},
  ) {
    this.#opts = {
      reconcileMs: opts.reconcileMs ?? 30_000,
      heartbeatMs: opts.heartbeatMs ?? 30_000,
      backoffBaseMs: opts.backoffBaseMs ?? 1_000,
      backoffMaxMs: opts.backoffMaxMs ?? 60_000,
    };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.refresh();
    this.#timer = setInterval(() => this.refresh(), this.#opts.reconcileMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearInterval(this.#timer);
    await this.#reconciling;
    const all = [...this.#listeners.values()];
    this.#listeners.clear();
    for (const l of all) l.stop();
    await Promise.all(all.map((l) => l.done));
  }

  /** Reads the integrations again; `integrationId` is listened for even before a poll saw its trigger. */
  refresh(integrationId?: string): void {
    if (integrationId) {
      this.#wanted.add(integrationId);
      // A listener that found no trigger earlier looks again.
      const l = this.#listeners.get(integrationId);
      if (l?.status === 'no_trigger') this.#listeners.delete(integrationId);
    }
    if (!this.#running) return;
    const run = (this.#reconciling ?? Promise.resolve()).then(() => this.#reconcile());
    this.#reconciling = run.catch((err: unknown) =>
      this.deps.log.warn({ err }, 'could not read which Supabase integrations to listen for'),
    );
  }

  /** What the listener of an integration is doing (undefined: none). */
  status(integrationId: string): ListenerStatus | undefined {
    return this.#listeners.get(integrationId)?.status;
  }

  async #reconcile(): Promise<void> {
    if (!this.#running) return;
    const { rows } = await this.deps.db.query<IntegrationRow>(
      `select i.* from integrations i join users u on u.id = i.user_id
       where i.kind = 'supabase' and i.status = 'active' and u.loop_enabled and i.credentials is not null`,
    );
    const keep = new Set<string>();
    for (const row of rows) {
      const wanted = row.poll_state.ddlTrigger === true || this.#wanted.has(row.id);
      if (!wanted) continue;
      const dbUrl = this.deps.secrets.openJson<{ dbUrl?: string }>(row.credentials!).dbUrl;
      if (!dbUrl) continue;
      keep.add(row.id);
      const current = this.#listeners.get(row.id);
      // One that found no trigger looks again: a poll (or an install) has seen one since.
      if (current && current.dbUrl === dbUrl && current.status !== 'no_trigger') continue;
      current?.stop();
      this.#wanted.delete(row.id);
      if (!this.#running) return;
      this.#listeners.set(row.id, this.#listen(row, dbUrl));
    }
    for (const [id, l] of this.#listeners) {
      if (keep.has(id)) continue;
      l.stop();
      this.#listeners.delete(id);
    }
  }

  #listen(row: IntegrationRow, dbUrl: string): Listener {
    let stopped = false;
    let wakeStop: (() => void) | undefined;
    let client: pg.Client | undefined;
    const log = this.deps.log.child({ integrationId: row.id, component: 'ddl listener' });
    const listener: Listener = {
      dbUrl,
      status: 'connecting',
      stop: () => {
        stopped = true;
        listener.status = 'stopped';
        wakeStop?.();
        void client?.end().catch(() => {});
      },
      done: Promise.resolve(),
    };
    const pollSoon = () =>
      void this.deps.pollSoon(row.id).catch((err: unknown) => log.warn({ err }, 'could not schedule a poll'));

    const session = async (): Promise<'closed' | 'no_trigger'> => {
      client = await connectUserDatabase(dbUrl, urlSource(row, this.deps.guard), {
        application_name: 'lookout-ddl-listener',
        // The idle LISTEN session must not be cut by a statement timeout; heartbeats are bounded.
        statement_timeout: 10_000,
        query_timeout: 15_000,
      });
      const c = client;
      const closed = new Promise<void>((resolve) => {
        c.once('end', resolve);
        c.once('error', resolve);
        wakeStop = resolve;
      });
      if (stopped) return 'closed';
      const db = { query: async <R>(sql: string) => ({ rows: (await c.query(sql)).rows as R[], rowCount: 0 }) };
      if (!(await ddlLogInstalled(db))) return 'no_trigger';
      c.on('notification', (n) => {
        if (n.channel === DDL_CHANNEL) pollSoon();
      });
      await c.query(`listen ${DDL_CHANNEL}`);
      listener.status = 'listening';
      // What was recorded while nobody listened (before the first connection, or while reconnecting).
      pollSoon();
      const heartbeat = setInterval(() => {
        c.query('select 1').catch(() => void c.end().catch(() => {}));
      }, this.#opts.heartbeatMs);
      try {
        await closed;
      } finally {
        clearInterval(heartbeat);
      }
      return 'closed';
    };

    listener.done = (async () => {
      let attempt = 0;
      while (!stopped) {
        try {
          const outcome = await session();
          if (outcome === 'no_trigger') {
            listener.status = 'no_trigger';
            log.info('no DDL trigger in the database: schema changes are found by polling');
            return;
          }
          attempt = 0;
        } catch (err) {
          if (!stopped) log.warn({ err: err instanceof Error ? err.message : String(err) }, 'DDL listener failed');
        } finally {
          await client?.end().catch(() => {});
          client = undefined;
        }
        if (stopped) break;
        attempt += 1;
        listener.status = 'reconnecting';
        const delay = backoffMs(attempt, this.#opts.backoffBaseMs, this.#opts.backoffMaxMs);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wakeStop = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      listener.status = 'stopped';
    })();
    return listener;
  }
}
