import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPostgres } from '../../src/db/postgres.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { fixtureBody, fixtureTopics, shopifyHeaders } from '../helpers/shopify.js';
import { startTcpProxy } from '../helpers/tcpProxy.js';

const SECRET = 'test-shopify-secret';

describeEachEngine('POST /webhooks/shopify', (fx) => {
  let app: TestApp;
  let user: { id: string; apiKey: string };
  const shop = `store-${fx.engine}.myshopify.com`;

  before(async () => {
    app = await startTestApp(fx.db, { SHOPIFY_API_SECRET: `new-rotated-secret,${SECRET}` });
    user = await app.createUser();
    const res = await app.connectShop(user, shop, { webhookSecret: 'store-admin-key-123' });
    assert.equal(res.ownership.status, 'proven');
  });
  after(() => app.close());

  const send = (body: Buffer | string, headers: Record<string, string>) =>
    app.call('POST', '/webhooks/shopify', { raw: body, headers });

  test('every fixture topic is accepted; handled topics are stored with their event type', async () => {
    // A store of its own: shop/redact and customers/redact act on every event of the store, and
    // app/uninstalled (which has its own test below) would disable it.
    const owner = await app.createUser();
    const ownShop = `fixtures-${fx.engine}.myshopify.com`;
    await app.connectShop(owner, ownShop);
    for (const { topic } of fixtureTopics().filter((t) => t.topic !== 'app/uninstalled')) {
      const body = fixtureBody(topic);
      const res = await send(body, shopifyHeaders(topic, ownShop, body, SECRET));
      assert.equal(res.status, 200, `${topic}: ${res.text}`);
    }
    const { rows } = await fx.db.query<{ event_type: string }>(
      'select distinct event_type from background_events where user_id = $1 order by 1',
      [owner.id],
    );
    const types = rows.map((r) => r.event_type);
    for (const t of [
      'shopify.product.created',
      'shopify.product.updated',
      'shopify.product.deleted',
      'shopify.collection.created',
      'shopify.order.created',
      'shopify.inventory.updated',
      'shopify.customers.redact',
      'shopify.shop.redact',
      'shopify.customers.data_request',
    ]) {
      assert.ok(types.includes(t), `${t} stored (got ${types.join(', ')})`);
    }
  });

  test('an id above 2^53 reaches the database with all its digits', async () => {
    const body = Buffer.from(
      '{"id": 9007199254740993123, "admin_graphql_api_id": "gid://shopify/Order/9007199254740993123", ' +
        '"line_items": [{"id": 18446744073709551615}]}',
    );
    const res = await send(body, shopifyHeaders('orders/create', shop, body, SECRET));
    assert.equal(res.status, 200);
    const { rows } = await fx.db.query<{ id: string; line: string }>(
      `select event_data->>'id' as id, event_data#>>'{line_items,0,id}' as line from background_events
       where event_data->>'id' = '9007199254740993123'`,
    );
    assert.equal(rows[0]?.id, '9007199254740993123');
    assert.equal(rows[0]?.line, '18446744073709551615');
    const api = await app.call('GET', '/api/events?type=shopify.order.created&limit=50', { key: user.apiKey });
    assert.ok(api.text.includes('9007199254740993123') && api.text.includes('18446744073709551615'));
  });

  test('the same delivery sent 5 times concurrently is stored once', async () => {
    const body = Buffer.from('{"id": 5550001, "admin_graphql_api_id": "gid://shopify/Order/5550001"}');
    const headers = shopifyHeaders('orders/create', shop, body, SECRET);
    const results = await Promise.all(Array.from({ length: 5 }, () => send(body, headers)));
    assert.deepEqual(
      results.map((r) => r.status),
      [200, 200, 200, 200, 200],
    );
    const { rows } = await fx.db.query<{ n: number }>(
      `select count(*)::int as n from background_events where event_data->>'id' = '5550001'`,
    );
    assert.equal(rows[0]!.n, 1);
  });

  test('signatures: tampered, missing, wrong secret refused; rotated and per-store secrets accepted', async () => {
    const body = Buffer.from('{"id": 42, "title": "x"}');
    const tampered = await send(
      Buffer.from('{"id": 43, "title": "x"}'),
      shopifyHeaders('orders/create', shop, body, SECRET),
    );
    assert.equal(tampered.status, 401);
    assert.equal(tampered.body.error.code, 'unauthorized');
    const headers = shopifyHeaders('orders/create', shop, body, SECRET);
    delete headers['x-shopify-hmac-sha256'];
    assert.equal((await send(body, headers)).status, 401);
    assert.equal((await send(body, shopifyHeaders('orders/create', shop, body, 'some-other-secret'))).status, 401);
    assert.equal((await send(body, shopifyHeaders('orders/create', shop, body, 'new-rotated-secret'))).status, 200);
    assert.equal((await send(body, shopifyHeaders('orders/create', shop, body, 'store-admin-key-123'))).status, 200);
    const metrics = await app.call('GET', '/metrics');
    assert.match(metrics.text, /lookout_webhook_rejected_total\{source="shopify",reason="bad_signature"\} 2/);
  });

  test('malformed deliveries: non-JSON 400, missing headers 400, oversized 413', async () => {
    const notJson = Buffer.from('this is not json');
    const r1 = await send(notJson, shopifyHeaders('orders/create', shop, notJson, SECRET));
    assert.equal(r1.status, 400);
    assert.equal(r1.body.error.code, 'invalid_body');
    const arr = Buffer.from('[1,2]');
    assert.equal((await send(arr, shopifyHeaders('orders/create', shop, arr, SECRET))).status, 400);

    const body = Buffer.from('{"id": 7}');
    const noTopic = shopifyHeaders('orders/create', shop, body, SECRET);
    delete noTopic['x-shopify-topic'];
    const r2 = await send(body, noTopic);
    assert.equal(r2.status, 400);
    assert.match(r2.body.error.message, /Topic/);

    const big = Buffer.from(`{"pad": "${'x'.repeat(1024 * 1024)}"}`);
    const r3 = await send(big, shopifyHeaders('orders/create', shop, big, SECRET));
    assert.equal(r3.status, 413);
    assert.equal(r3.body.error.code, 'payload_too_large');
  });

  test('a shop nobody connected is acknowledged and counted, not stored', async () => {
    const body = Buffer.from('{"id": 99}');
    const res = await send(body, shopifyHeaders('orders/create', 'stranger.myshopify.com', body, SECRET));
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'unknown_shop');
    const metrics = await app.call('GET', '/metrics');
    assert.match(metrics.text, /lookout_webhook_unknown_shop_total 1/);
  });

  test('a shop proven by two users reaches both', async () => {
    const other = await app.createUser();
    await app.connectShop(other, shop);
    const body = Buffer.from('{"id": 777000, "admin_graphql_api_id": "gid://shopify/Order/777000"}');
    assert.equal((await send(body, shopifyHeaders('orders/create', shop, body, SECRET))).status, 200);
    const { rows } = await fx.db.query<{ user_id: string }>(
      `select user_id from background_events where event_data->>'id' = '777000' order by 1`,
    );
    assert.deepEqual(rows.map((r) => r.user_id).sort(), [user.id, other.id].sort());
  });

  test("app/uninstalled disables the shop's integrations", async () => {
    const u = await app.createUser();
    const s = `leaving-${fx.engine}.myshopify.com`;
    const created = await app.connectShop(u, s);
    const body = fixtureBody('app/uninstalled');
    assert.equal((await send(body, shopifyHeaders('app/uninstalled', s, body, SECRET))).status, 200);
    const list = await app.call('GET', '/api/integrations', { key: u.apiKey });
    assert.equal(list.body.items.find((i: { id: string }) => i.id === created.id).status, 'disabled');
  });
});

