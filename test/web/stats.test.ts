import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';
import { insertSuggestion, startDashboardApp } from './support.js';

const DAY = 86_400_000;

describeEachEngine('GET /api/stats', (fx) => {
  let app: TestApp;
  let alice: { id: string; apiKey: string };
  let bob: { id: string; apiKey: string };
  const shop = `stats-${fx.engine}.myshopify.com`;

  before(async () => {
    app = await startDashboardApp(fx.db);
    alice = await app.createUser();
    bob = await app.createUser();
    assert.equal((await app.connectShop(alice, shop)).ownership.status, 'proven');
    for (const topic of ['products/create', 'products/update', 'orders/create']) {
      const body = fixtureBody(topic);
      assert.equal(
        (
          await app.call('POST', '/webhooks/shopify', {
            raw: body,
            headers: shopifyHeaders(topic, shop, body, 'test-shopify-secret'),
          })
        ).status,
        200,
      );
    }
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY);
    const s = (userId: string, status: 'new' | 'accepted' | 'dismissed', daysAgo: number) =>
      insertSuggestion(fx.db, {
        userId,
        eventType: 'shopify.product.created',
        title: 't',
        body: 'b',
        status,
        createdAt: at(daysAgo),
      });
    await s(alice.id, 'accepted', 0);
    await s(alice.id, 'accepted', 1);
    await s(alice.id, 'accepted', 1);
    await s(alice.id, 'dismissed', 2);
    await s(alice.id, 'new', 0);
    await s(alice.id, 'accepted', 45); // outside the 30-day window
    for (let i = 0; i < 4; i++) await s(bob.id, 'dismissed', 0);
  });
  after(() => app.close());

  test('counts suggestions per day for the last 30 days and the acceptance rate', async () => {
    const res = await app.call('GET', '/api/stats', { key: alice.apiKey });
    assert.equal(res.status, 200, res.text);
    const { suggestions } = res.body;
    assert.equal(suggestions.perDay.length, 30);
    assert.equal(res.body.to, new Date().toISOString().slice(0, 10));
    assert.equal(suggestions.perDay[29].date, res.body.to);
    assert.deepEqual(
      {
        total: suggestions.total,
        new: suggestions.new,
        accepted: suggestions.accepted,
        dismissed: suggestions.dismissed,
      },
      { total: 5, new: 1, accepted: 3, dismissed: 1 },
    );
    assert.equal(suggestions.acceptanceRate, 0.75);
    assert.equal(
      suggestions.perDay.reduce((n: number, d: { total: number }) => n + d.total, 0),
      5,
    );
    // Rows made 0, 1 and 2 days ago fall on the last three dates, whatever the hour of the run.
    const lastThree = suggestions.perDay.slice(27) as Array<{ accepted: number; dismissed: number }>;
    assert.equal(
      lastThree.reduce((n, d) => n + d.accepted, 0),
      3,
    );
    assert.equal(
      lastThree.reduce((n, d) => n + d.dismissed, 0),
      1,
    );
  });

  test('counts events by source and type', async () => {
    const { body } = await app.call('GET', '/api/stats', { key: alice.apiKey });
    assert.equal(body.events.total, 3);
    assert.deepEqual(body.events.bySource, { shopify: 3 });
    assert.deepEqual(
      body.events.byType.map((r: { eventType: string; count: number }) => `${r.eventType}=${r.count}`).sort(),
      ['shopify.order.created=1', 'shopify.product.created=1', 'shopify.product.updated=1'],
    );
  });

  test('another user sees only their own numbers', async () => {
    const { body } = await app.call('GET', '/api/stats', { key: bob.apiKey });
    assert.equal(body.suggestions.total, 4);
    assert.equal(body.suggestions.acceptanceRate, 0);
    assert.equal(body.events.total, 0);
    assert.deepEqual(body.events.bySource, {});
  });

  test('a user with nothing yet gets zeros and a null rate', async () => {
    const carol = await app.createUser();
    const { body } = await app.call('GET', '/api/stats?days=7', { key: carol.apiKey });
    assert.equal(body.suggestions.perDay.length, 7);
    assert.equal(body.suggestions.acceptanceRate, null);
    assert.ok(body.suggestions.perDay.every((d: { total: number }) => d.total === 0));
  });

  test('days are calendar days of the given time zone', async () => {
    const { body } = await app.call('GET', '/api/stats?tz=Pacific/Kiritimati', { key: alice.apiKey });
    const local = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
    assert.equal(body.timeZone, 'Pacific/Kiritimati');
    assert.equal(body.to, local);
    assert.equal(body.suggestions.total, 5);
  });

  test('needs a key, and refuses a bad time zone or range', async () => {
    assert.equal((await app.call('GET', '/api/stats')).status, 401);
    assert.equal((await app.call('GET', '/api/stats', { key: 'lk_nope' })).status, 401);
    const tz = await app.call('GET', '/api/stats?tz=Mars/Olympus', { key: alice.apiKey });
    assert.equal(tz.status, 400);
    assert.equal(tz.body.error.code, 'invalid_request');
    assert.equal((await app.call('GET', '/api/stats?days=0', { key: alice.apiKey })).status, 400);
    assert.equal((await app.call('GET', '/api/stats?days=1000', { key: alice.apiKey })).status, 400);
  });
});
