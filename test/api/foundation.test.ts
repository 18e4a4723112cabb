import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';

describeEachEngine('HTTP foundation', (fx) => {
  let app: TestApp;
  let shopify: FakeShopifyAdmin;
  before(async () => {
    shopify = await FakeShopifyAdmin.start({
      accessToken: 'shpat_secret_token_value',
      shopDomain: 'alice-store.myshopify.com',
    });
    // web only: the API's view of events, with no worker changing them underneath. The sandbox
    // has no DNS: the user's database host is given a public address here.
    app = await startTestApp(
      fx.db,
      { SHOPIFY_ADMIN_API_URL: shopify.url },
      { role: 'web', resolveHost: async () => [{ address: '93.184.215.14', family: 4 }] },
    );
  });
  after(async () => {
    await app.close();
    await shopify.close();
  });

  test('healthz, readyz and metrics answer', async () => {
    assert.equal((await app.call('GET', '/healthz')).status, 200);
    const ready = await app.call('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.database, fx.engine);
    const metrics = await app.call('GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.text, /lookout_http_requests_total\{method="GET",route="\/readyz",status="200"\} 1/);
    assert.match(metrics.text, /lookout_process_resident_memory_bytes/);
  });

  test('operator creates users; bad token, bad body and duplicate email are refused with the error body', async () => {
    const created = await app.call('POST', '/api/admin/users', {
      key: ADMIN_TOKEN,
      body: { email: 'Owner@Example.com', name: 'Owner' },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.id, /^[0-9a-f-]{36}$/);
    assert.match(created.body.apiKey, /^lk_/);

    const noToken = await app.call('POST', '/api/admin/users', { body: { email: 'x@example.com' } });
    assert.equal(noToken.status, 401);
    assert.deepEqual(Object.keys(noToken.body.error).sort(), ['code', 'message']);
    assert.equal(
      (await app.call('POST', '/api/admin/users', { key: 'wrong-token-xxxxxxxx', body: { email: 'x@example.com' } }))
        .status,
      401,
    );
    // a user key is not an operator token
    assert.equal(
      (await app.call('POST', '/api/admin/users', { key: created.body.apiKey, body: { email: 'x@example.com' } }))
        .status,
      401,
    );

    const bad = await app.call('POST', '/api/admin/users', { key: ADMIN_TOKEN, body: { email: 'not-an-email' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 'invalid_request');
    assert.match(bad.body.error.message, /email/);

    const dup = await app.call('POST', '/api/admin/users', { key: ADMIN_TOKEN, body: { email: 'owner@example.com' } });
    assert.equal(dup.status, 409);

    const nonJson = await app.call('POST', '/api/admin/users', {
      key: ADMIN_TOKEN,
      raw: '{nope',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(nonJson.status, 400);
    assert.ok(nonJson.body.error.message);
  });

  test('user routes need a valid key', async () => {
    const missing = await app.call('GET', '/api/events');
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error.code, 'unauthorized');
    assert.equal((await app.call('GET', '/api/events', { key: 'lk_wrong' })).status, 401);
    const user = await app.createUser();
    assert.equal((await app.call('GET', '/api/events', { key: user.apiKey })).status, 200);
  });

  test('unknown routes get a 404 error body', async () => {
    const res = await app.call('GET', '/api/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });

  test('integrations: create, list, delete; another user sees 404; secrets never returned', async () => {
    const alice = await app.createUser();
    const bob = await app.createUser();
    const shop = await app.call('POST', '/api/integrations', {
      key: alice.apiKey,
      body: { kind: 'shopify', shopDomain: 'Alice-Store.myshopify.com', accessToken: 'shpat_secret_token_value' },
    });
    assert.equal(shop.status, 201);
    assert.equal(shop.body.shopDomain, 'alice-store.myshopify.com');
    assert.equal(shop.body.ownership.status, 'proven', "the Admin API confirmed the token is the shop's");
    assert.ok(!shop.text.includes('shpat_secret_token_value'));

    const supa = await app.call('POST', '/api/integrations', {
      key: alice.apiKey,
      body: {
        kind: 'supabase',
        dbUrl: 'postgres://u:p@db.example.com/postgres',
      },
    });
    assert.equal(supa.status, 201);
    assert.match(supa.body.webhookSecret, /^whsec_/);
    assert.ok(!supa.text.includes('u:p@db.example.com'));
    const stored = await fx.db.query<{ credentials: string }>('select credentials from integrations where id = $1', [
      supa.body.id,
    ]);
    assert.ok(!stored.rows[0]!.credentials.includes('db.example.com'), 'DB URL is encrypted at rest');
    assert.ok(!stored.rows[0]!.credentials.includes(supa.body.webhookSecret), 'webhook secret is encrypted at rest');

    const list = await app.call('GET', '/api/integrations', { key: alice.apiKey });
    assert.equal(list.body.items.length, 2);
    assert.ok(
      list.body.items.every((i: { webhookSecret?: string }) => i.webhookSecret === undefined),
      'the webhook secret is shown once',
    );
    assert.equal((await app.call('GET', '/api/integrations', { key: bob.apiKey })).body.items.length, 0);

    assert.equal((await app.call('DELETE', `/api/integrations/${shop.body.id}`, { key: bob.apiKey })).status, 404);
    assert.equal((await app.call('DELETE', `/api/integrations/not-a-uuid`, { key: alice.apiKey })).status, 404);
    assert.equal((await app.call('DELETE', `/api/integrations/${shop.body.id}`, { key: alice.apiKey })).status, 204);
    assert.equal((await app.call('GET', '/api/integrations', { key: alice.apiKey })).body.items.length, 1);

    const invalid = await app.call('POST', '/api/integrations', {
      key: alice.apiKey,
      body: { kind: 'shopify', shopDomain: 'evil.example.com' },
    });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.error.message, /shopDomain/);
    assert.equal(
      (await app.call('POST', '/api/integrations', { key: alice.apiKey, body: { kind: 'ftp' } })).status,
      400,
    );
  });

  test('events: raw payload keeps ids above 2^53, pagination by cursor, filters, isolation', async () => {
    const alice = await app.createUser();
    const bob = await app.createUser();
    const bigId = '9007199254740993123';
    const payloads = Array.from({ length: 5 }, (_, i) => `{"id": ${bigId}${i}, "price": "1.50", "title": "P${i}"}`);
    await app.lookout.ctx.eventStore.store(
      payloads.map((p, i) => ({
        userId: alice.id,
        integrationId: null,
        source: i < 3 ? 'shopify' : 'supabase',
        eventType: i < 3 ? 'shopify.product.created' : 'supabase.table.created',
        eventDataJson: p,
        eventTimestamp: new Date(),
        dedupeKey: `k${i}`,
        via: 'webhook',
      })),
    );

    const page1 = await app.call('GET', '/api/events?limit=2', { key: alice.apiKey });
    assert.equal(page1.status, 200);
    assert.equal(page1.body.items.length, 2);
    assert.ok(page1.body.nextCursor);
    assert.ok(
      page1.text.includes(`"id":${bigId}4`) || page1.text.includes(`"id": ${bigId}4`),
      'all digits of the id are in the response text',
    );
    const first = page1.body.items[0];
    for (const field of [
      'id',
      'user_id',
      'event_type',
      'source',
      'event_data',
      'event_timestamp',
      'suggestion_generated',
      'suggestion_id',
      'user_actioned',
      'status',
    ]) {
      assert.ok(field in first, `field ${field}`);
    }
    assert.equal(first.status, 'pending');
    assert.equal(first.suggestion_generated, false);

    const seen = new Set<string>(page1.body.items.map((e: { id: string }) => e.id));
    let cursor = page1.body.nextCursor;
    while (cursor) {
      const next = await app.call('GET', `/api/events?limit=2&cursor=${cursor}`, { key: alice.apiKey });
      for (const e of next.body.items) seen.add(e.id);
      cursor = next.body.nextCursor;
    }
    assert.equal(seen.size, 5);

    const onlySupabase = await app.call('GET', '/api/events?source=supabase', { key: alice.apiKey });
    assert.equal(onlySupabase.body.items.length, 2);
    const byType = await app.call('GET', '/api/events?type=shopify.product.created', { key: alice.apiKey });
    assert.equal(byType.body.items.length, 3);

    assert.equal((await app.call('GET', '/api/events', { key: bob.apiKey })).body.items.length, 0);
    assert.equal((await app.call('GET', `/api/events/${first.id}`, { key: bob.apiKey })).status, 404);
    assert.equal((await app.call('GET', `/api/events/${first.id}`, { key: alice.apiKey })).status, 200);
    assert.equal((await app.call('GET', '/api/events?cursor=garbage', { key: alice.apiKey })).status, 400);
    assert.equal((await app.call('GET', '/api/events?limit=100000', { key: alice.apiKey })).status, 400);
    assert.equal((await app.call('GET', '/api/events?source=ftp', { key: alice.apiKey })).status, 400);
  });

  test('storing the same source event twice keeps one row', async () => {
    const user = await app.createUser();
    const e = {
      userId: user.id,
      integrationId: null,
      source: 'shopify' as const,
      eventType: 'shopify.order.created' as const,
      eventDataJson: '{"id":1}',
      eventTimestamp: new Date(),
      dedupeKey: 'same',
      via: 'webhook' as const,
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => app.lookout.ctx.eventStore.store([e])));
    assert.equal(
      results.reduce((n, r) => n + r.inserted, 0),
      1,
    );
    const count = await fx.db.query<{ n: number }>(
      'select count(*)::int as n from background_events where user_id = $1',
      [user.id],
    );
    assert.equal(count.rows[0]!.n, 1);
  });

  test('preferences: defaults, partial update, validation, channel secrets sealed and masked', async () => {
    const user = await app.createUser();
    const initial = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.equal(initial.status, 200);
    assert.equal(initial.body.autoSuggest, true);
    assert.equal(initial.body.thresholds.lowStock, 5);

    const put = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: {
        autoSuggest: false,
        vibe: { tone: 'playful', emoji: 'none' },
        profile: { brand: 'Acme', language: 'es' },
        flow: { maxPerTypePerHour: 3 },
        channels: { slack: { webhookUrl: 'https://93.184.216.34/services/T000/B000/XXXXSECRET' } },
      },
    });
    assert.equal(put.status, 200);
    assert.equal(put.body.autoSuggest, false);
    assert.equal(put.body.flow.maxPerTypePerHour, 3);
    assert.equal(put.body.flow.debounceSeconds, 300, 'untouched fields keep their values');
    assert.ok(!put.text.includes('XXXXSECRET'), 'the Slack URL is masked');
    const row = await fx.db.query<{ preferences: unknown; channel_credentials: string }>(
      'select preferences, channel_credentials from users where id = $1',
      [user.id],
    );
    assert.ok(!JSON.stringify(row.rows[0]!.preferences).includes('XXXXSECRET'));
    assert.ok(!row.rows[0]!.channel_credentials.includes('XXXXSECRET'));

    const bad = await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { vibe: { emoji: 'sometimes' } } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /emoji/);
    const unknown = await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { colour: 'red' } });
    assert.equal(unknown.status, 400);
    const privateUrl = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { channels: { webhook: { url: 'http://10.1.2.3/hook' } } },
    });
    assert.equal(privateUrl.status, 400);
    assert.equal(privateUrl.body.error.code, 'url_not_allowed');
    const hook = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { channels: { webhook: { url: 'https://93.184.216.34/hook' } } },
    });
    assert.equal(hook.status, 200);
    assert.match(hook.body.webhookSecret, /^whsec_/, 'a generated signing secret is shown once');
    assert.equal(hook.body.channels.webhook.secretConfigured, true);
    const again = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.equal(again.body.webhookSecret, undefined);

    const tz = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { quietHours: { start: '22:00', end: '07:00', timezone: 'Mars/Olympus' } },
    });
    assert.equal(tz.status, 400);
  });
});

