import pg from 'pg';
import type { Queryable, QueryResult } from '../../db/database.js';

import { guardedPoolConfig } from '../../lib/databaseUrlGuard.js';
import type { GuardOptions } from '../../lib/urlGuard.js';
import {
  checkPendingMigrations,
  compareMigrations,
  localMigrationsFromNames,
  type MigrationFinding,
  readAppliedMigrations,
} from './migrationsCheck.js';
import { diffSchemas, type SchemaChange, schemaChangeToEventType } from './schemaDiff.js';
import { getCurrentSchema, type SchemaFilter, type SchemaSnapshot } from './schemaSnapshot.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

/**
 * Who supplied a database URL. A user's URL goes through the database URL guard (private
 * addresses and Unix sockets refused unless the guard allows them, checked at connect time, no
 * server files or environment); the operator's own configuration (SUPABASE_DB_URL) is used as
 * node-postgres reads it.
 */
export type DatabaseUrlSource = { from: 'user'; guard: GuardOptions } | { from: 'operator' };

export interface SupabaseAdapterOptions extends SchemaFilter {
  /**
   * The user's project database: a connection string (we open and own a small pool) or a
   * Queryable (caller owns it).
   */
  db: string | Queryable;
  /** Where a connection string came from; default: a user, with private addresses refused. */
  source?: DatabaseUrlSource;
  /** The project's `supabase/migrations` folder, readable by this process (already checked as allowed). */
  migrationsDir?: string;
  /**
   * The project's migration file names as its user reported them from their own machine (used
   * when there is no folder here); `dir` is the folder as they named it, for display.
   */
  reportedMigrations?: { dir: string | null; names: readonly string[] };
  /** Per-statement limit on the user's database (default 15 s): a slow project never stalls our poll loop. */
  statementTimeoutMs?: number;
}

/**
 * The seed's SupabaseAdapter: everything Lookout reads from one Supabase project's database.
 *
 * Given a URL it opens its own pg.Pool of at most 2 connections: Supabase projects have tight
 * connection limits (60 on the smallest), and a poll runs a few queries one after another, so one
 * connection does the work and the second covers an overlapping DDL-log read.
 */
export class SupabaseAdapter {
  readonly #db: Queryable;
  readonly #pool: pg.Pool | undefined;
  readonly #filter: SchemaFilter;
  readonly migrationsDir: string | undefined;
  readonly reportedMigrations: SupabaseAdapterOptions['reportedMigrations'];

  constructor(opts: SupabaseAdapterOptions) {
    this.migrationsDir = opts.migrationsDir;
    this.reportedMigrations = opts.reportedMigrations;
    this.#filter = { schemas: opts.schemas, excludeSchemas: opts.excludeSchemas };
    if (typeof opts.db === 'string') {
      const statementTimeoutMs = opts.statementTimeoutMs ?? 15_000;
      const settings: pg.PoolConfig = {
        max: 2,
        application_name: 'lookout-supabase',
        statement_timeout: statementTimeoutMs,
        // A frozen project database never answers, so its server-side timeout never fires: the
        // client gives up a little later. pool.query then destroys that connection (node-postgres
        // leaves a timed-out query active on it, so it must not be reused).
        query_timeout: statementTimeoutMs + 5_000,
        keepAlive: true,
        connectionTimeoutMillis: 10_000,
        // Polls are a minute apart: do not hold a connection of the user's small budget meanwhile.
        idleTimeoutMillis: 10_000,
      };
      const source = opts.source ?? { from: 'user', guard: { allowPrivate: false } };
      const pool = new pg.Pool(
        source.from === 'operator'
          ? { connectionString: opts.db, ...settings }
          : guardedPoolConfig(opts.db, source.guard, settings),
      );
      // A dropped idle connection must not crash the process; the next query reconnects.
      pool.on('error', () => {});
      this.#pool = pool;
      this.#db = {
        async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
          const res = await pool.query(sql, params as unknown[]);
          return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
        },
      };
    } else {
      this.#db = opts.db;
    }
  }

  /** Which schemas are watched: the DDL log is filtered the same way as the snapshot. */
  get schemaFilter(): SchemaFilter {
    return this.#filter;
  }

  /** The connection to the user's database (for the DDL trigger helpers). */
  get db(): Queryable {
    return this.#db;
  }

  getCurrentSchema(): Promise<SchemaSnapshot> {
    return getCurrentSchema(this.#db, this.#filter);
  }

  /** Takes a new snapshot and diffs it against `previousSnapshot` (null: a baseline, no changes). */
  async detectSchemaChanges(
    previousSnapshot: SchemaSnapshot | null,
  ): Promise<{ changes: SchemaChange[]; snapshot: SchemaSnapshot }> {
    const snapshot = await this.getCurrentSchema();
    return { changes: previousSnapshot ? diffSchemas(previousSnapshot, snapshot) : [], snapshot };
  }

  schemaChangeToEventType(change: SchemaChange): EventType {
    return schemaChangeToEventType(change);
  }

  /** Findings for the configured migrations folder, else for the reported file names; none without either. */
  async checkPendingMigrations(): Promise<MigrationFinding[]> {
    if (this.migrationsDir) return checkPendingMigrations(this.#db, this.migrationsDir);
    if (this.reportedMigrations)
      return compareMigrations(
        localMigrationsFromNames(this.reportedMigrations.names),
        await readAppliedMigrations(this.#db),
      );
    return [];
  }

  /** The migrations folder as the user knows it (shown in suggestions), when there is one. */
  get migrationsLabel(): string | undefined {
    return this.reportedMigrations ? (this.reportedMigrations.dir ?? undefined) : this.migrationsDir;
  }

  /** Ends the pool it opened; a Queryable passed in is the caller's to close. */
  async close(): Promise<void> {
    await this.#pool?.end();
  }
}
