import pg from 'pg';
import type { Database, Queryable, QueryResult, Unlisten } from './database.js';

// int8 as string (never a lossy number); counts are cast to int in SQL.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => v);

export interface PostgresOptions {
  connectionString: string;
  /** Pool size per process. */
  max?: number;
  applicationName?: string;
}

function adapt(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await client.query(sql, params as unknown[]);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
    },
  };
}

export async function openPostgres(opts: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'lookout',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client that dies (server restart) must not crash the process; the next query reconnects.
  pool.on('error', () => {});

  // One dedicated connection carries every LISTEN of this process, reconnected when it drops.
  const handlers = new Map<string, Set<(payload: string) => void>>();
  let listener: pg.Client | undefined;
  let listenerReady: Promise<pg.Client> | undefined;
  let closed = false;

  const connectListener = (): Promise<pg.Client> => {
    listenerReady ??= (async () => {
      const client = new pg.Client({
        connectionString: opts.connectionString,
        application_name: `${opts.applicationName ?? 'lookout'}-listen`,
      });
      client.on('notification', (msg) => {
        for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      client.on('error', () => {
        listener = undefined;
        listenerReady = undefined;
        if (!closed && handlers.size > 0) setTimeout(() => void resubscribe(), 1_000).unref();
      });
      await client.connect();
      listener = client;
      return client;
    })().catch((err) => {
      listenerReady = undefined;
      throw err;
    });
    return listenerReady;
  };
  const resubscribe = async () => {
    try {
      const client = await connectListener();
      for (const channel of handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      if (!closed) setTimeout(() => void resubscribe(), 2_000).unref();
    }
  };

  const base = adapt(pool);
  return {
    engine: 'postgres',
    query: base.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          ...adapt(client),
          exec: async (sql: string) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async listen(channel, onPayload): Promise<Unlisten> {
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        const client = await connectListener();
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
        if (set.size === 0 && handlers.get(channel) === set) {
          handlers.delete(channel);
          await listener?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        }
      };
    },
    async notify(channel, payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async ping() {
      await pool.query('select 1');
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
