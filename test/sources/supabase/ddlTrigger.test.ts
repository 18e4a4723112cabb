import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { installDdlTrigger, readDdlLog } from '../../../src/sources/supabase/ddlTrigger.js';
import { pollSupabase, type SupabasePollState } from '../../../src/sources/supabase/pollEvents.js';
import { SupabaseAdapter } from '../../../src/sources/supabase/supabaseAdapter.js';
import { describeOnUserDatabases } from './userDatabase.js';

describeOnUserDatabases('DDL event trigger in the user database', (ud) => {
  before(async () => {
    await installDdlTrigger(ud.db);
    // Idempotent: a second install converges instead of failing.
    await installDdlTrigger(ud.db);
  });

  it('records a CREATE TABLE, and readDdlLog pages by cursor', async () => {
    const start = await readDdlLog(ud.db, null);
    await ud.db.exec(`create table public.invoices (id serial primary key, amount numeric)`);
    const entries = await readDdlLog(ud.db, start.at(-1)?.id ?? null);
    const table = entries.find((e) => e.commandTag === 'CREATE TABLE' && e.objectType === 'table');
    assert.ok(table, JSON.stringify(entries));
    assert.equal(table.schemaName, 'public');
    assert.equal(table.objectIdentity, 'public.invoices');
    assert.ok(table.occurredAt instanceof Date);
    assert.deepEqual(await readDdlLog(ud.db, entries.at(-1)!.id), []);
  });

  it('records drops too, through sql_drop', async () => {
    const start = await readDdlLog(ud.db, null);
    await ud.db.exec(`create table public.scratch (a int); drop table public.scratch`);
    const entries = await readDdlLog(ud.db, start.at(-1)!.id);
    assert.ok(entries.some((e) => e.commandTag === 'DROP TABLE' && e.objectIdentity === 'public.scratch'));
  });

  it('polling: the table comes from the diff once; a view (which the diff cannot see) from the log', async () => {
    // The scratch database is on loopback: this test's own, so private addresses are allowed.
    const adapter = new SupabaseAdapter(
      ud.url ? { db: ud.url, source: { from: 'user', guard: { allowPrivate: true } } } : { db: ud.db },
    );
    try {
      let state: SupabasePollState = { snapshot: null, ddlLogCursor: null };
      const baseline = await pollSupabase(adapter, state, { scope: 'i1' });
      assert.deepEqual(baseline.events, [], 'the first poll is a baseline: no events');
      assert.ok(baseline.state.ddlLogCursor !== null);
      state = baseline.state;

      await ud.db.exec(
        `create table public.reports (id int primary key); create view public.report_ids as select id
         from public.reports`,
      );
      const next = await pollSupabase(adapter, state, { scope: 'i1' });
      assert.deepEqual(
        next.events.map((e) => e.eventType),
        ['supabase.table.created', 'supabase.schema.changed'],
      );
      assert.equal(JSON.parse(next.events[1]!.eventDataJson).objectIdentity, 'public.report_ids');
      assert.ok(next.events.every((e) => e.dedupeKey.startsWith('i1:')));

      const quiet = await pollSupabase(adapter, next.state, { scope: 'i1' });
      assert.deepEqual(quiet.events, []);
    } finally {
      await adapter.close();
    }
  });
});
