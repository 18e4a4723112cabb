import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { z } from 'zod';
import { backoffMs } from '../../../src/lib/backoff.js';
import {
  type AdminClientOptions,
  type RetryInfo,
  ShopifyAdminClient,
} from '../../../src/sources/shopify/adminClient.js';
import {
  ShopifyAdminError,
  ShopifyAuthError,
  ShopifyGraphqlError,
  ShopifyRateLimitError,
  ShopifyTimeoutError,
} from '../../../src/sources/shopify/adminErrors.js';
import { PRODUCT_BY_ID, productByIdData } from '../../../src/sources/shopify/queries.js';
import { retryAfterMs, throttleWaitMs } from '../../../src/sources/shopify/retryPolicy.js';
import { FakeShopifyAdmin } from '../../fakes/shopifyAdmin.js';

describe('ShopifyAdminClient against the fake Admin API', () => {
  let fake: FakeShopifyAdmin;
  let productGid: string;
  let retries: RetryInfo[];

  before(async () => {
    fake = await FakeShopifyAdmin.start({ restoreRate: 1000, maximumAvailable: 1000 });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.delayMs = 0;
    fake.setAvailable(1000);
    retries = [];
    productGid = `gid://shopify/Product/${fake.addProduct({ title: 'Aera helmet' }).id}`;
  });

  const client = (opts: Partial<AdminClientOptions> = {}) =>
    new ShopifyAdminClient({
      shopDomain: 'demo-shop.myshopify.com',
      accessToken: fake.accessToken,
      apiVersion: '2026-04',
      adminApiUrl: fake.url,
      baseBackoffMs: 10,
      onRetry: (info) => retries.push(info),
      ...opts,
    });

  it('sends the pinned version to the configured base URL and validates the answer', async () => {
    const { data, cost } = await client().query(PRODUCT_BY_ID, { id: productGid }, productByIdData);
    assert.equal(data.product?.title, 'Aera helmet');
    assert.equal(fake.requests.at(-1)?.path, '/admin/api/2026-04/graphql.json');
    assert.equal(cost?.requestedQueryCost, 103);
    assert.ok(cost && cost.actualQueryCost !== null && cost.actualQueryCost <= cost.requestedQueryCost);
  });

  it('waits out THROTTLED (HTTP 200) for (requested − available) / restoreRate, then succeeds', async () => {
    fake.setAvailable(-397); // 500 points short of the 103 the query requests
    const started = Date.now();
    const { data } = await client({ throttleMarginMs: 5 }).query(PRODUCT_BY_ID, { id: productGid }, productByIdData);
    const elapsed = Date.now() - started;
    assert.equal(data.product?.title, 'Aera helmet');
    const [retry] = retries;
    assert.equal(retry?.reason, 'throttled');
    // 103 requested, about -397 available (a little refilled since), 1000 points/s: ~500 ms + 5 ms margin
    const { requestedQueryCost, throttleStatus } = retry.cost!;
    assert.equal(requestedQueryCost, 103);
    assert.equal(retry.waitMs, Math.ceil(((103 - throttleStatus.currentlyAvailable) / 1000) * 1000) + 5);
    assert.ok(retry.waitMs >= 300 && retry.waitMs <= 505, `waited ${retry.waitMs}`);
    assert.equal(retries.length, 1, 'one wait was enough');
    // It really waited before retrying (a lower bound: the machine's speed cannot break it).
    assert.ok(elapsed >= retry.waitMs, `took ${elapsed} ms`);
  });

  it('reads 429 Retry-After as seconds', async () => {
    fake.failNext(429, { retryAfter: '0.3' });
    const started = Date.now();
    await client().query(PRODUCT_BY_ID, { id: productGid }, productByIdData);
    assert.deepEqual(
      retries.map((r) => [r.reason, r.waitMs]),
      [['rate_limited', 300]],
    );
    assert.ok(Date.now() - started >= 290);
  });

  it('retries 5xx with backoff and gives up after maxAttempts', async () => {
    fake.failNext(503, { times: 2 });
    await client().query(PRODUCT_BY_ID, { id: productGid }, productByIdData);
    assert.deepEqual(
      retries.map((r) => r.reason),
      ['server_error', 'server_error'],
    );

    fake.failNext(500, { times: 3 });
    await assert.rejects(
      client({ maxAttempts: 3 }).query(PRODUCT_BY_ID, { id: productGid }, productByIdData),
      (e: unknown) => {
        assert.ok(e instanceof ShopifyAdminError);
        assert.equal(e.code, 'server_error');
        assert.equal(e.details.attempts, 3);
        return true;
      },
    );
  });

  it('times out a stalled request with a typed error', async () => {
    fake.delayMs = 1000;
    await assert.rejects(
      client({ timeoutMs: 100, maxAttempts: 2 }).query(PRODUCT_BY_ID, { id: productGid }, productByIdData),
      ShopifyTimeoutError,
    );
    // Had it waited for the server (which does answer, after a second), the query would have succeeded.
    assert.deepEqual(
      retries.map((r) => r.reason),
      ['timeout'],
    );
  });

  it('fails at once on a bad token', async () => {
    await assert.rejects(
      client({ accessToken: 'wrong' }).query(PRODUCT_BY_ID, { id: productGid }, productByIdData),
      ShopifyAuthError,
    );
    assert.equal(retries.length, 0);
  });

  it('keeps THROTTLED bounded: a rate-limit error after the last attempt', async () => {
    fake.setAvailable(-100_000); // far below zero: stays throttled for ~100 s
    await assert.rejects(
      client({ maxAttempts: 2, maxWaitMs: 20 }).query(PRODUCT_BY_ID, { id: productGid }, productByIdData),
      ShopifyRateLimitError,
    );
  });

  it('reports a GraphQL error (not THROTTLED) without retrying', async () => {
    await assert.rejects(
      client().query('query LookoutNoSuchThing { shop { id } }', {}, productByIdData),
      ShopifyGraphqlError,
    );
    assert.equal(retries.length, 0);
  });

  it('reports an answer of the wrong shape as invalid_response', async () => {
    const expectsOtherShape = z.object({ product: z.object({ onlineStoreUrl: z.string() }) });
    await assert.rejects(
      client().query(PRODUCT_BY_ID, { id: productGid }, expectsOtherShape),
      (e: unknown) => e instanceof ShopifyAdminError && e.code === 'invalid_response',
    );
  });
});

describe('retry arithmetic', () => {
  it('throttle wait is the point deficit over the restore rate', () => {
    const cost = {
      requestedQueryCost: 752,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 666, restoreRate: 50 },
    };
    assert.equal(throttleWaitMs(cost, 0), 1720);
  });

  it('Retry-After is seconds, decimals allowed, with a fallback', () => {
    assert.equal(retryAfterMs('2.0', 999), 2000);
    assert.equal(retryAfterMs('1', 999), 1000);
    assert.equal(retryAfterMs(null, 999), 999);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', 999, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
  });

  it('backoff doubles per attempt with jitter in the upper half', () => {
    assert.equal(
      backoffMs(1, 100, Number.POSITIVE_INFINITY, () => 0),
      50,
    );
    assert.equal(
      backoffMs(3, 100, Number.POSITIVE_INFINITY, () => 1),
      400,
    );
    assert.equal(
      backoffMs(3, 100, Number.POSITIVE_INFINITY, () => 0),
      200,
    );
  });
});
