import { parse as parseLossless } from 'lossless-json';

import { MAX_PAYLOAD_DEPTH, nestingExceeds, timestampHolds } from '../../ingest/storablePayload.js';
import {
  collectionChangedKey,
  deliveryKey,
  inventoryLevelKey,
  orderCreatedKey,
  productCreatedKey,
  productDeletedKey,
  productUpdatedKey,
} from './dedupeKeys.js';
import { numericIdFromGid } from './gid.js';
import { topicToEventType } from './topics.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

export type HeaderBag = Record<string, string | string[] | undefined>;

/** A Shopify delivery whose headers and body have been validated. The body is kept as received. */
export interface ShopifyWebhook {
  topic: string;
  /** Lower-cased *.myshopify.com domain. */
  shopDomain: string;
  webhookId: string;
  eventId: string | null;
  triggeredAt: Date;
  apiVersion: string | null;
  eventType: EventType | null;
  /** The body text exactly as received: store this, never a re-serialisation (ids exceed 2^53). */
  rawJson: string;
  /** Numeric id of the resource (or the inventory item for inventory levels), all digits kept. */
  resourceId: string | null;
  /** admin_graphql_api_id when the payload has one, else built from the topic and resourceId. */
  resourceGid: string | null;
  /** The payload's updated_at, for ordering out-of-order deliveries. */
  updatedAt: Date | null;
  /** Identity of the delivery: `${shop}:${eventId ?? webhookId}`. */
  dedupeKey: string;
  /** Identity of the change, shared with the poller (see dedupeKeys.ts); null when none applies. */
  changeKey: string | null;
}

export type ParseWebhookErrorCode =
  | 'missing_header'
  | 'invalid_header'
  | 'invalid_shop_domain'
  | 'invalid_body'
  | 'payload_too_deep';

export type ParseWebhookResult =
  | { ok: true; webhook: ShopifyWebhook }
  | { ok: false; status: 400 | 422; code: ParseWebhookErrorCode; message: string };

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
const TOPIC = /^[a-z0-9_]+(\/[a-z0-9_]+)+$/;
const API_VERSION = /^\d{4}-\d{2}$|^unstable$/;
const MAX_ID_LENGTH = 255;

/** Resource type of the gid we build when a payload lacks admin_graphql_api_id (products/delete). */
const TOPIC_GID_RESOURCE: Readonly<Record<string, string>> = {
  products: 'Product',
  collections: 'Collection',
  orders: 'Order',
  inventory_items: 'InventoryItem',
  inventory_levels: 'InventoryItem',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function fail(code: ParseWebhookErrorCode, message: string): ParseWebhookResult {
  return { ok: false, status: code === 'payload_too_deep' ? 422 : 400, code, message };
}

/** Node lower-cases header names; callers with other header sources may not. */
function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed === '' ? undefined : trimmed;
}

