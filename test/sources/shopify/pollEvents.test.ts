import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'lossless-json';
import { inventoryLevelKey } from '../../../src/sources/shopify/dedupeKeys.js';
import { parseWebhook } from '../../../src/sources/shopify/parseWebhook.js';
import { pollShopify, type ShopifyPollState } from '../../../src/sources/shopify/pollEvents.js';
import { ShopifyAdapter } from '../../../src/sources/shopify/shopifyAdapter.js';
import { FAKE_LOCATION_ID, FakeShopifyAdmin } from '../../fakes/shopifyAdmin.js';

const SHOP = 'poll-shop.myshopify.com';

describe('pollShopify', () => {
  let fake: FakeShopifyAdmin;
  let adapter: ShopifyAdapter;
  const opts = { lowStockThreshold: 5, now: () => new Date('2026-03-01T12:00:00Z') };

  before(async () => {
    fake = await FakeShopifyAdmin.start();
    adapter = new ShopifyAdapter({
      shopDomain: SHOP,
      accessToken: fake.accessToken,
      apiVersion: '2026-04',
      adminApiUrl: fake.url,
      pageSize: 2,
    });
  });
  after(() => fake.close());

  it('turns product changes and low stock into events, exactly once', async () => {
    const existing = fake.addProduct({ title: 'Existing', variants: [{ inventoryQuantity: 40 }] });
    fake.addProduct({ title: 'Also existing', variants: [{ inventoryQuantity: 3, sku: 'LOW-1' }] });

    // First poll: a baseline for products (no flood of "created"), but current low stock is news.
    const first = await pollShopify(adapter, {}, opts);
    assert.deepEqual(
      first.events.map((e) => e.eventType),
      ['shopify.inventory.low'],
    );
    assert.ok(first.state.watermark);

    const created = fake.addProduct({ title: 'Brand new', variants: [{ inventoryQuantity: 20 }] });
    const updated = fake.updateProduct(existing.id, { title: 'Existing, renamed' });
    fake.setInventory(existing.variants[0]!.id, 1);

    const second = await pollShopify(adapter, first.state, opts);
    const byType = (t: string) => second.events.filter((e) => e.eventType === t);
    assert.deepEqual(second.events.map((e) => e.eventType).sort(), [
      'shopify.inventory.low',
      'shopify.product.created',
      'shopify.product.updated',
    ]);
    assert.equal(byType('shopify.product.created')[0]!.dedupeKey, `${SHOP}:product:${created.id}:created`);
    assert.equal(
      byType('shopify.product.updated')[0]!.dedupeKey,
      `${SHOP}:product:${existing.id}:updated:${new Date(updated.updatedAt).toISOString()}`,
    );
    assert.equal(
      byType('shopify.product.updated')[0]!.eventTimestamp.toISOString(),
      new Date(updated.updatedAt).toISOString(),
    );

    // The payload is shaped like the webhook, with the id as a JSON number with all its digits.
    const payload = parse(byType('shopify.product.created')[0]!.eventDataJson) as Record<
      string,
      { toString(): string }
    >;
    assert.equal(payload.id!.toString(), created.id);
    assert.equal(payload.title!.toString(), 'Brand new');
    assert.match(byType('shopify.product.created')[0]!.eventDataJson, new RegExp(`"id":${created.id}`));
    assert.match(byType('shopify.inventory.low')[0]!.eventDataJson, /"available":1,"threshold":5/);

    const third = await pollShopify(adapter, second.state, opts);
    assert.deepEqual(third.events, [], 'nothing changed: nothing to report');
  });

  it('alerts again when a restocked variant runs low again', async () => {
    const p = fake.addProduct({ title: 'Episodic', variants: [{ inventoryQuantity: 2 }] });
    const variant = p.variants[0]!;
    let state: ShopifyPollState = (await pollShopify(adapter, {}, opts)).state;
    const lowKeys = () => Object.keys(state.lowStock ?? {});
    assert.ok(lowKeys().includes(`gid://shopify/ProductVariant/${variant.id}`));

    fake.setInventory(variant.id, 50);
    state = (await pollShopify(adapter, state, opts)).state;
    assert.ok(!lowKeys().includes(`gid://shopify/ProductVariant/${variant.id}`));

    const change = fake.setInventory(variant.id, 2);
    const later = { ...opts, now: () => new Date('2026-03-09T12:00:00Z') };
    const again = await pollShopify(adapter, state, later);
    const alert = again.events.find((e) => e.eventDataJson.includes(`"variant_id":${variant.id}`));
    // Keyed by the stock change that made it low: the key its inventory_levels/update webhook has.
    assert.equal(
      alert?.dedupeKey,
      inventoryLevelKey(SHOP, variant.inventoryItemId, FAKE_LOCATION_ID, new Date(change.updated_at)),
    );
  });

  it(
    'reports a low variant that sells out once more, and tells processing when it last saw it ' + 'above the threshold',
    async () => {
      const p = fake.addProduct({ title: 'Selling out', variants: [{ inventoryQuantity: 30 }] });
      const variant = p.variants[0]!;
      const at = (t: string) => ({ lowStockThreshold: 5, now: () => new Date(t) });
      let result = await pollShopify(adapter, {}, at('2026-03-02T10:00:00Z'));
      let state = result.state;
      assert.equal(state.stockCheckedAt, '2026-03-02T10:00:00.000Z');

      fake.setInventory(variant.id, 4);
      result = await pollShopify(adapter, state, at('2026-03-02T10:01:00Z'));
      state = result.state;
      const low = result.events.filter((e) => e.eventDataJson.includes(`"variant_id":${variant.id}`));
      assert.equal(low.length, 1);
      // Not low at the previous check: evidence, for processing, that any earlier alert is over.
      assert.match(low[0]!.eventDataJson, /"previous_check_at":"2026-03-02T10:00:00.000Z"/);

      fake.setInventory(variant.id, 2);
      result = await pollShopify(adapter, state, at('2026-03-02T10:02:00Z'));
      state = result.state;
      assert.equal(
        result.events.filter((e) => e.eventDataJson.includes(`"variant_id":${variant.id}`)).length,
        0,
        'lower, same episode',
      );

      const soldOutChange = fake.setInventory(variant.id, 0);
      result = await pollShopify(adapter, state, at('2026-03-02T10:03:00Z'));
      state = result.state;
      const soldOut = result.events.filter((e) => e.eventDataJson.includes(`"variant_id":${variant.id}`));
      assert.equal(soldOut.length, 1, 'sold out: a new fact');
      assert.equal(
        soldOut[0]!.dedupeKey,
        inventoryLevelKey(SHOP, variant.inventoryItemId, FAKE_LOCATION_ID, new Date(soldOutChange.updated_at)),
      );
      assert.match(soldOut[0]!.eventDataJson, /"available":0/);

      result = await pollShopify(adapter, state, at('2026-03-02T10:04:00Z'));
      assert.equal(
        result.events.filter((e) => e.eventDataJson.includes(`"variant_id":${variant.id}`)).length,
        0,
        'still sold out',
      );
    },
  );

  it('gives a product change the same key as the webhook reporting it', async () => {
    const { state } = await pollShopify(adapter, {}, opts);
    const product = fake.addProduct({ title: 'Seen twice' });
    const polled = (await pollShopify(adapter, state, opts)).events.find(
      (e) => e.eventType === 'shopify.product.created',
    );

    // The same creation, as Shopify's products/create webhook would send it (REST shape, offset time).
    const body = Buffer.from(
      `{"admin_graphql_api_id":"gid://shopify/Product/${product.id}","id":${product.id},"updated_at":"` +
        `${product.updatedAt}"}`,
    );
    const delivered = parseWebhook(
      { 'x-shopify-topic': 'products/create', 'x-shopify-shop-domain': SHOP, 'x-shopify-webhook-id': 'w-1' },
      body,
    );
    assert.ok(delivered.ok);
    assert.equal(delivered.webhook.changeKey, polled?.dedupeKey);
  });

  it('does not miss a product updated in the same second as the watermark', async () => {
    const { state } = await pollShopify(adapter, {}, opts);
    // Same-second change: Shopify's timestamp equals the watermark.
    const sameSecond = fake.addProduct({
      title: 'Same second',
      createdAt: state.watermark!,
      updatedAt: state.watermark!,
    });
    const next = await pollShopify(adapter, state, opts);
    assert.deepEqual(
      next.events.filter((e) => e.eventType.startsWith('shopify.product')).map((e) => e.dedupeKey),
      [`${SHOP}:product:${sameSecond.id}:created`],
    );
    const after = await pollShopify(adapter, next.state, opts);
    assert.deepEqual(
      after.events.filter((e) => e.eventType.startsWith('shopify.product')),
      [],
    );
  });
});
