import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../lib/logger.js';
import type { Database } from './database.js';
import { acquireDataDirLock, type DataDirLock } from './dataDirLock.js';
import { migrate } from './migrate.js';
import { openPglite } from './pglite.js';
import { openPostgres } from './postgres.js';

export interface OpenedDatabase {
  db: Database;
  /** Held for embedded mode: released by close(). */
  lock?: DataDirLock;
  close(): Promise<void>;
}

/**
 * Opens the configured engine and applies migrations. Embedded mode first takes the data-folder
 * lock, so a second process gets a clear DataDirBusyError instead of a corrupted folder.
 */
export async function openDatabase(
  config: Config,
  opts: { migrate?: boolean; applicationName?: string; log?: Logger } = {},
): Promise<OpenedDatabase> {
  let db: Database;
  let lock: DataDirLock | undefined;
  if (config.databaseUrl) {
    db = await openPostgres({
      connectionString: config.databaseUrl,
      max: config.databasePoolSize,
      applicationName: opts.applicationName,
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      statementTimeoutMs: config.databaseStatementTimeoutMs,
      // The message and code only: node-postgres hangs the whole client (its connection settings
      // included) on errors it emits, which must not reach the log.
      onConnectionError: (err, connection) =>
        opts.log?.warn(
          { connection, error: err.message, code: (err as { code?: unknown }).code },
          'database connection lost: the next call reconnects',
        ),
    });
  } else {
    lock = acquireDataDirLock(config.dataDir);
    try {
      db = await openPglite(join(config.dataDir, 'pgdata'));
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  try {
    if (opts.migrate !== false) await migrate(db);
  } catch (err) {
    await db.close();
    lock?.release();
    throw err;
  }
  return {
    db,
    lock,
    async close() {
      await db.close();
      lock?.release();
    },
  };
}
