/**
 * Load shedding: with the store held up (a lock the INSERT waits on), deliveries beyond the bounds
 * are answered 503 with Retry-After at once, while the store is still held, instead of queueing
 * past the sender's own timeout; and every 200 is a stored row.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine, type EngineFixture } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';
import {
  type Answer,
  deliverShopify,
  deliverSupabase,
  SHOPIFY_SECRET,
  shopOwner,
  supabaseInsert,
  supabaseOwner,
} from './support.js';

/**
 * Holds a lock every INSERT into background_events waits on, until released. PostgreSQL: a SHARE
 * lock from another session. PGlite: an open transaction (its one connection serves nobody else).
 */
async function holdStore(fx: EngineFixture): Promise<() => Promise<void>> {
  if (fx.engine === 'postgres') {
    const client = new pg.Client({ connectionString: fx.url });
    await client.connect();
    await client.query('begin');
    await client.query('lock table background_events in share mode');
    return async () => {
      await client.query('rollback');
      await client.end();
    };
  }
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let holding!: () => void;
  const held = new Promise<void>((r) => {
    holding = r;
  });
  const tx = fx.db.transaction(async (t) => {
    await t.query('select 1');
    holding();
    await released;
  });
  await held;
  return async () => {
    release();
    await tx;
  };
}

/** Tracks answers as they arrive, so a test can wait for them while the store is still held. */
function tracked(sends: Array<Promise<Answer>>) {
  const answered: Answer[] = [];
  for (const s of sends) void s.then((a) => answered.push(a));
  return { answered, all: () => Promise.all(sends) };
}

async function storedCount(fx: EngineFixture, userId: string): Promise<number> {
  const { rows } = await fx.db.query<{ n: number }>(
    'select count(*)::int as n from background_events where user_id = $1',
    [userId],
  );
  return rows[0]!.n;
}

function assertShed(a: Answer) {
  assert.equal(a.status, 503, a.text);
  assert.equal(a.headers.get('retry-after'), '5');
  assert.equal(a.body.error.code, 'overloaded');
  assert.equal(typeof a.body.error.message, 'string');
}

describeEachEngine('load shedding', (fx) => {
  test(
    'a flood beyond LOOKOUT_INGEST_MAX_PENDING is answered 503 while the store is held; ' + 'every 200 is a row',
    async () => {
      const app: TestApp = await startTestApp(
        fx.db,
        { SHOPIFY_API_SECRET: SHOPIFY_SECRET, LOOKOUT_INGEST_MAX_PENDING: '5', LOOKOUT_INGEST_MAX_WAIT_MS: '600000' },
        { role: 'web' },
      );
      let release: (() => Promise<void>) | undefined;
      try {
        const shop = `flood-${fx.engine}.myshopify.com`;
        const owner = await shopOwner(app, shop);
        const supa = await supabaseOwner(app);
        assert.equal((await deliverShopify(app, shop, '{"id":1}')).status, 200);
        const before = await storedCount(fx, owner.id);

        release = await holdStore(fx);
        const flood = tracked([
          ...Array.from({ length: 40 }, (_, i) => deliverShopify(app, shop, `{"id":${100 + i}}`)),
          deliverSupabase(app, supa.secret, supabaseInsert('{"id":1}')),
        ]);
        // At most 5 deliveries wait for the store; the others hear at once, while it is still held.
        await waitFor(() => flood.answered.length >= 36, 'the deliveries over the bound to be answered');
        assert.ok(flood.answered.every((a) => a.status === 503));
        for (const a of flood.answered) assertShed(a);

        await release();
        release = undefined;
        const answers = await flood.all();
        const ok = answers.filter((a) => a.status === 200);
        assert.ok(ok.length >= 1 && ok.length <= 5, `${ok.length} admitted`);
        assert.ok(answers.every((a) => a.status === 200 || a.status === 503));
        const okShopify = answers.slice(0, 40).filter((a) => a.status === 200).length;
        assert.equal(await storedCount(fx, owner.id), before + okShopify, 'every 200 is a stored row');
        const metrics = await app.call('GET', '/metrics');
        assert.match(metrics.text, /lookout_webhook_rejected_total\{source="shopify",reason="overloaded"\} \d+/);

        // Once the store catches up, deliveries are admitted again.
        assert.equal((await deliverShopify(app, shop, '{"id":999}')).status, 200);
      } finally {
        await release?.();
        await app.close();
      }
    },
  );

  test(
    'once the oldest delivery has waited LOOKOUT_INGEST_MAX_WAIT_MS, new ones are ' + 'answered 503 at once',
    async () => {
      const maxWaitMs = 300;
      const app: TestApp = await startTestApp(
        fx.db,
        { SHOPIFY_API_SECRET: SHOPIFY_SECRET, LOOKOUT_INGEST_MAX_WAIT_MS: String(maxWaitMs) },
        { role: 'web' },
      );
      let release: (() => Promise<void>) | undefined;
      try {
        const shop = `slow-${fx.engine}.myshopify.com`;
        const owner = await shopOwner(app, shop);
        release = await holdStore(fx);
        const first = deliverShopify(app, shop, '{"id":1}');
        // The condition the bound is about: the first delivery has now waited longer than it.
        await new Promise((r) => setTimeout(r, maxWaitMs + 200));
        const later = tracked(Array.from({ length: 10 }, (_, i) => deliverShopify(app, shop, `{"id":${10 + i}}`)));
        await waitFor(
          () => later.answered.length === 10,
          'the later deliveries to be answered while the store is held',
        );
        for (const a of later.answered) assertShed(a);
        assert.match(later.answered[0]!.body.error.message, /waited \d+ ms to be stored \(bound 300 ms\)/);

        await release();
        release = undefined;
        const answer = await first;
        assert.equal(answer.status, 200, answer.text);
        assert.equal(await storedCount(fx, owner.id), 1, 'the one 200 is the one row');
        assert.equal((await deliverShopify(app, shop, '{"id":2}')).status, 200, 'admitted again once caught up');
      } finally {
        await release?.();
        await app.close();
      }
    },
  );
});