describeEachEngine('POST /webhooks/shopify when storage is down', (fx) => {
  test('answers 503, never 200', async () => {
    // On PostgreSQL the app reaches the server through a proxy we can pull the plug on.
    let db = fx.db;
    let proxy: Awaited<ReturnType<typeof startTcpProxy>> | undefined;
    if (fx.engine === 'postgres') {
      const u = new URL(fx.url!);
      proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
      u.host = `127.0.0.1:${proxy.port}`;
      db = await openPostgres({ connectionString: u.toString(), max: 3 });
    }
    const app = await startTestApp(db);
    try {
      const user = await app.createUser();
      const shop = 'down.myshopify.com';
      await app.connectShop(user, shop);
      const body = Buffer.from('{"id": 1}');
      const headers = shopifyHeaders('orders/create', shop, body, 'test-shopify-secret');
      assert.equal(
        (await app.call('POST', '/webhooks/shopify', { raw: body, headers })).status,
        200,
        'stored while the database is up',
      );

      if (proxy) await proxy.stop();
      else await db.close();
      const res = await app.call('POST', '/webhooks/shopify', {
        raw: Buffer.from('{"id": 2}'),
        headers: shopifyHeaders('orders/create', shop, Buffer.from('{"id": 2}'), 'test-shopify-secret'),
      });
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'unavailable');
      assert.equal(res.headers.get('retry-after'), '5');
      assert.equal((await app.call('GET', '/readyz')).status, 503);
    } finally {
      await app.close();
      if (db !== fx.db) await db.close();
    }
  });
});
