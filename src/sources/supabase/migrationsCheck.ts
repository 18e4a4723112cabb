import { readdir } from 'node:fs/promises';
import type { Queryable } from '../../db/database.js';

/**
 * Local migration files versus what the Supabase CLI recorded as applied, with the CLI's rules:
 * a file is `<version>_<name>.sql` (version = the leading digits, `20240101120000` or `0001`),
 * and `supabase db push` records each applied one in supabase_migrations.schema_migrations.
 */
export type MigrationStatus = 'pending' | 'out_of_order' | 'missing_locally';

export interface MigrationFinding {
  status: MigrationStatus;
  version: string;
  /** The name part of the file (or the name the CLI recorded, for missing_locally); may be empty. */
  name: string;
  /** The local file name; null for missing_locally. */
  file: string | null;
  /** Highest applied version when checked (null when nothing is applied). */
  latestApplied: string | null;
  /**
   * Status + version + name: reported once however often it is polled. The same file changing
   * status (pending, then out of order after a later one is pushed) is a new finding.
   */
  dedupeKey: string;
}

// The CLI's pattern (pkg/migration: `^([0-9]+)_(.*)\.sql$`); other files are skipped as it does.
const MIGRATION_FILE = /^([0-9]+)_(.*)\.sql$/;

/** Versions are digit strings of any length: compare as integers, then as text (`1` vs `0001`). */
export function compareVersions(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  if (x !== y) return x < y ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface LocalMigration {
  version: string;
  name: string;
  file: string;
}
export interface AppliedMigration {
  version: string;
  name: string | null;
}

export async function readLocalMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  return localMigrationsFromNames(entries.filter((e) => e.isFile()).map((e) => e.name));
}

/** Whether the Supabase CLI would take this file name for a migration. */
export function isMigrationFileName(name: string): boolean {
  return MIGRATION_FILE.test(name);
}

/**
 * Migration files from a list of file names (a folder's, or what a user reported from their
 * machine); names the CLI would skip are skipped.
 */
export function localMigrationsFromNames(names: readonly string[]): LocalMigration[] {
  return names
    .map((file) => ({ file, match: MIGRATION_FILE.exec(file) }))
    .filter((e): e is { file: string; match: RegExpExecArray } => e.match !== null)
    .map(({ file, match }) => ({ version: match[1]!, name: match[2]!, file }))
    .sort((a, b) => compareVersions(a.version, b.version));
}

/**
 * The table only exists once the CLI has pushed something: absent means nothing is applied.
 * `to_jsonb(m)->>'name'` reads the name column without failing on old CLI tables that lack it.
 */
export async function readAppliedMigrations(db: Queryable): Promise<AppliedMigration[]> {
  const exists = await db.query<{ present: boolean }>(
    `select to_regclass('supabase_migrations.schema_migrations') is not null as present`,
  );
  if (!exists.rows[0]?.present) return [];
  const { rows } = await db.query<{ version: string; name: string | null }>(
    `select m.version::text as version, to_jsonb(m)->>'name' as name from supabase_migrations.schema_migrations m`,
  );
  return rows.filter((r) => /^[0-9]+$/.test(r.version)).sort((a, b) => compareVersions(a.version, b.version));
}

export function compareMigrations(local: LocalMigration[], applied: AppliedMigration[]): MigrationFinding[] {
  const appliedVersions = new Set(applied.map((m) => m.version));
  const localVersions = new Set(local.map((m) => m.version));
  const latestApplied = applied.at(-1)?.version ?? null;
  const findings: MigrationFinding[] = [];
  for (const m of local) {
    if (appliedVersions.has(m.version)) continue;
    // `supabase db push` refuses a file older than the last applied one unless --include-all.
    const status: MigrationStatus =
      latestApplied !== null && compareVersions(m.version, latestApplied) < 0 ? 'out_of_order' : 'pending';
    findings.push({
      status,
      version: m.version,
      name: m.name,
      file: m.file,
      latestApplied,
      dedupeKey: `migration.${status}:${m.version}_${m.name}`,
    });
  }
  for (const m of applied) {
    if (localVersions.has(m.version)) continue;
    const name = m.name ?? '';
    findings.push({
      status: 'missing_locally',
      version: m.version,
      name,
      file: null,
      latestApplied,
      dedupeKey: `migration.missing_locally:${m.version}_${name}`,
    });
  }
  return findings.sort(
    (a, b) => compareVersions(a.version, b.version) || (a.status < b.status ? -1 : a.status > b.status ? 1 : 0),
  );
}

export async function checkPendingMigrations(db: Queryable, migrationsDir: string): Promise<MigrationFinding[]> {
  const [local, applied] = await Promise.all([readLocalMigrations(migrationsDir), readAppliedMigrations(db)]);
  return compareMigrations(local, applied);
}
