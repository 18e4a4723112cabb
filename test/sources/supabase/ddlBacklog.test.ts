import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { installDdlTrigger, uninstallDdlTrigger } from '../../../src/sources/supabase/ddlTrigger.js';
import { pollSupabase, type SupabasePollState } from '../../../src/sources/supabase/pollEvents.js';
import { SupabaseAdapter } from '../../../src/sources/supabase/supabaseAdapter.js';
import { describeOnUserDatabases } from './userDatabase.js';

/** Only what the DDL log recorded before Lookout first looked is backlog; the rest is news. */
describeOnUserDatabases('DDL log backlog', (ud) => {
  let adapter: SupabaseAdapter;
  const identities = (r: Awaited<ReturnType<typeof pollSupabase>>) =>
    r.events
      .filter((e) => e.eventType === 'supabase.schema.changed')
      .map((e) => JSON.parse(e.eventDataJson).objectIdentity);

  before(() => {
    adapter = new SupabaseAdapter(
      ud.url ? { db: ud.url, source: { from: 'user', guard: { allowPrivate: true } } } : { db: ud.db },
    );
  });
  after(async () => {
    await adapter.close();
  });

  it('a trigger installed after the baseline: what it records right away is reported', async () => {
    const baseline = await pollSupabase(adapter, { snapshot: null, ddlLogCursor: null });
    assert.equal(baseline.state.ddlTrigger, false);
    await installDdlTrigger(ud.db);
    await ud.db.exec(`create view public.right_after as select 1 as one`);
    const next = await pollSupabase(adapter, baseline.state);
    assert.deepEqual(identities(next), ['public.right_after']);
    assert.equal(next.state.ddlTrigger, true);

    // Reinstalled: a new log, whose ids start again below the cursor, is read from its start.
    await uninstallDdlTrigger(ud.db);
    await installDdlTrigger(ud.db);
    await ud.db.exec(`create view public.after_reinstall as select 2 as two`);
    const again = await pollSupabase(adapter, next.state);
    assert.deepEqual(identities(again), ['public.after_reinstall']);
    assert.deepEqual(identities(await pollSupabase(adapter, again.state)), []);
  });

  it('a log that was there before the baseline: its entries are history', async () => {
    await ud.db.exec(`create view public.old_news as select 3 as three`);
    const baseline = await pollSupabase(adapter, { snapshot: null, ddlLogCursor: null });
    assert.deepEqual(baseline.events, []);
    await ud.db.exec(`create view public.new_news as select 4 as four`);
    assert.deepEqual(identities(await pollSupabase(adapter, baseline.state)), ['public.new_news']);
  });

  it('state kept before the cursor existed: entries after the last snapshot are reported', async () => {
    const baseline = await pollSupabase(adapter, { snapshot: null, ddlLogCursor: null });
    await ud.db.exec(`create view public.since_snapshot as select 5 as five`);
    const legacy: SupabasePollState = { snapshot: baseline.state.snapshot, ddlLogCursor: null };
    const found = identities(await pollSupabase(adapter, legacy));
    assert.ok(found.includes('public.since_snapshot'), JSON.stringify(found));
    assert.ok(!found.includes('public.old_news'), JSON.stringify(found));
  });
});
