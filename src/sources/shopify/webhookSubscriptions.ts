import { z } from 'zod';
import type { ShopifyAdminClient } from './adminClient.js';
import { missingScopes } from './oauth.js';
import { SUPPORTED_TOPICS } from './topics.js';

/**
 * Webhook subscriptions, kept idempotently: list the shop's (this app's) subscriptions, create
 * only the missing topics, point drifted ones back at our address, and remove those of topics
 * Lookout no longer handles (only the ones pointing at our address: another address belongs to
 * someone else's set-up). The pinned Admin API version (2026-04) names the address `uri`
 * (`callbackUrl` is deprecated since 2025-10).
 */

/** Mandatory for public apps, declared in the app's configuration, never subscribed through the API. */
export const COMPLIANCE_TOPICS: readonly string[] = ['customers/data_request', 'customers/redact', 'shop/redact'];

/** Every topic Lookout subscribes to through the Admin API. */
export const SUBSCRIBED_TOPICS: readonly string[] = SUPPORTED_TOPICS.filter((t) => !COMPLIANCE_TOPICS.includes(t));

/** The access scope a topic's deliveries need (Shopify refuses the subscription without it). */
export const TOPIC_SCOPES: Readonly<Record<string, string | null>> = {
  'products/create': 'read_products',
  'products/update': 'read_products',
  'products/delete': 'read_products',
  'collections/create': 'read_products',
  'collections/update': 'read_products',
  'inventory_levels/update': 'read_inventory',
  'orders/create': 'read_orders',
  'app/uninstalled': null,
};

/** products/create -> PRODUCTS_CREATE (the GraphQL WebhookSubscriptionTopic enum). */
export function topicEnum(topic: string): string {
  return topic.replace('/', '_').toUpperCase();
}

const TOPIC_BY_ENUM = new Map(SUBSCRIBED_TOPICS.map((t) => [topicEnum(t), t]));

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const subscription = z.object({ id: z.string(), topic: z.string(), uri: z.string() });
const userErrors = z.array(z.object({ field: z.array(z.string()).nullable().optional(), message: z.string() }));

export const WEBHOOK_SUBSCRIPTIONS = `query LookoutWebhookSubscriptions($first: Int!, $after: String) {
  webhookSubscriptions(first: $first, after: $after) {
    nodes { id topic uri }
    pageInfo { hasNextPage endCursor }
  }
}`;
const subscriptionsData = z.object({
  webhookSubscriptions: z.object({ nodes: z.array(subscription), pageInfo }),
});

