import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `migrations/NNNN_name.sql` in order; a gap or a duplicate number is a programming error. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((f): f is { file: string; match: RegExpExecArray } => f.match !== null)
    .map(({ file, match }) => ({ id: Number(match[1]), name: match[2]!, sql: readFileSync(`${dir}/${file}`, 'utf8') }))
    .sort((a, b) => a.id - b.id);
  migrations.forEach((m, i) => {
    if (m.id !== i + 1) throw new Error(`migration numbering broken at ${m.id}_${m.name}: expected ${i + 1}`);
  });
  return migrations;
}

/**
 * A migration may rewrite a large table, and a second process starting at the same time waits for
 * the first one's migrations to commit: neither may be cut by the per-call database bound.
 */
const UNBOUNDED = { statementTimeoutMs: 0 };

/**
 * Applies pending migrations in one transaction under a transaction-scoped advisory lock, so two
 * processes starting at once on PostgreSQL apply each migration exactly once: the second waits for
 * the first to commit, then finds nothing to do.
 */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<Migration[]> {
  return db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('lookout.migrate'))`);
    await tx.exec(`create table if not exists lookout_migrations (
      id integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows } = await tx.query<{ id: number }>('select id from lookout_migrations');
    const applied = new Set(rows.map((r) => r.id));
    const pending = migrations.filter((m) => !applied.has(m.id));
    for (const m of pending) {
      await tx.exec(m.sql);
      await tx.query('insert into lookout_migrations (id, name) values ($1, $2)', [m.id, m.name]);
    }
    return pending;
  }, UNBOUNDED);
}
