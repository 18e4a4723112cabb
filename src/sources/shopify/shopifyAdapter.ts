import type { z } from 'zod';

import { type AdminClientOptions, ShopifyAdminClient } from './adminClient.js';
import { toGid } from './gid.js';
import { type HeaderBag, type ParseWebhookResult, parseWebhook } from './parseWebhook.js';
import {
  INVENTORY_ITEM_VARIANT,
  inventoryItemData,
  LOW_STOCK_VARIANTS,
  lowStockPageData,
  ORDERS_SINCE,
  ordersPageData,
  PAGE_SIZES,
  PRODUCT_BY_ID,
  PRODUCTS_UPDATED_SINCE,
  productByIdData,
  productsPageData,
  SHOP_IDENTITY,
  type ShopifyProduct,
  shopIdentityData,
} from './queries.js';
import { verifyShopifyHmac } from './signature.js';
import { topicToEventType } from './topics.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

export type { ShopifyProduct, ShopifyVariant } from './queries.js';

/** The connection options are the Admin API client's own (see AdminClientOptions). */
export interface ShopifyAdapterOptions
  extends Pick<
    AdminClientOptions,
    'shopDomain' | 'accessToken' | 'apiVersion' | 'adminApiUrl' | 'fetch' | 'timeoutMs'
  > {
  /** App secret(s) and any per-store key that sign this shop's webhooks. */
  webhookSecrets?: string[];
  /** Retry tuning and hooks, passed to the Admin API client. */
  client?: Pick<
    AdminClientOptions,
    'maxAttempts' | 'baseBackoffMs' | 'maxWaitMs' | 'throttleMarginMs' | 'onRetry' | 'onWarning'
  >;
  /** Bounds the work of one call: a poll resumes from its watermark. */
  maxPages?: number;
  /** Nodes per page for every list (default PAGE_SIZES, sized to each query's cost). */
  pageSize?: number;
}

export interface LowStockVariant {
  variantId: string;
  variantTitle: string;
  sku: string | null;
  inventoryQuantity: number;
  inventoryItemId: string;
  productId: string;
  productTitle: string;
  /** The item's most recently updated inventory level (location gid, updatedAt), when Shopify lists one. */
  lastLevelChange: { locationId: string; updatedAt: string } | null;
}

export interface ResolvedInventoryItem {
  inventoryItemId: string;
  variantId: string;
  sku: string | null;
  inventoryQuantity: number | null;
  productId: string;
  productTitle: string;
}

export interface RecentProducts {
  /** Oldest change first. */
  products: ShopifyProduct[];
  /** The greatest updatedAt seen (Shopify's clock, not ours), or the input when nothing changed. */
  watermark: string | null;
}

export interface OrderVelocity {
  productId: string;
  /** Whole days the window covers: the days asked for, or fewer when the product is younger. */
  days: number;
  unitsSold: number;
  /** Orders that contained it. */
  orders: number;
  perDay: number;
  /** ISO start of the covered window. */
  from: string;
}

interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** The seed's ShopifyAdapter: webhook checks plus the Admin GraphQL reads Lookout needs for one shop. */
export class ShopifyAdapter {
  readonly shopDomain: string;
  private readonly admin: ShopifyAdminClient;
  private readonly webhookSecrets: string[];
  private readonly maxPages: number;
  private readonly pageSize: number | undefined;

  constructor(opts: ShopifyAdapterOptions) {
    this.shopDomain = opts.shopDomain.trim().toLowerCase();
    this.webhookSecrets = opts.webhookSecrets ?? [];
    this.maxPages = opts.maxPages ?? 50;
    this.pageSize = opts.pageSize;
    this.admin = new ShopifyAdminClient({
      shopDomain: this.shopDomain,
      accessToken: opts.accessToken,
      apiVersion: opts.apiVersion,
      adminApiUrl: opts.adminApiUrl,
      fetch: opts.fetch,
      timeoutMs: opts.timeoutMs,
      ...opts.client,
    });
  }

  verifyWebhookSignature(
    rawBody: Buffer,
    hmacHeader: string | undefined,
    secrets: readonly string[] = this.webhookSecrets,
  ): boolean {
    return verifyShopifyHmac(rawBody, hmacHeader, secrets);
  }

  parseWebhook(headers: HeaderBag, rawBody: Buffer): ParseWebhookResult {
    return parseWebhook(headers, rawBody);
  }

  topicToEventType(topic: string): EventType | null {
    return topicToEventType(topic);
  }

  /** The *.myshopify.com domain of the shop the access token belongs to (lower case). */
  async fetchShopDomain(): Promise<string> {
    const { data } = await this.admin.query(SHOP_IDENTITY, {}, shopIdentityData);
    return data.shop.myshopifyDomain.trim().toLowerCase();
  }

  /** A product by gid or numeric id; null when it does not exist (or was deleted). */
  async fetchProduct(id: string): Promise<ShopifyProduct | null> {
    const { data } = await this.admin.query(PRODUCT_BY_ID, { id: toGid('Product', id) }, productByIdData);
    return data.product;
  }

  /**
   * Products changed at or after the watermark, oldest first, following cursors until done
   * (or maxPages). `>=` rather than `>`: Shopify timestamps have one-second resolution, so a
   * product updated later in the watermark's own second would be missed by `>`; the poller
   * skips what it already reported at the watermark.
   */
  async getRecentProducts(sinceWatermark?: string): Promise<RecentProducts> {
    const query = sinceWatermark === undefined ? null : `updated_at:>='${new Date(sinceWatermark).toISOString()}'`;
    const products = await this.collect(
      PRODUCTS_UPDATED_SINCE,
      { query, reverse: false },
      productsPageData,
      (d) => d.products,
      PAGE_SIZES.products,
    );
    const last = products.at(-1);
    return { products, watermark: last?.updatedAt ?? sinceWatermark ?? null };
  }

