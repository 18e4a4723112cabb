import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import type { Queryable } from '../db/database.js';
import { type IntegrationRow, insertIntegration } from '../db/queries/integrations.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import { type SecretBox, sha256 } from '../lib/secretBox.js';
import { ShopifyAdminClient } from '../sources/shopify/adminClient.js';
import { missingScopes, parseScopes, SCOPE_FEATURES } from '../sources/shopify/oauth.js';
import {
  SUBSCRIBED_TOPICS,
  syncWebhookSubscriptions,
  type WebhookSyncResult,
} from '../sources/shopify/webhookSubscriptions.js';
import { markShopProven } from './shopOwnership.js';

/** How long an install's state is accepted on the callback. */
export const INSTALL_STATE_TTL_S = 600;
/** The poll loop repairs drifted subscriptions this often. */
export const WEBHOOK_SYNC_PERIOD_MS = 86_400_000;

export interface InstallStateRow {
  user_id: string;
  shop_domain: string;
  browser_hash: string;
  expires_at: Date;
}

/** A new single-use state for a user's install of a shop, bound to the browser's nonce. */
export async function createInstallState(
  db: Queryable,
  input: { userId: string; shopDomain: string; browserNonce: string },
): Promise<string> {
  const state = randomBytes(24).toString('base64url');
  await db.query('delete from shopify_install_states where expires_at < now()');
  await db.query(
    `insert into shopify_install_states (state_hash, user_id, shop_domain, browser_hash, expires_at)
     values ($1, $2, $3, $4, now() + make_interval(secs => $5))`,
    [sha256(state), input.userId, input.shopDomain, sha256(input.browserNonce), INSTALL_STATE_TTL_S],
  );
  return state;
}

/** Takes the state out (single use, whatever follows); undefined when unknown or already used. */
export async function consumeInstallState(db: Queryable, state: string): Promise<InstallStateRow | undefined> {
  const { rows } = await db.query<InstallStateRow>(
    'delete from shopify_install_states where state_hash = $1 returning user_id, shop_domain, browser_hash, expires_at',
    [sha256(state)],
  );
  return rows[0];
}

/**
 * After a successful code exchange: the user's integration of the shop gets the new token and the
 * granted scopes (one is created when they have none), is active again and proven by the install.
 * The caller syncs its webhooks next, so the daily sync is claimed now (the poll the proof
 * triggers must not run a second sync alongside).
 */
export async function saveInstalledShop(
  db: Queryable,
  secrets: SecretBox,
  input: { userId: string; shopDomain: string; accessToken: string; scopes: string[] },
): Promise<IntegrationRow> {
  const { rows } = await db.query<IntegrationRow>(
    `select * from integrations where user_id = $1 and kind = 'shopify' and shop_domain = $2
     order by created_at limit 1`,
    [input.userId, input.shopDomain],
  );
  const scopes = input.scopes.join(',');
  let id: string;
  const existing = rows[0];
  if (existing) {
    const previous = existing.credentials ? secrets.openJson<IntegrationCredentials>(existing.credentials) : {};
    await db.query(
      `update integrations set credentials = $2, shopify_scopes = $3, status = 'active', webhook_synced_at = now(),
         updated_at = now()
       where id = $1`,
      [existing.id, secrets.sealJson({ ...previous, accessToken: input.accessToken }), scopes],
    );
    id = existing.id;
  } else {
    const row = await insertIntegration(db, {
      userId: input.userId,
      kind: 'shopify',
      shopDomain: input.shopDomain,
      config: {},
      credentials: secrets.sealJson({ accessToken: input.accessToken }),
    });
    await db.query('update integrations set shopify_scopes = $2, webhook_synced_at = now() where id = $1', [
      row.id,
      scopes,
    ]);
    id = row.id;
  }
  const proven = await markShopProven(db, id, 'oauth');
  if (!proven) throw new Error(`integration ${id} vanished during the install`);
  return proven;
}

export interface WebhookSyncRecord extends Partial<WebhookSyncResult> {
  at: string;
  uri?: string;
  /** Whether the sync had to change anything (a first install, or drift repaired). */
  drift?: boolean;
  /** Why the sync could not run or stopped (no public URL, no token, Shopify unreachable). */
  error?: string;
}

export class WebhookSyncUnavailable extends Error {
  override readonly name = 'WebhookSyncUnavailable';
}

/** The address Shopify delivers to: LOOKOUT_PUBLIC_URL/webhooks/shopify. */
export function webhookUri(config: Config): string {
  if (!config.shopify.publicUrl)
    throw new WebhookSyncUnavailable(
      'LOOKOUT_PUBLIC_URL is not set: Shopify needs the public address of this server to deliver webhooks',
    );
  return `${config.shopify.publicUrl}/webhooks/shopify`;
}

