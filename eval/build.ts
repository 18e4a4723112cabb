/**
 * Payload builders for the evaluation scenarios: Shopify REST webhook shapes (as stored from a
 * delivery), the poller's low-stock shape, Lookout's own Supabase schema-diff and calendar shapes.
 */

export const T0 = Date.parse('2026-04-20T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** An ISO time relative to T0. */
export function at(offset: { days?: number; hours?: number; minutes?: number } = {}): string {
  return new Date(
    T0 + (offset.days ?? 0) * DAY + (offset.hours ?? 0) * HOUR + (offset.minutes ?? 0) * MINUTE,
  ).toISOString();
}

export interface VariantSpec {
  id: number;
  title?: string;
  price: string;
  compareAt?: string | null;
  inventory?: number;
  sku?: string;
  inventoryItemId?: number;
}

export interface ProductSpec {
  id: number;
  title: string;
  type?: string;
  vendor?: string;
  tags?: string;
  status?: string;
  description?: string;
  handle?: string;
  variants: VariantSpec[];
  createdAt?: string;
  updatedAt?: string;
}

export function productPayload(p: ProductSpec): Record<string, unknown> {
  return {
    id: p.id,
    admin_graphql_api_id: `gid://shopify/Product/${p.id}`,
    title: p.title,
    body_html: p.description ? `<p>${p.description}</p>` : '',
    vendor: p.vendor ?? 'Maison Verte',
    product_type: p.type ?? '',
    handle:
      p.handle ??
      p.title
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
    status: p.status ?? 'active',
    tags: p.tags ?? '',
    created_at: p.createdAt ?? at({ days: -30 }),
    updated_at: p.updatedAt ?? p.createdAt ?? at({ days: -30 }),
    published_at: p.createdAt ?? at({ days: -30 }),
    variants: p.variants.map((v, i) => ({
      id: v.id,
      admin_graphql_api_id: `gid://shopify/ProductVariant/${v.id}`,
      product_id: p.id,
      title: v.title ?? 'Default Title',
      price: v.price,
      compare_at_price: v.compareAt ?? null,
      sku: v.sku ?? `SKU-${v.id}`,
      position: i + 1,
      inventory_item_id: v.inventoryItemId ?? v.id + 1_000_000,
      inventory_quantity: v.inventory ?? 20,
      old_inventory_quantity: v.inventory ?? 20,
      inventory_management: 'shopify',
    })),
  };
}

export interface LineSpec {
  productId: number;
  variantId: number;
  title: string;
  variantTitle?: string | null;
  quantity: number;
  price: string;
  vendor?: string;
}

export interface OrderSpec {
  id: number;
  number: number;
  customerId?: number;
  firstName?: string;
  lastName?: string;
  email?: string;
  lines: LineSpec[];
  createdAt: string;
  currency?: string;
  test?: boolean;
  cancelledAt?: string | null;
}

export function orderPayload(o: OrderSpec): Record<string, unknown> {
  const subtotal = o.lines.reduce((n, l) => n + Number(l.price) * l.quantity, 0);
  return {
    id: o.id,
    admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
    name: `#${o.number}`,
    order_number: o.number,
    created_at: o.createdAt,
    updated_at: o.createdAt,
    processed_at: o.createdAt,
    currency: o.currency ?? 'USD',
    presentment_currency: o.currency ?? 'USD',
    current_total_price: subtotal.toFixed(2),
    total_price: subtotal.toFixed(2),
    subtotal_price: subtotal.toFixed(2),
    financial_status: o.cancelledAt ? 'refunded' : 'paid',
    fulfillment_status: null,
    test: o.test ?? false,
    cancelled_at: o.cancelledAt ?? null,
    cancel_reason: o.cancelledAt ? 'customer' : null,
    email: o.email ?? 'ana.garcia@example.com',
    contact_email: o.email ?? 'ana.garcia@example.com',
    phone: '+15555550123',
    customer:
      o.customerId === undefined
        ? null
        : {
            id: o.customerId,
            admin_graphql_api_id: `gid://shopify/Customer/${o.customerId}`,
            email: o.email ?? 'ana.garcia@example.com',
            first_name: o.firstName ?? 'Ana',
            last_name: o.lastName ?? 'García',
            phone: '+15555550123',
          },
    billing_address: { first_name: o.firstName ?? 'Ana', last_name: o.lastName ?? 'García', address1: '1 Main St' },
    shipping_address: { first_name: o.firstName ?? 'Ana', last_name: o.lastName ?? 'García', address1: '1 Main St' },
    line_items: o.lines.map((l, i) => ({
      id: o.id * 10 + i,
      admin_graphql_api_id: `gid://shopify/LineItem/${o.id * 10 + i}`,
      product_id: l.productId,
      variant_id: l.variantId,
      title: l.title,
      variant_title: l.variantTitle ?? null,
      name: l.variantTitle ? `${l.title} - ${l.variantTitle}` : l.title,
      quantity: l.quantity,
      price: l.price,
      vendor: l.vendor ?? 'Maison Verte',
      sku: `SKU-${l.variantId}`,
    })),
  };
}

/** inventory_levels/update as Shopify delivers it. */
export function inventoryLevelPayload(
  inventoryItemId: number,
  available: number,
  updatedAt: string,
  locationId = 655441491,
) {
  return {
    inventory_item_id: inventoryItemId,
    location_id: locationId,
    available,
    updated_at: updatedAt,
    admin_graphql_api_id: `gid://shopify/InventoryLevel/${locationId}?inventory_item_id=${inventoryItemId}`,
  };
}

/** The poller's shopify.inventory.low payload (pollPayloads.lowStockPayloadJson). */
export function polledLowStockPayload(v: {
  inventoryItemId: number;
  available: number;
  threshold: number;
  productId: number;
  productTitle: string;
  variantId: number;
  variantTitle: string;
  sku: string;
}) {
  return {
    inventory_item_id: v.inventoryItemId,
    available: v.available,
    threshold: v.threshold,
    product_id: v.productId,
    product_admin_graphql_api_id: `gid://shopify/Product/${v.productId}`,
    title: v.productTitle,
    variant_id: v.variantId,
    variant_admin_graphql_api_id: `gid://shopify/ProductVariant/${v.variantId}`,
    variant_title: v.variantTitle,
    sku: v.sku,
    _lookout: { via: 'poll' },
  };
}

export function collectionPayload(c: {
  id: number;
  title: string;
  handle: string;
  description?: string;
  publishedAt?: string;
  rules?: Array<{ column: string; relation: string; condition: string }>;
}) {
  return {
    id: c.id,
    admin_graphql_api_id: `gid://shopify/Collection/${c.id}`,
    title: c.title,
    handle: c.handle,
    body_html: c.description ? `<p>${c.description}</p>` : null,
    published_at: c.publishedAt ?? null,
    updated_at: c.publishedAt ?? at(),
    sort_order: 'best-selling',
    published_scope: 'web',
    ...(c.rules ? { rules: c.rules, disjunctive: false } : {}),
  };
}

// ------------------------------------------------------------------ Supabase (schemaDiff shapes)

export interface ColumnSpec {
  attnum: number;
  name: string;
  type: string;
  notNull: boolean;
  default?: string | null;
  identity?: 'always' | 'by default' | null;
  comment?: string | null;
}

export function column(c: ColumnSpec) {
  return {
    attnum: c.attnum,
    name: c.name,
    type: c.type,
    notNull: c.notNull,
    default: c.default ?? null,
    identity: c.identity ?? null,
    generated: null,
    comment: c.comment ?? null,
  };
}

export function constraint(oid: string, name: string, type: string, definition: string, columns: number[]) {
  return { oid, name, type, definition, columns, signature: `${type}|${columns.join(',')}` };
}

export function index(name: string, definition: string, columns: number[], unique = false, primary = false) {
  return { name, definition, columns, unique, primary };
}

export function diffEvent(kind: string, schema: string, table: string, extra: Record<string, unknown>) {
  return { detectedBy: 'schema_diff', dedupeKey: `${kind}:${table}`, schema, table, tableOid: '17001', kind, ...extra };
}
