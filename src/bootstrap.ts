import { SHOP_DOMAIN } from './api/integrationRoutes.js';
import type { AppContext } from './context.js';
import { insertIntegration } from './db/queries/integrations.js';
import { newApiKey } from './db/queries/users.js';
import { sha256 } from './lib/secretBox.js';

const DEFAULT_EMAIL = 'owner@lookout.local';

/**
 * Single-store quick set-up: with SHOPIFY_STORE_URL and/or SUPABASE_DB_URL set, a
 * default user is connected to that store and project at start. Idempotent, and safe when several
 * processes start at once (an advisory lock serialises them).
 */
export async function bootstrapQuickSetup(ctx: AppContext): Promise<{ defaultUserApiKey?: string }> {
  const { shopify, supabase } = ctx.config;
  if (!shopify.storeUrl && !supabase.dbUrl && !supabase.url) return {};
  const shopDomain = shopify.storeUrl
    ?.replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  if (shopDomain && !SHOP_DOMAIN.test(shopDomain)) {
    throw new Error(
      `invalid configuration:\n  SHOPIFY_STORE_URL: must be a *.myshopify.com store, got ${shopify.storeUrl}`,
    );
  }
  return ctx.db.transaction(async (tx) => {
    await tx.query(`select pg_advisory_xact_lock(hashtext('lookout.bootstrap'))`);
    const { rows } = await tx.query<{ id: string; inserted: boolean }>(
      `insert into users (email, name) values ($1, 'Default user') on conflict (email) do update
       set email = excluded.email
       returning id, (xmax = 0) as inserted`,
      [DEFAULT_EMAIL],
    );
    const userId = rows[0]!.id;
    // The default user's key is made once, with the user, and shown once (start prints it).
    let defaultUserApiKey: string | undefined;
    if (rows[0]!.inserted) {
      defaultUserApiKey = newApiKey();
      await tx.query('insert into api_keys (user_id, key_hash, prefix) values ($1, $2, $3)', [
        userId,
        sha256(defaultUserApiKey),
        defaultUserApiKey.slice(0, 7),
      ]);
    }
    if (shopDomain) {
      // The operator's own store: proven by configuration, so it receives the app's webhooks.
      const existing = await tx.query(
        `update integrations set shop_proof = coalesce(shop_proof, 'quick_setup'),
           shop_proven_at = coalesce(shop_proven_at, now()), shop_pending_reason = null, shop_verify_due = false
         where user_id = $1 and kind = 'shopify' and shop_domain = $2 returning id`,
        [userId, shopDomain],
      );
      if (existing.rowCount === 0) {
        await insertIntegration(tx, {
          userId,
          kind: 'shopify',
          shopDomain,
          config: { quickSetup: true },
          credentials: shopify.accessToken ? ctx.secrets.sealJson({ accessToken: shopify.accessToken }) : null,
          shopProof: 'quick_setup',
        });
        ctx.log.info({ shopDomain }, 'quick set-up: default user connected to the store');
      }
    }
    if (supabase.dbUrl || supabase.url) {
      const existing = await tx.query(
        `select 1 from integrations where user_id = $1 and kind = 'supabase' and config->>'quickSetup' = 'true'`,
        [userId],
      );
      if (existing.rowCount === 0) {
        await insertIntegration(tx, {
          userId,
          kind: 'supabase',
          config: {
            quickSetup: true,
            projectUrl: supabase.url ?? null,
            migrationsDir: supabase.migrationsDir ?? null,
            monitorsSchema: Boolean(supabase.dbUrl),
          },
          credentials: ctx.secrets.sealJson({ dbUrl: supabase.dbUrl, serviceRoleKey: supabase.serviceRoleKey }),
        });
        ctx.log.info('quick set-up: default user connected to the Supabase project');
      }
    }
    return { defaultUserApiKey };
  });
}
