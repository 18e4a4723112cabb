import { LosslessNumber, stringify } from 'lossless-json';
import { numericIdFromGid } from './gid.js';
import type { LowStockVariant, ShopifyProduct } from './shopifyAdapter.js';

/**
 * Payloads of polled events, written in the shape of the matching webhook (REST field names,
 * numeric ids) so suggestion generators read one shape whichever way an event arrived.
 * Ids go out as JSON numbers with every digit (LosslessNumber), as Shopify's own webhooks do.
 * `_lookout.via` marks the origin; Shopify never sends that key.
 */

/** A gid's numeric id as a JSON number with every digit. */
export function numeric(gid: string): LosslessNumber | null {
  const id = numericIdFromGid(gid);
  return id === null ? null : new LosslessNumber(id);
}

/** A payload as JSON text, big numbers intact. */
export function json(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('payload is not serialisable');
  return text;
}

/** Like a products/create or products/update body (the fields Lookout uses). */
export function productPayloadJson(product: ShopifyProduct): string {
  const productId = numeric(product.id);
  return json({
    id: productId,
    admin_graphql_api_id: product.id,
    title: product.title,
    handle: product.handle,
    product_type: product.productType,
    vendor: product.vendor,
    status: product.status.toLowerCase(),
    tags: product.tags.join(', '),
    created_at: product.createdAt,
    updated_at: product.updatedAt,
    variants: product.variants.map((v) => ({
      id: numeric(v.id),
      admin_graphql_api_id: v.id,
      product_id: productId,
      title: v.title,
      sku: v.sku,
      price: v.price,
      compare_at_price: v.compareAtPrice,
      inventory_quantity: v.inventoryQuantity,
    })),
    _lookout: { via: 'poll', total_inventory: product.totalInventory },
  });
}

/**
 * Like an inventory_levels/update body (inventory_item_id, available), plus what it resolved to.
 * `previousCheckAt`: the last stock check that did not find the variant low (evidence of a restock
 * since an earlier alert, for processing).
 */
export function lowStockPayloadJson(variant: LowStockVariant, threshold: number, previousCheckAt?: string): string {
  return json({
    inventory_item_id: numeric(variant.inventoryItemId),
    available: variant.inventoryQuantity,
    threshold,
    product_id: numeric(variant.productId),
    product_admin_graphql_api_id: variant.productId,
    title: variant.productTitle,
    variant_id: numeric(variant.variantId),
    variant_admin_graphql_api_id: variant.variantId,
    variant_title: variant.variantTitle,
    sku: variant.sku,
    ...(previousCheckAt ? { previous_check_at: previousCheckAt } : {}),
    _lookout: { via: 'poll' },
  });
}
