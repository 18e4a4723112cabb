/** Scratch PostgreSQL databases: one per bench run, dropped afterwards (also on failure). */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Scratch {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createScratchDatabase(prefix = 'lookout_bench'): Promise<Scratch> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(BENCH_DATABASE_URL);
  u.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: u.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      const c = new pg.Client({ connectionString: BENCH_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs fn with a scratch database, dropping it however fn ends. */
export async function withScratch<T>(prefix: string, fn: (s: Scratch) => Promise<T>): Promise<T> {
  const s = await createScratchDatabase(prefix);
  try {
    return await fn(s);
  } finally {
    await s.drop().catch((err: unknown) => console.error(`could not drop ${s.name}: ${(err as Error).message}`));
  }
}
