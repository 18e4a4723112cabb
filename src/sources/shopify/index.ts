/** The Shopify source: webhook verification and parsing, the Admin API adapter, the poller. */
export { verifyShopifyHmac, signShopifyBody } from './signature.js';
export { topicToEventType, isLowInventory, inventoryEventType, SUPPORTED_TOPICS } from './topics.js';
export { parseWebhook, type ShopifyWebhook, type ParseWebhookResult, type HeaderBag } from './parseWebhook.js';
export { ShopifyAdminClient, type AdminClientOptions, type RetryInfo } from './adminClient.js';
export * from './adminErrors.js';
export {
  ShopifyAdapter,
  type ShopifyAdapterOptions,
  type ShopifyProduct,
  type ShopifyVariant,
  type LowStockVariant,
  type ResolvedInventoryItem,
  type OrderVelocity,
} from './shopifyAdapter.js';
export { pollShopify, type ShopifyPollState, type PolledEvent, type ShopifyPollSource, type PollOptions } from './pollEvents.js';
export { deliveryKey, productCreatedKey, productUpdatedKey, inventoryLowKey } from './dedupeKeys.js';
export { buildSimulatedDeliveries, listFixtureTopics, defaultFixturesDir } from './simulate.js';
