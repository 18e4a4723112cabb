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

  async function deliverTopic(topic: string, body: string) {
    const raw = Buffer.from(body);
    const res = await app.call('POST', '/webhooks/shopify', {
      raw,
      headers: shopifyHeaders(topic, shop, raw, SECRET),
    });
    assert.equal(res.status, 200, res.text);
  }

  async function eventsOf(type: string) {
    // The id as text: a JSON number above 2^53 would lose digits in JavaScript.
    const { rows } = await fx.db.query<{ dedupe_key: string; id: string; event_data: Record<string, unknown> }>(
      `select dedupe_key, event_data->>'id' as id, event_data from background_events
        where user_id = $1 and event_type = $2`,
      [user.id, type],
    );
    return rows;
  }

  it(
    'polls orders, collections and product deletions the webhooks missed; their webhooks ' + 'then add nothing',
    async () => {
      const product = fake.addProduct({ title: 'Ordered then deleted' });
      await poll();
      const order = fake.addOrder([{ productId: product.id, variantId: product.variants[0]!.id, quantity: 2 }]);
      const collection = fake.addCollection({ title: 'Summer' });
      fake.deleteProduct(product.id);
      await poll();

      const orders = await eventsOf('shopify.order.created');
      assert.equal(orders.length, 1);
      assert.equal(orders[0]!.dedupe_key, `${shop}:order:${order.id}:created`);
      assert.equal(orders[0]!.id, order.id);
      const collections = await eventsOf('shopify.collection.updated');
      assert.equal(collections.length, 1);
      assert.equal(collections[0]!.event_data.title, 'Summer');
      const deleted = await eventsOf('shopify.product.deleted');
      assert.equal(deleted.length, 1);
      assert.equal(deleted[0]!.dedupe_key, `${shop}:product:${product.id}:deleted`);

      await deliverTopic(
        'orders/create',
        `{"id":${order.id},"admin_graphql_api_id":"gid://shopify/Order/${order.id}","created_at":"${order.createdAt}"}`,
      );
      await deliverTopic(
        'collections/update',
        `{"id":${collection.id},"admin_graphql_api_id":"gid://shopify/Collection/${collection.id}",` +
          `"title":"Summer","updated_at":"${collection.updatedAt}"}`,
      );
      await deliverTopic('products/delete', `{"id":${product.id}}`);
      assert.equal((await eventsOf('shopify.order.created')).length, 1);
      assert.equal((await eventsOf('shopify.collection.updated')).length, 1);
      assert.equal((await eventsOf('shopify.product.deleted')).length, 1);

      // Nothing new: the next poll stores nothing either.
      await poll();
      assert.equal((await eventsOf('shopify.order.created')).length, 1);
      assert.equal((await eventsOf('shopify.collection.updated')).length, 1);
    },
  );
});
