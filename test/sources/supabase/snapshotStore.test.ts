import assert from 'node:assert/strict';
import { it } from 'node:test';
import { diffSchemas } from '../../../src/sources/supabase/schemaDiff.js';
import { getCurrentSchema } from '../../../src/sources/supabase/schemaSnapshot.js';
import { loadSchemaSnapshot, saveSchemaSnapshot } from '../../../src/sources/supabase/snapshotStore.js';
import { describeEachEngine } from '../../helpers/engines.js';

describeEachEngine("schema snapshots stored in Lookout's database", (fx) => {
  it('a saved snapshot loads back equal and diffs to nothing; a second save replaces it', async () => {
    const {
      rows: [user],
    } = await fx.db.query<{ id: string }>(`insert into users (email) values ('b@example.com') returning id`);
    const {
      rows: [integration],
    } = await fx.db.query<{ id: string }>(
      `insert into integrations (user_id, kind) values ($1, 'supabase') returning id`,
      [user!.id],
    );
    const id = integration!.id;
    assert.equal(await loadSchemaSnapshot(fx.db, id), null);

    // Lookout's own tables stand in for a user's project here.
    const snapshot = await getCurrentSchema(fx.db);
    assert.ok(snapshot.tables.some((t) => t.name === 'background_events'));
    await saveSchemaSnapshot(fx.db, id, snapshot);
    const loaded = await loadSchemaSnapshot(fx.db, id);
    assert.deepEqual(loaded, snapshot);
    assert.deepEqual(diffSchemas(loaded!, snapshot), []);

    const later = { ...snapshot, takenAt: new Date(Date.now() + 1000).toISOString(), tables: [] };
    await saveSchemaSnapshot(fx.db, id, later);
    assert.deepEqual((await loadSchemaSnapshot(fx.db, id))?.tables, []);
    const { rows } = await fx.db.query<{ n: number }>(`select count(*)::int as n from schema_snapshots`);
    assert.equal(rows[0]!.n, 1);
  });
});
