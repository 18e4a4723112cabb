import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const POSTGRES_AVAILABLE = process.env.LOOKOUT_TEST_POSTGRES === '1';

export interface EngineFixture {
  engine: 'pglite' | 'postgres';
  /** Migrated, empty, private to this describe block. */
  db: Database;
  /** For PostgreSQL: the URL of this block's own database (child processes, second pools). */
  url?: string;
}

/** Creates a fresh PostgreSQL database; returns its URL and a dropper. */
export async function createScratchDatabase(prefix = 'lookout_t'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Declares the same suite once per engine: PGlite always, PostgreSQL when the runner found one.
 * Each engine gets its own freshly migrated database, dropped afterwards.
 */
export function describeEachEngine(name: string, suite: (fx: EngineFixture) => void): void {
  const engines: Array<'pglite' | 'postgres'> = POSTGRES_AVAILABLE ? ['pglite', 'postgres'] : ['pglite'];
  for (const engine of engines) {
    describe(`${name} [${engine}]`, () => {
      const fx = { engine } as EngineFixture;
      let drop: (() => Promise<void>) | undefined;
      before(async () => {
        if (engine === 'pglite') {
          fx.db = await openPglite();
        } else {
          const scratch = await createScratchDatabase();
          drop = scratch.drop;
          fx.url = scratch.url;
          fx.db = await openPostgres({ connectionString: scratch.url, max: 5 });
        }
        await migrate(fx.db);
      });
      after(async () => {
        await fx.db?.close();
        await drop?.();
      });
      suite(fx);
    });
  }
}
