import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebhook } from '../../../src/sources/shopify/parseWebhook.js';
import { verifyShopifyHmac } from '../../../src/sources/shopify/signature.js';
import { buildSimulatedDeliveries, listFixtureTopics } from '../../../src/sources/shopify/simulate.js';

describe('buildSimulatedDeliveries', () => {
  it('with --repeat, builds the same signed, parseable, distinct deliveries on every run', () => {
    const deliveries = buildSimulatedDeliveries('products/create', 'demo-shop.myshopify.com', 3, 'app-secret', {
      repeat: true,
    });
    const again = buildSimulatedDeliveries('products/create', 'demo-shop.myshopify.com', 3, 'app-secret', {
      repeat: true,
    });
    assert.deepEqual(
      again.map((d) => [d.body.toString(), d.headers['X-Shopify-Event-Id']]),
      deliveries.map((d) => [d.body.toString(), d.headers['X-Shopify-Event-Id']]),
    );
    assert.equal(deliveries.length, 3);
    const parsed = deliveries.map(({ headers, body }) => {
      assert.equal(verifyShopifyHmac(body, headers['X-Shopify-Hmac-Sha256'], ['app-secret']), true);
      assert.equal(verifyShopifyHmac(body, headers['X-Shopify-Hmac-Sha256'], ['another-secret']), false);
      const result = parseWebhook(headers, body);
      assert.ok(result.ok, JSON.stringify(result));
      return result.webhook;
    });
    assert.equal(new Set(parsed.map((w) => w.dedupeKey)).size, 3);
    assert.deepEqual(
      parsed.map((w) => w.resourceId),
      ['788032119674292922', '788032119674292923', '788032119674292924'],
    );
    assert.equal(parsed[1]!.resourceGid, 'gid://shopify/Product/788032119674292923');
    assert.equal(parsed[0]!.apiVersion, '2026-04');
  });

  it('by default, every run is a new product: new ids above 2^53, varied titles, prices and vendors', () => {
    const first = buildSimulatedDeliveries('products/create', 'demo-shop.myshopify.com', 12, 's');
    const second = buildSimulatedDeliveries('products/create', 'demo-shop.myshopify.com', 1, 's');
    const parsed = [...first, ...second].map(({ headers, body }) => {
      const result = parseWebhook(headers, body);
      assert.ok(result.ok);
      return {
        webhook: result.webhook,
        payload: JSON.parse(body.toString()) as { title: string; vendor: string; variants: Array<{ price: string }> },
      };
    });
    const ids = parsed.map((p) => p.webhook.resourceId!);
    assert.equal(new Set(ids).size, 13, 'every product has its own id');
    for (const id of ids) assert.ok(BigInt(id) > 2n ** 53n, `${id} is above 2^53, as real ids are`);
    // The id in the body text keeps every digit, and the gid names the same product.
    for (const p of parsed) assert.equal(p.webhook.resourceGid, `gid://shopify/Product/${p.webhook.resourceId}`);
    const titles = parsed.slice(0, 12).map((p) => p.payload.title);
    assert.equal(new Set(titles).size, 12, `a bulk import of 12 has 12 different titles: ${titles.join(', ')}`);
    assert.ok(!titles.includes('Example T-Shirt'));
    assert.ok(new Set(parsed.map((p) => p.payload.vendor)).size > 1, 'several vendors');
    assert.ok(new Set(parsed.map((p) => p.payload.variants[0]?.price)).size > 1, 'several prices');
    assert.equal(new Set(parsed.map((p) => p.webhook.dedupeKey)).size, 13);
  });

  it('uses the injected randomness, so a run can be reproduced', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const a = buildSimulatedDeliveries('products/create', 'x.myshopify.com', 2, 's', { random, now: new Date(0) });
    seed = 42;
    const b = buildSimulatedDeliveries('products/create', 'x.myshopify.com', 2, 's', { random, now: new Date(0) });
    assert.deepEqual(
      a.map((d) => d.body.toString()),
      b.map((d) => d.body.toString()),
    );
  });

  it('works for every fixture topic, picking the newest API version that has it', () => {
    for (const { topic, apiVersion } of listFixtureTopics()) {
      const [delivery] = buildSimulatedDeliveries(topic, 'demo-shop.myshopify.com', 1, 's');
      assert.ok(delivery);
      assert.equal(delivery.headers['X-Shopify-API-Version'], apiVersion);
      const result = parseWebhook(delivery.headers, delivery.body);
      assert.ok(result.ok, topic);
      assert.ok(!result.webhook.rawJson.includes('{shop}'), 'the shop placeholder is filled in');
    }
    assert.equal(listFixtureTopics().find((t) => t.topic === 'inventory_levels/update')?.apiVersion, '2024-01');
  });

  it('fails clearly for a topic without a fixture', () => {
    assert.throws(
      () => buildSimulatedDeliveries('orders/paid', 'demo-shop.myshopify.com', 1, 's'),
      /no fixture for topic orders\/paid/,
    );
  });
});
