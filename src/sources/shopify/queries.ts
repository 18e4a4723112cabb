import { z } from 'zod';

/**
 * The Admin GraphQL operations Lookout sends, each beside the schema of its answer.
 * Operation names are literal and prefixed "Lookout" so Shopify's logs (and the test fake,
 * which dispatches on them) can tell them apart. Money fields are decimal strings since 2024-04.
 */

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

const variantSchema = z.object({
  id: z.string(),
  title: z.string(),
  sku: z.string().nullable(),
  price: z.string(),
  compareAtPrice: z.string().nullable(),
  // null when the variant's inventory is not tracked
  inventoryQuantity: z.number().int().nullable(),
});

const productSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    handle: z.string(),
    productType: z.string(),
    vendor: z.string(),
    tags: z.array(z.string()),
    // ACTIVE | ARCHIVED | DRAFT (+ newer values): kept open so a new status is not an outage
    status: z.string(),
    totalInventory: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
    variants: z.object({ nodes: z.array(variantSchema) }),
  })
  .transform(({ variants, ...product }) => ({ ...product, variants: variants.nodes }));

export type ShopifyVariant = z.infer<typeof variantSchema>;
export type ShopifyProduct = z.output<typeof productSchema>;

/**
 * Shopify refuses any query whose requested cost exceeds 1000 points (MAX_COST_EXCEEDED), and a
 * nested connection multiplies: products(first: 25) { variants(first: 25) } requests about
 * 2 + 25 × (1 + 2 + 25) = 702. So a single product reads up to 100 variants, a page of products
 * 25 each: enough for suggestions; stock checks read variants directly.
 */
const productFields = (variants: number): string => `
fragment LookoutProductFields on Product {
  id title handle productType vendor tags status totalInventory createdAt updatedAt
  variants(first: ${variants}) { nodes { id title sku price compareAtPrice inventoryQuantity } }
}`;

/** Default page sizes, each keeping its query under the 1000-point ceiling. */
export const PAGE_SIZES = { products: 25, variants: 60, orders: 25 } as const;

export const PRODUCT_BY_ID = `query LookoutProductById($id: ID!) {
  product(id: $id) { ...LookoutProductFields }
}${productFields(100)}`;

export const productByIdData = z.object({ product: productSchema.nullable() });

/** Ascending by updated_at, so a watermark taken mid-way through the pages is still safe. */
export const PRODUCTS_UPDATED_SINCE = `query LookoutProductsUpdatedSince($first: Int!, $after: String, $query: String,
                                       $reverse: Boolean) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT, reverse: $reverse) {
    nodes { ...LookoutProductFields }
    pageInfo { hasNextPage endCursor }
  }
}${productFields(25)}`;

export const productsPageData = z.object({ products: z.object({ nodes: z.array(productSchema), pageInfo }) });

export const LOW_STOCK_VARIANTS = `query LookoutLowStockVariants($first: Int!, $after: String, $query: String!) {
  productVariants(first: $first, after: $after, query: $query) {
    nodes {
      id title sku inventoryQuantity
      inventoryItem { id tracked inventoryLevels(first: 5) { nodes { updatedAt location { id } } } }
      product { id title }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const lowStockVariantSchema = z.object({
  id: z.string(),
  title: z.string(),
  sku: z.string().nullable(),
  inventoryQuantity: z.number().int().nullable(),
  inventoryItem: z.object({
    id: z.string(),
    tracked: z.boolean(),
    // The most recently updated level names the stock change that a webhook also reported.
    inventoryLevels: z
      .object({ nodes: z.array(z.object({ updatedAt: z.string(), location: z.object({ id: z.string() }) })) })
      .optional(),
  }),
  product: z.object({ id: z.string(), title: z.string() }),
});

export const lowStockPageData = z.object({
  productVariants: z.object({ nodes: z.array(lowStockVariantSchema), pageInfo }),
});

export const INVENTORY_ITEM_VARIANT = `query LookoutInventoryItemVariant($id: ID!) {
  inventoryItem(id: $id) {
    id
    variant { id sku inventoryQuantity product { id title } }
  }
}`;

export const inventoryItemData = z.object({
  inventoryItem: z
    .object({
      id: z.string(),
      variant: z.object({
        id: z.string(),
        sku: z.string().nullable(),
        inventoryQuantity: z.number().int().nullable(),
        product: z.object({ id: z.string(), title: z.string() }),
      }),
    })
    .nullable(),
});

export const ORDERS_SINCE = `query LookoutOrdersSince($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
    nodes {
      id createdAt cancelledAt
      lineItems(first: 25) { nodes { quantity product { id } variant { id } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const ordersPageData = z.object({
  orders: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        createdAt: z.string(),
        cancelledAt: z.string().nullable(),
        // product is null once the product has been deleted
        lineItems: z.object({
          nodes: z.array(
            z.object({
              quantity: z.number().int(),
              product: z.object({ id: z.string() }).nullable(),
              // null once the variant has been deleted
              variant: z.object({ id: z.string() }).nullable().optional(),
            }),
          ),
        }),
      }),
    ),
    pageInfo,
  }),
});

/** Which shop an access token belongs to: a token is issued for one shop, and this names it. */
export const SHOP_IDENTITY = `query LookoutShopIdentity {
  shop { myshopifyDomain }
}`;

export const shopIdentityData = z.object({ shop: z.object({ myshopifyDomain: z.string() }) });
