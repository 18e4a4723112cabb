/**
 * Shopify's mandatory compliance and lifecycle webhooks, end to end: signed deliveries through
 * POST /webhooks/shopify, processed by the real worker, observed through the API and the tables.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Poller } from '../../src/loop/pollers.js';
import { pollShopifyIntegration } from '../../src/loop/pollers.js';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'test-shopify-secret';

interface Customer {
  id: string;
  email: string;
  firstName: string;
  orders: string[];
}

/** The orders/create fixture for another order and customer, ids written as text (above 2^53). */
function orderBody(shop: string, c: Customer, orderId: string): Buffer {
  const text = fixtureBody('orders/create')
    .toString('utf8')
    .replaceAll('{shop}.myshopify.com', shop)
    .replaceAll('820982911946154508', orderId)
    .replaceAll('115310627314723954', c.id)
    .replaceAll('115310627314723950', c.id)
    .replaceAll('jon@example.com', c.email)
    .replaceAll('john@example.com', c.email)
    .replaceAll('"John"', JSON.stringify(c.firstName));
  return Buffer.from(text);
}

function customerRequest(topic: 'customers/redact' | 'customers/data_request', shop: string, c: Customer): Buffer {
  const text = fixtureBody(topic)
    .toString('utf8')
    .replaceAll('{shop}.myshopify.com', shop)
    .replace('191167', c.id)
    .replace('john@example.com', c.email)
    .replace(/\[\s*299938,\s*280263,\s*220458\s*\]/, `[${c.orders.join(', ')}]`);
  assert.ok(text.includes(c.orders[0]!) && text.includes(c.email));
  return Buffer.from(text);
}

