import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Poller } from '../../src/loop/pollers.js';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

describeEachEngine('background event loop', (fx) => {
  let app: TestApp;
  let shopify: FakeShopifyAdmin;

  before(async () => {
    shopify = await FakeShopifyAdmin.start({ accessToken: 'shpat_loop_test' });
    app = await startTestApp(
      fx.db,
      { LOOKOUT_POLL_INTERVAL_S: '1', SHOPIFY_ADMIN_API_URL: shopify.url },
      { role: 'all' },
    );
  });
  after(async () => {
    await app.close();
    await shopify.close();
  });

  test('a new Shopify integration is polled at once; a polled product and its webhook are stored once', async () => {
    shopify.addProduct({ title: 'Existing Tee' });
    const user = await app.createUser();
    const shop = `loop-${fx.engine}.myshopify.com`;
    // The token is the shop's: the Admin API confirms it, so the claim is proven at creation.
    shopify.shopDomain = shop;
    await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { flow: { batchWindowSeconds: 0 } } });
    const created = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'shopify', shopDomain: shop, accessToken: 'shpat_loop_test' },
    });
    // The first poll records a baseline (existing products are not news).
    await waitFor(
      async () => {
        const list = await app.call('GET', '/api/integrations', { key: user.apiKey });
        const i = list.body.items.find((x: { id: string }) => x.id === created.body.id);
        return i.health.lastPollAt !== null;
      },
      'the first poll',
      10_000,
    );

    const p = shopify.addProduct({ title: 'Polled Hoodie', productType: 'Hoodies', tags: ['fleece'] });
    const events = await waitFor(
      async () => {
        const r = await app.call('GET', '/api/events?type=shopify.product.created', { key: user.apiKey });
        return r.body.items.length === 1 ? r.body.items : undefined;
      },
      'the polled product',
      10_000,
    );
    assert.match(JSON.stringify(events[0].event_data), /Polled Hoodie/);

    // Shopify's webhook for the same creation arrives late: it is the same change, stored once.
    // the id is above 2^53: written into the JSON text as Shopify does, never through a JS number
    const body = Buffer.from(
      `{"id": ${p.id}, "admin_graphql_api_id": "gid://shopify/Product/${p.id}", "title": "Polled Hoodie", ` +
        `"updated_at": "${p.updatedAt}"}`,
    );
    const res = await app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('products/create', shop, body, 'test-shopify-secret'),
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'duplicate');
    await waitFor(
      async () => {
        const r = await app.call('GET', '/api/suggestions', { key: user.apiKey });
        return r.body.items.some((s: { title: string }) => /Polled Hoodie/.test(s.title));
      },
      'the suggestion for the polled product',
      15_000,
    );
  });
});

describeEachEngine('poll schedule under failure', (fx) => {
  const polls = new Map<string, number[]>();
  const poller: Poller = async (i) => {
    const list = polls.get(i.id) ?? [];
    list.push(Date.now());
    polls.set(i.id, list);
    if (String(i.config.icsUrl).includes('broken')) throw new Error('feed unreachable');
    return { events: [], state: {} };
  };
  let app: TestApp;
  before(async () => {
    // The sandbox has no DNS: the feeds' host is given a public address (the poller is a stand-in).
    app = await startTestApp(
      fx.db,
      { LOOKOUT_POLL_INTERVAL_S: '1' },
      {
        role: 'all',
        pollers: { calendar: poller },
        resolveHost: async () => [{ address: '93.184.215.14', family: 4 }],
      },
    );
  });
  after(() => app.close());

  test('an integration failing every poll backs off without delaying the others', async () => {
    const user = await app.createUser();
    const ok = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'calendar', icsUrl: 'http://feeds.example.com/ok.ics' },
    });
    const bad = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'calendar', icsUrl: 'http://feeds.example.com/broken.ics' },
    });
    // Conditions, not a stopwatch: by the time the failing feed has failed three times (its waits
    // doubling), the healthy one has been polled more often than it, and its schedule never grew.
    await waitFor(() => (polls.get(bad.body.id)?.length ?? 0) >= 3, 'three failed polls', 60_000);
    // The poller returns before the loop records the failure: wait for the third to be recorded too.
    await waitFor(async () => {
      const { rows } = await fx.db.query<{ n: number }>('select poll_failures as n from integrations where id = $1', [
        bad.body.id,
      ]);
      return (rows[0]?.n ?? 0) >= 3;
    }, 'three failures recorded');
    const good = polls.get(ok.body.id) ?? [];
    const failing = polls.get(bad.body.id) ?? [];
    assert.ok(good.length > failing.length, `healthy ${good.length} polls, failing ${failing.length}`);
    const { rows } = await fx.db.query<{ id: string; gap_s: number; poll_failures: number }>(
      `select id, extract(epoch from next_poll_at - last_poll_at)::float8 as gap_s, poll_failures
       from integrations where id = any($1::uuid[])`,
      [[ok.body.id, bad.body.id]],
    );
    const healthy = rows.find((r) => r.id === ok.body.id)!;
    const broken = rows.find((r) => r.id === bad.body.id)!;
    assert.equal(healthy.poll_failures, 0);
    assert.ok(healthy.gap_s <= 1.2, `the healthy feed keeps its 1 s period (${healthy.gap_s} s)`);
    // After n failures the next poll waits between 2^n/2 and 2^n periods.
    assert.ok(broken.poll_failures >= 3);
    assert.ok(broken.gap_s >= 2 ** broken.poll_failures / 2 - 0.1, `backed off ${broken.gap_s} s`);
    const gaps = failing.slice(1).map((t, i) => t - failing[i]!);
    assert.ok(gaps[1]! > gaps[0]! * 0.9 || gaps[1]! >= 1_900, `the waits grow (${gaps.join(', ')} ms)`);
    const list = await app.call('GET', '/api/integrations', { key: user.apiKey });
    const b = list.body.items.find((i: { id: string }) => i.id === bad.body.id);
    assert.equal(b.health.lastPollError, 'feed unreachable');
    assert.ok(b.health.pollFailures >= 2);
  });

  test("POST /api/loop/stop pauses a user's polling; /api/loop/start resumes it at once", async () => {
    const user = await app.createUser();
    const feed = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'calendar', icsUrl: 'http://feeds.example.com/paused.ics' },
    });
    await waitFor(() => (polls.get(feed.body.id)?.length ?? 0) > 0, 'the first poll');
    assert.deepEqual((await app.call('POST', '/api/loop/stop', { key: user.apiKey })).body, { running: false });
    await new Promise((r) => setTimeout(r, 300));
    const before = polls.get(feed.body.id)!.length;
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(polls.get(feed.body.id)!.length, before, 'no polls while stopped');
    assert.equal((await app.call('GET', '/api/loop', { key: user.apiKey })).body.running, false);
    assert.deepEqual((await app.call('POST', '/api/loop/start', { key: user.apiKey })).body, { running: true });
    await waitFor(() => polls.get(feed.body.id)!.length > before, 'a poll right after start', 1_500);
  });
});
