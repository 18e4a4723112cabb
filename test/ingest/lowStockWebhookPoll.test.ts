import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { IntegrationRow } from '../../src/db/queries/integrations.js';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';

const SECRET = 'test-shopify-secret';

describeEachEngine('one low-stock change seen by the webhook and the poll is stored once', (fx) => {
  let app: TestApp;
  let fake: FakeShopifyAdmin;
  let user: { id: string; apiKey: string };
  let integrationId: string;
  const shop = `lowstock-${fx.engine}.myshopify.com`;

  before(async () => {
    fake = await FakeShopifyAdmin.start({ shopDomain: shop });
    app = await startTestApp(fx.db, { SHOPIFY_ADMIN_API_URL: fake.url });
    user = await app.createUser();
    // Polled only when this test says so.
    await app.lookout.ctx.loop.stop(user.id);
    const created = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'shopify', shopDomain: shop, accessToken: fake.accessToken },
    });
    assert.equal(created.body.ownership.status, 'proven', created.text);
    integrationId = created.body.id;
    await poll(); // the baseline
  });
  after(async () => {
    await app?.close();
    await fake?.close();
  });

  async function poll() {
    const { rows } = await fx.db.query<IntegrationRow>('select * from integrations where id = $1', [integrationId]);
    await app.lookout.ctx.loop.pollIntegration(rows[0]!);
    const after = await fx.db.query<{ last_poll_error: string | null }>(
      'select last_poll_error from integrations where id = $1',
      [integrationId],
    );
    assert.equal(after.rows[0]?.last_poll_error, null);
  }

  /** The inventory_levels/update Shopify delivers for a change, ids written with all their digits. */
  async function deliver(change: ReturnType<FakeShopifyAdmin['setInventory']>) {
    const body = Buffer.from(
      `{"inventory_item_id":${change.inventory_item_id},"location_id":${change.location_id},` +
        `"available":${change.available},"updated_at":"${change.updated_at.replace('Z', '-00:00')}",` +
        `"admin_graphql_api_id":"gid://shopify/InventoryLevel/1?inventory_item_id=${change.inventory_item_id}"}`,
    );
    const res = await app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('inventory_levels/update', shop, body, SECRET),
    });
    assert.equal(res.status, 200, res.text);
  }

  async function stockEvents(variantId: string, itemId: string) {
    const { rows } = await fx.db.query<{ event_type: string }>(
      `select event_type from background_events
        where user_id = $1 and event_type in ('shopify.inventory.low', 'shopify.inventory.updated')
          and (event_data->>'variant_id' = $2 or event_data->>'inventory_item_id' = $3)`,
      [user.id, variantId, itemId],
    );
    return rows.map((r) => r.event_type);
  }

  it('webhook first, then the poll: one event', async () => {
    const product = fake.addProduct({ title: 'Webhook first', variants: [{ inventoryQuantity: 40 }] });
    const variant = product.variants[0]!;
    await poll();
    const change = fake.setInventory(variant.id, 2);
    await deliver(change);
    assert.deepEqual(await stockEvents(variant.id, variant.inventoryItemId), ['shopify.inventory.updated']);
    await poll();
    assert.deepEqual(await stockEvents(variant.id, variant.inventoryItemId), ['shopify.inventory.updated']);
  });

  it('the poll first, then the webhook: one event', async () => {
    const product = fake.addProduct({ title: 'Poll first', variants: [{ inventoryQuantity: 40 }] });
    const variant = product.variants[0]!;
    await poll();
    const change = fake.setInventory(variant.id, 1);
    await poll();
    assert.deepEqual(await stockEvents(variant.id, variant.inventoryItemId), ['shopify.inventory.low']);
    await deliver(change);
    assert.deepEqual(await stockEvents(variant.id, variant.inventoryItemId), ['shopify.inventory.low']);
  });

  it('a later change is a new event on either path', async () => {
    const product = fake.addProduct({ title: 'Two changes', variants: [{ inventoryQuantity: 40 }] });
    const variant = product.variants[0]!;
    await poll();
    await deliver(fake.setInventory(variant.id, 3));
    await deliver(fake.setInventory(variant.id, 0));
    await poll();
    assert.equal((await stockEvents(variant.id, variant.inventoryItemId)).length, 2);
  });
});
