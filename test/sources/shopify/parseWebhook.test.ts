import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { type HeaderBag, parseWebhook } from '../../../src/sources/shopify/parseWebhook.js';
import { listFixtureTopics } from '../../../src/sources/shopify/simulate.js';

function headersFor(topic: string, extra: HeaderBag = {}): HeaderBag {
  return {
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': 'demo-shop.myshopify.com',
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'x-shopify-triggered-at': '2026-04-02T10:00:00.000Z',
    'x-shopify-api-version': '2026-04',
    ...extra,
  };
}

/** The top-level id as written in the file (two-space indent), without any JSON parser. */
function rawTopLevel(text: string, field: string): string | null {
  return new RegExp(`^ {2}"${field}": (\\d+)`, 'm').exec(text)?.[1] ?? null;
}

describe('parseWebhook on every fixture topic', () => {
  const fixtures = listFixtureTopics();

  it('finds the fixtures', () => {
    assert.ok(fixtures.length >= 11, `found ${fixtures.length}`);
  });

  for (const { topic, file } of fixtures) {
    it(`${topic}: keeps the body byte for byte and every digit of the id`, () => {
      const raw = readFileSync(file);
      const result = parseWebhook(headersFor(topic), raw);
      assert.ok(result.ok, JSON.stringify(result));
      const { webhook } = result;
      assert.equal(webhook.topic, topic);
      assert.equal(webhook.rawJson, raw.toString('utf8'));

      const idField = topic === 'inventory_levels/update' ? 'inventory_item_id' : 'id';
      const expectedId = rawTopLevel(raw.toString('utf8'), idField);
      assert.equal(webhook.resourceId, expectedId);
      if (expectedId !== null && BigInt(expectedId) > BigInt(Number.MAX_SAFE_INTEGER)) {
        // The reason for all this care: JSON.parse rounds these ids.
        const rounded = String(BigInt((JSON.parse(raw.toString()) as Record<string, number>)[idField]!));
        assert.notEqual(rounded, expectedId);
      }
    });
  }

  it('derives gids: from admin_graphql_api_id, or from the topic when the payload has none', () => {
    const get = (topic: string) => {
      const fixture = fixtures.find((f) => f.topic === topic)!;
      const result = parseWebhook(headersFor(topic), readFileSync(fixture.file));
      assert.ok(result.ok);
      return result.webhook;
    };
    assert.equal(get('products/create').resourceGid, 'gid://shopify/Product/788032119674292922');
    assert.equal(get('products/delete').resourceGid, 'gid://shopify/Product/788032119674292900');
    assert.equal(get('inventory_levels/update').resourceGid, 'gid://shopify/InventoryItem/271878346596884015');
    assert.equal(get('shop/redact').resourceId, null);
  });
});

