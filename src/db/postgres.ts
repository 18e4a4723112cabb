import pg from 'pg';
import {
  type Database,
  DatabaseUnavailableError,
  isUnavailable,
  type QueryResult,
  type TransactionOptions,
  type Unlisten,
} from './database.js';

// int8 as string (never a lossy number); counts are cast to int in SQL.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
/**
 * PostgreSQL ends a session left idle inside a transaction this long: a process that lost its
 * connection mid-transaction (or froze) cannot hold row and advisory locks for hours.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;
/** TCP keepalive on every connection, so a peer that vanished without a reset is noticed. */
const KEEPALIVE_DELAY_MS = 10_000;

export interface PostgresOptions {
  connectionString: string;
  /** Pool size per process. */
  max?: number;
  applicationName?: string;
  /** Bound on opening one connection (ms). */
  connectTimeoutMs?: number;
  /**
   * Bound on one database call (ms): waiting for a free connection plus running the statement.
   * The client gives up at this bound (a frozen connection never answers) and PostgreSQL cancels
   * the statement at the same bound (statement_timeout). 0: no bound. Transactions that need
   * longer statements say so (TransactionOptions.statementTimeoutMs).
   */
  statementTimeoutMs?: number;
  /** Hears every lost connection (logged by the caller); the pool replaces it on the next call. */
  onConnectionError?: (err: Error, connection: 'pool' | 'listen') => void;
}

/** Rejects with DatabaseUnavailableError at `deadlineAt` (epoch ms) unless `op` settles first. */
function within<T>(op: Promise<T>, deadlineAt: number | undefined, what: string): Promise<T> {
  if (deadlineAt === undefined) return op;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseUnavailableError(`${what}: no answer from the database in time`)),
      Math.max(0, deadlineAt - Date.now()),
    );
  });
  // The losing side of the race must not become an unhandled rejection.
  op.catch(() => {});
  return Promise.race([op, expired]).finally(() => clearTimeout(timer));
}

/**
 * A checked-out connection. It listens for 'error' for as long as it is out of the pool (a
 * connection that drops between two statements of a transaction emits one, and an 'error' event
 * nobody listens to ends the process), and it goes back to the pool only if it is still sound:
 * after a lost connection or a statement that ran past its deadline it is destroyed instead.
 * node-postgres (8.x) leaves a client whose query hit a timeout with that query still active, so
 * such a client must never be reused.
 */
class Lease {
  #unfit: Error | undefined;
  readonly #onError: (err: Error) => void;

