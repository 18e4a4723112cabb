/** The Shopify source: webhook verification and parsing, the Admin API adapter, the poller. */

import { z } from 'zod';
import { shopifyWebhookRoutes } from '../../ingest/shopifyWebhook.js';
import { ownershipView, proveShopByToken } from '../../ingest/shopOwnership.js';
import { pollShopifyIntegration } from '../../loop/pollers.js';
import { defineConnection, defineSource, type SourceContext } from '../source.js';
import { firstField } from '../subject.js';
import { SHOPIFY_EVENT_TYPES, shopifyEventSpecs } from './eventTypes.js';
import { SHOP_DOMAIN } from './shopDomain.js';

const adminApi = (ctx: SourceContext) => ({
  apiVersion: ctx.config.shopify.apiVersion,
  adminApiUrl: ctx.config.shopify.adminApiUrl,
  timeoutMs: 10_000,
  // One attempt: if Shopify cannot be reached, the poll loop checks the token again.
  maxAttempts: 1,
});

export const shopify = defineSource({
  kind: 'shopify',
  label: 'Shopify',
  eventTypes: SHOPIFY_EVENT_TYPES,
  eventSpecs: shopifyEventSpecs,
  // A resource's GraphQL id; deletions carry only the numeric id.
  subjectOf: (_type, payload) => firstField(payload, ['admin_graphql_api_id', 'id']),
  connection: defineConnection(
    {
      shopDomain: z.string().trim().toLowerCase().regex(SHOP_DOMAIN, 'a *.myshopify.com domain'),
      accessToken: z.string().min(10).max(200).optional(),
      /** For webhooks created in the Shopify admin, which a store key signs instead of the app secret. */
      webhookSecret: z.string().min(10).max(200).optional(),
    },
    {
      secretFields: ['accessToken', 'webhookSecret'],
      settings: (body) => ({ config: {}, shopDomain: body.shopDomain }),
      // A shop claim is pending until proven; a token is checked now.
      afterCreate: async (row, body, ctx) => {
        if (!body.accessToken) return { row };
        const proven = await proveShopByToken(ctx.db, row, body.accessToken, adminApi(ctx));
        return { row: proven.row, answer: { tokenCheck: proven.check } };
      },
    },
  ),
  // Whether this claim receives the shop's webhooks, and if not, why and what to do.
  view: (row) => ({ shopDomain: row.shop_domain, ownership: ownershipView(row) }),
  webhookRoutes: shopifyWebhookRoutes,
  poller: pollShopifyIntegration,
});

export { type AdminClientOptions, type RetryInfo, ShopifyAdminClient } from './adminClient.js';
export * from './adminErrors.js';
export { deliveryKey, inventoryLowKey, productCreatedKey, productUpdatedKey } from './dedupeKeys.js';
export { type HeaderBag, type ParseWebhookResult, parseWebhook, type ShopifyWebhook } from './parseWebhook.js';
export {
  type PolledEvent,
  type PollOptions,
  pollShopify,
  type ShopifyPollSource,
  type ShopifyPollState,
} from './pollEvents.js';
export { SHOP_DOMAIN } from './shopDomain.js';
export {
  type LowStockVariant,
  type OrderVelocity,
  type ResolvedInventoryItem,
  ShopifyAdapter,
  type ShopifyAdapterOptions,
  type ShopifyProduct,
  type ShopifyVariant,
} from './shopifyAdapter.js';
export { signShopifyBody, verifyShopifyHmac } from './signature.js';
export { buildSimulatedDeliveries, defaultFixturesDir, listFixtureTopics } from './simulate.js';
export { inventoryEventType, isLowInventory, SUPPORTED_TOPICS, topicToEventType } from './topics.js';