describe('parseWebhook headers and keys', () => {
  const body = Buffer.from(
    '{"admin_graphql_api_id":"gid://shopify/Product/9007199254740993","id":9007199254740993,' +
      '"updated_at":"2021-12-31T19:00:00-05:00"}',
  );

  it('returns the typed delivery with a dedupe key on shop + event id', () => {
    const result = parseWebhook(
      headersFor('products/update', { 'x-shopify-shop-domain': 'Demo-Shop.MyShopify.com' }),
      body,
    );
    assert.ok(result.ok);
    assert.equal(result.webhook.shopDomain, 'demo-shop.myshopify.com');
    assert.equal(result.webhook.eventType, 'shopify.product.updated');
    assert.equal(result.webhook.dedupeKey, 'demo-shop.myshopify.com:98880550-7158-44d4-b7cd-2c97c8a091b5');
    assert.equal(result.webhook.triggeredAt.toISOString(), '2026-04-02T10:00:00.000Z');
    assert.equal(result.webhook.apiVersion, '2026-04');
    assert.equal(result.webhook.updatedAt?.toISOString(), '2022-01-01T00:00:00.000Z');
    assert.equal(
      result.webhook.changeKey,
      'demo-shop.myshopify.com:product:9007199254740993:updated:2022-01-01T00:00:00.000Z',
    );
  });

  it('falls back to the webhook id without an event id, and to now without Triggered-At', () => {
    const before = Date.now();
    const result = parseWebhook(
      headersFor('products/update', { 'x-shopify-event-id': undefined, 'x-shopify-triggered-at': undefined }),
      body,
    );
    assert.ok(result.ok);
    assert.equal(result.webhook.dedupeKey, 'demo-shop.myshopify.com:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    assert.ok(result.webhook.triggeredAt.getTime() >= before);
  });

  it('reads mixed-case and array-valued headers', () => {
    const result = parseWebhook(
      {
        'X-Shopify-Topic': ['products/create'],
        'X-Shopify-Shop-Domain': 'a.myshopify.com',
        'X-Shopify-Webhook-Id': 'w1',
      },
      body,
    );
    assert.ok(result.ok);
    assert.equal(result.webhook.changeKey, 'a.myshopify.com:product:9007199254740993:created');
  });

  const bad: Array<[string, HeaderBag, string]> = [
    ['missing topic', { 'x-shopify-topic': undefined }, 'missing_header'],
    ['missing shop', { 'x-shopify-shop-domain': '' }, 'missing_header'],
    ['missing webhook id', { 'x-shopify-webhook-id': undefined }, 'missing_header'],
    ['a shop outside myshopify.com', { 'x-shopify-shop-domain': 'evil.example.com' }, 'invalid_shop_domain'],
    ['a look-alike shop', { 'x-shopify-shop-domain': 'shop.myshopify.com.evil.io' }, 'invalid_shop_domain'],
    ['a malformed topic', { 'x-shopify-topic': 'products create' }, 'invalid_header'],
    ['a bad Triggered-At', { 'x-shopify-triggered-at': 'yesterday-ish' }, 'invalid_header'],
    ['a bad API version', { 'x-shopify-api-version': 'v2' }, 'invalid_header'],
  ];
  for (const [name, override, code] of bad) {
    it(`answers 400 ${code} for ${name}`, () => {
      const result = parseWebhook(headersFor('products/update', override), body);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.status, 400);
        assert.equal(result.code, code);
      }
    });
  }

  for (const [name, raw] of [
    ['non-JSON', 'id=1'],
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a string', '"x"'],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d])],
    ['empty', ''],
  ] as const) {
    it(`answers 400 invalid_body for ${name}`, () => {
      const result = parseWebhook(headersFor('products/update'), Buffer.from(raw));
      assert.deepEqual(result.ok ? null : [result.status, result.code], [400, 'invalid_body']);
    });
  }
});

describe('parseWebhook and what the database can hold', () => {
  it('a body nested deeper than 512 levels is refused with 422 before it is parsed', () => {
    const deep = Buffer.from(`{"id":1,"x":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    const result = parseWebhook(headersFor('orders/create'), deep);
    assert.ok(!result.ok);
    assert.equal(result.status, 422);
    assert.equal(result.code, 'payload_too_deep');
    // Brackets inside strings are text, not nesting.
    const inString = Buffer.from(`{"id":1,"note":"${'['.repeat(10_000)}"}`);
    assert.ok(parseWebhook(headersFor('orders/create'), inString).ok);
  });

  it('an updated_at PostgreSQL cannot hold is ignored: the event is timed and keyed by the delivery', () => {
    for (const updatedAt of ['+275760-09-13T00:00:00.000Z', '0000-06-01T00:00:00Z', '+010000-01-01T00:00:00Z']) {
      const body = Buffer.from(
        `{"id":7,"admin_graphql_api_id":"gid://shopify/Product/7","updated_at":${JSON.stringify(updatedAt)}}`,
      );
      const result = parseWebhook(headersFor('products/update'), body);
      assert.ok(result.ok, updatedAt);
      assert.equal(result.webhook.updatedAt, null, updatedAt);
      assert.equal(result.webhook.changeKey, null, updatedAt);
    }
  });

  it('an X-Shopify-Triggered-At PostgreSQL cannot hold is a 400', () => {
    const result = parseWebhook(
      headersFor('orders/create', { 'x-shopify-triggered-at': '+275760-09-13T00:00:00.000Z' }),
      Buffer.from('{"id":1}'),
    );
    assert.ok(!result.ok);
    assert.equal(result.status, 400);
    assert.match(result.message, /out of range/);
  });
});
