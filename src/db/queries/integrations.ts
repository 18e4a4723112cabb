import type { Queryable } from '../database.js';

/** A source's kind (sources/index.ts lists them; the database checks the column against them). */
export type IntegrationKind = string;

/** How a user proved a Shopify shop is theirs (see ingest/shopOwnership.ts). */
export type ShopProofMethod = 'oauth' | 'access_token' | 'operator' | 'quick_setup';

export interface IntegrationRow {
  id: string;
  user_id: string;
  kind: IntegrationKind;
  status: 'active' | 'disabled';
  shop_domain: string | null;
  config: Record<string, unknown>;
  credentials: string | null;
  poll_interval_s: number | null;
  next_poll_at: Date;
  poll_failures: number;
  last_poll_at: Date | null;
  last_poll_error: string | null;
  last_poll_note: string | null;
  last_webhook_at: Date | null;
  /** Shopify: how the shop was proven; null while the claim is pending (it then receives nothing). */
  shop_proof: ShopProofMethod | null;
  shop_proven_at: Date | null;
  shop_pending_reason: string | null;
  /** The poll loop checks the stored access token again (Shopify was unreachable). */
  shop_verify_due: boolean;
  poll_state: Record<string, unknown>;
  /** Shopify: scopes granted at the app install (comma-separated); null when unknown. */
  shopify_scopes: string | null;
  /** Shopify: the last webhook subscription sync (see ingest/shopifyConnect.ts). */
  webhook_sync: Record<string, unknown> | null;
  webhook_synced_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export async function insertIntegration(
  db: Queryable,
  i: {
    userId: string;
    kind: IntegrationKind;
    shopDomain?: string | null;
    config: Record<string, unknown>;
    credentials: string | null;
    webhookSecretHash?: string;
    /** Shopify: proven from the start (operator configuration); otherwise the claim is pending. */
    shopProof?: ShopProofMethod;
    shopPendingReason?: string;
  },
): Promise<IntegrationRow> {
  const { rows } = await db.query<IntegrationRow>(
    `insert into integrations (user_id, kind, shop_domain, config, credentials, webhook_secret_hash,
       shop_proof, shop_proven_at, shop_pending_reason)
     values ($1, $2, $3, $4, $5, $6, $7, case when $7::text is null then null else now() end, $8) returning *`,
    [
      i.userId,
      i.kind,
      i.shopDomain ?? null,
      JSON.stringify(i.config),
      i.credentials,
      i.webhookSecretHash ?? null,
      i.shopProof ?? null,
      i.shopProof ? null : (i.shopPendingReason ?? null),
    ],
  );
  return rows[0]!;
}

export async function listIntegrations(db: Queryable, userId: string): Promise<IntegrationRow[]> {
  const { rows } = await db.query<IntegrationRow>(
    'select * from integrations where user_id = $1 order by created_at, id',
    [userId],
  );
  return rows;
}

export async function getIntegration(db: Queryable, userId: string, id: string): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>('select * from integrations where id = $1 and user_id = $2', [
    id,
    userId,
  ]);
  return rows[0];
}

/** For webhook authentication, where the integration id comes from the request, not a user. */
export async function getIntegrationById(db: Queryable, id: string): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>('select * from integrations where id = $1', [id]);
  return rows[0];
}

/** A Supabase integration by the digest of the bearer secret its webhook sends. */
export async function findIntegrationBySecretHash(db: Queryable, hash: string): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>(
    `select * from integrations where webhook_secret_hash = $1 and kind = 'supabase'`,
    [hash],
  );
  return rows[0];
}

/** Deletes one of the user's integrations; returns it, or undefined when it is not theirs. */
export async function deleteIntegration(
  db: Queryable,
  userId: string,
  id: string,
): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>(
    'delete from integrations where id = $1 and user_id = $2 returning *',
    [id, userId],
  );
  return rows[0];
}

/**
 * Every active Shopify integration of a shop, proven or pending: a shop may be connected by
 * several users. Webhook routing delivers only to the proven ones (ingest/shopifyWebhook.ts).
 */
export async function findShopifyIntegrations(db: Queryable, shopDomain: string): Promise<IntegrationRow[]> {
  const { rows } = await db.query<IntegrationRow>(
    `select * from integrations where kind = 'shopify' and shop_domain = $1 and status = 'active'`,
    [shopDomain],
  );
  return rows;
}

export async function markWebhookSeen(db: Queryable, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query('update integrations set last_webhook_at = now() where id = any($1::uuid[])', [ids]);
}

export async function setIntegrationStatus(db: Queryable, id: string, status: 'active' | 'disabled'): Promise<void> {
  await db.query('update integrations set status = $2, updated_at = now() where id = $1', [id, status]);
}
