/**
 * A fake Shopify Admin GraphQL API on 127.0.0.1: real HTTP, real response shapes.
 *
 * - POST /admin/api/{version}/graphql.json with X-Shopify-Access-Token (401 otherwise, body as
 *   Shopify sends it).
 * - Answers `{data, extensions: {cost: {requestedQueryCost, actualQueryCost, throttleStatus}}}`.
 * - A leaky bucket: a query needs its requested cost available, is charged its actual cost, and
 *   the bucket refills at restoreRate points per second. Short of points: HTTP 200 with
 *   `errors[].extensions.code = "THROTTLED"` and `actualQueryCost: null`, as Shopify does.
 * - failNext() queues HTTP failures (429 with Retry-After in seconds, 5xx); delayMs stalls answers.
 * - Each access token belongs to one shop (`accessToken` to `shopDomain`, more with addToken()):
 *   `LookoutShopIdentity` answers `shop { myshopifyDomain }` for the token's shop, as Shopify does.
 * - Dispatches on the operation name of the Lookout* queries in src/sources/shopify/queries.ts and
 *   returns exactly the fields those queries select, from an in-memory store tests mutate.
 * - The actions' product read and mutations (src/actions/shopifyActions.ts): productUpdate,
 *   discountCodeBasicCreate and discountCodeDelete with Shopify's userErrors (unknown product, a
 *   taken code, more than 250 tags, an unknown discount); a token granted fewer scopes
 *   (setScopes) gets Shopify's ACCESS_DENIED error for an operation that needs one it lacks.
 * - POST /admin/oauth/access_token: `{client_id, client_secret, code}` -> `{access_token, scope}` for
 *   a code from issueCode() (single use; Shopify's `{error, error_description}` with 400 otherwise).
 * - webhookSubscriptions / webhookSubscriptionCreate / Update / Delete with Shopify's userErrors
 *   (a topic+address already taken, an address that is not https, failures injected per topic).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeVariant {
  /** Numeric id as a string: ids exceed 2^53. */
  id: string;
  title: string;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  inventoryQuantity: number;
  inventoryItemId: string;
  tracked: boolean;
  /** The variant's one inventory level: its location and when it last changed. */
  locationId: string;
  levelUpdatedAt: string;
}

export interface FakeProduct {
  id: string;
  title: string;
  handle: string;
  productType: string;
  vendor: string;
  tags: string[];
  status: 'ACTIVE' | 'ARCHIVED' | 'DRAFT';
  createdAt: string;
  updatedAt: string;
  variants: FakeVariant[];
  descriptionHtml?: string;
  seo?: { title: string | null; description: string | null };
}

export interface FakeDiscount {
  id: string;
  title: string;
  code: string;
  startsAt: string;
  percentage: number;
  productIds: string[];
  appliesOncePerCustomer: boolean;
}

export interface FakeOrder {
  id: string;
  createdAt: string;
  cancelledAt: string | null;
  lineItems: Array<{ productId: string | null; quantity: number; variantId?: string | null }>;
}

export interface FakeWebhookSubscription {
  id: string;
  /** Subscriptions belong to one shop (and, at Shopify, one app: the fake serves one app). */
  shop: string;
  /** The WebhookSubscriptionTopic enum value, e.g. PRODUCTS_CREATE. */
  topic: string;
  uri: string;
  format: 'JSON' | 'XML';
}

export interface FakeCollection {
  id: string;
  title: string;
  handle: string;
  updatedAt: string;
}

export interface FakeDeletionEvent {
  subjectId: string;
  subjectType: 'PRODUCT' | 'COLLECTION';
  occurredAt: string;
}

export interface FakeShopifyAdminOptions {
  accessToken?: string;
  /** The shop `accessToken` belongs to (default demo-shop.myshopify.com). */
  shopDomain?: string;
  maximumAvailable?: number;
  restoreRate?: number;
}

