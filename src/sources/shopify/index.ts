/** The Shopify source: webhook verification and parsing, the Admin API adapter, the poller. */

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
