/**
 * Any failure to store is a 503 with Retry-After, whatever the database said: not only the
 * connection errors a list knows, but a read-only database (25006), a database refusing
 * connections (55000), a statement that stored nothing. Only a bug that is not about storage is 500.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine, TEST_DATABASE_URL } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';
import {
  deliverShopify,
  deliverSupabase,
  SHOPIFY_SECRET,
  shopOwner,
  supabaseInsert,
  supabaseOwner,
} from './support.js';

/** The app's own database handle: on PostgreSQL a one-connection pool, so a session setting holds for it. */
async function appDatabase(fx: { engine: string; db: Database; url?: string }, applicationName?: string) {
  if (fx.engine === 'pglite') return { db: fx.db, close: async () => {} };
  const db = await openPostgres({ connectionString: fx.url!, max: 1, applicationName });
  return { db, close: () => db.close() };
}

function assertRetryLater(res: { status: number; text: string; headers: Headers; body: { error: { code: string } } }) {
  assert.equal(res.status, 503, res.text);
  assert.equal(res.headers.get('retry-after'), '5');
  assert.equal(res.body.error.code, 'unavailable');
}

describeEachEngine('ingest answers 503 for any failure to store', (fx) => {
  test('a read-only database (SQLSTATE 25006): Shopify and Supabase deliveries get 503 with Retry-After', async () => {
    const { db, close } = await appDatabase(fx);
    let app: TestApp | undefined;
    try {
      app = await startTestApp(db, { SHOPIFY_API_SECRET: SHOPIFY_SECRET }, { role: 'web' });
      const shop = `readonly-${fx.engine}.myshopify.com`;
      await shopOwner(app, shop);
      const supa = await supabaseOwner(app);
      assert.equal((await deliverShopify(app, shop, '{"id":1}')).status, 200, 'stored while writable');

      // PostgreSQL: for the database (the connections a pool opens after an error) and for the
      // session it holds now; PGlite: its one session.
      const name = fx.url ? new URL(fx.url).pathname.slice(1) : undefined;
      if (name) await fx.db.query(`alter database ${name} set default_transaction_read_only = on`);
      await db.query('set default_transaction_read_only = on');
      try {
        assertRetryLater(await deliverShopify(app, shop, '{"id":2}'));
        assertRetryLater(await deliverSupabase(app, supa.secret, supabaseInsert('{"id":2}')));
        const metrics = await app.call('GET', '/metrics');
        assert.match(metrics.text, /lookout_webhook_rejected_total\{source="shopify",reason="storage_failed"\} 1/);
      } finally {
        if (name) await fx.db.query(`alter database ${name} reset default_transaction_read_only`);
        await db.query('set default_transaction_read_only = off');
      }
      assert.equal((await deliverShopify(app, shop, '{"id":3}')).status, 200, 'stored once writable again');
    } finally {
      await app?.close();
      await close();
    }
  });

  test(
    'a delivery the server cannot handle for a reason other than storage is a 500 in the ' + 'documented shape',
    async () => {
      const app = await startTestApp(fx.db, { SHOPIFY_API_SECRET: SHOPIFY_SECRET }, { role: 'web' });
      try {
        const supa = await supabaseOwner(app);
        // Sealed credentials that no longer open (a key mix-up): a server fault, not the database's.
        await fx.db.query(`update integrations set credentials = 'v1.garbage' where user_id = $1`, [supa.id]);
        const res = await deliverSupabase(app, supa.secret, supabaseInsert('{"id":1}'));
        assert.equal(res.status, 500, res.text);
        assert.equal(res.body.error.code, 'internal');
      } finally {
        await app.close();
      }
    },
  );

  test('a database that refuses connections (SQLSTATE 55000) is a 503, and storing resumes when it accepts them', {
    skip: fx.engine === 'pglite' ? 'PostgreSQL only: PGlite has no connections to refuse' : false,
  }, async () => {
    const name = new URL(fx.url!).pathname.slice(1);
    const appName = `lookout-refused-${Date.now()}`;
    const { db, close } = await appDatabase(fx, appName);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    let app: TestApp | undefined;
    try {
      app = await startTestApp(db, { SHOPIFY_API_SECRET: SHOPIFY_SECRET }, { role: 'web' });
      const shop = 'refused.myshopify.com';
      await shopOwner(app, shop);
      await admin.query(`alter database ${name} allow_connections false`);
      await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
        appName,
      ]);
      await waitFor(
        () =>
          db.ping().then(
            () => false,
            (err: { code?: string }) => err.code === '55000',
          ),
        "the app's pool to meet 55000",
      );
      assertRetryLater(await deliverShopify(app, shop, '{"id":10}'));
      await admin.query(`alter database ${name} allow_connections true`);
      await waitFor(async () => (await deliverShopify(app!, shop, '{"id":11}')).status === 200, 'storing to resume');
    } finally {
      await admin.query(`alter database ${name} allow_connections true`);
      await admin.end();
      await app?.close();
      await close();
    }
  });
});