export interface RecordedRequest {
  operation: string;
  variables: Record<string, unknown>;
  path: string;
  at: number;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Handler = (variables: Record<string, unknown>, shop: string) => { data: Json; actualCost: number };

/** The fake shop's one location. */
export const FAKE_LOCATION_ID = '7000000000000000001';

const THROTTLED_DOC = 'https://shopify.dev/api/usage/rate-limits';
const MAX_QUERY_COST = 1000;

export class FakeShopifyAdmin {
  readonly products = new Map<string, FakeProduct>();
  readonly orders: FakeOrder[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Code discounts by numeric id. */
  readonly discounts = new Map<string, FakeDiscount>();
  /** Scopes granted per token; a token without an entry has every scope. */
  private readonly grantedScopes = new Map<string, Set<string>>();
  readonly collections = new Map<string, FakeCollection>();
  readonly deletionEvents: FakeDeletionEvent[] = [];
  readonly webhookSubscriptions: FakeWebhookSubscription[] = [];
  /** The app's credentials the code exchange checks. */
  oauthClient = { clientId: 'test-api-key', clientSecret: 'test-shopify-secret' };
  /** Code exchanges answered (whatever the outcome). */
  readonly oauthExchanges: Array<{ code: string; ok: boolean }> = [];
  /** Topic enum -> message: webhookSubscriptionCreate/Update answer it as a userError. */
  readonly refuseTopics = new Map<string, string>();
  private readonly codes = new Map<string, { shop: string; scope: string }>();
  private readonly tokenScopes = new Map<string, string>();
  /** Milliseconds before each answer (timeouts). */
  delayMs = 0;
  accessToken: string;
  /** The shop `accessToken` belongs to. */
  shopDomain: string;
  /** Further tokens, each issued for its own shop. */
  private readonly otherTokens = new Map<string, string>();
  maximumAvailable: number;
  restoreRate: number;
  private available: number;
  private refilledAt = Date.now();
  private failures: Array<{ status: number; retryAfter?: string }> = [];
  private nextId = 8_000_000_000_000_000_001n; // well above 2^53
  private clockMs = Date.parse('2026-01-01T00:00:00Z');

  private constructor(
    private readonly server: Server,
    readonly url: string,
    opts: FakeShopifyAdminOptions,
  ) {
    this.accessToken = opts.accessToken ?? 'shpat_test_token';
    this.shopDomain = opts.shopDomain ?? 'demo-shop.myshopify.com';
    this.maximumAvailable = opts.maximumAvailable ?? 2000;
    this.restoreRate = opts.restoreRate ?? 100;
    this.available = this.maximumAvailable;
  }

  static async start(opts: FakeShopifyAdminOptions = {}): Promise<FakeShopifyAdmin> {
    let fake: FakeShopifyAdmin | undefined;
    const server = createServer((req, res) => void fake?.handle(req, res));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    fake = new FakeShopifyAdmin(server, `http://127.0.0.1:${port}`, opts);
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- store ----

  /** Shopify timestamps have one-second resolution; each mutation advances this clock by 1 s. */
  tick(): string {
    this.clockMs += 1000;
    return new Date(this.clockMs).toISOString().replace('.000Z', 'Z');
  }

  newId(): string {
    return (this.nextId++).toString();
  }

  addProduct(
    input: Partial<Omit<FakeProduct, 'variants'>> & { variants?: Array<Partial<FakeVariant>> } = {},
  ): FakeProduct {
    const at = this.tick();
    const id = input.id ?? this.newId();
    const product: FakeProduct = {
      title: 'Product',
      handle: `product-${id}`,
      productType: 'Shirts',
      vendor: 'Acme',
      tags: [],
      status: 'ACTIVE',
      createdAt: at,
      updatedAt: at,
      ...input,
      id,
      variants: (input.variants ?? [{}]).map((v) => ({
        id: this.newId(),
        title: 'Default Title',
        sku: null,
        price: '19.99',
        compareAtPrice: null,
        inventoryQuantity: 10,
        inventoryItemId: this.newId(),
        tracked: true,
        locationId: FAKE_LOCATION_ID,
        levelUpdatedAt: at,
        ...v,
      })),
    };
    this.products.set(id, product);
    return product;
  }

  updateProduct(id: string, patch: Partial<Omit<FakeProduct, 'id' | 'variants' | 'createdAt'>>): FakeProduct {
    const product = this.products.get(id);
    if (!product) throw new Error(`no product ${id}`);
    Object.assign(product, patch, { updatedAt: patch.updatedAt ?? this.tick() });
    return product;
  }

  /**
   * Like an inventory adjustment: the product's updatedAt does not move, the level's does.
   * Returns the inventory_levels/update body Shopify would deliver for it.
   */
  setInventory(
    variantId: string,
    quantity: number,
  ): { inventory_item_id: string; location_id: string; available: number; updated_at: string } {
    const variant = [...this.products.values()].flatMap((p) => p.variants).find((v) => v.id === variantId);
    if (!variant) throw new Error(`no variant ${variantId}`);
    variant.inventoryQuantity = quantity;
    variant.levelUpdatedAt = this.tick();
    return {
      inventory_item_id: variant.inventoryItemId,
      location_id: variant.locationId,
      available: quantity,
      updated_at: variant.levelUpdatedAt,
    };
  }

  addOrder(
    lineItems: FakeOrder['lineItems'],
    opts: { createdAt?: string; cancelledAt?: string | null } = {},
  ): FakeOrder {
    const order: FakeOrder = {
      id: this.newId(),
      createdAt: opts.createdAt ?? this.tick(),
      cancelledAt: opts.cancelledAt ?? null,
      lineItems,
    };
    this.orders.push(order);
    return order;
  }

  // ---- behaviour ----

  /** Sets the bucket level now (e.g. 0 to force THROTTLED). */
  setAvailable(points: number): void {
    this.available = points;
    this.refilledAt = Date.now();
  }

  /** The next request(s) fail with this HTTP status before any cost is charged. */
  failNext(status: number, opts: { retryAfter?: string; times?: number } = {}): void {
    for (let i = 0; i < (opts.times ?? 1); i++) this.failures.push({ status, retryAfter: opts.retryAfter });
  }

  /** Issues another token, for `shop` (a token belongs to exactly one shop). */
  addToken(token: string, shop: string): void {
    this.otherTokens.set(token, shop);
  }

  /** Revokes a token added with addToken (Shopify answers 401 from then on). */
  revokeToken(token: string): void {
    this.otherTokens.delete(token);
  }

  /** Grants `token` only these access scopes (as an install that asked for fewer would). */
  setScopes(token: string, scopes: string[]): void {
    this.grantedScopes.set(token, new Set(scopes));
  }

  /** Mutations answered (productUpdate, discountCodeBasicCreate, discountCodeDelete) that changed the store. */
  mutations(): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.operation.startsWith('LookoutAction') && r.operation !== 'LookoutActionProduct',
    );
  }

