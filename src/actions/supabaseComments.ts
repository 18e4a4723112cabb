/**
 * The Supabase side of actions: a table-docs suggestion's COMMENT ON statements run on the user's
 * database in one transaction, each object's previous comment read first (in the same
 * transaction) and kept for undo. The connection goes through the database URL guard like the
 * poller's; the statements are checked by commentStatements.ts before anything connects.
 */
import pg from 'pg';
import { guardedPoolConfig } from '../lib/databaseUrlGuard.js';
import type { GuardOptions } from '../lib/urlGuard.js';
import { UrlNotAllowedError } from '../lib/urlGuard.js';
import { qualifiedIdent } from '../suggest/sql.js';
import { type CommentStatement, commentSql } from './commentStatements.js';
import { ActionError } from './errors.js';

export type UserDatabaseSource = { url: string; from: 'user'; guard: GuardOptions } | { url: string; from: 'operator' };

const SETTINGS: pg.PoolConfig = {
  max: 1,
  application_name: 'lookout-actions',
  statement_timeout: 15_000,
  query_timeout: 20_000,
  connectionTimeoutMillis: 10_000,
};

async function inTransaction<T>(db: UserDatabaseSource, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  let config: pg.PoolConfig;
  try {
    config =
      db.from === 'operator'
        ? { connectionString: db.url, ...SETTINGS }
        : guardedPoolConfig(db.url, db.guard, SETTINGS);
  } catch (err) {
    if (err instanceof UrlNotAllowedError) throw new ActionError('not_available', err.message);
    throw err;
  }
  const pool = new pg.Pool(config);
  pool.on('error', () => {});
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    await client.query('begin');
    try {
      const out = await fn(client);
      await client.query('commit');
      return out;
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    }
  } catch (err) {
    if (err instanceof ActionError) throw err;
    throw new ActionError('target_error', `database: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    client?.release();
    await pool.end().catch(() => {});
  }
}

async function currentComment(c: pg.PoolClient, s: CommentStatement): Promise<string | null> {
  const rel = qualifiedIdent(s.schema, s.table);
  if (s.object === 'table') {
    const { rows } = await c.query<{ comment: string | null }>(
      `select obj_description(to_regclass($1), 'pg_class') as comment`,
      [rel],
    );
    return rows[0]?.comment ?? null;
  }
  const { rows } = await c.query<{ comment: string | null }>(
    `select col_description(a.attrelid, a.attnum) as comment from pg_attribute a
     where a.attrelid = to_regclass($1) and a.attname = $2 and not a.attisdropped`,
    [rel, s.column],
  );
  return rows[0]?.comment ?? null;
}

/** What each object's comment is now (for showing old -> new before the user confirms). */
export function readComments(db: UserDatabaseSource, statements: CommentStatement[]): Promise<Array<string | null>> {
  return inTransaction(db, async (c) => {
    const out: Array<string | null> = [];
    for (const s of statements) out.push(await currentComment(c, s));
    return out;
  });
}

/** Runs the statements, exactly as accepted, in one transaction; returns the comments they replaced. */
export function applyComments(db: UserDatabaseSource, statements: CommentStatement[]): Promise<Array<string | null>> {
  return inTransaction(db, async (c) => {
    const previous: Array<string | null> = [];
    for (const s of statements) {
      previous.push(await currentComment(c, s));
      await c.query(s.sql);
    }
    return previous;
  });
}

/**
 * Puts the previous comments back (none: the comment is removed), in one transaction; refuses
 * when a comment is no longer the one applied (someone changed it since: theirs is kept).
 */
export function restoreComments(
  db: UserDatabaseSource,
  statements: CommentStatement[],
  previous: Array<string | null>,
): Promise<void> {
  return inTransaction(db, async (c) => {
    for (const s of statements) {
      const now = await currentComment(c, s);
      if (now !== s.comment) {
        const what = s.object === 'table' ? `${s.schema}.${s.table}` : `${s.schema}.${s.table}.${s.column}`;
        throw new ActionError('target_error', `the comment on ${what} changed since it was applied`);
      }
    }
    for (const [i, s] of statements.entries()) await c.query(commentSql(s, previous[i] ?? null));
  });
}