  /** The most recently updated products (those sharing the newest updatedAt, up to 10): a poll's baseline. */
  async latestProducts(): Promise<ShopifyProduct[]> {
    const { data } = await this.admin.query(
      PRODUCTS_UPDATED_SINCE,
      { first: 10, query: null, reverse: true },
      productsPageData,
    );
    const newest = data.products.nodes[0]?.updatedAt;
    return data.products.nodes.filter((p) => newest !== undefined && Date.parse(p.updatedAt) === Date.parse(newest));
  }

  /** Tracked variants whose quantity is at or below the threshold. */
  async checkInventoryLevels(threshold: number): Promise<LowStockVariant[]> {
    const query = `inventory_quantity:<=${Math.floor(threshold)}`;
    const variants = await this.collect(
      LOW_STOCK_VARIANTS,
      { query },
      lowStockPageData,
      (d) => d.productVariants,
      PAGE_SIZES.variants,
    );
    // Untracked variants report 0 (or null) but never run out.
    return variants.flatMap((v) =>
      v.inventoryItem.tracked && v.inventoryQuantity !== null && v.inventoryQuantity <= threshold
        ? [
            {
              variantId: v.id,
              variantTitle: v.title,
              sku: v.sku,
              inventoryQuantity: v.inventoryQuantity,
              inventoryItemId: v.inventoryItem.id,
              productId: v.product.id,
              productTitle: v.product.title,
              lastLevelChange: newestLevel(v.inventoryItem.inventoryLevels?.nodes ?? []),
            },
          ]
        : [],
    );
  }

  /** inventory_levels/update names only the inventory item: find its variant and product. */
  async resolveInventoryItem(inventoryItemId: string): Promise<ResolvedInventoryItem | null> {
    const { data } = await this.admin.query(
      INVENTORY_ITEM_VARIANT,
      { id: toGid('InventoryItem', inventoryItemId) },
      inventoryItemData,
    );
    const item = data.inventoryItem;
    if (item === null) return null;
    return {
      inventoryItemId: item.id,
      variantId: item.variant.id,
      sku: item.variant.sku,
      inventoryQuantity: item.variant.inventoryQuantity,
      productId: item.variant.product.id,
      productTitle: item.variant.product.title,
    };
  }

  /**
   * Units of a product (or one of its variants) sold per day over the last `days` days, cancelled
   * orders excluded: the basis of a restock suggestion. A product created within the window is
   * measured over the days it existed (`since`), so a week-old product is not divided by 14 days.
   * Without read_all_orders Shopify shows only 60 days of orders.
   */
  async recentOrderVelocity(
    productId: string,
    days: number,
    now: Date = new Date(),
    opts: { variantId?: string; since?: Date } = {},
  ): Promise<OrderVelocity> {
    const gid = toGid('Product', productId);
    const variantGid = opts.variantId ? toGid('ProductVariant', opts.variantId) : undefined;
    const windowStart = now.getTime() - days * 86_400_000;
    const start = opts.since && opts.since.getTime() > windowStart ? opts.since.getTime() : windowStart;
    const since = new Date(start).toISOString();
    const orders = await this.collect(
      ORDERS_SINCE,
      { query: `created_at:>='${since}'` },
      ordersPageData,
      (d) => d.orders,
      PAGE_SIZES.orders,
    );
    let unitsSold = 0;
    let containing = 0;
    for (const order of orders) {
      if (order.cancelledAt !== null || Date.parse(order.createdAt) > now.getTime()) continue;
      let found = false;
      for (const line of order.lineItems.nodes) {
        if (line.product?.id !== gid) continue;
        if (variantGid && line.variant?.id !== variantGid) continue;
        unitsSold += line.quantity;
        found = true;
      }
      if (found) containing += 1;
    }
    const covered = Math.max(1, Math.round((now.getTime() - start) / 86_400_000));
    return { productId: gid, days: covered, unitsSold, orders: containing, perDay: unitsSold / covered, from: since };
  }

  /** Follows cursors until the last page or maxPages. */
  private async collect<D, N>(
    operation: string,
    variables: Record<string, unknown>,
    schema: z.ZodType<D>,
    page: (data: D) => Page<N>,
    defaultFirst: number,
  ): Promise<N[]> {
    const first = this.pageSize ?? defaultFirst;
    const nodes: N[] = [];
    let after: string | null = null;
    for (let i = 0; i < this.maxPages; i++) {
      const { data } = await this.admin.query(operation, { ...variables, first, after }, schema);
      const { nodes: batch, pageInfo } = page(data);
      nodes.push(...batch);
      if (!pageInfo.hasNextPage || pageInfo.endCursor === null) break;
      after = pageInfo.endCursor;
    }
    return nodes;
  }
}

function newestLevel(
  levels: Array<{ updatedAt: string; location: { id: string } }>,
): { locationId: string; updatedAt: string } | null {
  let newest: { locationId: string; updatedAt: string } | null = null;
  for (const l of levels) {
    if (Number.isNaN(Date.parse(l.updatedAt))) continue;
    if (newest === null || Date.parse(l.updatedAt) > Date.parse(newest.updatedAt))
      newest = { locationId: l.location.id, updatedAt: l.updatedAt };
  }
  return newest;
}