  /** An authorization code the merchant's approval would produce, for `shop`, granting `scope`. */
  issueCode(shop: string, scope = 'read_products,read_inventory,read_orders'): string {
    const code = `code_${this.newId()}`;
    this.codes.set(code, { shop, scope });
    return code;
  }

  /** A collection, as created in the admin (updatedAt advances the fake clock). */
  addCollection(input: Partial<FakeCollection> = {}): FakeCollection {
    const id = input.id ?? this.newId();
    const c: FakeCollection = { title: 'Collection', handle: `collection-${id}`, updatedAt: this.tick(), ...input, id };
    this.collections.set(id, c);
    return c;
  }

  /** Deletes a product and records its deletion event, as Shopify does. */
  deleteProduct(id: string): FakeDeletionEvent {
    this.products.delete(id);
    const e: FakeDeletionEvent = { subjectId: id, subjectType: 'PRODUCT', occurredAt: this.tick() };
    this.deletionEvents.push(e);
    return e;
  }

  private shopOf(token: unknown): string | undefined {
    if (typeof token !== 'string') return undefined;
    return token === this.accessToken ? this.shopDomain : this.otherTokens.get(token);
  }

  subscriptionsOf(shop: string): FakeWebhookSubscription[] {
    return this.webhookSubscriptions.filter((w) => w.shop === shop);
  }

  /** Shopify's userErrors for a subscription of `topic` at `uri` (the one being updated excluded). */
  private subscriptionErrors(
    shop: string,
    topic: string,
    uri: unknown,
    self: string | null,
  ): Array<{ field: string[]; message: string }> {
    const refused = this.refuseTopics.get(topic);
    if (refused) return [{ field: ['webhookSubscription'], message: refused }];
    if (typeof uri !== 'string' || !uri.startsWith('https://'))
      return [{ field: ['webhookSubscription', 'uri'], message: 'Address protocol http:// is not supported' }];
    if (this.subscriptionsOf(shop).some((w) => w.id !== self && w.topic === topic && w.uri === uri))
      return [{ field: ['webhookSubscription', 'uri'], message: 'Address for this topic has already been taken' }];
    return [];
  }

