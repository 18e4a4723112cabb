/**
 * The Shopify side of actions: read a product's copy, write it (productUpdate), create and delete
 * a discount code (discountCodeBasicCreate / discountCodeDelete). Shopify reports a refused
 * mutation as userErrors in a 200 answer, and a missing scope as an ACCESS_DENIED GraphQL error:
 * both become an ActionError whose message is Shopify's own, the scope named when one is missing.
 */
import { z } from 'zod';
import { ShopifyAdminClient } from '../sources/shopify/adminClient.js';
import { ShopifyAdminError, ShopifyGraphqlError } from '../sources/shopify/adminErrors.js';
import { toGid } from '../sources/shopify/gid.js';
import { ActionError } from './errors.js';

export interface ShopifyConnection {
  shopDomain: string;
  accessToken: string;
  apiVersion: string;
  adminApiUrl?: string;
  /** The scopes the shop granted, when the integration stored them (null: unknown, ask Shopify). */
  grantedScopes: string[] | null;
}

export interface ProductCopy {
  descriptionHtml: string;
  seo: { title: string | null; description: string | null };
  tags: string[];
}

const PRODUCT_QUERY = `query LookoutActionProduct($id: ID!) {
  product(id: $id) { id title descriptionHtml seo { title description } tags }
}`;

const PRODUCT_UPDATE = `mutation LookoutActionProductUpdate($product: ProductUpdateInput!) {
  productUpdate(product: $product) {
    product { id descriptionHtml seo { title description } tags }
    userErrors { field message }
  }
}`;

