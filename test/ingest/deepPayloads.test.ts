/**
 * Deeply nested payloads. On PGlite, parsing jsonb nested some 5,000+ levels overflows V8's stack
 * inside the WebAssembly, which PGlite swallows: the INSERT answered no row and no error (a false
 * "duplicate") and the next statement spun at 100% CPU, blocking the process. A signed delivery
 * nested past the limit is refused with 422 before any parse; anything else reaching the store
 * nested that deep is stored with a sanitised copy; and "duplicate" is only ever said of a row that
 * exists.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { EventStore } from '../../src/ingest/eventStore.js';
import { MAX_PAYLOAD_DEPTH } from '../../src/ingest/storablePayload.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { deliverShopify, SHOPIFY_SECRET, shopOwner } from './support.js';

const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

describeEachEngine('deeply nested payloads', (fx) => {
  let app: TestApp;
  let user: { id: string; apiKey: string };
  const shop = `deep-${fx.engine}.myshopify.com`;
  let lastId = 5_000;

  before(async () => {
    app = await startTestApp(fx.db, { SHOPIFY_API_SECRET: SHOPIFY_SECRET }, { role: 'web' });
    user = await shopOwner(app, shop);
  });
  after(() => app.close());

  const rowsWithId = async (id: number) =>
    (
      await fx.db.query<{ n: number }>(
        `select count(*)::int as n from background_events where user_id = $1 and event_data->>'id' = $2`,
        [user.id, String(id)],
      )
    ).rows[0]!.n;

  for (const [shape, nest] of [
    ['arrays', arrays],
    ['objects', objects],
  ] as const) {
    for (const levels of [7_000, 10_000]) {
      test(
        `${shape} nested ${levels.toLocaleString('en')} deep (` +
          `${Math.round(nest(levels).length / 1024)} KB): 422, and the server and its database ` +
          `answer right after`,
        async () => {
          const id = ++lastId;
          // With a gid the route reads no id from the body by parsing it: the payload goes straight on.
          const res = await deliverShopify(
            app,
            shop,
            `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","x":${nest(levels)}}`,
          );
          assert.equal(res.status, 422, res.text);
          assert.equal(res.body.error.code, 'payload_too_deep');
          assert.match(res.body.error.message, /deeper than 512 levels/);
          assert.equal(await rowsWithId(id), 0);

          assert.equal((await app.call('GET', '/healthz')).status, 200);
          assert.equal((await app.call('GET', '/readyz')).status, 200);
          const next = ++lastId;
          const ok = await deliverShopify(app, shop, `{"id":${next}}`);
          assert.equal(ok.status, 200, ok.text);
          assert.equal(ok.body.status, 'stored');
          assert.equal(await rowsWithId(next), 1);
        },
      );
    }
  }

  test(`exactly ${MAX_PAYLOAD_DEPTH} levels is accepted and stored as sent`, async () => {
    const id = ++lastId;
    // the outer object is level 1
    const res = await deliverShopify(app, shop, `{"id":${id},"x":${arrays(MAX_PAYLOAD_DEPTH - 1)}}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'stored');
    assert.equal(res.body.payloadIssues, undefined);
    assert.equal(await rowsWithId(id), 1);
    const over = await deliverShopify(app, shop, `{"id":${++lastId},"x":${arrays(MAX_PAYLOAD_DEPTH)}}`);
    assert.equal(over.status, 422, over.text);
  });

  test(
    'a payload that deep reaching the store another way (a poll) is stored flagged, its text kept; the database ' +
      'stays responsive',
    async () => {
      const store = new EventStore(fx.db);
      const payload = `{"id":"polled-deep","rows":${objects(8_000)}}`;
      const result = await store.store([
        {
          userId: user.id,
          integrationId: null,
          source: 'shopify',
          eventType: 'shopify.order.created',
          eventDataJson: payload,
          eventTimestamp: new Date(),
          dedupeKey: `deep-poll-${fx.engine}`,
          via: 'poll',
        },
      ]);
      assert.equal(result.inserted, 1);
      assert.deepEqual(result.issues, [['too_deep']]);
      const { rows } = await fx.db.query<{ raw: string; id: string; issues: string[] }>(
        `select event_data_raw as raw, event_data->>'id' as id, payload_issues as issues from background_events
       where dedupe_key = $1`,
        [`deep-poll-${fx.engine}`],
      );
      assert.equal(rows[0]?.raw, payload);
      assert.equal(rows[0]?.id, 'polled-deep');
      assert.deepEqual(rows[0]?.issues, ['too_deep']);
      await fx.db.ping();
    },
  );

  test('"duplicate" only when the row exists: an INSERT that stores nothing and finds nothing is a 503', async () => {
    // A real trigger that silently drops some rows: the INSERT ... ON CONFLICT DO NOTHING returns
    // no row for them, exactly as PGlite did for a payload too deep, though no earlier copy exists.
    await fx.db.exec(`
      create function drop_vanishing() returns trigger language plpgsql as $$
      begin return null; end $$;
      create trigger drop_vanishing before insert on background_events
        for each row when (new.dedupe_key like '%vanish%') execute function drop_vanishing();`);
    try {
      // products/update without updated_at: the delivery's own key (shop:event id), which names it.
      const vanishing = await deliverShopify(app, shop, `{"id":${++lastId}}`, {
        topic: 'products/update',
        headers: { 'x-shopify-event-id': `vanish-${fx.engine}` },
      });
      assert.equal(vanishing.status, 503, vanishing.text);
      assert.equal(vanishing.headers.get('retry-after'), '5');
      assert.equal(vanishing.body.error.code, 'unavailable');

      // A true duplicate is still a 200 duplicate.
      const body = `{"id":${++lastId}}`;
      const headers = { 'x-shopify-event-id': `twice-${fx.engine}`, 'x-shopify-webhook-id': `twice-${fx.engine}` };
      const first = await deliverShopify(app, shop, body, { headers });
      const second = await deliverShopify(app, shop, body, { headers });
      assert.equal(first.body.status, 'stored');
      assert.equal(second.status, 200);
      assert.equal(second.body.status, 'duplicate');
    } finally {
      await fx.db.exec('drop trigger drop_vanishing on background_events; drop function drop_vanishing();');
    }
  });
});
