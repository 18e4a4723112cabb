import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ShopifyAdapter, type ShopifyAdapterOptions } from '../../../src/sources/shopify/shopifyAdapter.js';
import { signShopifyBody } from '../../../src/sources/shopify/signature.js';
import { FakeShopifyAdmin } from '../../fakes/shopifyAdmin.js';

describe('ShopifyAdapter against the fake Admin API', () => {
  let fake: FakeShopifyAdmin;
  const adapter = (opts: Partial<ShopifyAdapterOptions> = {}) =>
    new ShopifyAdapter({
      shopDomain: 'Demo-Shop.myshopify.com',
      accessToken: fake.accessToken,
      apiVersion: '2026-04',
      adminApiUrl: fake.url,
      ...opts,
    });

  before(async () => {
    fake = await FakeShopifyAdmin.start();
  });
  after(() => fake.close());

  it('fetchProduct returns the product with its variants, ids as gids with every digit', async () => {
    const p = fake.addProduct({
      title: 'Example T-Shirt',
      handle: 'example-t-shirt',
      vendor: 'Acme',
      tags: ['mens', 't-shirt'],
      variants: [
        { title: 'Small', sku: 'TS-S', price: '19.99', compareAtPrice: '24.99', inventoryQuantity: 75 },
        { title: 'Medium', sku: 'TS-M', price: '19.99', inventoryQuantity: 50 },
      ],
    });
    const product = await adapter().fetchProduct(p.id);
    assert.ok(product);
    assert.equal(product.id, `gid://shopify/Product/${p.id}`);
    assert.ok(BigInt(p.id) > BigInt(Number.MAX_SAFE_INTEGER));
    assert.equal(product.title, 'Example T-Shirt');
    assert.deepEqual(product.tags, ['mens', 't-shirt']);
    assert.equal(product.status, 'ACTIVE');
    assert.equal(product.totalInventory, 125);
    assert.deepEqual(
      product.variants.map((v) => [v.sku, v.price, v.compareAtPrice, v.inventoryQuantity]),
      [
        ['TS-S', '19.99', '24.99', 75],
        ['TS-M', '19.99', null, 50],
      ],
    );
    assert.equal(await adapter().fetchProduct('gid://shopify/Product/1'), null);
  });

  it('getRecentProducts pages through every change since the watermark, oldest first', async () => {
    const watermark = fake.tick();
    const added = [1, 2, 3, 4, 5].map((n) => fake.addProduct({ title: `Batch ${n}` }));
    const { products, watermark: next } = await adapter({ pageSize: 2 }).getRecentProducts(watermark);
    assert.deepEqual(
      products.map((p) => p.title),
      ['Batch 1', 'Batch 2', 'Batch 3', 'Batch 4', 'Batch 5'],
    );
    assert.equal(next, added.at(-1)!.updatedAt);

    const sent = fake.requests.filter((r) => r.operation === 'LookoutProductsUpdatedSince').slice(-3);
    assert.deepEqual(
      sent.map((r) => r.variables.after === null),
      [true, false, false],
      'three pages, following cursors',
    );
    assert.equal(sent[0]!.variables.query, `updated_at:>='${new Date(watermark).toISOString()}'`);

    const again = await adapter({ pageSize: 2 }).getRecentProducts(next!);
    assert.deepEqual(
      again.products.map((p) => p.title),
      ['Batch 5'],
      '>= returns the product at the watermark itself',
    );
  });

  it('checkInventoryLevels lists tracked variants at or below the threshold', async () => {
    const p = fake.addProduct({
      title: 'Low stock lamp',
      variants: [
        { sku: 'L-1', inventoryQuantity: 2 },
        { sku: 'L-2', inventoryQuantity: 3 },
        { sku: 'L-3', inventoryQuantity: 4 },
        { sku: 'L-U', inventoryQuantity: 0, tracked: false },
      ],
    });
    const low = (await adapter().checkInventoryLevels(3)).filter(
      (v) => v.productId === `gid://shopify/Product/${p.id}`,
    );
    assert.deepEqual(
      low.map((v) => [v.sku, v.inventoryQuantity, v.productTitle]),
      [
        ['L-1', 2, 'Low stock lamp'],
        ['L-2', 3, 'Low stock lamp'],
      ],
    );
    assert.equal(fake.requests.at(-1)?.variables.query, 'inventory_quantity:<=3');
  });

  it('resolveInventoryItem finds the variant and product an inventory level belongs to', async () => {
    const p = fake.addProduct({ title: 'Resolvable', variants: [{ sku: 'R-1', inventoryQuantity: 7 }] });
    const variant = p.variants[0]!;
    const resolved = await adapter().resolveInventoryItem(variant.inventoryItemId);
    assert.deepEqual(resolved, {
      inventoryItemId: `gid://shopify/InventoryItem/${variant.inventoryItemId}`,
      variantId: `gid://shopify/ProductVariant/${variant.id}`,
      sku: 'R-1',
      inventoryQuantity: 7,
      productId: `gid://shopify/Product/${p.id}`,
      productTitle: 'Resolvable',
    });
    assert.equal(await adapter().resolveInventoryItem('271878346596884015'), null);
  });

  it('recentOrderVelocity counts units of the product sold per day, skipping cancelled orders', async () => {
    const p = fake.addProduct({ title: 'Seller' });
    const other = fake.addProduct({ title: 'Other' });
    const now = new Date(Date.parse(fake.tick()) + 1000);
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
    fake.addOrder(
      [
        { productId: p.id, quantity: 3 },
        { productId: other.id, quantity: 9 },
      ],
      { createdAt: daysAgo(1) },
    );
    fake.addOrder(
      [
        { productId: p.id, quantity: 4 },
        { productId: null, quantity: 1 },
      ],
      { createdAt: daysAgo(5) },
    );
    fake.addOrder([{ productId: p.id, quantity: 100 }], { createdAt: daysAgo(2), cancelledAt: daysAgo(1) });
    fake.addOrder([{ productId: p.id, quantity: 50 }], { createdAt: daysAgo(30) });
    const velocity = await adapter().recentOrderVelocity(p.id, 7, now);
    assert.equal(velocity.unitsSold, 7);
    assert.equal(velocity.perDay, 1);
  });

  it('verifies webhook signatures with its configured secrets', () => {
    const body = Buffer.from('{"id":1}');
    const a = adapter({ webhookSecrets: ['current', 'previous'] });
    assert.equal(a.verifyWebhookSignature(body, signShopifyBody(body, 'previous')), true);
    assert.equal(a.verifyWebhookSignature(body, signShopifyBody(body, 'nope')), false);
    assert.equal(a.shopDomain, 'demo-shop.myshopify.com');
  });
});
