import type { Queryable } from '../db/database.js';
import { type IntegrationRow, insertIntegration, type ShopProofMethod } from '../db/queries/integrations.js';
import type { FetchLike } from '../sources/shopify/adminClient.js';
import { ShopifyAdminError } from '../sources/shopify/adminErrors.js';
import { ShopifyAdapter } from '../sources/shopify/shopifyAdapter.js';

export type { ShopProofMethod };

/**
 * Ownership before data. Anyone can type a shop domain, so a Shopify integration is a claim, and
 * a claim receives the shop's webhooks (orders with customers' emails) only once its user has
 * proven the shop is theirs:
 *
 * - `oauth`: the user installed the app on the shop (the install calls markShopProven);
 * - `access_token`: an Admin API token the Admin API confirms belongs to that shop;
 * - `operator`: the operator attached the shop to the user (admin route, `lookout shopify attach`);
 * - `quick_setup`: the operator's own single-store configuration (SHOPIFY_STORE_URL).
 *
 * Several users may prove the same shop (a merchant's staff accounts): each proof stands on its
 * own, every proven claim receives the shop's webhooks, and a pending claim never does.
 */

const DEFAULT_PENDING_REASON = 'nothing proves this shop is yours yet';

/** What the user can do about a pending claim. */
export function pendingNextStep(integrationId: string): string {
  return (
    `prove the shop is yours: send an Admin API access token of the shop ` +
    `(POST /api/integrations/${integrationId}/shopify/verify with {"accessToken": "..."}), ` +
    `or ask the operator to attach it (lookout shopify attach --integration ${integrationId})`
  );
}

/** The ownership part of an integration as the API shows it (Shopify only). */
export function ownershipView(row: IntegrationRow) {
  if (row.shop_proof) return { status: 'proven' as const, method: row.shop_proof, provenAt: row.shop_proven_at };
  return {
    status: 'pending' as const,
    reason: row.shop_pending_reason ?? DEFAULT_PENDING_REASON,
    /** The poll loop checks the stored access token again (Shopify could not be reached). */
    retrying: row.shop_verify_due,
    receives: 'nothing until the shop is proven',
    nextStep: pendingNextStep(row.id),
  };
}

/**
 * Marks a Shopify integration proven: from now on it receives the shop's webhooks. The OAuth
 * install calls this with 'oauth' once the code exchange for that shop succeeded. It changes
 * nothing else (status, credentials) but its next poll, due now (a pending claim is not
 * polled); returns the row, or undefined when no Shopify integration has this id. A web process
 * should also `shopRouting.forget(row.shop_domain)` so its routing cache sees the change at once
 * (other processes see it within the cache's one-second TTL).
 */
export async function markShopProven(
  db: Queryable,
  integrationId: string,
  method: ShopProofMethod,
): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>(
    `update integrations set shop_proof = $2, shop_proven_at = now(), shop_pending_reason = null,
       shop_verify_due = false, next_poll_at = now(), updated_at = now()
     where id = $1 and kind = 'shopify' returning *`,
    [integrationId, method],
  );
  return rows[0];
}

/**
 * Records why a pending claim is still pending. Only a pending claim is touched: a proof that
 * arrived meanwhile (the operator, the install) is never undone by a late token check.
 */
export async function markShopPending(
  db: Queryable,
  integrationId: string,
  reason: string,
  opts: { verifyDue: boolean },
): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>(
    `update integrations set shop_pending_reason = $2, shop_verify_due = $3, updated_at = now()
     where id = $1 and kind = 'shopify' and shop_proof is null returning *`,
    [integrationId, reason.slice(0, 1000), opts.verifyDue],
  );
  return rows[0];
}

/**
 * A token-proven claim whose token Shopify now refuses (revoked, staff removed) goes back to
 * pending: the token was its only proof. Other proofs do not depend on the token.
 */
export async function withdrawTokenProof(
  db: Queryable,
  integrationId: string,
  reason: string,
): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>(
    `update integrations set shop_proof = null, shop_proven_at = null, shop_pending_reason = $2,
       shop_verify_due = false, updated_at = now()
     where id = $1 and kind = 'shopify' and shop_proof = 'access_token' returning *`,
    [integrationId, reason.slice(0, 1000)],
  );
  return rows[0];
}