export function parseWebhook(headers: HeaderBag, rawBody: Buffer): ParseWebhookResult {
  const topic = header(headers, 'x-shopify-topic');
  const shopHeader = header(headers, 'x-shopify-shop-domain');
  const webhookId = header(headers, 'x-shopify-webhook-id');
  if (topic === undefined) return fail('missing_header', 'X-Shopify-Topic is required');
  if (shopHeader === undefined) return fail('missing_header', 'X-Shopify-Shop-Domain is required');
  if (webhookId === undefined) return fail('missing_header', 'X-Shopify-Webhook-Id is required');
  if (!TOPIC.test(topic)) return fail('invalid_header', `X-Shopify-Topic is not a topic: ${topic.slice(0, 64)}`);
  const shopDomain = shopHeader.toLowerCase();
  if (!SHOP_DOMAIN.test(shopDomain))
    return fail('invalid_shop_domain', 'X-Shopify-Shop-Domain must be a *.myshopify.com domain');
  if (webhookId.length > MAX_ID_LENGTH) return fail('invalid_header', 'X-Shopify-Webhook-Id is too long');

  const eventId = header(headers, 'x-shopify-event-id') ?? null;
  if (eventId !== null && eventId.length > MAX_ID_LENGTH)
    return fail('invalid_header', 'X-Shopify-Event-Id is too long');

  const triggeredHeader = header(headers, 'x-shopify-triggered-at');
  const triggeredAt = triggeredHeader === undefined ? new Date() : new Date(triggeredHeader);
  if (Number.isNaN(triggeredAt.getTime())) return fail('invalid_header', 'X-Shopify-Triggered-At is not a date');
  if (!timestampHolds(triggeredAt))
    return fail('invalid_header', 'X-Shopify-Triggered-At is out of range (years 0001 to 9999)');

  const apiVersion = header(headers, 'x-shopify-api-version') ?? null;
  if (apiVersion !== null && !API_VERSION.test(apiVersion))
    return fail('invalid_header', 'X-Shopify-API-Version must look like 2026-04');

  // Before any parse: nesting this deep breaks the embedded database (see MAX_PAYLOAD_DEPTH) and
  // no Shopify payload comes near it.
  if (nestingExceeds(rawBody))
    return fail('payload_too_deep', `body nests arrays or objects deeper than ${MAX_PAYLOAD_DEPTH} levels`);

  let rawJson: string;
  let body: unknown;
  try {
    rawJson = utf8.decode(rawBody);
    // JSON.parse checks the shape only: numbers above 2^53 lose digits here, so no id is read from it.
    body = JSON.parse(rawJson);
  } catch {
    return fail('invalid_body', 'body must be UTF-8 JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return fail('invalid_body', 'body must be a JSON object');

  const fields = body as Record<string, unknown>;
  const { resourceId, resourceGid } = extractResourceIds(topic, rawJson, fields);
  const updatedAt = parseDate(fields.updated_at);
  return {
    ok: true,
    webhook: {
      topic,
      shopDomain,
      webhookId,
      eventId,
      triggeredAt,
      apiVersion,
      eventType: topicToEventType(topic),
      rawJson,
      resourceId,
      resourceGid,
      updatedAt,
      dedupeKey: deliveryKey(shopDomain, eventId, webhookId),
      changeKey: changeKeyFor(topic, shopDomain, resourceId, updatedAt, () => locationIdOf(rawJson, fields)),
    },
  };
}

function extractResourceIds(
  topic: string,
  rawJson: string,
  fields: Record<string, unknown>,
): { resourceId: string | null; resourceGid: string | null } {
  const resource = topic.split('/')[0] ?? '';
  const gidField = fields.admin_graphql_api_id;
  // inventory_levels' gid names the level; the useful id is the inventory item's.
  if (typeof gidField === 'string' && resource !== 'inventory_levels') {
    const id = numericIdFromGid(gidField);
    if (id !== null) return { resourceId: id, resourceGid: gidField };
  }
  const idField = resource === 'inventory_levels' ? 'inventory_item_id' : 'id';
  if (typeof fields[idField] !== 'number') return { resourceId: null, resourceGid: null };
  // Only payloads without a gid pay for the slower lossless parse.
  const id = losslessTopLevelNumber(rawJson, idField);
  const gidResource = TOPIC_GID_RESOURCE[resource];
  return { resourceId: id, resourceGid: id !== null && gidResource ? `gid://shopify/${gidResource}/${id}` : null };
}

function losslessTopLevelNumber(rawJson: string, field: string): string | null {
  // Every number comes back as its source text: no digit is lost.
  const parsed = parseLossless(rawJson, null, (digits: string) => digits) as Record<string, unknown>;
  const value = parsed[field];
  return typeof value === 'string' && /^\d+$/.test(value) ? value : null;
}

/** A payload date, or null when it is not one PostgreSQL can hold (then the delivery's time is used). */
function parseDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return timestampHolds(date) ? date : null;
}

/** inventory_levels/update: the level's location (all digits kept). */
function locationIdOf(rawJson: string, fields: Record<string, unknown>): string | null {
  return typeof fields.location_id === 'number' ? losslessTopLevelNumber(rawJson, 'location_id') : null;
}

function changeKeyFor(
  topic: string,
  shop: string,
  resourceId: string | null,
  updatedAt: Date | null,
  locationId: () => string | null,
): string | null {
  if (resourceId === null) return null;
  switch (topic) {
    case 'products/create':
      return productCreatedKey(shop, resourceId);
    case 'products/update':
      return updatedAt === null ? null : productUpdatedKey(shop, resourceId, updatedAt);
    case 'products/delete':
      return productDeletedKey(shop, resourceId);
    case 'orders/create':
      return orderCreatedKey(shop, resourceId);
    case 'collections/create':
    case 'collections/update':
      return updatedAt === null ? null : collectionChangedKey(shop, resourceId, updatedAt);
    case 'inventory_levels/update': {
      const location = locationId();
      return updatedAt === null || location === null ? null : inventoryLevelKey(shop, resourceId, location, updatedAt);
    }
    default:
      return null;
  }
}
