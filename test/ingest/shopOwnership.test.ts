import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { IntegrationRow } from '../../src/db/queries/integrations.js';
import { markShopProven } from '../../src/ingest/shopOwnership.js';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';

const APP_SECRET = 'test-shopify-secret';

/**
 * Ownership before data: a Shopify integration is a claim anyone can type, and only a claim whose
 * user proved the shop is theirs receives the shop's webhooks (orders carry customers' emails).
 */
describeEachEngine('Shopify shop ownership', (fx) => {
  let app: TestApp;
  let shopify: FakeShopifyAdmin;
  let n = 0;

  before(async () => {
    shopify = await FakeShopifyAdmin.start({ accessToken: 'shpat_unused_default', shopDomain: 'unused.myshopify.com' });
    // web role: no poll loop running underneath; the tests run the loop's poll themselves.
    app = await startTestApp(fx.db, { SHOPIFY_ADMIN_API_URL: shopify.url }, { role: 'web' });
  });
  after(async () => {
    await app.close();
    await shopify.close();
  });

  /** A shop of its own per test, with an Admin API token that belongs to it. */
  function newShop(name: string): { shop: string; token: string } {
    n += 1;
    const shop = `${name}-${n}-${fx.engine}.myshopify.com`;
    const token = `shpat_${randomUUID().replace(/-/g, '')}`;
    shopify.addToken(token, shop);
    return { shop, token };
  }

  const orderBody = (id: string, email: string) =>
    Buffer.from(
      `{"id": ${id}, "admin_graphql_api_id": "gid://shopify/Order/${id}", "email": "${email}", "line_items": []}`,
    );

  async function deliverOrder(shop: string, id: string, secret = APP_SECRET) {
    const body = orderBody(id, `buyer-${id}@example.net`);
    return app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('orders/create', shop, body, secret),
    });
  }

  /** Which users hold a stored copy of the order. */
  async function holdersOf(orderId: string): Promise<string[]> {
    const { rows } = await fx.db.query<{ user_id: string }>(
      `select user_id from background_events where event_data->>'id' = $1 order by user_id`,
      [orderId],
    );
    return rows.map((r) => r.user_id);
  }

  async function row(id: string): Promise<IntegrationRow> {
    const { rows } = await fx.db.query<IntegrationRow>('select * from integrations where id = $1', [id]);
    return rows[0]!;
  }

  async function claim(user: { apiKey: string }, shop: string, extra: Record<string, unknown> = {}) {
    const res = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'shopify', shopDomain: shop, ...extra },
    });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  test("a stranger's claim of a connected shop is pending and receives nothing; the owner still receives", async () => {
    const { shop, token } = newShop('owned');
    const owner = await app.createUser();
    const stranger = await app.createUser();
    const owned = await claim(owner, shop, { accessToken: token });
    assert.deepEqual(
      { status: owned.ownership.status, method: owned.ownership.method },
      { status: 'proven', method: 'access_token' },
    );

    const strangers = await claim(stranger, shop);
    assert.equal(strangers.ownership.status, 'pending');
    assert.match(strangers.ownership.reason, /nothing proves this shop is yours/);
    assert.match(strangers.ownership.nextStep, /accessToken/);
    assert.match(strangers.ownership.nextStep, /lookout shopify attach --integration/);
    const listed = await app.call('GET', '/api/integrations', { key: stranger.apiKey });
    assert.equal(listed.body.items[0].ownership.status, 'pending', 'GET /api/integrations says pending too');

    const res = await deliverOrder(shop, '9007199254740993501');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'stored');
    assert.deepEqual(await holdersOf('9007199254740993501'), [owner.id], 'the owner only');
    const seen = await app.call('GET', '/api/events?type=shopify.order.created', { key: stranger.apiKey });
    assert.deepEqual(seen.body.items, [], 'the stranger sees no order, no customer email');
  });

  test("a stranger's own webhookSecret signs nothing into the owner's integration", async () => {
    const { shop } = newShop('keyed');
    const owner = await app.createUser();
    const stranger = await app.createUser();
    await app.connectShop(owner, shop, { webhookSecret: 'owner-store-key-000' });
    const strangers = await claim(stranger, shop, { webhookSecret: 'stranger-chosen-key' });

    // Signed with the stranger's key while their claim is pending: acknowledged, stored nowhere.
    const pending = await deliverOrder(shop, '9007199254740993511', 'stranger-chosen-key');
    assert.equal(pending.status, 200, pending.text);
    assert.equal(pending.body.status, 'unproven_shop');
    assert.deepEqual(await holdersOf('9007199254740993511'), []);

    // Even once the stranger proves the shop (a second staff account), their key speaks only
    // for their own integration, and the owner's key only for the owner's.
    const proven = await app.call('POST', `/api/admin/integrations/${strangers.id}/prove`, { key: ADMIN_TOKEN });
    assert.equal(proven.status, 200, proven.text);
    assert.equal((await deliverOrder(shop, '9007199254740993512', 'stranger-chosen-key')).status, 200);
    assert.deepEqual(await holdersOf('9007199254740993512'), [stranger.id]);
    assert.equal((await deliverOrder(shop, '9007199254740993513', 'owner-store-key-000')).status, 200);
    assert.deepEqual(await holdersOf('9007199254740993513'), [owner.id]);
    // The app's own secret speaks for the shop: every proven claim receives it.
    assert.equal((await deliverOrder(shop, '9007199254740993514')).status, 200);
    assert.deepEqual(await holdersOf('9007199254740993514'), [owner.id, stranger.id].sort());
    // A key nobody holds is still a bad signature.
    assert.equal((await deliverOrder(shop, '9007199254740993515', 'nobody-has-this-key')).status, 401);
  });

  test('a shop with only pending claims: 200, counted, nothing stored', async () => {
    const { shop } = newShop('unproven');
    const user = await app.createUser();
    await claim(user, shop);
    const res = await deliverOrder(shop, '9007199254740993521');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'unproven_shop');
    assert.deepEqual(await holdersOf('9007199254740993521'), []);
    const metrics = await app.call('GET', '/metrics');
    assert.match(metrics.text, /lookout_webhook_rejected_total\{source="shopify",reason="unproven_shop"\} [1-9]/);
  });

  test('a token of another shop, or one Shopify refuses, leaves the claim pending and says why', async () => {
    const mine = newShop('mine');
    const theirs = newShop('theirs');
    const user = await app.createUser();
    const wrongShop = await claim(user, theirs.shop, { accessToken: mine.token });
    assert.equal(wrongShop.ownership.status, 'pending');
    assert.equal(wrongShop.ownership.retrying, false);
    assert.match(wrongShop.ownership.reason, new RegExp(`belongs to ${mine.shop.replace(/\./g, '\\.')}`));
    assert.equal(wrongShop.tokenCheck.outcome, 'refused');

    const refused = await claim(user, theirs.shop, { accessToken: 'shpat_not_a_token_of_anyone' });
    assert.equal(refused.ownership.status, 'pending');
    assert.equal(refused.ownership.retrying, false);
    assert.match(refused.ownership.reason, /did not accept the access token/);

    assert.equal((await deliverOrder(theirs.shop, '9007199254740993531')).body.status, 'unproven_shop');
    assert.deepEqual(await holdersOf('9007199254740993531'), []);
  });

  test('Shopify unreachable at creation: pending, retried by the poll loop, then proven and receiving', async () => {
    const { shop, token } = newShop('flaky');
    const user = await app.createUser();
    shopify.failNext(503);
    const created = await claim(user, shop, { accessToken: token });
    assert.equal(created.ownership.status, 'pending');
    assert.equal(created.ownership.retrying, true);
    assert.match(created.ownership.reason, /could not reach Shopify/);
    assert.equal((await deliverOrder(shop, '9007199254740993541')).body.status, 'unproven_shop');

    // The next poll checks the token again (and, proven, goes on to poll the shop).
    await app.lookout.ctx.loop.pollIntegration(await row(created.id));
    const after = await app.call('GET', `/api/integrations/${created.id}`, { key: user.apiKey });
    assert.deepEqual(
      { status: after.body.ownership.status, method: after.body.ownership.method },
      { status: 'proven', method: 'access_token' },
    );
    app.lookout.ctx.shopRouting.forget(shop);
    assert.equal((await deliverOrder(shop, '9007199254740993542')).body.status, 'stored');
    assert.deepEqual(await holdersOf('9007199254740993542'), [user.id]);
  });

  test('a claim proven later with POST /api/integrations/:id/shopify/verify receives from then on', async () => {
    const { shop, token } = newShop('later');
    const user = await app.createUser();
    const created = await claim(user, shop);
    const noToken = await app.call('POST', `/api/integrations/${created.id}/shopify/verify`, {
      key: user.apiKey,
      body: {},
    });
    assert.equal(noToken.status, 400);
    assert.equal(noToken.body.error.code, 'no_access_token');
    const other = await app.createUser();
    const notTheirs = await app.call('POST', `/api/integrations/${created.id}/shopify/verify`, {
      key: other.apiKey,
      body: { accessToken: token },
    });
    assert.equal(notTheirs.status, 404, "another user's integration does not exist for them");
    const verified = await app.call('POST', `/api/integrations/${created.id}/shopify/verify`, {
      key: user.apiKey,
      body: { accessToken: token },
    });
    assert.equal(verified.status, 200, verified.text);
    assert.equal(verified.body.ownership.status, 'proven');
    assert.equal(verified.body.hasCredentials, true);
    assert.ok(!verified.text.includes(token), 'the token is never returned');
    assert.equal((await deliverOrder(shop, '9007199254740993551')).body.status, 'stored');
  });

  test('operator-attached shops receive: a new integration, or a pending claim made proven', async () => {
    const { shop } = newShop('attached');
    const user = await app.createUser(`attached-${fx.engine}-${randomUUID()}@example.com`);
    const byUser = await app.call('POST', '/api/admin/integrations/shopify', {
      key: user.apiKey,
      body: { user: user.id, shopDomain: shop },
    });
    assert.equal(byUser.status, 401, 'a user cannot vouch for themselves');
    const attached = await app.call('POST', '/api/admin/integrations/shopify', {
      key: ADMIN_TOKEN,
      body: { user: user.id, shopDomain: shop },
    });
    assert.equal(attached.status, 201, attached.text);
    assert.deepEqual(
      { status: attached.body.ownership.status, method: attached.body.ownership.method },
      { status: 'proven', method: 'operator' },
    );
    assert.equal((await deliverOrder(shop, '9007199254740993561')).body.status, 'stored');
    assert.deepEqual(await holdersOf('9007199254740993561'), [user.id]);

    // A pending claim of another shop, attached by email: the same integration becomes proven.
    const second = newShop('attached-later');
    const pending = await claim(user, second.shop);
    const again = await app.call('POST', '/api/admin/integrations/shopify', {
      key: ADMIN_TOKEN,
      body: {
        user: (await fx.db.query<{ email: string }>('select email from users where id = $1', [user.id])).rows[0]!.email,
        shopDomain: second.shop,
      },
    });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.id, pending.id);
    assert.equal(again.body.ownership.status, 'proven');
    assert.equal((await deliverOrder(second.shop, '9007199254740993562')).body.status, 'stored');
    const unknown = await app.call('POST', '/api/admin/integrations/shopify', {
      key: ADMIN_TOKEN,
      body: { user: 'nobody@example.com', shopDomain: second.shop },
    });
    assert.equal(unknown.status, 404);
  });

  test('markShopProven (what the app install calls) makes a pending claim receive', async () => {
    const { shop } = newShop('installed');
    const user = await app.createUser();
    const created = await claim(user, shop);
    assert.equal((await deliverOrder(shop, '9007199254740993571')).body.status, 'unproven_shop');
    const proven = await markShopProven(fx.db, created.id, 'oauth');
    assert.equal(proven?.shop_proof, 'oauth');
    app.lookout.ctx.shopRouting.forget(shop);
    assert.equal((await deliverOrder(shop, '9007199254740993572')).body.status, 'stored');
    assert.equal(await markShopProven(fx.db, randomUUID(), 'oauth'), undefined, 'no such integration');
  });

  test('a token-proven claim whose token Shopify revokes is pending again at the next poll', async () => {
    const { shop, token } = newShop('revoked');
    const user = await app.createUser();
    const created = await claim(user, shop, { accessToken: token });
    assert.equal(created.ownership.status, 'proven');
    shopify.revokeToken(token);
    await app.lookout.ctx.loop.pollIntegration(await row(created.id));
    const after = await app.call('GET', `/api/integrations/${created.id}`, { key: user.apiKey });
    assert.equal(after.body.ownership.status, 'pending');
    assert.match(after.body.ownership.reason, /refused the access token/);
    app.lookout.ctx.shopRouting.forget(shop);
    assert.equal((await deliverOrder(shop, '9007199254740993581')).body.status, 'unproven_shop');
  });
});

describeEachEngine('Shopify quick set-up ownership', (fx) => {
  test("the operator's SHOPIFY_STORE_URL store is proven: its webhooks reach the default user", async () => {
    const app = await startTestApp(fx.db, { SHOPIFY_STORE_URL: 'https://quick-owned.myshopify.com' }, { role: 'web' });
    try {
      const key = app.lookout.defaultUserApiKey!;
      const body = Buffer.from(
        '{"id": 9007199254740993591, "admin_graphql_api_id": "gid://shopify/Order/9007199254740993591"}',
      );
      const res = await app.call('POST', '/webhooks/shopify', {
        raw: body,
        headers: shopifyHeaders('orders/create', 'quick-owned.myshopify.com', body, APP_SECRET),
      });
      assert.equal(res.body.status, 'stored', res.text);
      const events = await app.call('GET', '/api/events?type=shopify.order.created', { key });
      assert.equal(events.body.items.length, 1);
    } finally {
      await app.close();
    }
  });
});