  operations(): string[] {
    return this.requests.map((r) => r.operation);
  }

  // ---- HTTP ----

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (res.destroyed) return;

    const path = req.url ?? '';
    if (req.method === 'POST' && path === '/admin/oauth/access_token') return this.exchange(chunks, res);
    if (req.method !== 'POST' || !/^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/.test(path)) {
      return send(res, 404, { errors: 'Not Found' });
    }
    const tokenShop = this.shopOf(req.headers['x-shopify-access-token']);
    if (tokenShop === undefined) {
      return send(res, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query?: string;
      variables?: Record<string, unknown>;
    };
    const operation = /\b(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1] ?? '';
    const variables = body.variables ?? {};
    this.requests.push({ operation, variables, path, at: Date.now() });

    const failure = this.failures.shift();
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfter === undefined ? {} : { 'Retry-After': failure.retryAfter };
      const message =
        failure.status === 429
          ? 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.'
          : 'Internal Server Error';
      return send(res, failure.status, { errors: message }, headers);
    }

    const scope = REQUIRED_SCOPE[operation];
    const granted = this.grantedScopes.get(String(req.headers['x-shopify-access-token']));
    if (scope && granted && !granted.has(scope.scope) && !granted.has(scope.scope.replace('read_', 'write_'))) {
      // As Shopify answers: HTTP 200, the field null, an ACCESS_DENIED error naming the scope.
      return send(res, 200, {
        errors: [
          {
            message: `Access denied for ${scope.field} field. Required access: \`${scope.scope}\` access scope.`,
            locations: [{ line: 2, column: 3 }],
            extensions: {
              code: 'ACCESS_DENIED',
              documentation: 'https://shopify.dev/api/usage/access-scopes',
              requiredAccess: `\`${scope.scope}\` access scope.`,
            },
            path: [scope.field],
          },
        ],
        data: { [scope.field]: null },
      });
    }
    const handler = this.handlers[operation];
    if (!handler) {
      return send(res, 200, {
        errors: [{ message: `Unknown operation ${operation}`, extensions: { code: 'undefinedField' } }],
      });
    }
    const requested = requestedCost(operation, variables, body.query ?? '');
    if (requested > MAX_QUERY_COST) {
      return send(res, 200, {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_QUERY_COST },
          },
        ],
      });
    }
    this.refill();
    if (this.available < requested) {
      return send(res, 200, {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: THROTTLED_DOC } }],
        extensions: {
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: this.throttleStatus() },
        },
      });
    }
    const { data, actualCost } = handler(variables, tokenShop);
    // Shopify reserves the requested cost and refunds the difference: the net charge is the actual cost.
    this.available -= Math.min(actualCost, requested);
    send(res, 200, {
      data,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: actualCost, throttleStatus: this.throttleStatus() },
      },
    });
  }

  private exchange(chunks: Buffer[], res: ServerResponse): void {
    let body: { client_id?: unknown; client_secret?: unknown; code?: unknown } = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {}
    const code = typeof body.code === 'string' ? body.code : '';
    const grant = this.codes.get(code);
    const clientOk =
      body.client_id === this.oauthClient.clientId && body.client_secret === this.oauthClient.clientSecret;
    this.oauthExchanges.push({ code, ok: Boolean(grant && clientOk) });
    if (!clientOk) {
      send(res, 400, { error: 'invalid_client', error_description: 'Client credentials are invalid' });
      return;
    }
    if (!grant) {
      send(res, 400, {
        error: 'invalid_request',
        error_description: 'The authorization code was not found or was already used',
      });
      return;
    }
    this.codes.delete(code);
    const token = `shpat_${this.newId()}`;
    this.addToken(token, grant.shop);
    this.tokenScopes.set(token, grant.scope);
    send(res, 200, { access_token: token, scope: grant.scope });
  }

  private refill(): void {
    const now = Date.now();
    this.available = Math.min(
      this.maximumAvailable,
      this.available + ((now - this.refilledAt) / 1000) * this.restoreRate,
    );
    this.refilledAt = now;
  }

  private throttleStatus(): Json {
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }

  // ---- operations ----

  private readonly handlers: Record<string, Handler> = {
    LookoutWebhookSubscriptions: (v, shop) =>
      pageOf(this.subscriptionsOf(shop), v, (w) => ({ id: w.id, topic: w.topic, uri: w.uri }), 'webhookSubscriptions'),
    LookoutWebhookSubscriptionCreate: (v, shop) => {
      const input = (v.webhookSubscription ?? {}) as { uri?: unknown; format?: unknown };
      const topic = String(v.topic);
      const errors = this.subscriptionErrors(shop, topic, input.uri, null);
      if (errors.length > 0)
        return {
          data: { webhookSubscriptionCreate: { webhookSubscription: null, userErrors: errors } },
          actualCost: 10,
        };
      const w: FakeWebhookSubscription = {
        id: gid('WebhookSubscription', this.newId()),
        shop,
        topic,
        uri: String(input.uri),
        format: input.format === 'XML' ? 'XML' : 'JSON',
      };
      this.webhookSubscriptions.push(w);
      return {
        data: { webhookSubscriptionCreate: { webhookSubscription: { id: w.id, topic, uri: w.uri }, userErrors: [] } },
        actualCost: 10,
      };
    },
    LookoutWebhookSubscriptionUpdate: (v, shop) => {
      const input = (v.webhookSubscription ?? {}) as { uri?: unknown };
      const w = this.subscriptionsOf(shop).find((x) => x.id === v.id);
      const errors = w
        ? this.subscriptionErrors(shop, w.topic, input.uri, w.id)
        : [{ field: ['id'], message: 'Webhook subscription does not exist' }];
      if (!w || errors.length > 0)
        return {
          data: { webhookSubscriptionUpdate: { webhookSubscription: null, userErrors: errors } },
          actualCost: 10,
        };
      w.uri = String(input.uri);
      return {
        data: {
          webhookSubscriptionUpdate: { webhookSubscription: { id: w.id, topic: w.topic, uri: w.uri }, userErrors: [] },
        },
        actualCost: 10,
      };
    },
    LookoutWebhookSubscriptionDelete: (v, shop) => {
      const at = this.webhookSubscriptions.findIndex((x) => x.id === v.id && x.shop === shop);
      if (at < 0)
        return {
          data: {
            webhookSubscriptionDelete: {
              deletedWebhookSubscriptionId: null,
              userErrors: [{ field: ['id'], message: 'Webhook subscription does not exist' }],
            },
          },
          actualCost: 10,
        };
      const [w] = this.webhookSubscriptions.splice(at, 1);
      return {
        data: { webhookSubscriptionDelete: { deletedWebhookSubscriptionId: w?.id ?? null, userErrors: [] } },
        actualCost: 10,
      };
    },
    LookoutDeletionEvents: (v) => {
      const filter = parseSearch(v.query);
      const types = Array.isArray(v.subjectTypes) ? v.subjectTypes : ['PRODUCT', 'COLLECTION'];
      const rows = this.deletionEvents
        .filter((e) => types.includes(e.subjectType) && matches(filter, { occurred_at: e.occurredAt }))
        .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
      if (v.reverse === true) rows.reverse();
      return pageOf(
        rows,
        v,
        (e) => ({
          subjectId: gid(e.subjectType === 'PRODUCT' ? 'Product' : 'Collection', e.subjectId),
          subjectType: e.subjectType,
          occurredAt: e.occurredAt,
        }),
        'deletionEvents',
      );
    },
    LookoutCollectionsUpdatedSince: (v) => {
      const filter = parseSearch(v.query);
      const rows = [...this.collections.values()]
        .filter((c) => matches(filter, { updated_at: c.updatedAt }))
        .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || compareIds(a.id, b.id));
      if (v.reverse === true) rows.reverse();
      return pageOf(
        rows,
        v,
        (c) => ({ id: gid('Collection', c.id), title: c.title, handle: c.handle, updatedAt: c.updatedAt }),
        'collections',
      );
    },
    LookoutOrdersCreatedSince: (v) => {
      const filter = parseSearch(v.query);
      const rows = this.orders
        .filter((o) => matches(filter, { created_at: o.createdAt }))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      if (v.reverse === true) rows.reverse();
      return pageOf(
        rows,
        v,
        (o) => ({
          id: gid('Order', o.id),
          name: `#${1000 + this.orders.indexOf(o) + 1}`,
          createdAt: o.createdAt,
          updatedAt: o.createdAt,
          cancelledAt: o.cancelledAt,
          test: false,
          totalPriceSet: { shopMoney: { amount: '42.00', currencyCode: 'EUR' } },
          lineItems: {
            nodes: o.lineItems.map((l) => ({
              title: 'Item',
              quantity: l.quantity,
              product: l.productId === null ? null : { id: gid('Product', l.productId) },
              variant: l.variantId ? { id: gid('ProductVariant', l.variantId) } : null,
            })),
          },
        }),
        'orders',
      );
    },
    LookoutShopIdentity: (_v, shop) => ({ data: { shop: { myshopifyDomain: shop } }, actualCost: 1 }),
    LookoutProductById: (v) => {
      const product = this.products.get(numericId(v.id));
      return {
        data: { product: product ? productNode(product) : null },
        actualCost: product ? 2 + product.variants.length : 1,
      };
    },
    LookoutProductsUpdatedSince: (v) => {
      const filter = parseSearch(v.query);
      const sorted = [...this.products.values()]
        .filter((p) => matches(filter, { updated_at: p.updatedAt, created_at: p.createdAt }))
        .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || compareIds(a.id, b.id));
      if (v.reverse === true) sorted.reverse();
      return pageOf(sorted, v, (p) => productNode(p), 'products');
    },
    LookoutLowStockVariants: (v) => {
      const filter = parseSearch(v.query);
      const rows = [...this.products.values()].flatMap((p) =>
        p.variants.filter((x) => matches(filter, { inventory_quantity: x.inventoryQuantity })).map((x) => ({ p, x })),
      );
      return pageOf(
        rows,
        v,
        ({ p, x }) => ({
          id: gid('ProductVariant', x.id),
          title: x.title,
          sku: x.sku,
          inventoryQuantity: x.inventoryQuantity,
          inventoryItem: {
            id: gid('InventoryItem', x.inventoryItemId),
            tracked: x.tracked,
            inventoryLevels: {
              nodes: [{ updatedAt: x.levelUpdatedAt, location: { id: gid('Location', x.locationId) } }],
            },
          },
          product: { id: gid('Product', p.id), title: p.title },
        }),
        'productVariants',
      );
    },
    LookoutInventoryItemVariant: (v) => {
      const itemId = numericId(v.id);
      for (const p of this.products.values()) {
        const x = p.variants.find((variant) => variant.inventoryItemId === itemId);
        if (x) {
          return {
            data: {
              inventoryItem: {
                id: gid('InventoryItem', itemId),
                variant: {
                  id: gid('ProductVariant', x.id),
                  sku: x.sku,
                  inventoryQuantity: x.inventoryQuantity,
                  product: { id: gid('Product', p.id), title: p.title },
                },
              },
            },
            actualCost: 3,
          };
        }
      }
      return { data: { inventoryItem: null }, actualCost: 1 };
    },
    LookoutActionProduct: (v) => {
      const p = this.products.get(numericId(v.id));
      return { data: { product: p ? copyNode(p) : null }, actualCost: 1 };
    },
    LookoutActionProductUpdate: (v) => {
      const input = (v.product ?? {}) as {
        id?: string;
        descriptionHtml?: string;
        seo?: { title?: string; description?: string };
        tags?: string[];
      };
      const p = this.products.get(numericId(input.id));
      const fail = (field: string[], message: string) => ({
        data: { productUpdate: { product: null, userErrors: [{ field, message }] } },
        actualCost: 10,
      });
      if (!p) return fail(['id'], 'Product does not exist');
      if (input.tags && input.tags.length > 250) return fail(['tags'], 'Tags cannot be more than 250');
      if (input.tags?.some((t) => t.length > 255))
        return fail(['tags'], 'Tags is too long (maximum is 255 characters)');
      if (input.descriptionHtml !== undefined) p.descriptionHtml = input.descriptionHtml;
      if (input.seo !== undefined)
        p.seo = { title: input.seo.title || null, description: input.seo.description || null };
      if (input.tags !== undefined) p.tags = [...input.tags];
      p.updatedAt = this.tick();
      return { data: { productUpdate: { product: copyNode(p), userErrors: [] } }, actualCost: 10 };
    },
    LookoutActionDiscountCreate: (v) => {
      const d = (v.basicCodeDiscount ?? {}) as {
        title?: string;
        code?: string;
        startsAt?: string;
        context?: { all?: string };
        customerGets?: { value?: { percentage?: number }; items?: { products?: { productsToAdd?: string[] } } };
        appliesOncePerCustomer?: boolean;
      };
      const fail = (field: string[], code: string, message: string) => ({
        data: { discountCodeBasicCreate: { codeDiscountNode: null, userErrors: [{ field, code, message }] } },
        actualCost: 10,
      });
      if (!d.code) return fail(['basicCodeDiscount', 'code'], 'BLANK', "Code can't be blank");
      if ([...this.discounts.values()].some((x) => x.code.toLowerCase() === d.code!.toLowerCase()))
        return fail(['basicCodeDiscount', 'code'], 'TAKEN', 'Code must be unique. Please try a different code.');
      const pct = d.customerGets?.value?.percentage;
      if (typeof pct !== 'number' || pct <= 0 || pct > 1)
        return fail(
          ['basicCodeDiscount', 'customerGets', 'value', 'percentage'],
          'VALUE_OUTSIDE_RANGE',
          'Value must be between 0.0 and 1.0',
        );
      if (!d.title || !d.startsAt || d.context?.all !== 'ALL')
        return fail(['basicCodeDiscount'], 'INVALID', 'Title, startsAt and context are required');
      const id = this.newId();
      this.discounts.set(id, {
        id,
        title: d.title,
        code: d.code,
        startsAt: d.startsAt,
        percentage: pct,
        productIds: (d.customerGets?.items?.products?.productsToAdd ?? []).map(numericId),
        appliesOncePerCustomer: d.appliesOncePerCustomer === true,
      });
      return {
        data: { discountCodeBasicCreate: { codeDiscountNode: { id: gid('DiscountCodeNode', id) }, userErrors: [] } },
        actualCost: 10,
      };
    },
    LookoutActionDiscountDelete: (v) => {
      const id = numericId(v.id);
      if (!this.discounts.delete(id))
        return {
          data: {
            discountCodeDelete: {
              deletedCodeDiscountId: null,
              userErrors: [{ field: ['id'], code: 'INVALID', message: 'Discount does not exist' }],
            },
          },
          actualCost: 10,
        };
      return {
        data: { discountCodeDelete: { deletedCodeDiscountId: v.id as string, userErrors: [] } },
        actualCost: 10,
      };
    },
    LookoutOrdersSince: (v) => {
      const filter = parseSearch(v.query);
      const sorted = this.orders
        .filter((o) => matches(filter, { created_at: o.createdAt }))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      return pageOf(
        sorted,
        v,
        (o) => ({
          id: gid('Order', o.id),
          createdAt: o.createdAt,
          cancelledAt: o.cancelledAt,
          lineItems: {
            nodes: o.lineItems.map((l) => ({
              quantity: l.quantity,
              product: l.productId === null ? null : { id: gid('Product', l.productId) },
              variant: l.variantId ? { id: gid('ProductVariant', l.variantId) } : null,
            })),
          },
        }),
        'orders',
      );
    },
  };
}

