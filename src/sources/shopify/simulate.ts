import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLosslessNumber, LosslessNumber, parse, stringify } from 'lossless-json';
import { handleOf, type Random, type SampleProduct, sampleProducts } from './sampleCatalog.js';
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

export interface SimulateOptions {
  /**
   * Send exactly the deliveries of the previous run with the same arguments (same ids and bodies),
   * as Shopify does when it retries: Lookout answers "duplicate" and stores nothing new.
   * Default: fresh, varied deliveries (new ids, titles, prices) on every run.
   */
  repeat?: boolean;
  random?: Random;
  now?: Date;
  fixturesDir?: string;
}

/**
 * Deliveries of one topic as Shopify would send them to this shop, each signed with `secret`.
 * Fresh (the default): new resource ids (above 2^53, like real ones), new webhook and event ids,
 * updated_at now, and for products and collections a different title, type, vendor and price each
 * time. With `repeat`, the same deliveries as every other repeat run of these arguments.
 */
export function buildSimulatedDeliveries(
  topic: string,
  shopDomain: string,
  count: number,
  secret: string,
  opts: SimulateOptions = {},
): SimulatedDelivery[] {
  const { apiVersion, text } = findFixture(topic, opts.fixturesDir ?? defaultFixturesDir());
  const template = text.replaceAll('{shop}.myshopify.com', shopDomain);
  const random = opts.random ?? Math.random;
  const products = opts.repeat ? [] : sampleProducts(count, random);
  const now = (opts.now ?? new Date()).toISOString();
  return Array.from({ length: count }, (_, n) => {
    const stable = (what: string) => uuidFrom(`${shopDomain}|${topic}|${n}|${what}`);
    const body = Buffer.from(
      opts.repeat ? withOffsetIds(template, n) : freshPayload(template, topic, n, now, products[n]!, random),
    );
    const triggeredAt = opts.repeat ? new Date(0).toISOString() : now;
    return {
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Shopify-Topic': topic,
        'X-Shopify-Hmac-Sha256': signShopifyBody(body, secret),
        'X-Shopify-Shop-Domain': shopDomain,
        'X-Shopify-Webhook-Id': opts.repeat ? stable('webhook') : randomUUID(),
        'X-Shopify-Event-Id': opts.repeat ? stable('event') : randomUUID(),
        'X-Shopify-Triggered-At': triggeredAt,
        'X-Shopify-API-Version': apiVersion,
      },
    };
  });
}

/** A v4-shaped UUID derived from text: the same text always gives the same id. */
function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const idFieldOf = (payload: Record<string, unknown>) => ('inventory_item_id' in payload ? 'inventory_item_id' : 'id');

/** Repeat mode: the fixture's id plus n, nothing else changed: byte-identical on every run. */
function withOffsetIds(template: string, n: number): string {
  const payload = parse(template) as Record<string, unknown>;
  const idField = idFieldOf(payload);
  const id = payload[idField];
  if (n > 0 && isLosslessNumber(id))
    replaceId(payload, idField, id.toString(), (BigInt(id.toString()) + BigInt(n)).toString());
  return stringify(payload, null, 2) ?? template;
}

function replaceId(payload: Record<string, unknown>, idField: string, from: string, to: string): void {
  payload[idField] = new LosslessNumber(to);
  const gid = payload.admin_graphql_api_id;
  if (typeof gid === 'string') payload.admin_graphql_api_id = gid.replace(from, to);
}

/** A random id in Shopify's current range (18 digits, above 2^53): no JS number could hold it. */
function randomId(random: Random): string {
  const base = 700_000_000_000_000_000n;
  const span = 200_000_000_000_000_000n;
  const r = BigInt(Math.floor(random() * 2 ** 52)) * (span / 2n ** 52n);
  return (base + r).toString();
}

const COLLECTIONS = ['Autumn Cozy Edit', 'Weekend Escape', 'Gifts Under 50', 'New This Week', 'Studio Favourites'];

/** Fresh mode: new ids everywhere a resource is named, and varied merchandise. Edited losslessly. */
function freshPayload(
  template: string,
  topic: string,
  n: number,
  now: string,
  product: SampleProduct,
  random: Random,
): string {
  const payload = parse(template) as Record<string, unknown>;
  const idField = idFieldOf(payload);
  const id = payload[idField];
  if (isLosslessNumber(id)) replaceId(payload, idField, id.toString(), randomId(random));
  if ('updated_at' in payload) payload.updated_at = now;
  if (topic.startsWith('products/') && topic !== 'products/delete') {
    payload.title = product.title;
    payload.handle = handleOf(product.title);
    payload.body_html = `<p>${product.description}</p>`;
    payload.product_type = product.productType;
    payload.vendor = product.vendor;
    payload.tags = product.tags.join(', ');
    if (topic === 'products/create') payload.created_at = now;
    if (Array.isArray(payload.variants)) {
      for (const variant of payload.variants as Array<Record<string, unknown>>) {
        if (isLosslessNumber(variant.id)) variant.id = new LosslessNumber(randomId(random));
        variant.product_id = payload.id;
        variant.price = product.price;
        variant.compare_at_price = product.compareAtPrice;
        variant.sku = `${product.sku}-${String(variant.position ?? 1)}`;
      }
    }
  }
  if (topic.startsWith('collections/')) {
    const title = COLLECTIONS[Math.floor(random() * COLLECTIONS.length)]!;
    payload.title = n === 0 ? title : `${title} ${n + 1}`;
    payload.handle = handleOf(String(payload.title));
  }
  if (topic === 'orders/create') {
    const number = 1000 + Math.floor(random() * 9000);
    payload.order_number = new LosslessNumber(String(number));
    payload.name = `#${number}`;
    payload.created_at = now;
  }
  return stringify(payload, null, 2) ?? template;
}
