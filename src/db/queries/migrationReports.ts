import type { Queryable } from '../database.js';

/** One migration file as a user's machine reported it. */
export interface ReportedMigrationFile {
  name: string;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface MigrationReport {
  integrationId: string;
  dir: string | null;
  files: ReportedMigrationFile[];
  reportedAt: Date;
}

/** Keeps the integration's latest report (one per integration: a new one replaces it). */
export async function saveMigrationReport(
  db: Queryable,
  integrationId: string,
  report: { dir: string | null; files: ReportedMigrationFile[] },
): Promise<MigrationReport> {
  const { rows } = await db.query<{ reported_at: Date }>(
    `insert into supabase_migration_reports (integration_id, dir, files, reported_at) values ($1, $2, $3, now())
     on conflict (integration_id) do update set dir = excluded.dir, files = excluded.files,
       reported_at = excluded.reported_at
     returning reported_at`,
    [integrationId, report.dir, JSON.stringify(report.files)],
  );
  return { integrationId, ...report, reportedAt: rows[0]!.reported_at };
}

export async function loadMigrationReport(db: Queryable, integrationId: string): Promise<MigrationReport | undefined> {
  const { rows } = await db.query<{ dir: string | null; files: ReportedMigrationFile[]; reported_at: Date }>(
    'select dir, files, reported_at from supabase_migration_reports where integration_id = $1',
    [integrationId],
  );
  const row = rows[0];
  return row ? { integrationId, dir: row.dir, files: row.files, reportedAt: row.reported_at } : undefined;
}