  constructor(
    readonly client: pg.PoolClient,
    onConnectionError: (err: Error) => void,
  ) {
    this.#onError = (err) => {
      if (!this.#unfit) onConnectionError(err);
      this.#unfit ??= err;
    };
    client.on('error', this.#onError);
  }

  get unfit(): boolean {
    return this.#unfit !== undefined;
  }

  async query(sql: string, params: readonly unknown[] | undefined, deadlineAt: number | undefined) {
    try {
      return await within(this.client.query(sql, params as unknown[] | undefined), deadlineAt, 'statement');
    } catch (err) {
      // An error the server sent (a statement it cancelled, a constraint) leaves the connection
      // usable; a connection-level failure or our own deadline does not.
      if (isUnavailable(err) && !(err instanceof pg.DatabaseError))
        this.#unfit ??= err instanceof Error ? err : new Error(String(err));
      throw err;
    }
  }

  /** Back to the pool; an unfit connection is closed (its socket destroyed) instead. */
  release(): void {
    this.client.off('error', this.#onError);
    this.client.release(this.#unfit);
  }
}

export async function openPostgres(opts: PostgresOptions): Promise<Database> {
  const statementTimeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  const connectTimeoutMs = opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const onConnectionError = opts.onConnectionError ?? (() => {});
  const connection = {
    connectionString: opts.connectionString,
    connectionTimeoutMillis: connectTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
  };
  const pool = new pg.Pool({
    ...connection,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'lookout',
    idleTimeoutMillis: 30_000,
    ...(statementTimeoutMs > 0 ? { statement_timeout: statementTimeoutMs } : {}),
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  // An idle connection that dies (server restart, network cut) is dropped by the pool; the next
  // call opens a new one. Without this listener the 'error' event would end the process.
  pool.on('error', (err) => onConnectionError(err, 'pool'));

  const deadline = (ms: number) => (ms > 0 ? Date.now() + ms : undefined);

  /** A connection from the pool before `deadlineAt`; one that arrives after the caller gave up goes straight back. */
  const checkout = async (deadlineAt: number | undefined): Promise<Lease> => {
    const pending = pool.connect();
    try {
      const client = await within(pending, deadlineAt, 'connection');
      return new Lease(client, (err) => onConnectionError(err, 'pool'));
    } catch (err) {
      pending.then(
        (late) => late.release(),
        () => {},
      );
      throw err;
    }
  };

  /** One call on a pooled connection: the checkout and the statement share one deadline. */
  const call = async (sql: string, params?: readonly unknown[]) => {
    const deadlineAt = deadline(statementTimeoutMs);
    const lease = await checkout(deadlineAt);
    try {
      return await lease.query(sql, params, deadlineAt);
    } finally {
      lease.release();
    }
  };
  const query = async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const res = await call(sql, params);
    return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
  };

  // One dedicated connection carries every LISTEN of this process, reconnected when it drops.
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let listener: pg.Client | undefined;
  let listenerReady: Promise<pg.Client> | undefined;
  let closed = false;

  /** The LISTEN connection is gone or hung: close it, and subscribe again on a new one. */
  const dropListener = (client: pg.Client) => {
    client.end().catch(() => {});
    if (listener !== client) return;
    listener = undefined;
    listenerReady = undefined;
    if (!closed && handlers.size > 0) setTimeout(() => void resubscribe(), 1_000).unref();
  };
  const connectListener = (): Promise<pg.Client> => {
    listenerReady ??= (async () => {
      const client = new pg.Client({
        ...connection,
        application_name: `${opts.applicationName ?? 'lookout'}-listen`,
      });
      client.on('notification', (msg) => {
        for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      let failed = false;
      client.on('error', (err) => {
        if (failed) return;
        failed = true;
        onConnectionError(err, 'listen');
        dropListener(client);
      });
      try {
        await within(client.connect(), deadline(connectTimeoutMs), 'listen connection');
      } catch (err) {
        failed = true;
        client.end().catch(() => {});
        throw err;
      }
      listener = client;
      return client;
    })().catch((err) => {
      listenerReady = undefined;
      throw err;
    });
    return listenerReady;
  };
  /** LISTEN on the dedicated connection; a connection that does not answer in time is replaced. */
  const listenOn = async (client: pg.Client, sql: string) => {
    try {
      await within(client.query(sql), deadline(statementTimeoutMs), 'LISTEN');
    } catch (err) {
      dropListener(client);
      throw err;
    }
  };
  const resubscribe = async () => {
    try {
      const client = await connectListener();
      for (const channel of handlers.keys()) await listenOn(client, `LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      if (!closed) setTimeout(() => void resubscribe(), 2_000).unref();
    }
  };

  return {
    engine: 'postgres',
    query,
    async transaction(fn, txOpts: TransactionOptions = {}) {
      const limitMs = txOpts.statementTimeoutMs ?? statementTimeoutMs;
      // Waiting for a connection is bounded by the default whatever the transaction's statements need.
      const lease = await checkout(deadline(statementTimeoutMs));
      const run = (sql: string, params?: readonly unknown[]) => lease.query(sql, params, deadline(limitMs));
      try {
        await run(limitMs === statementTimeoutMs ? 'begin' : `begin; set local statement_timeout = ${Number(limitMs)}`);
        const result = await fn({
          async query<R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
            const res = await run(sql, params);
            return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
          },
          exec: async (sql: string) => {
            await run(sql);
          },
        });
        await run('commit');
        return result;
      } catch (err) {
        // A connection that is gone or hung cannot roll back: destroying it ends the transaction.
        if (!lease.unfit) await lease.query('rollback', undefined, deadline(statementTimeoutMs)).catch(() => {});
        throw err;
      } finally {
        lease.release();
      }
    },
    async exec(sql) {
      // A script of several statements answers with one result per statement: none is needed.
      await call(sql);
    },
    async listen(channel, onPayload): Promise<Unlisten> {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        try {
          await listenOn(await connectListener(), `LISTEN ${pg.escapeIdentifier(channel)}`);
        } catch (err) {
          handlers.delete(channel);
          throw err;
        }
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          const client = listener;
          if (client) await listenOn(client, `UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        }
      };
    },
    async notify(channel, payload) {
      await query('select pg_notify($1, $2)', [channel, payload]);
    },
    async ping() {
      await query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
