import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signShopifyBody } from '../../src/sources/shopify/signature.js';
import { listFixtureTopics } from '../../src/sources/shopify/simulate.js';
import { ROOT } from './processes.js';

export const FIXTURES_DIR = `${ROOT}fixtures/shopify`;

export function fixtureTopics() {
  return listFixtureTopics(FIXTURES_DIR);
}

export function fixtureBody(topic: string): Buffer {
  const f = fixtureTopics().find((t) => t.topic === topic);
  if (!f) throw new Error(`no fixture for ${topic}`);
  return readFileSync(f.file);
}

/** Headers exactly as Shopify sends them, signed with `secret`. */
export function shopifyHeaders(
  topic: string,
  shop: string,
  body: Buffer,
  secret: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': shop,
    'x-shopify-hmac-sha256': signShopifyBody(body, secret),
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-event-id': randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
    'x-shopify-api-version': '2026-04',
    ...extra,
  };
}