describeEachEngine('single-store quick set-up', (fx) => {
  test('SHOPIFY_STORE_URL connects a default user to the store at start; its key is given once', async () => {
    const env = {
      SHOPIFY_STORE_URL: 'https://Quick-Store.myshopify.com',
      SHOPIFY_ACCESS_TOKEN: 'shpat_quick_setup_token',
    };
    const first = await startTestApp(fx.db, env, { role: 'web' });
    let key: string | undefined;
    try {
      key = first.lookout.defaultUserApiKey;
      assert.match(key ?? '', /^lk_/);
      const list = await first.call('GET', '/api/integrations', { key });
      assert.equal(list.status, 200);
      assert.equal(list.body.items.length, 1);
      assert.equal(list.body.items[0].shopDomain, 'quick-store.myshopify.com');
      assert.equal(list.body.items[0].hasCredentials, true);
      assert.deepEqual(
        { status: list.body.items[0].ownership.status, method: list.body.items[0].ownership.method },
        { status: 'proven', method: 'quick_setup' },
        "the operator's own store is proven by configuration",
      );
    } finally {
      await first.close();
    }
    const second = await startTestApp(fx.db, env, { role: 'web' });
    try {
      assert.equal(second.lookout.defaultUserApiKey, undefined, 'not made again');
      assert.equal(
        (await second.call('GET', '/api/integrations', { key })).body.items.length,
        1,
        'not connected twice',
      );
    } finally {
      await second.close();
    }
  });
});