const DISCOUNT_CREATE = `mutation LookoutActionDiscountCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;

const DISCOUNT_DELETE = `mutation LookoutActionDiscountDelete($id: ID!) {
  discountCodeDelete(id: $id) {
    deletedCodeDiscountId
    userErrors { field code message }
  }
}`;

const UserErrors = z.array(
  z.object({ field: z.array(z.string()).nullable().optional(), message: z.string(), code: z.string().nullish() }),
);
const ProductNode = z.object({
  id: z.string(),
  title: z.string().optional(),
  descriptionHtml: z.string().nullable(),
  seo: z.object({ title: z.string().nullable(), description: z.string().nullable() }),
  tags: z.array(z.string()),
});
const ProductAnswer = z.object({ product: ProductNode.nullable() });
const UpdateAnswer = z.object({
  productUpdate: z.object({ product: ProductNode.nullable(), userErrors: UserErrors }).nullable(),
});
const CreateAnswer = z.object({
  discountCodeBasicCreate: z
    .object({ codeDiscountNode: z.object({ id: z.string() }).nullable(), userErrors: UserErrors })
    .nullable(),
});
const DeleteAnswer = z.object({
  discountCodeDelete: z.object({ deletedCodeDiscountId: z.string().nullable(), userErrors: UserErrors }).nullable(),
});

/** The scope each operation needs (Shopify's access scopes). */
const SCOPE = { read: 'read_products', product: 'write_products', discount: 'write_discounts' } as const;

function userErrorText(errors: z.infer<typeof UserErrors>): string {
  return errors
    .map((e) => (e.field && e.field.length > 0 ? `${e.field.join('.')}: ${e.message}` : e.message))
    .join('; ');
}

export class ShopifyActions {
  readonly #client: ShopifyAdminClient;
  readonly #granted: Set<string> | null;

  constructor(c: ShopifyConnection) {
    this.#client = new ShopifyAdminClient({
      shopDomain: c.shopDomain,
      accessToken: c.accessToken,
      apiVersion: c.apiVersion,
      adminApiUrl: c.adminApiUrl,
      timeoutMs: 10_000,
      maxAttempts: 2,
    });
    this.#granted = c.grantedScopes ? new Set(c.grantedScopes) : null;
  }

  /** Refuses before any call when the stored grant is known to lack the scope. */
  requireScope(scope: string): void {
    if (!this.#granted) return;
    // A write scope implies its read scope in Shopify's model.
    const implied = scope.startsWith('read_') && this.#granted.has(scope.replace('read_', 'write_'));
    if (!this.#granted.has(scope) && !implied) throw missingScope(scope);
  }

  async #run<T>(op: string, vars: Record<string, unknown>, schema: z.ZodType<T>, scope: string): Promise<T> {
    try {
      return (await this.#client.query(op, vars, schema)).data;
    } catch (err) {
      if (err instanceof ShopifyGraphqlError && err.errors.some((e) => e.code === 'ACCESS_DENIED'))
        throw missingScope(scope, err.message);
      if (err instanceof ShopifyAdminError) throw new ActionError('target_error', `Shopify: ${err.message}`);
      throw err;
    }
  }

  async readProduct(productId: string): Promise<ProductCopy & { title: string | null }> {
    this.requireScope(SCOPE.read);
    const gid = toGid('Product', productId);
    const data = await this.#run(PRODUCT_QUERY, { id: gid }, ProductAnswer, SCOPE.read);
    if (!data.product) throw new ActionError('target_error', `Shopify: the product ${gid} no longer exists`);
    const p = data.product;
    return { title: p.title ?? null, descriptionHtml: p.descriptionHtml ?? '', seo: p.seo, tags: p.tags };
  }

  /** Writes the given fields only; returns the product's fields as Shopify now has them. */
  async updateProduct(productId: string, fields: Partial<ProductCopy>): Promise<ProductCopy> {
    this.requireScope(SCOPE.product);
    const product: Record<string, unknown> = { id: toGid('Product', productId) };
    if (fields.descriptionHtml !== undefined) product.descriptionHtml = fields.descriptionHtml;
    if (fields.seo !== undefined)
      product.seo = { title: fields.seo.title ?? '', description: fields.seo.description ?? '' };
    if (fields.tags !== undefined) product.tags = fields.tags;
    const data = await this.#run(PRODUCT_UPDATE, { product }, UpdateAnswer, SCOPE.product);
    const payload = data.productUpdate;
    if (!payload) throw new ActionError('target_error', 'Shopify: productUpdate returned nothing');
    if (payload.userErrors.length > 0)
      throw new ActionError('target_error', `Shopify: ${userErrorText(payload.userErrors)}`);
    const p = payload.product;
    if (!p) throw new ActionError('target_error', 'Shopify: productUpdate returned no product');
    return { descriptionHtml: p.descriptionHtml ?? '', seo: p.seo, tags: p.tags };
  }

  async createDiscount(d: {
    code: string;
    title: string;
    percentage: number;
    productId: string;
    startsAt: Date;
  }): Promise<string> {
    this.requireScope(SCOPE.discount);
    const basicCodeDiscount = {
      title: d.title,
      code: d.code,
      startsAt: d.startsAt.toISOString(),
      context: { all: 'ALL' },
      customerGets: {
        value: { percentage: d.percentage },
        items: { products: { productsToAdd: [toGid('Product', d.productId)] } },
      },
      appliesOncePerCustomer: true,
    };
    const data = await this.#run(DISCOUNT_CREATE, { basicCodeDiscount }, CreateAnswer, SCOPE.discount);
    const payload = data.discountCodeBasicCreate;
    if (!payload) throw new ActionError('target_error', 'Shopify: discountCodeBasicCreate returned nothing');
    if (payload.userErrors.length > 0)
      throw new ActionError('target_error', `Shopify: ${userErrorText(payload.userErrors)}`);
    if (!payload.codeDiscountNode) throw new ActionError('target_error', 'Shopify: no discount was created');
    return payload.codeDiscountNode.id;
  }

  async deleteDiscount(id: string): Promise<void> {
    this.requireScope(SCOPE.discount);
    const data = await this.#run(DISCOUNT_DELETE, { id }, DeleteAnswer, SCOPE.discount);
    const payload = data.discountCodeDelete;
    if (!payload) throw new ActionError('target_error', 'Shopify: discountCodeDelete returned nothing');
    if (payload.userErrors.length > 0)
      throw new ActionError('target_error', `Shopify: ${userErrorText(payload.userErrors)}`);
  }
}

function missingScope(scope: string, detail?: string): ActionError {
  return new ActionError(
    'missing_scope',
    `the shop has not granted Lookout the ${scope} scope; reinstall the app or issue a token with ${scope}` +
      (detail ? ` (Shopify: ${detail})` : ''),
  );
}
