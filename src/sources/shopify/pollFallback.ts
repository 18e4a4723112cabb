import { z } from 'zod';
import type { AdminClientOptions } from './adminClient.js';
import { ShopifyAdminClient } from './adminClient.js';
import { collectionChangedKey, orderCreatedKey, productDeletedKey } from './dedupeKeys.js';
import { numericIdFromGid } from './gid.js';
import { missingScopes, parseScopes } from './oauth.js';
import type { PolledEvent } from './pollEvents.js';
import { json, numeric } from './pollPayloads.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

/**
 * The poll fallback for the subscribed topics beyond products and stock: orders created, collections
 * changed, and products deleted (Admin GraphQL `deletionEvents`, which the pinned 2026-04 still
 * has, though marked deprecated). Each event carries the change key its webhook has (dedupeKeys.ts),
 * so a change both paths saw is stored once. Queries are `>=` the watermark (Shopify timestamps
 * have one-second resolution); what repeats at the watermark collides on its key and stores nothing.
 */

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const ORDERS_CREATED_SINCE = `query LookoutOrdersCreatedSince($first: Int!, $after: String, $query: String,
                                     $reverse: Boolean) {
  orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT, reverse: $reverse) {
    nodes {
      id name createdAt updatedAt cancelledAt test
      totalPriceSet { shopMoney { amount currencyCode } }
      lineItems(first: 25) { nodes { title quantity product { id } variant { id } } }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;
const orderNode = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  cancelledAt: z.string().nullable(),
  test: z.boolean(),
  totalPriceSet: z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) }),
  lineItems: z.object({
    nodes: z.array(
      z.object({
        title: z.string(),
        quantity: z.number().int(),
        product: z.object({ id: z.string() }).nullable(),
        variant: z.object({ id: z.string() }).nullable(),
      }),
    ),
  }),
});
const ordersData = z.object({ orders: z.object({ nodes: z.array(orderNode), pageInfo }) });

export const COLLECTIONS_UPDATED_SINCE = `query LookoutCollectionsUpdatedSince($first: Int!, $after: String,
                                          $query: String, $reverse: Boolean) {
  collections(first: $first, after: $after, query: $query, sortKey: UPDATED_AT, reverse: $reverse) {
    nodes { id title handle updatedAt }
    pageInfo { hasNextPage endCursor }
  }
}`;
const collectionNode = z.object({ id: z.string(), title: z.string(), handle: z.string(), updatedAt: z.string() });
const collectionsData = z.object({ collections: z.object({ nodes: z.array(collectionNode), pageInfo }) });

export const DELETION_EVENTS = `query LookoutDeletionEvents($first: Int!, $after: String, $query: String,
                                $reverse: Boolean) {
  deletionEvents(first: $first, after: $after, query: $query, subjectTypes: [PRODUCT], sortKey: CREATED_AT,
    reverse: $reverse) {
    nodes { subjectId subjectType occurredAt }
    pageInfo { hasNextPage endCursor }
  }
}`;
const deletionNode = z.object({ subjectId: z.string(), subjectType: z.string(), occurredAt: z.string() });
const deletionsData = z.object({ deletionEvents: z.object({ nodes: z.array(deletionNode), pageInfo }) });

export interface FallbackState {
  ordersSince?: string;
  collectionsSince?: string;
  deletionsSince?: string;
}

interface Stream<N> {
  operation: string;
  schema: z.ZodType<{ nodes: N[]; pageInfo: z.infer<typeof pageInfo> }>;
  field: string;
  at: (n: N) => string;
}

const ORDERS: Stream<z.infer<typeof orderNode>> = {
  operation: ORDERS_CREATED_SINCE,
  schema: ordersData.shape.orders,
  field: 'orders',
  at: (o) => o.createdAt,
};
const COLLECTIONS: Stream<z.infer<typeof collectionNode>> = {
  operation: COLLECTIONS_UPDATED_SINCE,
  schema: collectionsData.shape.collections,
  field: 'collections',
  at: (c) => c.updatedAt,
};
const DELETIONS: Stream<z.infer<typeof deletionNode>> = {
  operation: DELETION_EVENTS,
  schema: deletionsData.shape.deletionEvents,
  field: 'deletionEvents',
  at: (d) => d.occurredAt,
};

/** The Admin reads of the fallback, for one shop. */
export class ShopifyFallbackReader {
  private readonly admin: ShopifyAdminClient;
  constructor(
    opts: AdminClientOptions,
    private readonly maxPages = 20,
    private readonly pageSize = 25,
  ) {
    this.admin = new ShopifyAdminClient(opts);
  }

  /** The newest timestamp of a stream (its baseline), or the epoch when it is empty. */
  async newest<N>(stream: Stream<N>): Promise<string> {
    const schema = z.object({ [stream.field]: stream.schema });
    const { data } = await this.admin.query(stream.operation, { first: 1, query: null, reverse: true }, schema);
    const node = (data[stream.field] as { nodes: N[] }).nodes[0];
    return node === undefined ? new Date(0).toISOString() : stream.at(node);
  }

  /** Nodes at or after `since`, oldest first, following cursors up to maxPages. */
  async since<N>(stream: Stream<N>, since: string, searchField: string): Promise<N[]> {
    const schema = z.object({ [stream.field]: stream.schema });
    const query = `${searchField}:>='${new Date(since).toISOString()}'`;
    const nodes: N[] = [];
    let after: string | null = null;
    for (let page = 0; page < this.maxPages; page++) {
      const result: { data: Record<string, unknown> } = await this.admin.query(
        stream.operation,
        { first: this.pageSize, after, query, reverse: false },
        schema,
      );
      const conn = result.data[stream.field] as { nodes: N[]; pageInfo: z.infer<typeof pageInfo> };
      nodes.push(...conn.nodes);
      if (!conn.pageInfo.hasNextPage || conn.pageInfo.endCursor === null) break;
      after = conn.pageInfo.endCursor;
    }
    return nodes;
  }
}

/** Like an orders/create body (the fields Lookout reads). */
function orderPayload(o: z.infer<typeof orderNode>): string {
  return json({
    id: numeric(o.id),
    admin_graphql_api_id: o.id,
    name: o.name,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    cancelled_at: o.cancelledAt,
    test: o.test,
    total_price: o.totalPriceSet.shopMoney.amount,
    currency: o.totalPriceSet.shopMoney.currencyCode,
    line_items: o.lineItems.nodes.map((l) => ({
      title: l.title,
      quantity: l.quantity,
      product_id: l.product ? numeric(l.product.id) : null,
      variant_id: l.variant ? numeric(l.variant.id) : null,
    })),
    _lookout: { via: 'poll' },
  });
}

function event(eventType: EventType, payload: unknown, at: string, dedupeKey: string): PolledEvent {
  return { eventType, eventDataJson: json(payload), eventTimestamp: new Date(at), dedupeKey };
}

/**
 * One fallback pass. A stream's first pass only takes its baseline (the newest timestamp), so
 * connecting a shop does not announce its history. Orders are skipped when the shop did not grant
 * read_orders (`grantedScopes` null: unknown, attempted).
 */
export async function pollFallback(
  reader: ShopifyFallbackReader,
  shop: string,
  state: FallbackState,
  opts: { grantedScopes: readonly string[] | null },
): Promise<{ events: PolledEvent[]; state: FallbackState }> {
  const events: PolledEvent[] = [];
  const next: FallbackState = { ...state };
  const can = (scope: string) => opts.grantedScopes === null || missingScopes([scope], opts.grantedScopes).length === 0;

  if (can('read_orders')) {
    if (state.ordersSince === undefined) next.ordersSince = await reader.newest(ORDERS);
    else {
      const orders = await reader.since(ORDERS, state.ordersSince, 'created_at');
      for (const o of orders) {
        const id = numericIdFromGid(o.id);
        if (id === null) continue;
        events.push({
          eventType: 'shopify.order.created',
          eventDataJson: orderPayload(o),
          eventTimestamp: new Date(o.createdAt),
          dedupeKey: orderCreatedKey(shop, id),
        });
      }
      next.ordersSince = orders.at(-1)?.createdAt ?? state.ordersSince;
    }
  }

  if (can('read_products')) {
    if (state.collectionsSince === undefined) next.collectionsSince = await reader.newest(COLLECTIONS);
    else {
      const collections = await reader.since(COLLECTIONS, state.collectionsSince, 'updated_at');
      for (const c of collections) {
        const id = numericIdFromGid(c.id);
        if (id === null) continue;
        const payload = {
          id: numeric(c.id),
          admin_graphql_api_id: c.id,
          title: c.title,
          handle: c.handle,
          updated_at: c.updatedAt,
          _lookout: { via: 'poll' },
        };
        events.push(
          event(
            'shopify.collection.updated',
            payload,
            c.updatedAt,
            collectionChangedKey(shop, id, new Date(c.updatedAt)),
          ),
        );
      }
      next.collectionsSince = collections.at(-1)?.updatedAt ?? state.collectionsSince;
    }

    if (state.deletionsSince === undefined) next.deletionsSince = await reader.newest(DELETIONS);
    else {
      const deletions = await reader.since(DELETIONS, state.deletionsSince, 'occurred_at');
      for (const d of deletions) {
        const id = numericIdFromGid(d.subjectId);
        if (id === null || d.subjectType !== 'PRODUCT') continue;
        // Like a products/delete body: the id is all Shopify sends.
        events.push(
          event(
            'shopify.product.deleted',
            { id: numeric(d.subjectId), _lookout: { via: 'poll' } },
            d.occurredAt,
            productDeletedKey(shop, id),
          ),
        );
      }
      next.deletionsSince = deletions.at(-1)?.occurredAt ?? state.deletionsSince;
    }
  }
  return { events, state: next };
}

/** The fallback of one integration: its stored state under `poll_state.fallback`, its granted scopes. */
export function pollShopifyFallback(
  row: { shop_domain: string | null; shopify_scopes: string | null; poll_state: Record<string, unknown> },
  client: AdminClientOptions,
): Promise<{ events: PolledEvent[]; state: FallbackState }> {
  const state = (row.poll_state.fallback ?? {}) as FallbackState;
  const granted = row.shopify_scopes === null ? null : parseScopes(row.shopify_scopes);
  return pollFallback(new ShopifyFallbackReader(client), client.shopDomain, state, { grantedScopes: granted });
}
