import { PGlite, types } from '@electric-sql/pglite';
import type { Database, Queryable, QueryResult, Unlisten } from './database.js';
import { DatabaseUnavailableError } from './database.js';

type Results = { rows: unknown[]; affectedRows?: number };
type PGliteQueryable = { query<T>(sql: string, params?: unknown[]): Promise<Results & { rows: T[] }> };

function adapt(target: PGliteQueryable): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await target.query<R>(sql, params as unknown[]);
      // PGlite reports affectedRows 0 for a SELECT: count the rows it returned instead, as pg does.
      return { rows: res.rows as R[], rowCount: res.affectedRows || res.rows.length };
    },
  };
}

/**
 * Embedded PostgreSQL (WASM). One process owns a data folder: callers take the data-folder lock
 * (see dataDirLock.ts) before opening one. `dataDir` undefined means in memory (tests).
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  const pg = await PGlite.create(dataDir ?? 'memory://', {
    // Match node-postgres: int8 as string would surprise; we cast counts to int in SQL anyway.
    parsers: { [types.INT8]: (v: string) => v },
  });
  let closed = false;
  const guard = () => {
    if (closed) throw new DatabaseUnavailableError('PGlite is closed');
  };
  const base = adapt(pg as unknown as PGliteQueryable);
  return {
    engine: 'pglite',
    query(sql, params) {
      guard();
      return base.query(sql, params);
    },
    transaction(fn) {
      guard();
      return pg.transaction((tx) =>
        fn({
          ...adapt(tx as unknown as PGliteQueryable),
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        }),
      );
    },
    async exec(sql) {
      guard();
      await pg.exec(sql);
    },
    async listen(channel, onPayload): Promise<Unlisten> {
      guard();
      const unlisten = await pg.listen(channel, onPayload);
      return async () => {
        if (!closed) await unlisten();
      };
    },
    async notify(channel, payload) {
      guard();
      await pg.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async ping() {
      guard();
      await pg.query('select 1');
    },
    async close() {
      if (closed) return;
      closed = true;
      await pg.close();
    },
  };
}
