/**
 * COMMENT ON actions on a real PostgreSQL database standing in for the user's Supabase project:
 * applied once in one transaction, previous comments restored by undo, a failure shown with
 * PostgreSQL's message and nothing half-applied, tampered statements refused before connecting,
 * and the database URL guard in front of the connection.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { quoteLiteral } from '../../src/suggest/sql.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createScratchDatabase, describeEachEngine, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { connect, storeSuggestion } from './support.js';

const SKIP = POSTGRES_AVAILABLE ? false : 'needs PostgreSQL (LOOKOUT_TEST_POSTGRES=1) as the user database';

describeEachEngine('Supabase COMMENT ON actions', (fx) => {
  let app: TestApp;
  let userDb: { url: string; drop: () => Promise<void> };
  let client: pg.Client;
  let user: { id: string; apiKey: string };
  let integrationId: string;

  before(async () => {
    if (SKIP) return;
    userDb = await createScratchDatabase('lookout_userdb');
    client = new pg.Client({ connectionString: userDb.url });
    await client.connect();
    await client.query(`create table public.orders (id bigint primary key, customer_email text, total_price numeric);
      comment on column public.orders.total_price is 'legacy note';`);
    app = await startTestApp(fx.db, { LOOKOUT_ALLOW_PRIVATE_URLS: 'true' }, { role: 'web' });
    user = await app.createUser();
    integrationId = await connect(app, user.id, { kind: 'supabase', dbUrl: userDb.url });
    const r = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { actions: { supabaseComments: true } },
    });
    assert.equal(r.status, 200, r.text);
  });
  after(async () => {
    await app?.close();
    await client?.end();
    await userDb?.drop();
  });

  const comments = async () => {
    const { rows } = await client.query<{ t: string | null; e: string | null; p: string | null }>(
      `select obj_description('public.orders'::regclass, 'pg_class') as t,
              col_description('public.orders'::regclass, 2) as e, col_description('public.orders'::regclass, 3) as p`,
    );
    return rows[0]!;
  };
  /** The snapshot the event carries predates the legacy note, so table docs proposes a comment for it too. */
  const tableCreated = (columns: string[]) =>
    storeSuggestion(fx.db, {
      userId: user.id,
      integrationId,
      eventType: 'supabase.table.created',
      source: 'supabase',
      payload: { schema: 'public', name: 'orders', columns: columns.map((name) => ({ name, type: 'text' })) },
    });
  const accept = (id: string, body: unknown = { apply: true }) =>
    app.call('POST', `/api/suggestions/${id}/accept`, { key: user.apiKey, body });

  test('applied once in one transaction, shown old -> new first, undone to the previous comments', {
    skip: SKIP,
  }, async () => {
    const s = await tableCreated(['customer_email', 'total_price']);
    const proposal = await app.call('GET', `/api/suggestions/${s.id}/actions`, { key: user.apiKey });
    assert.equal(proposal.status, 200, proposal.text);
    const [comments0] = proposal.body.items;
    assert.equal(comments0.part, 'comments');
    assert.equal(comments0.target, 'public.orders');
    assert.deepEqual(comments0.old, { comments: [null, null, 'legacy note'] });
    assert.equal(comments0.new.statements.length, 3);

    const applied = await accept(s.id);
    assert.equal(applied.status, 200, applied.text);
    assert.equal(applied.body.actions[0].status, 'applied', applied.text);
    const now = await comments();
    assert.ok(now.t && now.e && now.p && now.p !== 'legacy note', JSON.stringify(now));

    // Someone edits a comment by hand: a replayed accept must not run the statements again.
    await client.query(`comment on column public.orders.customer_email is 'edited by hand'`);
    const replay = await accept(s.id);
    assert.equal(replay.body.actions[0].recorded, true);
    assert.equal((await comments()).e, 'edited by hand');

    // Undo does not overwrite the hand edit: it refuses, and the part stays applied.
    const refused = await app.call('POST', `/api/suggestions/${s.id}/undo`, { key: user.apiKey });
    assert.equal(refused.body.items[0].status, 'applied');
    assert.match(refused.body.items[0].error, /undo failed: the comment on public\.orders\.customer_email changed/);
    assert.equal((await comments()).e, 'edited by hand');
    await client.query(`comment on column public.orders.customer_email is ${quoteLiteral(now.e!)}`);
    // The suggestion's content changing later (a regeneration) does not change what undo restores.
    await fx.db.query(
      `update suggestions set content = jsonb_set(content, '{apply,statements}', $2::jsonb) where id = $1`,
      [s.id, JSON.stringify([`COMMENT ON TABLE "public"."elsewhere" IS 'x';`])],
    );

    const undo = await app.call('POST', `/api/suggestions/${s.id}/undo`, {
      key: user.apiKey,
      body: { parts: ['comments'] },
    });
    assert.equal(undo.body.items[0].status, 'undone', undo.text);
    assert.deepEqual(await comments(), { t: null, e: null, p: 'legacy note' });
  });

  test("a failing statement shows PostgreSQL's message and leaves every comment as it was", {
    skip: SKIP,
  }, async () => {
    const s = await tableCreated(['customer_email', 'no_such_column']);
    const before = await comments();
    const failed = await accept(s.id);
    assert.equal(failed.body.actions[0].status, 'failed');
    assert.match(
      failed.body.actions[0].error,
      /database: column "no_such_column" of relation "(public\.)?orders" does not exist/,
    );
    assert.deepEqual(await comments(), before, 'the table comment before the failure was rolled back');
  });

  test('statements that are not exactly COMMENT ON are refused before connecting', { skip: SKIP }, async () => {
    const s = await tableCreated(['customer_email']);
    await fx.db.query(
      `update suggestions set content = jsonb_set(content, '{apply,statements}', $2::jsonb) where id = $1`,
      [s.id, JSON.stringify([`COMMENT ON TABLE "public"."orders" IS 'x'; DROP TABLE "public"."orders";`])],
    );
    const refused = await accept(s.id);
    assert.equal(refused.body.actions[0].status, 'failed');
    assert.match(refused.body.actions[0].error, /not run: only COMMENT ON/);
    const { rows } = await client.query(`select to_regclass('public.orders') is not null as present`);
    assert.equal(rows[0].present, true);
  });

  test('the database URL guard stands in front of the connection', { skip: SKIP }, async () => {
    const guarded = await startTestApp(fx.db, {}, { role: 'web' });
    try {
      const other = await guarded.createUser();
      await guarded.call('PUT', '/api/preferences', {
        key: other.apiKey,
        body: { actions: { supabaseComments: true } },
      });
      const integration = await connect(guarded, other.id, { kind: 'supabase', dbUrl: userDb.url });
      const s = await storeSuggestion(fx.db, {
        userId: other.id,
        integrationId: integration,
        eventType: 'supabase.table.created',
        source: 'supabase',
        payload: { schema: 'public', name: 'orders', columns: [{ name: 'customer_email', type: 'text' }] },
      });
      const r = await guarded.call('POST', `/api/suggestions/${s.id}/accept`, {
        key: other.apiKey,
        body: { apply: true },
      });
      assert.equal(r.body.actions[0].status, 'failed');
      assert.match(r.body.actions[0].error, /127\.0\.0\.1|private|loopback/i);
      assert.equal((await comments()).e, null);
    } finally {
      await guarded.close();
    }
  });
});
