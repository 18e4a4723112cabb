/**
 * Dedupe keys: storage is idempotent on (user, source, key), so whoever builds a key decides what
 * counts as "the same event".
 *
 * Two identities exist for a Shopify change:
 * - the delivery: `${shop}:${eventId ?? webhookId}`. Shopify retries reuse both ids, so repeated
 *   deliveries collapse. This is the key the issue asks ingest to deduplicate on.
 * - the change itself: a product's creation, or a product reaching a given `updated_at`. A webhook
 *   and a poll that saw the same change both produce this key, so whichever is stored first wins
 *   and the other is a no-op. `parseWebhook` returns it as `changeKey` for product topics; ingest
 *   that stores `changeKey ?? dedupeKey` makes webhooks and the fallback poll collide.
 * Numeric ids (not gids) and `updated_at` normalised to UTC ISO make the two sides byte-equal:
 * REST webhooks send "2021-12-31T19:00:00-05:00", GraphQL sends "2022-01-01T00:00:00Z".
 */

export function deliveryKey(shop: string, eventId: string | null, webhookId: string): string {
  return `${shop}:${eventId ?? webhookId}`;
}

/** A product is created once: every report of its creation shares this key. */
export function productCreatedKey(shop: string, productId: string): string {
  return `${shop}:product:${productId}:created`;
}

export function productUpdatedKey(shop: string, productId: string, updatedAt: Date): string {
  return `${shop}:product:${productId}:updated:${updatedAt.toISOString()}`;
}

/**
 * A variant's low-stock episode: it starts when the poll first sees the variant low and ends when
 * stock rises above the threshold. Keyed by the episode's start so a variant that is restocked
 * and runs low again (even to the same quantity) alerts again, while repeated polls during one
 * episode do not, except once when it sells out. Webhooks never produce this key: low stock is
 * decided by processing, which also keeps a webhook and a poll that saw the same situation from
 * alerting twice (src/processing/lowStockAlerts.ts).
 */
export function inventoryLowKey(shop: string, variantId: string, episodeStart: string): string {
  return `${shop}:inventory.low:${variantId}:${episodeStart}`;
}

/** The same episode reaching zero: a new fact (customers can no longer buy), reported once. */
export function inventorySoldOutKey(shop: string, variantId: string, episodeStart: string): string {
  return `${shop}:inventory.low:${variantId}:${episodeStart}:sold-out`;
}

/**
 * An inventory level (item at a location) reaching a given `updated_at`: the inventory_levels/update
 * webhook names the item, the location and the level's updated_at, and the poll reads the same
 * from the item's most recently updated level, so the webhook's event and the poll's low-stock
 * alert for one stock change share this key and only the first is stored. The location keeps two
 * locations changed in the same second apart.
 */
export function inventoryLevelKey(shop: string, inventoryItemId: string, locationId: string, updatedAt: Date): string {
  return `${shop}:inventory_level:${inventoryItemId}:${locationId}:${updatedAt.toISOString()}`;
}

/** An order is created once (orders/create, or the poll of orders created since the watermark). */
export function orderCreatedKey(shop: string, orderId: string): string {
  return `${shop}:order:${orderId}:created`;
}

/**
 * A collection reaching a given `updated_at`: collections/create and collections/update carry it,
 * and so does the poll (which cannot tell a creation from an update: Collection has no createdAt).
 */
export function collectionChangedKey(shop: string, collectionId: string, updatedAt: Date): string {
  return `${shop}:collection:${collectionId}:updated:${updatedAt.toISOString()}`;
}

/** A product is deleted once (products/delete, or a PRODUCT deletion event). */
export function productDeletedKey(shop: string, productId: string): string {
  return `${shop}:product:${productId}:deleted`;
}
