import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'test-shopify-secret';
const TOKEN = 'shpat_low_stock_once';

/**
 * One alert per fact, through the real pipeline: the inventory_levels/update webhook and the
 * fallback poll both report the same low stock, by different dedupe keys; exactly one suggestion
 * is made, until the situation changes (sold out, or restocked and low again).
 */
describeEachEngine('low stock is alerted once, whichever path saw it', (fx) => {
  let app: TestApp;
  let shopify: FakeShopifyAdmin;

  before(async () => {
    shopify = await FakeShopifyAdmin.start({ accessToken: TOKEN });
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

  test('webhook and poll collide; a lower level is not news; sold out and restocked-then-low are', async () => {
    const product = shopify.addProduct({ title: 'Straw Hat', variants: [{ inventoryQuantity: 30, sku: 'HAT-1' }] });
    const variant = product.variants[0]!;
    const user = await app.createUser();
    const shop = `low-once-${fx.engine}.myshopify.com`;
    // No debounce: each stock webhook is judged on its own, as fast as the poll.
    await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { flow: { debounceSeconds: 0 } } });
    const created = { body: await app.connectShop(user, shop, { accessToken: TOKEN }) };

    const pollCount = async () => {
      const { rows } = await fx.db.query<{ n: number }>(
        `select count(*)::int as n from background_events where user_id = $1 and event_data->'_lookout'->>'via' = 'poll'
           and event_type = 'shopify.inventory.low'`,
        [user.id],
      );
      return rows[0]!.n;
    };
    const lastPollAt = async () => {
      const { rows } = await fx.db.query<{ at: Date | null }>(
        'select last_poll_at as at from integrations where id = $1',
        [created.body.id],
      );
      return rows[0]?.at?.getTime() ?? 0;
    };
    /** Waits for a poll that started after now: the poll has seen the current stock. */
    const afterNextPoll = async () => {
      const since = Date.now();
      await waitFor(async () => (await lastPollAt()) > since + 50, 'a poll after the change', 15_000);
    };
    const level = async (available: number) => {
      shopify.setInventory(variant.id, available);
      const body = Buffer.from(
        `{"inventory_item_id": ${variant.inventoryItemId}, "location_id": 905684977, "available": ` +
          `${available}, "updated_at": "${new Date().toISOString()}", "admin_graphql_api_id": ` +
          `"gid://shopify/InventoryLevel/905684977?inventory_item_id=${variant.inventoryItemId}"}`,
      );
      const res = await app.call('POST', '/webhooks/shopify', {
        raw: body,
        headers: shopifyHeaders('inventory_levels/update', shop, body, SECRET),
      });
      assert.equal(res.status, 200, res.text);
    };
    const settled = async () =>
      waitFor(async () => {
        const { rows } = await fx.db.query<{ n: number }>(
          `select count(*)::int as n from background_events where user_id = $1 and status <> 'processed'`,
          [user.id],
        );
        return rows[0]!.n === 0;
      }, 'every event processed');
    const alerts = async () => {
      const r = await app.call('GET', '/api/suggestions?type=shopify.inventory.low', { key: user.apiKey });
      return r.body.items as Array<{ title: string; body: string }>;
    };
    const outcomes = async () => {
      const { rows } = await fx.db.query<{ outcome: string }>(
        `select outcome from background_events where user_id = $1 and event_type like 'shopify.inventory.%'
         order by received_at, seq`,
        [user.id],
      );
      return rows.map((r) => r.outcome);
    };

    await afterNextPoll(); // the baseline poll: stock is fine

    // Low: the webhook says 3, and the next poll sees the same variant at 3.
    await level(3);
    await afterNextPoll();
    await waitFor(async () => (await pollCount()) >= 1, 'the poll reporting the low variant');
    await settled();
    assert.equal((await alerts()).length, 1, 'one alert for one situation, from either path');
    assert.match((await alerts())[0]!.title, /Straw Hat/);
    assert.ok((await outcomes()).includes('already_alerted'), `outcomes: ${(await outcomes()).join(', ')}`);

    // Lower, but not sold out: not a new fact.
    await level(2);
    await afterNextPoll();
    await settled();
    assert.equal((await alerts()).length, 1);

    // Sold out: a new fact, alerted once (the webhook and the poll's sold-out report collide too).
    await level(0);
    await afterNextPoll();
    await waitFor(async () => (await pollCount()) >= 2, "the poll's sold-out report");
    await settled();
    const afterSoldOut = await alerts();
    assert.equal(afterSoldOut.length, 2);
    assert.match(afterSoldOut[0]!.title, /sold out/);

    // Restocked, then low again: a new situation, alerted once more.
    await level(40);
    await afterNextPoll();
    await level(4);
    await afterNextPoll();
    await waitFor(async () => (await pollCount()) >= 3, 'the poll reporting the new low episode');
    await settled();
    assert.equal((await alerts()).length, 3);
  });
});