describeEachEngine('Shopify compliance webhooks', (fx) => {
  let app: TestApp;
  let shopify: FakeShopifyAdmin;
  const polls = new Map<string, number>();
  const countingPoller: Poller = async (i, deps) => {
    polls.set(i.id, (polls.get(i.id) ?? 0) + 1);
    return pollShopifyIntegration(i, deps);
  };

  before(async () => {
    shopify = await FakeShopifyAdmin.start({ accessToken: 'shpat_compliance_test' });
    app = await startTestApp(
      fx.db,
      { LOOKOUT_POLL_INTERVAL_S: '1', SHOPIFY_ADMIN_API_URL: shopify.url },
      {
        role: 'all',
        pollers: { shopify: countingPoller },
        worker: { backstopMs: 100 },
      },
    );
  });
  after(async () => {
    await app.close();
    await shopify.close();
  });

  const deliver = async (topic: string, shop: string, body: Buffer) => {
    const res = await app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders(topic, shop, body, SECRET),
    });
    assert.equal(res.status, 200, `${topic}: ${res.text}`);
    return res.body as { status: string };
  };
  const eventRows = (userId: string) =>
    fx.db.query<{ id: string; event_type: string; status: string; data: string; integration_id: string | null }>(
      `select id, event_type, status, event_data::text as data, integration_id from background_events where user_id = $1
       order by seq`,
      [userId],
    );
  const allProcessed = (userId: string, n: number) =>
    waitFor(
      async () => {
        const { rows } = await eventRows(userId);
        return rows.length >= n && rows.every((r) => r.status === 'processed') ? rows : undefined;
      },
      `${n} processed events`,
      20_000,
    );

  async function connect(shop: string, extra: Record<string, unknown> = {}) {
    const user = await app.createUser();
    // Orders are suggested one by one, not held for a batch window: the test does not wait on it.
    await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { flow: { batchWindowSeconds: 0 } } });
    const connected = await app.connectShop(user, shop, extra);
    return { user, integrationId: connected.id as string };
  }

  test(
    "customers/redact replaces the customer's stored events and scrubs itself; other " + 'customers are intact',
    async () => {
      const shop = `privacy-${fx.engine}.myshopify.com`;
      const { user } = await connect(shop);
      const x: Customer = {
        id: '9007199254740993001',
        email: 'xavier.redactme@example.net',
        firstName: 'Xavierina',
        orders: ['9007199254740995001', '9007199254740995002'],
      };
      const y: Customer = {
        id: '9007199254740993002',
        email: 'yolanda.keep@example.net',
        firstName: 'Yolanda',
        orders: ['9007199254740995003'],
      };
      await deliver('orders/create', shop, orderBody(shop, x, x.orders[0]!));
      await deliver('orders/create', shop, orderBody(shop, x, x.orders[1]!));
      await deliver('orders/create', shop, orderBody(shop, y, y.orders[0]!));
      await allProcessed(user.id, 3);

      await deliver('customers/redact', shop, customerRequest('customers/redact', shop, x));
      const rows = await waitFor(async () => {
        const { rows: r } = await eventRows(user.id);
        const redact = r.find((e) => e.event_type === 'shopify.customers.redact');
        return redact?.status === 'processed' ? r : undefined;
      }, 'the redact request processed');

      const orders = rows.filter((r) => r.event_type === 'shopify.order.created');
      assert.equal(orders.length, 3);
      const xOrders = orders.filter((r) => !r.data.includes(y.email));
      assert.equal(xOrders.length, 2, "exactly Y's order still names Y");
      for (const r of xOrders) {
        const data = JSON.parse(r.data) as Record<string, unknown>;
        assert.equal(data.redacted, true, `X's order ${r.id} redacted`);
        assert.ok(
          !r.data.includes(x.email) && !r.data.includes(x.id) && !r.data.includes('Xavierina'),
          'nothing of X remains',
        );
      }
      const yOrder = orders.find((r) => r.data.includes(y.email))!;
      const yData = JSON.parse(yOrder.data) as Record<string, unknown>;
      assert.equal(yData.redacted, undefined);
      assert.match(yOrder.data, new RegExp(y.orders[0]!), "Y's order keeps its id digits");
      assert.match(yOrder.data, /Yolanda/);

      const redact = rows.find((r) => r.event_type === 'shopify.customers.redact')!;
      assert.ok(!redact.data.includes(x.email), 'the redact event no longer contains the email');
      assert.ok(!redact.data.includes(x.id), 'nor the customer id');
      assert.equal((JSON.parse(redact.data) as { redacted: boolean }).redacted, true);

      // The API shows the same.
      const api = await app.call('GET', `/api/events/${xOrders[0]!.id}`, { key: user.apiKey });
      assert.equal(api.status, 200);
      assert.equal(api.body.event_data.redacted, true);
      const list = await app.call('GET', '/api/events?source=shopify&limit=100', { key: user.apiKey });
      assert.ok(!list.text.includes(x.email));
      assert.ok(list.text.includes(y.email));
    },
  );

  test(
    'customers/redact also scrubs the suggestions, agent runs and live messages written from the ' +
      "customer's orders",
    async () => {
      const shop = `privacy-sugg-${fx.engine}.myshopify.com`;
      const { user } = await connect(shop);
      const x: Customer = {
        id: '9007199254740993011',
        email: 'zed.redact@example.net',
        firstName: 'Zebedeus',
        orders: ['9007199254740995011'],
      };
      await deliver('orders/create', shop, orderBody(shop, x, x.orders[0]!));
      await allProcessed(user.id, 1);
      await deliver('customers/redact', shop, customerRequest('customers/redact', shop, x));
      await allProcessed(user.id, 2);
      const { rows } = await fx.db.query<{ text: string }>(
        `select title || ' ' || body || ' ' || content::text as text from suggestions where user_id = $1`,
        [user.id],
      );
      assert.ok(rows.length >= 1);
      for (const r of rows) assert.ok(!r.text.includes('Zebedeus'), 'no suggestion names the redacted customer');
      const runs = await fx.db.query<{ text: string }>(
        `select prompt || ' ' || coalesce(output, '') as text from agent_runs where user_id = $1`,
        [user.id],
      );
      for (const r of runs.rows)
        assert.ok(!r.text.includes('Zebedeus') && !r.text.includes(x.email), 'no agent run quotes the customer');
      const live = await fx.db.query<{ text: string }>(
        `select data::text as text from stream_messages where user_id = $1`,
        [user.id],
      );
      for (const r of live.rows) assert.ok(!r.text.includes('Zebedeus'), 'no live message names the customer');
    },
  );

  test('customers/data_request records a row in data_requests', async () => {
    const shop = `dsar-${fx.engine}.myshopify.com`;
    const { user, integrationId } = await connect(shop);
    const x: Customer = {
      id: '9007199254740993021',
      email: 'asks.for.data@example.net',
      firstName: 'Asker',
      orders: ['9007199254740995021', '9007199254740995022'],
    };
    await deliver('customers/data_request', shop, customerRequest('customers/data_request', shop, x));
    const [event] = await allProcessed(user.id, 1);
    const { rows } = await fx.db.query<{
      integration_id: string;
      shop_domain: string;
      customer_id: string;
      customer_email: string;
      orders_requested: string[];
      event_id: string;
      status: string;
    }>(
      'select integration_id, shop_domain, customer_id, customer_email, orders_requested, event_id, status from ' +
        'data_requests where user_id = $1',
      [user.id],
    );
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0], {
      integration_id: integrationId,
      shop_domain: shop,
      customer_id: x.id,
      customer_email: x.email,
      orders_requested: x.orders,
      event_id: event!.id,
      status: 'open',
    });
    // The operator lists and exports it.
    const list = await app.call('GET', '/api/admin/data-requests?status=open', { key: ADMIN_TOKEN });
    const request = list.body.items.find((r: { customerId: string }) => r.customerId === x.id);
    assert.ok(request, 'listed for the operator');
    assert.equal(
      (await app.call('GET', '/api/admin/data-requests', { key: user.apiKey })).status,
      401,
      'operator only',
    );
    const exported = await app.call('GET', `/api/admin/data-requests/${request.id}/export`, { key: ADMIN_TOKEN });
    assert.equal(exported.status, 200);
    assert.equal(exported.body.request.status, 'exported');
    assert.ok(Array.isArray(exported.body.events));
    // A repeated delivery of the same request (Shopify retries) records nothing more.
    const body = customerRequest('customers/data_request', shop, x);
    const headers = shopifyHeaders('customers/data_request', shop, body, SECRET);
    await app.call('POST', '/webhooks/shopify', { raw: body, headers });
    const again = await app.call('POST', '/webhooks/shopify', { raw: body, headers });
    assert.equal(again.body.status, 'duplicate');
    await allProcessed(user.id, 2);
    const { rows: after } = await fx.db.query<{ n: number }>(
      'select count(*)::int as n from data_requests where user_id = $1',
      [user.id],
    );
    assert.equal(after[0]!.n, 2, 'one row per distinct request event');
  });

  test("shop/redact redacts every event of that integration and nothing of the user's other store", async () => {
    const leaving = `leaving-${fx.engine}.myshopify.com`;
    const staying = `staying-${fx.engine}.myshopify.com`;
    const { user, integrationId } = await connect(leaving);
    const second = await app.connectShop(user, staying);
    assert.equal(second.ownership.status, 'proven');
    const c: Customer = {
      id: '9007199254740993031',
      email: 'buyer.s@example.net',
      firstName: 'Shopper',
      orders: ['9007199254740995031'],
    };
    await deliver('products/create', leaving, fixtureBody('products/create'));
    await deliver('orders/create', leaving, orderBody(leaving, c, c.orders[0]!));
    await deliver('orders/create', staying, orderBody(staying, c, '9007199254740995032'));
    await allProcessed(user.id, 3);

    await deliver(
      'shop/redact',
      leaving,
      Buffer.from(fixtureBody('shop/redact').toString('utf8').replaceAll('{shop}.myshopify.com', leaving)),
    );
    const rows = await allProcessed(user.id, 4);
    const ofLeaving = rows.filter((r) => r.integration_id === integrationId);
    assert.equal(ofLeaving.length, 3, 'two deliveries and the redact request itself');
    for (const r of ofLeaving)
      assert.equal((JSON.parse(r.data) as { redacted?: boolean }).redacted, true, `${r.event_type} redacted`);
    const ofStaying = rows.filter((r) => r.integration_id === second.id);
    assert.equal(ofStaying.length, 1);
    assert.match(ofStaying[0]!.data, /buyer\.s@example\.net/, "the other store's events are intact");
    assert.match(ofStaying[0]!.data, /9007199254740995032/);
  });

  test('app/uninstalled disables the integration and its polling stops', async () => {
    const shop = `uninstall-${fx.engine}.myshopify.com`;
    const { user, integrationId } = await connect(shop, { accessToken: 'shpat_compliance_test' });
    await waitFor(() => (polls.get(integrationId) ?? 0) >= 2, 'the integration being polled', 10_000);

    const body = Buffer.from(fixtureBody('app/uninstalled').toString('utf8').replaceAll('{shop}.myshopify.com', shop));
    assert.equal((await deliver('app/uninstalled', shop, body)).status, 'stored');
    const list = await app.call('GET', '/api/integrations', { key: user.apiKey });
    assert.equal(list.body.items.find((i: { id: string }) => i.id === integrationId).status, 'disabled');

    // A poll already running when it arrived may finish; none starts afterwards.
    await new Promise((r) => setTimeout(r, 500));
    const before = polls.get(integrationId)!;
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(polls.get(integrationId), before, 'no poll of a disabled integration');
    // Starting the loop again does not revive it.
    await app.call('POST', '/api/loop/start', { key: user.apiKey });
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(polls.get(integrationId), before, 'loop/start leaves a disabled integration alone');

    const [uninstalled] = await allProcessed(user.id, 1);
    assert.equal(uninstalled!.event_type, 'shopify.app.uninstalled');
    // Later deliveries for the shop are acknowledged but no longer stored for this user.
    const late = fixtureBody('products/create');
    assert.equal((await deliver('products/create', shop, late)).status, 'unknown_shop');
    const { rows } = await eventRows(user.id);
    assert.equal(rows.length, 1);
  });
});