// ---- helpers ----

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

const gid = (type: string, id: string): string => `gid://shopify/${type}/${id}`;

function numericId(value: unknown): string {
  return typeof value === 'string' ? (/(\d+)$/.exec(value)?.[1] ?? '') : '';
}

function compareIds(a: string, b: string): number {
  const d = BigInt(a) - BigInt(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The access scope each actions operation needs, and the field Shopify names in ACCESS_DENIED. */
const REQUIRED_SCOPE: Record<string, { scope: string; field: string }> = {
  LookoutActionProduct: { scope: 'read_products', field: 'product' },
  LookoutActionProductUpdate: { scope: 'write_products', field: 'productUpdate' },
  LookoutActionDiscountCreate: { scope: 'write_discounts', field: 'discountCodeBasicCreate' },
  LookoutActionDiscountDelete: { scope: 'write_discounts', field: 'discountCodeDelete' },
};

function copyNode(p: FakeProduct): Json {
  return {
    id: gid('Product', p.id),
    title: p.title,
    descriptionHtml: p.descriptionHtml ?? '',
    seo: { title: p.seo?.title ?? null, description: p.seo?.description ?? null },
    tags: p.tags,
  };
}

function productNode(p: FakeProduct): Json {
  return {
    id: gid('Product', p.id),
    title: p.title,
    handle: p.handle,
    productType: p.productType,
    vendor: p.vendor,
    tags: p.tags,
    status: p.status,
    totalInventory: p.variants.filter((v) => v.tracked).reduce((sum, v) => sum + v.inventoryQuantity, 0),
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    variants: {
      nodes: p.variants.slice(0, 100).map((v) => ({
        id: gid('ProductVariant', v.id),
        title: v.title,
        sku: v.sku,
        price: v.price,
        compareAtPrice: v.compareAtPrice,
        inventoryQuantity: v.tracked ? v.inventoryQuantity : null,
      })),
    },
  };
}

/**
 * Requested cost, as Shopify estimates it: 1 per object, and a connection costs 2 + `first` ×
 * (its node's cost). The nested connection sizes are read from the query text.
 */
function requestedCost(operation: string, v: Record<string, unknown>, query: string): number {
  const first = typeof v.first === 'number' ? v.first : 0;
  const inner = (name: string): number => 2 + Number(new RegExp(`${name}\\(first:\\s*(\\d+)`).exec(query)?.[1] ?? 0);
  switch (operation) {
    case 'LookoutProductById':
      return 1 + inner('variants');
    case 'LookoutProductsUpdatedSince':
      return 2 + first * (1 + inner('variants'));
    case 'LookoutLowStockVariants':
      return 2 + first * (3 + 2 + 2 * Number(/inventoryLevels\(first:\s*(\d+)/.exec(query)?.[1] ?? 0));
    case 'LookoutInventoryItemVariant':
      return 3;
    case 'LookoutOrdersSince':
      return 2 + first * (1 + inner('lineItems'));
    default:
      return 1;
  }
}

/** A Connection page: opaque cursor (base64 of the offset), pageInfo as Shopify shapes it. */
function pageOf<T>(
  rows: T[],
  v: Record<string, unknown>,
  node: (row: T) => Json,
  field: string,
): { data: Json; actualCost: number } {
  const first = typeof v.first === 'number' ? v.first : 50;
  const start = typeof v.after === 'string' ? Number(Buffer.from(v.after, 'base64url').toString()) : 0;
  const slice = rows.slice(start, start + first);
  const end = start + slice.length;
  const nodes = slice.map(node);
  return {
    data: {
      [field]: {
        nodes,
        pageInfo: {
          hasNextPage: end < rows.length,
          endCursor: slice.length ? Buffer.from(String(end)).toString('base64url') : null,
        },
      },
    },
    actualCost: 2 + slice.length,
  };
}

type SearchTerm = { field: string; op: '>=' | '<=' | '>' | '<' | ':'; value: string };

/** Shopify search syntax, the subset Lookout sends: `field:>='value'`, space-separated (AND). */
function parseSearch(query: unknown): SearchTerm[] {
  if (typeof query !== 'string' || query.trim() === '') return [];
  return query
    .trim()
    .split(/\s+/)
    .map((term) => {
      const m = /^(\w+):(>=|<=|>|<)?'?([^']*)'?$/.exec(term);
      if (!m) throw new Error(`fake cannot parse search term ${term}`);
      return { field: m[1] ?? '', op: (m[2] ?? ':') as SearchTerm['op'], value: m[3] ?? '' };
    });
}

function matches(terms: SearchTerm[], row: Record<string, string | number>): boolean {
  return terms.every(({ field, op, value }) => {
    const actual = row[field];
    if (actual === undefined) throw new Error(`fake does not index ${field}`);
    const [a, b] = typeof actual === 'number' ? [actual, Number(value)] : [Date.parse(actual), Date.parse(value)];
    switch (op) {
      case '>=':
        return a >= b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '<':
        return a < b;
      default:
        return a === b;
    }
  });
}
