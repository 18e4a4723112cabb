import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { IntegrationRow } from '../../src/db/queries/integrations.js';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';

const PUBLIC_URL = 'https://lookout.example.com';
const HOOK_URI = `${PUBLIC_URL}/webhooks/shopify`;
const ALL_TOPICS = [
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
  'PRODUCTS_DELETE',
  'COLLECTIONS_CREATE',
  'COLLECTIONS_UPDATE',
  'ORDERS_CREATE',
  'INVENTORY_LEVELS_UPDATE',
  'APP_UNINSTALLED',
];

/** Signs a callback query the way Shopify does: hex HMAC-SHA256 of the sorted `k=v` pairs. */
function signedQuery(params: Record<string, string>, secret: string): URLSearchParams {
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  const hmac = createHmac('sha256', secret).update(message).digest('hex');
  return new URLSearchParams({ ...params, hmac });
}

describeEachEngine('Shopify app install and webhook subscriptions', (fx) => {
  let app: TestApp;
  let fake: FakeShopifyAdmin;

  before(async () => {
    fake = await FakeShopifyAdmin.start();
    app = await startTestApp(fx.db, {
      SHOPIFY_API_KEY: 'test-api-key',
      // Rotated: the current secret first, the previous one still accepted on callbacks.
      SHOPIFY_API_SECRET: 'test-shopify-secret,previous-shopify-secret',
      LOOKOUT_PUBLIC_URL: PUBLIC_URL,
      SHOPIFY_ADMIN_API_URL: fake.url,
    });
  });
  after(async () => {
    await app?.close();
    await fake?.close();
  });

  async function startInstall(apiKey: string, shop: string) {
    const res = await fetch(`${app.url}/api/integrations/shopify/install`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ shopDomain: shop }),
    });
    assert.equal(res.status, 200, await res.clone().text());
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const body = (await res.json()) as { authorizeUrl: string };
    const state = new URL(body.authorizeUrl).searchParams.get('state') ?? '';
    return { authorizeUrl: body.authorizeUrl, state, cookie, setCookie: res.headers.get('set-cookie') ?? '' };
  }

  function callback(query: URLSearchParams, cookie: string, accept = 'application/json') {
    return fetch(`${app.url}/auth/shopify/callback?${query.toString()}`, {
      redirect: 'manual',
      headers: { cookie, accept },
    });
  }

  function callbackParams(shop: string, state: string, code: string, at = Math.floor(Date.now() / 1000)) {
    return { code, shop, state, timestamp: String(at), host: 'YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvZGVtbw' };
  }

  async function shopifyIntegrations(apiKey: string) {
    const list = await app.call('GET', '/api/integrations', { key: apiKey });
    // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field
    return (list.body.items as any[]).filter((i) => i.kind === 'shopify');
  }

  it('answers the authorize URL with the app key, scopes, redirect and a state; sets an HttpOnly cookie', async () => {
    const user = await app.createUser();
    const { authorizeUrl, state, setCookie } = await startInstall(user.apiKey, 'Start-Shop.myshopify.com');
    const url = new URL(authorizeUrl);
    assert.equal(url.origin, 'https://start-shop.myshopify.com');
    assert.equal(url.pathname, '/admin/oauth/authorize');
    assert.equal(url.searchParams.get('client_id'), 'test-api-key');
    assert.equal(url.searchParams.get('scope'), 'read_products,read_inventory,read_orders');
    assert.equal(url.searchParams.get('redirect_uri'), `${PUBLIC_URL}/auth/shopify/callback`);
    assert.ok(state.length >= 32);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.match(setCookie, /Secure/);
    // The state is stored hashed only.
    const { rows } = await fx.db.query<{ n: number }>(
      'select count(*)::int as n from shopify_install_states where state_hash = $1',
      [state],
    );
    assert.equal(rows[0]?.n, 0);
  });

  it('refuses a bad shop domain and a missing API key', async () => {
    const user = await app.createUser();
    const bad = await app.call('POST', '/api/integrations/shopify/install', {
      key: user.apiKey,
      body: { shopDomain: 'evil.example.com' },
    });
    assert.equal(bad.status, 400);
    const anon = await app.call('POST', '/api/integrations/shopify/install', {
      body: { shopDomain: 'a.myshopify.com' },
    });
    assert.equal(anon.status, 401);
  });

  it('says which variable is missing when the app is not configured', async () => {
    const bare = await startTestApp(fx.db, { LOOKOUT_PUBLIC_URL: '' });
    try {
      const user = await bare.createUser();
      const res = await bare.call('POST', '/api/integrations/shopify/install', {
        key: user.apiKey,
        body: { shopDomain: 'a.myshopify.com' },
      });
      assert.equal(res.status, 409);
      assert.equal(res.body.error.code, 'shopify_app_not_configured');
      assert.match(res.body.error.message, /SHOPIFY_API_KEY/);
      assert.match(res.body.error.message, /LOOKOUT_PUBLIC_URL/);
      assert.doesNotMatch(res.body.error.message, /SHOPIFY_API_SECRET,/);
    } finally {
      await bare.close();
    }
  });

  it('completes an install: code exchanged, token sealed, shop proven by oauth, webhooks subscribed, 302', async () => {
    const user = await app.createUser();
    const shop = 'install-shop.myshopify.com';
    const { state, cookie } = await startInstall(user.apiKey, shop);
    const code = fake.issueCode(shop);
    // Signed with the previous (rotated) secret: still accepted.
    const res = await callback(signedQuery(callbackParams(shop, state, code), 'previous-shopify-secret'), cookie);
    assert.equal(res.status, 302, await res.text());
    assert.equal(res.headers.get('location'), `${PUBLIC_URL}/#integrations`);
    assert.deepEqual(fake.oauthExchanges.at(-1), { code, ok: true });

    const [integration] = await shopifyIntegrations(user.apiKey);
    assert.equal(integration.shopDomain, shop);
    assert.equal(integration.ownership.status, 'proven');
    assert.equal(integration.ownership.method, 'oauth');
    assert.equal(integration.hasCredentials, true);
    assert.deepEqual(integration.scopes.missing, []);
    assert.deepEqual(integration.scopes.featuresOff, []);
    // The token is sealed, never stored as sent.
    const { rows } = await fx.db.query<{ credentials: string }>('select credentials from integrations where id = $1', [
      integration.id,
    ]);
    assert.doesNotMatch(rows[0]?.credentials ?? '', /shpat_/);

    const ours = fake.subscriptionsOf(shop).filter((w) => w.uri === HOOK_URI);
    assert.deepEqual(ours.map((w) => w.topic).sort(), [...ALL_TOPICS].sort());
    assert.ok(ours.every((w) => w.format === 'JSON'));
    assert.ok(integration.webhookSubscriptions.topics.every((t: { status: string }) => t.status === 'created'));

    // Used once: the same state again is refused, and nothing is exchanged.
    const exchanges = fake.oauthExchanges.length;
    const again = await callback(
      signedQuery(callbackParams(shop, state, fake.issueCode(shop)), 'test-shopify-secret'),
      cookie,
    );
    assert.equal(again.status, 400);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'invalid_state');
    assert.equal(fake.oauthExchanges.length, exchanges);
  });

  it('refuses a tampered callback (401) before touching the state or Shopify', async () => {
    const user = await app.createUser();
    const shop = 'tamper-shop.myshopify.com';
    const { state, cookie } = await startInstall(user.apiKey, shop);
    const signed = signedQuery(callbackParams(shop, state, fake.issueCode(shop)), 'test-shopify-secret');
    signed.set('code', fake.issueCode(shop));
    const exchanges = fake.oauthExchanges.length;
    const res = await callback(signed, cookie);
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'bad_signature');
    const wrongSecret = await callback(
      signedQuery(callbackParams(shop, state, fake.issueCode(shop)), 'not-the-app-secret'),
      cookie,
    );
    assert.equal(wrongSecret.status, 401);
    assert.equal(fake.oauthExchanges.length, exchanges);
    assert.deepEqual(await shopifyIntegrations(user.apiKey), []);
    // The state survived the forgeries: the genuine callback still completes.
    const ok = await callback(
      signedQuery(callbackParams(shop, state, fake.issueCode(shop)), 'test-shopify-secret'),
      cookie,
    );
    assert.equal(ok.status, 302);
  });

  it('refuses an expired state, a stale timestamp and a shop other than the one started', async () => {
    const user = await app.createUser();
    const shop = 'expiry-shop.myshopify.com';
    const exchanges = fake.oauthExchanges.length;

    const expired = await startInstall(user.apiKey, shop);
    await fx.db.query(`update shopify_install_states set expires_at = now() - interval '1 second'`);
    const res = await callback(
      signedQuery(callbackParams(shop, expired.state, fake.issueCode(shop)), 'test-shopify-secret'),
      expired.cookie,
    );
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'expired_state');

    const stale = await startInstall(user.apiKey, shop);
    const dayAndMinuteAgo = Math.floor(Date.now() / 1000) - 86_460;
    const staleRes = await callback(
      signedQuery(callbackParams(shop, stale.state, fake.issueCode(shop), dayAndMinuteAgo), 'test-shopify-secret'),
      stale.cookie,
    );
    assert.equal(staleRes.status, 400);
    assert.equal(((await staleRes.json()) as { error: { code: string } }).error.code, 'stale_callback');

    const other = await startInstall(user.apiKey, shop);
    const otherShop = 'someone-else.myshopify.com';
    const mismatch = await callback(
      signedQuery(callbackParams(otherShop, other.state, fake.issueCode(otherShop)), 'test-shopify-secret'),
      other.cookie,
    );
    assert.equal(mismatch.status, 400);
    assert.equal(fake.oauthExchanges.length, exchanges);
    assert.deepEqual(await shopifyIntegrations(user.apiKey), []);
  });

  it("refuses another user's state: a callback link sent to someone else connects nothing", async () => {
    const attacker = await app.createUser();
    const victim = await app.createUser();
    const shop = 'victim-shop.myshopify.com';
    const attackerInstall = await startInstall(attacker.apiKey, shop);
    const victimInstall = await startInstall(victim.apiKey, shop);
    const exchanges = fake.oauthExchanges.length;
    // The victim's browser (its own cookie) follows the attacker's link.
    const res = await callback(
      signedQuery(callbackParams(shop, attackerInstall.state, fake.issueCode(shop)), 'test-shopify-secret'),
      victimInstall.cookie,
      'text/html',
    );
    assert.equal(res.status, 401);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /another browser or account/);
    assert.equal(fake.oauthExchanges.length, exchanges);
    assert.deepEqual(await shopifyIntegrations(attacker.apiKey), []);
    assert.deepEqual(await shopifyIntegrations(victim.apiKey), []);
  });

  it('stores nothing when Shopify refuses the code', async () => {
    const user = await app.createUser();
    const shop = 'refused-code.myshopify.com';
    const { state, cookie } = await startInstall(user.apiKey, shop);
    const res = await callback(signedQuery(callbackParams(shop, state, 'never-issued'), 'test-shopify-secret'), cookie);
    assert.equal(res.status, 502);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'exchange_failed');
    assert.match(body.error.message, /not found or was already used/);
    assert.deepEqual(await shopifyIntegrations(user.apiKey), []);
  });

  it('shows a reduced grant: features off and why, their topics not subscribed', async () => {
    const user = await app.createUser();
    const shop = 'reduced-shop.myshopify.com';
    const { state, cookie } = await startInstall(user.apiKey, shop);
    const code = fake.issueCode(shop, 'read_products');
    const res = await callback(signedQuery(callbackParams(shop, state, code), 'test-shopify-secret'), cookie);
    assert.equal(res.status, 302);
    const [integration] = await shopifyIntegrations(user.apiKey);
    assert.deepEqual(integration.scopes.granted, ['read_products']);
    assert.deepEqual(integration.scopes.missing, ['read_inventory', 'read_orders']);
    assert.deepEqual(
      integration.scopes.featuresOff.map((f: { scope: string }) => f.scope),
      ['read_inventory', 'read_orders'],
    );
    const status = Object.fromEntries(
      integration.webhookSubscriptions.topics.map((t: { topic: string; status: string }) => [t.topic, t.status]),
    );
    assert.equal(status['orders/create'], 'skipped');
    assert.equal(status['inventory_levels/update'], 'skipped');
    assert.equal(status['products/create'], 'created');
    assert.equal(fake.subscriptionsOf(shop).length, 6);
  });

  it(
    'syncs idempotently, repairs drift, removes unhandled topics at our address only, ' + 'surfaces userErrors',
    async () => {
      const user = await app.createUser();
      const shop = 'sync-shop.myshopify.com';
      const { state, cookie } = await startInstall(user.apiKey, shop);
      await callback(signedQuery(callbackParams(shop, state, fake.issueCode(shop)), 'test-shopify-secret'), cookie);
      const [integration] = await shopifyIntegrations(user.apiKey);
      assert.equal(fake.subscriptionsOf(shop).length, 8);

      const second = await app.call('POST', `/api/integrations/${integration.id}/webhooks/sync`, { key: user.apiKey });
      assert.equal(second.status, 200);
      assert.deepEqual(second.body.created, []);
      assert.deepEqual(second.body.updated, []);
      assert.deepEqual(second.body.removed, []);
      assert.equal(second.body.kept.length, 8);

      const drifted = fake.subscriptionsOf(shop).find((w) => w.topic === 'PRODUCTS_UPDATE');
      assert.ok(drifted);
      drifted.uri = 'https://old-tunnel.example.net/webhooks/shopify';
      fake.webhookSubscriptions.push(
        { id: 'gid://shopify/WebhookSubscription/1', shop, topic: 'CUSTOMERS_CREATE', uri: HOOK_URI, format: 'JSON' },
        {
          id: 'gid://shopify/WebhookSubscription/2',
          shop,
          topic: 'CARTS_CREATE',
          uri: 'https://other.example.org/h',
          format: 'JSON',
        },
      );
      const ordersSub = fake.webhookSubscriptions.findIndex((w) => w.shop === shop && w.topic === 'ORDERS_CREATE');
      fake.webhookSubscriptions.splice(ordersSub, 1);
      fake.refuseTopics.set('ORDERS_CREATE', 'Access denied for orders field. Required access: `read_orders`');
      try {
        const third = await app.call('POST', `/api/integrations/${integration.id}/webhooks/sync`, { key: user.apiKey });
        assert.equal(third.status, 200, third.text);
        assert.deepEqual(third.body.updated, ['products/update']);
        assert.deepEqual(third.body.removed, ['CUSTOMERS_CREATE']);
        assert.deepEqual(third.body.created, []);
        assert.equal(third.body.failed.length, 1);
        assert.equal(third.body.failed[0].topic, 'orders/create');
        assert.match(third.body.failed[0].message, /Access denied/);
        assert.equal(drifted.uri, HOOK_URI);
        assert.ok(
          fake.webhookSubscriptions.some((w) => w.topic === 'CARTS_CREATE'),
          'not ours: left alone',
        );

        const view = await app.call('GET', `/api/integrations/${integration.id}`, { key: user.apiKey });
        const orders = view.body.webhookSubscriptions.topics.find(
          (t: { topic: string }) => t.topic === 'orders/create',
        );
        assert.equal(orders.status, 'failed');
        assert.match(orders.error, /Access denied/);
        assert.equal(view.body.webhookSubscriptions.drift, true);
        assert.ok(view.body.webhookSubscriptions.lastSyncAt);
      } finally {
        fake.refuseTopics.clear();
      }

      const stranger = await app.createUser();
      const foreign = await app.call('POST', `/api/integrations/${integration.id}/webhooks/sync`, {
        key: stranger.apiKey,
      });
      assert.equal(foreign.status, 404);
      const malformed = await app.call('POST', '/api/integrations/not-a-uuid/webhooks/sync', { key: user.apiKey });
      assert.equal(malformed.status, 404);
    },
  );

  it('the poll loop repairs drift once a day and records it', async () => {
    const user = await app.createUser();
    const shop = 'daily-shop.myshopify.com';
    const { state, cookie } = await startInstall(user.apiKey, shop);
    await callback(signedQuery(callbackParams(shop, state, fake.issueCode(shop)), 'test-shopify-secret'), cookie);
    const [integration] = await shopifyIntegrations(user.apiKey);
    const sub = fake.subscriptionsOf(shop).find((w) => w.topic === 'APP_UNINSTALLED');
    assert.ok(sub);
    sub.uri = 'https://old-tunnel.example.net/webhooks/shopify';
    const row = async () =>
      (await fx.db.query<IntegrationRow>('select * from integrations where id = $1', [integration.id])).rows[0]!;

    // Synced at install: not due, so a poll leaves the drift alone.
    await app.lookout.ctx.loop.pollIntegration(await row());
    assert.equal(sub.uri, 'https://old-tunnel.example.net/webhooks/shopify');

    await fx.db.query(`update integrations set webhook_synced_at = now() - interval '25 hours' where id = $1`, [
      integration.id,
    ]);
    await app.lookout.ctx.loop.pollIntegration(await row());
    assert.equal(sub.uri, HOOK_URI);
    const after = await app.call('GET', `/api/integrations/${integration.id}`, { key: user.apiKey });
    assert.equal(after.body.health.lastPollError, null);
    assert.equal(after.body.webhookSubscriptions.drift, true);
    assert.ok(Date.now() - Date.parse(after.body.webhookSubscriptions.lastSyncAt) < 60_000);
    const appUninstalled = after.body.webhookSubscriptions.topics.find(
      (t: { topic: string }) => t.topic === 'app/uninstalled',
    );
    assert.equal(appUninstalled.status, 'updated');
  });

  it('says why a sync cannot run on an integration without a token', async () => {
    const user = await app.createUser();
    const created = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'shopify', shopDomain: 'no-token.myshopify.com' },
    });
    const res = await app.call('POST', `/api/integrations/${created.body.id}/webhooks/sync`, { key: user.apiKey });
    assert.equal(res.status, 409);
    assert.match(res.body.error.message, /no access token/);
  });
});
