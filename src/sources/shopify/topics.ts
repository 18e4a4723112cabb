/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

/**
 * Shopify webhook topics Lookout subscribes to, and the event each becomes.
 * Compliance topics (customers/*, shop/redact) are mandatory for public apps; app/uninstalled
 * disables the integration. Anything else maps to null: acknowledged, not stored.
 */
const TOPIC_EVENT_TYPES: Readonly<Record<string, EventType>> = {
  'products/create': 'shopify.product.created',
  'products/update': 'shopify.product.updated',
  'products/delete': 'shopify.product.deleted',
  'collections/create': 'shopify.collection.created',
  'collections/update': 'shopify.collection.updated',
  'orders/create': 'shopify.order.created',
  // Whether a level is "low" depends on the user's threshold, decided at processing time.
  'inventory_levels/update': 'shopify.inventory.updated',
  'app/uninstalled': 'shopify.app.uninstalled',
  'customers/data_request': 'shopify.customers.data_request',
  'customers/redact': 'shopify.customers.redact',
  'shop/redact': 'shopify.shop.redact',
};

export const SUPPORTED_TOPICS: readonly string[] = Object.keys(TOPIC_EVENT_TYPES);

export function topicToEventType(topic: string): EventType | null {
  return Object.hasOwn(TOPIC_EVENT_TYPES, topic) ? (TOPIC_EVENT_TYPES[topic] ?? null) : null;
}

/**
 * An inventory level is low when a tracked quantity is at or below the threshold.
 * `available` is null for untracked items (Shopify sends null): those are never low.
 */
export function isLowInventory(available: number | null | undefined, threshold: number): boolean {
  return typeof available === 'number' && available <= threshold;
}

/** The event an inventory change deserves once the user's threshold is known. */
export function inventoryEventType(
  available: number | null | undefined,
  threshold: number,
): 'shopify.inventory.low' | 'shopify.inventory.updated' {
  return isLowInventory(available, threshold) ? 'shopify.inventory.low' : 'shopify.inventory.updated';
}
