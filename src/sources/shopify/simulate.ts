import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { signShopifyBody } from './signature.js';

/** Real Shopify sample payloads shipped with Lookout: fixtures/shopify/<api version>/<topic>.json. */
export function defaultFixturesDir(): string {
  return fileURLToPath(new URL('../../../fixtures/shopify', import.meta.url));
}

export interface SimulatedDelivery {
  headers: Record<string, string>;
  body: Buffer;
}

const topicFile = (topic: string): string => `${topic.replace('/', '__')}.json`;

/** API version folders, newest first ("unstable" and anything unversioned last). */
function versionsNewestFirst(fixturesDir: string): string[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => Number(/^\d{4}-\d{2}$/.test(b)) - Number(/^\d{4}-\d{2}$/.test(a)) || b.localeCompare(a));
}

/** Every topic with a fixture, each with the newest API version that has it. */
export function listFixtureTopics(
  fixturesDir: string = defaultFixturesDir(),
): Array<{ topic: string; apiVersion: string; file: string }> {
  const found = new Map<string, { topic: string; apiVersion: string; file: string }>();
  for (const version of versionsNewestFirst(fixturesDir)) {
    for (const name of readdirSync(join(fixturesDir, version))) {
      if (!name.endsWith('.json')) continue;
      const topic = name.slice(0, -'.json'.length).replace('__', '/');
      if (!found.has(topic)) found.set(topic, { topic, apiVersion: version, file: join(fixturesDir, version, name) });
    }
  }
  return [...found.values()].sort((a, b) => a.topic.localeCompare(b.topic));
}

function findFixture(topic: string, fixturesDir: string): { apiVersion: string; text: string } {
  for (const version of versionsNewestFirst(fixturesDir)) {
    const file = join(fixturesDir, version, topicFile(topic));
    if (existsSync(file)) return { apiVersion: version, text: readFileSync(file, 'utf8') };
  }
  throw new Error(`no fixture for topic ${topic} in ${fixturesDir}`);
}

/**
 * Deliveries of one topic as Shopify would send them to this shop: a fresh webhook id and event id
 * each, updated_at set to now, and for count > 1 distinct resource ids (the fixture's id plus n),
 * so they are distinct events rather than retries. Every body is signed with `secret`.
 */
export function buildSimulatedDeliveries(
  topic: string,
  shopDomain: string,
  count: number,
  secret: string,
  fixturesDir: string = defaultFixturesDir(),
): SimulatedDelivery[] {
  const { apiVersion, text } = findFixture(topic, fixturesDir);
  const template = text.replaceAll('{shop}.myshopify.com', shopDomain);
  return Array.from({ length: count }, (_, n) => {
    const now = new Date().toISOString();
    const body = Buffer.from(withFreshIds(template, n, now));
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Topic': topic,
        'X-Shopify-Hmac-Sha256': signShopifyBody(body, secret),
        'X-Shopify-Shop-Domain': shopDomain,
        'X-Shopify-Webhook-Id': randomUUID(),
        'X-Shopify-Event-Id': randomUUID(),
        'X-Shopify-Triggered-At': now,
        'X-Shopify-API-Version': apiVersion,
      },
    };
  });
}

/** Edits ids without passing them through a JS number: lossless parse, BigInt arithmetic, lossless stringify. */
function withFreshIds(template: string, n: number, now: string): string {
  const payload = parse(template) as Record<string, unknown>;
  const idField = 'inventory_item_id' in payload ? 'inventory_item_id' : 'id';
  const id = payload[idField];
  if (n > 0 && isLosslessNumber(id)) {
    const next = (BigInt(id.toString()) + BigInt(n)).toString();
    payload[idField] = new LosslessNumber(next);
    const gid = payload.admin_graphql_api_id;
    if (typeof gid === 'string') payload.admin_graphql_api_id = gid.replace(id.toString(), next);
  }
  if ('updated_at' in payload) payload.updated_at = now;
  return stringify(payload, null, 2) ?? template;
}
