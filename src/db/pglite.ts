import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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
 * PostgreSQL settings of the embedded database, after PGlite's own. shared_buffers: PostgreSQL's
 * default of 128 MB is touched at start, so it is resident in the WASM heap even when idle; the
 * data folder's files are in the operating system's page cache anyway, and 32 MB measured the
 * same ingest speed with about 100 MB less resident memory (bench/memory). Durability settings
 * are PGlite's own, unchanged.
 */
export const PGLITE_SETTINGS = ['-c', 'shared_buffers=32MB'];

/** PGlite with Lookout's settings; creates the database (initdb) when `dataDir` holds none. */
export function createPglite(dataDir: string): Promise<PGlite> {
  return PGlite.create(dataDir, {
    // Match node-postgres: int8 as string would surprise; we cast counts to int in SQL anyway.
    parsers: { [types.INT8]: (v: string) => v },
    startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
  });
}

const CREATE_SCRIPT = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? './pgliteCreate.ts' : './pgliteCreate.js', import.meta.url),
);

const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The module loaders among node's flags (tsx under tests and benches): the child needs them to run
 * a .ts script. Nothing else: `-e CODE` would run the caller's code again, `--inspect` its port.
 */
export function loaderArgs(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const flag = arg.split('=')[0]!;
    if (!LOADER_FLAGS.has(flag)) continue;
    if (arg.includes('=')) out.push(arg);
    else if (i + 1 < execArgv.length) out.push(arg, execArgv[++i]!);
  }
  return out;
}

/** Runs initdb for `dataDir` in a child process (see pgliteCreate.ts for why). */
async function createInChild(dataDir: string): Promise<void> {
  try {
    await promisify(execFile)(process.execPath, [...loaderArgs(process.execArgv), CREATE_SCRIPT, dataDir], {
      timeout: 10 * 60_000,
    });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    // The child's error line (node prints the source line and the stack around it).
    const lines = (e.stderr ?? '').split('\n').map((l) => l.trim());
    const reason = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.filter(Boolean).join(' ').slice(0, 500);
    throw new Error(`could not create the embedded database in ${dataDir}: ${reason || e.message}`);
  }
}

/**
 * Embedded PostgreSQL (WASM). One process owns a data folder: callers take the data-folder lock
 * (see dataDirLock.ts) before opening one. `dataDir` undefined means in memory (tests).
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) await createInChild(dataDir);
  const pg = await createPglite(dataDir ?? 'memory://');
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
