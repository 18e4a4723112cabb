import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { checkPendingMigrations, compareVersions } from '../../../src/sources/supabase/migrationsCheck.js';
import { pollSupabase } from '../../../src/sources/supabase/pollEvents.js';
import { SupabaseAdapter } from '../../../src/sources/supabase/supabaseAdapter.js';
import { describeOnUserDatabases } from './userDatabase.js';

// What `supabase db push` creates and fills (supabase/cli: pkg/migration/history.go).
const HISTORY_TABLE = `
  create schema if not exists supabase_migrations;
  create table if not exists supabase_migrations.schema_migrations (version text primary key, statements text[],
    name text);`;

describeOnUserDatabases('pending migrations (Supabase CLI semantics)', (ud) => {
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lookout-migrations-'));
    await writeFile(join(dir, '20240101120000_init.sql'), 'create table a (id int);');
    await writeFile(join(dir, '20240115090000_add_tags.sql'), 'create table tags (id int);');
    await writeFile(join(dir, '20240301000000_add_orders.sql'), 'create table orders (id int);');
    await writeFile(join(dir, 'README.md'), 'not a migration');
    await writeFile(join(dir, 'seed.sql'), 'not a migration either: no version');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('without a history table every local file is pending', async () => {
    const findings = await checkPendingMigrations(ud.db, dir);
    assert.deepEqual(
      findings.map((f) => [f.status, f.version, f.name]),
      [
        ['pending', '20240101120000', 'init'],
        ['pending', '20240115090000', 'add_tags'],
        ['pending', '20240301000000', 'add_orders'],
      ],
    );
  });

  it('one applied, one pending, one out of order, one applied remotely but missing locally', async () => {
    await ud.db.exec(HISTORY_TABLE);
    await ud.db.query(
      `insert into supabase_migrations.schema_migrations (version, name, statements) values
       ('20240101120000', 'init', array['create table a (id int)']),
       ('20240201000000', 'hotfix', array['alter table a add column b int'])`,
    );
    const findings = await checkPendingMigrations(ud.db, dir);
    assert.deepEqual(
      findings.map((f) => [f.status, f.version, f.file]),
      [
        ['out_of_order', '20240115090000', '20240115090000_add_tags.sql'],
        ['missing_locally', '20240201000000', null],
        ['pending', '20240301000000', '20240301000000_add_orders.sql'],
      ],
    );
    assert.ok(findings.every((f) => f.latestApplied === '20240201000000'));
  });

  it('each finding is one supabase.migration.pending event, stored once however often it is polled', async () => {
    const adapter = new SupabaseAdapter({ db: ud.db, migrationsDir: dir });
    const first = await pollSupabase(adapter, { snapshot: null, ddlLogCursor: null }, { scope: 'integration-1' });
    assert.equal(first.baseline, true);
    assert.deepEqual(
      first.events.map((e) => e.eventType),
      Array(3).fill('supabase.migration.pending'),
    );
    assert.deepEqual(
      first.events.map((e) => JSON.parse(e.eventDataJson).status),
      ['out_of_order', 'missing_locally', 'pending'],
    );
    const second = await pollSupabase(adapter, first.state, { scope: 'integration-1' });
    assert.deepEqual(
      second.events.map((e) => e.dedupeKey),
      first.events.map((e) => e.dedupeKey),
    );
    assert.ok(first.events.every((e) => e.dedupeKey.startsWith('integration-1:migration.')));
  });

  it('an unreadable folder is reported as a problem; schema polling still works', async () => {
    const adapter = new SupabaseAdapter({ db: ud.db, migrationsDir: join(dir, 'nope') });
    const result = await pollSupabase(adapter, { snapshot: null, ddlLogCursor: null });
    assert.equal(result.events.length, 0);
    assert.match(result.problems[0] ?? '', /migrations check failed/);
    assert.ok(result.state.snapshot);
  });
});

it('versions compare as numbers of any length, then as text', () => {
  assert.ok(compareVersions('0002', '20240101000000') < 0);
  assert.ok(compareVersions('10', '9') > 0);
  assert.ok(compareVersions('0001', '1') < 0);
  assert.equal(compareVersions('0001', '0001'), 0);
});