/**
 * Syncs one integration's subscriptions and records the outcome on it (also a failure, so the
 * dashboard can say why). Throws WebhookSyncUnavailable when it cannot run at all, and the Admin
 * client's errors when Shopify could not be reached.
 */
export async function syncIntegrationWebhooks(
  deps: { db: Queryable; config: Config; secrets: SecretBox; fetch?: typeof fetch },
  row: IntegrationRow,
): Promise<WebhookSyncResult & { uri: string }> {
  const at = new Date().toISOString();
  const record = async (r: WebhookSyncRecord) =>
    deps.db.query('update integrations set webhook_sync = $2, webhook_synced_at = now() where id = $1', [
      row.id,
      JSON.stringify(r),
    ]);
  try {
    const uri = webhookUri(deps.config);
    const creds = row.credentials ? deps.secrets.openJson<IntegrationCredentials>(row.credentials) : {};
    if (!row.shop_domain || !creds.accessToken)
      throw new WebhookSyncUnavailable(
        'this integration has no access token: install the app (Connect Shopify) to subscribe webhooks',
      );
    const admin = new ShopifyAdminClient({
      shopDomain: row.shop_domain,
      accessToken: creds.accessToken,
      apiVersion: deps.config.shopify.apiVersion,
      adminApiUrl: deps.config.shopify.adminApiUrl,
      fetch: deps.fetch,
      timeoutMs: 10_000,
      maxAttempts: 3,
      baseBackoffMs: 250,
      maxWaitMs: 5_000,
    });
    const granted = row.shopify_scopes === null ? null : parseScopes(row.shopify_scopes);
    const result = await syncWebhookSubscriptions(admin, { uri, grantedScopes: granted });
    const drift = result.created.length + result.updated.length + result.removed.length > 0;
    await record({ at, uri, drift, ...result });
    return { ...result, uri };
  } catch (err) {
    await record({ at, error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}

/** Due for the daily repair: never synced, or synced more than a day ago. */
export function webhookSyncDue(row: IntegrationRow, now: Date = new Date()): boolean {
  return row.webhook_synced_at === null || now.getTime() - row.webhook_synced_at.getTime() >= WEBHOOK_SYNC_PERIOD_MS;
}

/** The install's part of a Shopify integration as the API shows it: scopes and subscriptions. */
export function shopifyConnectView(row: IntegrationRow, required: readonly string[]) {
  const granted = row.shopify_scopes === null ? null : parseScopes(row.shopify_scopes);
  const missing = granted === null ? [] : missingScopes(required, granted);
  const sync = (row.webhook_sync ?? null) as WebhookSyncRecord | null;
  return {
    scopes: {
      /** null: not installed through the app, so unknown. */
      granted,
      required: [...required],
      missing,
      /** Which features are off, and why. */
      featuresOff: missing.map((scope) => ({
        scope,
        feature: SCOPE_FEATURES[scope] ?? scope,
        reason: `the shop did not grant ${scope}`,
      })),
    },
    webhookSubscriptions: {
      lastSyncAt: row.webhook_synced_at,
      uri: sync?.uri ?? null,
      drift: sync?.drift ?? null,
      error: sync?.error ?? null,
      topics: SUBSCRIBED_TOPICS.map((topic) => ({
        topic,
        status: sync?.topics?.[topic] ?? 'unknown',
        ...(sync?.failed?.find((f) => f.topic === topic)
          ? { error: sync.failed.find((f) => f.topic === topic)?.message }
          : {}),
        ...(sync?.skipped?.find((f) => f.topic === topic)
          ? { reason: sync.skipped.find((f) => f.topic === topic)?.reason }
          : {}),
      })),
      removed: sync?.removed ?? [],
    },
  };
}

/**
 * The poll loop's daily repair of an installed shop's subscriptions. Never fails the poll: the
 * outcome, failure included, is recorded on the integration for the dashboard.
 */
export async function dailyWebhookSync(
  deps: { db: Queryable; config: Config; secrets: SecretBox },
  row: IntegrationRow,
  now: Date = new Date(),
): Promise<void> {
  if (row.shop_proof !== 'oauth' || !deps.config.shopify.publicUrl || !webhookSyncDue(row, now)) return;
  // Claimed in the database: of several processes (or a poll racing the install), one syncs.
  const { rows } = await deps.db.query(
    `update integrations set webhook_synced_at = now() where id = $1
       and (webhook_synced_at is null or webhook_synced_at <= $2) returning id`,
    [row.id, new Date(now.getTime() - WEBHOOK_SYNC_PERIOD_MS)],
  );
  if (rows.length === 0) return;
  await syncIntegrationWebhooks(deps, row).catch(() => {});
}
