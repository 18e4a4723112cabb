import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWebhook } from '../../../src/sources/shopify/parseWebhook.js';
import { verifyShopifyHmac } from '../../../src/sources/shopify/signature.js';
import { buildSimulatedDeliveries, listFixtureTopics } from '../../../src/sources/shopify/simulate.js';

describe('buildSimulatedDeliveries', () => {
  it('builds signed, parseable, distinct deliveries of one topic', () => {
    const deliveries = buildSimulatedDeliveries('products/create', 'demo-shop.myshopify.com', 3, 'app-secret');
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
