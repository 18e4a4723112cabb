/** Shopify global ids ("gid://shopify/Product/123"): the numeric part exceeds 2^53, so it stays a string. */

export type GidResource = 'Product' | 'ProductVariant' | 'InventoryItem' | 'Collection' | 'Order';

/** Accepts "123" or a gid of that resource; returns the gid. Throws on anything else. */
export function toGid(resource: GidResource, id: string): string {
  if (/^\d+$/.test(id)) return `gid://shopify/${resource}/${id}`;
  if (numericIdFromGid(id) !== null && id.startsWith(`gid://shopify/${resource}/`)) return id;
  throw new TypeError(`not a ${resource} id: ${id}`);
}

/** "gid://shopify/Product/123" → "123"; "gid://shopify/InventoryLevel/1?inventory_item_id=2" → "1". */
export function numericIdFromGid(gid: string): string | null {
  const match = /^gid:\/\/shopify\/[A-Za-z]+\/(\d+)(?:\?.*)?$/.exec(gid);
  return match?.[1] ?? null;
}