export interface AdminApiSettings {
  apiVersion: string;
  /** SHOPIFY_ADMIN_API_URL */
  adminApiUrl?: string;
  timeoutMs?: number;
  maxAttempts?: number;
  fetch?: FetchLike;
}

export type TokenCheck =
  | { outcome: 'proven' }
  /** Shopify answered, and the answer is no: retrying the same token cannot help. */
  | { outcome: 'refused'; reason: string }
  /** No usable answer (network, timeout, 5xx, throttled): worth asking again later. */
  | { outcome: 'unreachable'; reason: string };

const RETRYABLE = new Set(['network', 'timeout', 'server_error', 'rate_limited', 'invalid_response']);

/** Asks the Admin API which shop the token belongs to (`shop { myshopifyDomain }`). */
export async function checkShopToken(
  shopDomain: string,
  accessToken: string,
  settings: AdminApiSettings,
): Promise<TokenCheck> {
  const adapter = new ShopifyAdapter({
    shopDomain,
    accessToken,
    apiVersion: settings.apiVersion,
    adminApiUrl: settings.adminApiUrl,
    fetch: settings.fetch,
    timeoutMs: settings.timeoutMs ?? 10_000,
    client: { maxAttempts: settings.maxAttempts ?? 2, baseBackoffMs: 250, maxWaitMs: 2_000 },
  });
  try {
    const actual = await adapter.fetchShopDomain();
    if (actual === shopDomain.toLowerCase()) return { outcome: 'proven' };
    return { outcome: 'refused', reason: `the access token belongs to ${actual}, not ${shopDomain}` };
  } catch (err) {
    if (err instanceof ShopifyAdminError) {
      if (RETRYABLE.has(err.code))
        return { outcome: 'unreachable', reason: `could not reach Shopify to check the access token: ${err.message}` };
      return {
        outcome: 'refused',
        reason: `Shopify did not accept the access token for ${shopDomain}: ${err.message}`,
      };
    }
    return {
      outcome: 'unreachable',
      reason: `could not reach Shopify to check the access token: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/**
 * Checks a claim's access token and records the result: proven, pending with the reason, or
 * pending and retried by the poll loop when Shopify could not be reached.
 */
export async function proveShopByToken(
  db: Queryable,
  row: IntegrationRow,
  accessToken: string,
  settings: AdminApiSettings,
): Promise<{ row: IntegrationRow; check: TokenCheck }> {
  if (!row.shop_domain) throw new Error(`integration ${row.id} has no shop domain`);
  const check = await checkShopToken(row.shop_domain, accessToken, settings);
  const updated =
    check.outcome === 'proven'
      ? await markShopProven(db, row.id, 'access_token')
      : await markShopPending(db, row.id, check.reason, { verifyDue: check.outcome === 'unreachable' });
  // undefined: proven by other means meanwhile (markShopPending leaves a proven claim alone).
  return { row: updated ?? (await reread(db, row.id)) ?? row, check };
}

async function reread(db: Queryable, id: string): Promise<IntegrationRow | undefined> {
  const { rows } = await db.query<IntegrationRow>('select * from integrations where id = $1', [id]);
  return rows[0];
}

/**
 * The operator attaches a shop to a user: the user's claims of that shop become proven (and
 * active again, if the app had been uninstalled), or a new proven integration is made when they
 * have none. Idempotent.
 */
export async function attachShop(
  db: Queryable,
  input: { userId: string; shopDomain: string },
): Promise<{ row: IntegrationRow; created: boolean }> {
  const shopDomain = input.shopDomain.toLowerCase();
  const { rows } = await db.query<IntegrationRow>(
    `update integrations set shop_proof = coalesce(shop_proof, 'operator'),
       shop_proven_at = coalesce(shop_proven_at, now()), shop_pending_reason = null, shop_verify_due = false,
       status = 'active', next_poll_at = now(), updated_at = now()
     where user_id = $1 and kind = 'shopify' and shop_domain = $2
     returning *`,
    [input.userId, shopDomain],
  );
  if (rows.length > 0) {
    const sorted = rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    return { row: sorted[0]!, created: false };
  }
  const row = await insertIntegration(db, {
    userId: input.userId,
    kind: 'shopify',
    shopDomain,
    config: {},
    credentials: null,
    shopProof: 'operator',
  });
  return { row, created: true };
}
