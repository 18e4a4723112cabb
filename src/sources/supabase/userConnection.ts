import pg from 'pg';
import { guardedPoolConfig } from '../../lib/databaseUrlGuard.js';
import type { DatabaseUrlSource } from './supabaseAdapter.js';

/**
 * One connection of its own to a user's database, for work that needs a session (a transaction
 * that installs triggers, a LISTEN). A user's URL goes through the database URL guard, as the
 * poll loop's pool does; the operator's quick set-up URL is used as node-postgres reads it.
 */
export async function connectUserDatabase(
  dbUrl: string,
  source: DatabaseUrlSource,
  settings: pg.ClientConfig = {},
): Promise<pg.Client> {
  const base: pg.ClientConfig = {
    application_name: 'lookout-supabase',
    connectionTimeoutMillis: 10_000,
    statement_timeout: 15_000,
    query_timeout: 20_000,
    keepAlive: true,
    ...settings,
  };
  const client = new pg.Client(
    source.from === 'operator' ? { connectionString: dbUrl, ...base } : guardedPoolConfig(dbUrl, source.guard, base),
  );
  // Errors after connect surface through 'error'; without a listener they would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw err;
  }
  return client;
}