export const WEBHOOK_SUBSCRIPTION_CREATE = `mutation LookoutWebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!,
                                            $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;
const createData = z.object({
  webhookSubscriptionCreate: z.object({ webhookSubscription: subscription.nullable(), userErrors }),
});

export const WEBHOOK_SUBSCRIPTION_UPDATE = `mutation LookoutWebhookSubscriptionUpdate($id: ID!,
                                            $webhookSubscription: WebhookSubscriptionInput!) {
  webhookSubscriptionUpdate(id: $id, webhookSubscription: $webhookSubscription) {
    webhookSubscription { id topic uri }
    userErrors { field message }
  }
}`;
const updateData = z.object({
  webhookSubscriptionUpdate: z.object({ webhookSubscription: subscription.nullable(), userErrors }),
});

export const WEBHOOK_SUBSCRIPTION_DELETE = `mutation LookoutWebhookSubscriptionDelete($id: ID!) {
  webhookSubscriptionDelete(id: $id) {
    deletedWebhookSubscriptionId
    userErrors { field message }
  }
}`;
const deleteData = z.object({
  webhookSubscriptionDelete: z.object({ deletedWebhookSubscriptionId: z.string().nullable(), userErrors }),
});

export type TopicStatus = 'kept' | 'created' | 'updated' | 'skipped' | 'failed';

export interface WebhookSyncResult {
  created: string[];
  updated: string[];
  kept: string[];
  /** Topics (or enum values Lookout does not know) whose subscriptions at our address were deleted. */
  removed: string[];
  /** Topics not subscribed because the shop did not grant their scope. */
  skipped: Array<{ topic: string; reason: string }>;
  /** What Shopify refused (userErrors), per topic. */
  failed: Array<{ topic: string; action: 'create' | 'update' | 'delete'; message: string }>;
  /** Per handled topic, what this sync found or did. */
  topics: Record<string, TopicStatus>;
}

const PAGE_SIZE = 100;
const MAX_PAGES = 20;

async function listSubscriptions(admin: ShopifyAdminClient): Promise<Array<z.infer<typeof subscription>>> {
  const all: Array<z.infer<typeof subscription>> = [];
  let after: string | null = null;
  for (let n = 0; n < MAX_PAGES; n++) {
    const page: z.infer<typeof subscriptionsData> = (
      await admin.query(WEBHOOK_SUBSCRIPTIONS, { first: PAGE_SIZE, after }, subscriptionsData)
    ).data;
    all.push(...page.webhookSubscriptions.nodes);
    const next = page.webhookSubscriptions.pageInfo;
    if (!next.hasNextPage || next.endCursor === null) break;
    after = next.endCursor;
  }
  return all;
}

const errorText = (errors: z.infer<typeof userErrors>): string =>
  errors.map((e) => (e.field?.length ? `${e.field.join('.')}: ${e.message}` : e.message)).join('; ');

/**
 * Brings the shop's subscriptions in line with what Lookout handles, at `uri`. A second run with
 * nothing changed creates nothing. `grantedScopes` null: unknown, every topic is attempted.
 * A topic Shopify refuses is reported in `failed` and the others go on; a transport failure
 * (after the Admin client's own retries) throws.
 */
export async function syncWebhookSubscriptions(
  admin: ShopifyAdminClient,
  opts: { uri: string; grantedScopes: readonly string[] | null },
): Promise<WebhookSyncResult> {
  const result: WebhookSyncResult = {
    created: [],
    updated: [],
    kept: [],
    removed: [],
    skipped: [],
    failed: [],
    topics: {},
  };
  const existing = await listSubscriptions(admin);
  const input = { uri: opts.uri, format: 'JSON' };

  for (const topic of SUBSCRIBED_TOPICS) {
    const scope = TOPIC_SCOPES[topic] ?? null;
    if (scope && opts.grantedScopes && missingScopes([scope], opts.grantedScopes).length > 0) {
      result.skipped.push({ topic, reason: `the shop did not grant ${scope}` });
      result.topics[topic] = 'skipped';
      continue;
    }
    const ofTopic = existing.filter((s) => s.topic === topicEnum(topic));
    if (ofTopic.some((s) => s.uri === opts.uri)) {
      result.kept.push(topic);
      result.topics[topic] = 'kept';
      continue;
    }
    const drifted = ofTopic[0];
    if (drifted) {
      const { data } = await admin.query(
        WEBHOOK_SUBSCRIPTION_UPDATE,
        { id: drifted.id, webhookSubscription: input },
        updateData,
      );
      const errors = data.webhookSubscriptionUpdate.userErrors;
      if (errors.length > 0) fail(result, topic, 'update', errorText(errors));
      else {
        result.updated.push(topic);
        result.topics[topic] = 'updated';
      }
      continue;
    }
    const { data } = await admin.query(
      WEBHOOK_SUBSCRIPTION_CREATE,
      { topic: topicEnum(topic), webhookSubscription: input },
      createData,
    );
    const errors = data.webhookSubscriptionCreate.userErrors;
    if (errors.length > 0) fail(result, topic, 'create', errorText(errors));
    else {
      result.created.push(topic);
      result.topics[topic] = 'created';
    }
  }

  for (const s of existing) {
    if (s.uri !== opts.uri || TOPIC_BY_ENUM.has(s.topic)) continue;
    const { data } = await admin.query(WEBHOOK_SUBSCRIPTION_DELETE, { id: s.id }, deleteData);
    const errors = data.webhookSubscriptionDelete.userErrors;
    if (errors.length > 0) result.failed.push({ topic: s.topic, action: 'delete', message: errorText(errors) });
    else result.removed.push(s.topic);
  }
  return result;
}

function fail(result: WebhookSyncResult, topic: string, action: 'create' | 'update', message: string): void {
  result.failed.push({ topic, action, message });
  result.topics[topic] = 'failed';
}

/** The `[webhooks]` section of shopify.app.toml: the same subscriptions, declared with the app. */
export function webhooksToml(input: { apiVersion: string; uri: string }): string {
  const topics = SUBSCRIBED_TOPICS.map((t) => `"${t}"`).join(', ');
  const compliance = COMPLIANCE_TOPICS.map((t) => `"${t}"`).join(', ');
  return [
    '[webhooks]',
    `api_version = "${input.apiVersion}"`,
    '',
    '[[webhooks.subscriptions]]',
    `topics = [${topics}]`,
    `compliance_topics = [${compliance}]`,
    `uri = "${input.uri}"`,
    '',
  ].join('\n');
}
