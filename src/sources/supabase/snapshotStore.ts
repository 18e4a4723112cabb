import type { Queryable } from '../../db/database.js';
import type { SchemaSnapshot } from './schemaSnapshot.js';

/**
 * Lookout's copy of each integration's last snapshot (table schema_snapshots, migration 0002).
 * One row per integration, replaced on every save: the diff needs only the last one, and
 * the events already record what changed.
 */
export async function saveSchemaSnapshot(
  db: Queryable,
  integrationId: string,
  snapshot: SchemaSnapshot,
): Promise<void> {
  await db.query(
    `insert into schema_snapshots (integration_id, snapshot, taken_at) values ($1, $2::jsonb, $3)
     on conflict (integration_id) do update set snapshot = excluded.snapshot, taken_at = excluded.taken_at`,
    [integrationId, JSON.stringify(snapshot), snapshot.takenAt],
  );
}

export async function loadSchemaSnapshot(db: Queryable, integrationId: string): Promise<SchemaSnapshot | null> {
  // ::text and JSON.parse here: the snapshot holds no numbers beyond 2^53 (oids are strings).
  const { rows } = await db.query<{ snapshot: string }>(
    `select snapshot::text as snapshot from schema_snapshots where integration_id = $1`,
    [integrationId],
  );
  const row = rows[0];
  return row ? (JSON.parse(row.snapshot) as SchemaSnapshot) : null;
}
