/** Building a real Lookout for a bench: configuration, users connected to shops, flow control. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../src/config.js';
import type { Queryable } from '../../src/db/database.js';

export const SHOPIFY_SECRET = 'bench-shopify-secret';
export const SECRET_KEY = 'bench-secret-key-0123456789-0123456789';

/** The minimal environment of a Lookout (as test/helpers/app.ts testConfig), plus overrides. */
export function benchConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    LOOKOUT_DATA_DIR: mkdtempSync(join(tmpdir(), 'lookout-bench-')),
    LOOKOUT_SECRET_KEY: SECRET_KEY,
    LOOKOUT_ADMIN_TOKEN: 'bench-admin-token-0123456789',
    SHOPIFY_API_SECRET: SHOPIFY_SECRET,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

/** Flow control off: every event gets its own suggestion (no batching, no debounce, no rate limit in practice). */
export const FLOW_OFF = { batchWindowSeconds: 0, debounceSeconds: 0, maxPerTypePerHour: 10_000 };

export interface ShopUser {
  userId: string;
  integrationId: string;
  shop: string;
}

/**
 * Creates `count` users, each connected to its own shop `bench-N.myshopify.com`, in a few
 * statements. `flow` (when given) is stored as the users' flow preferences; `credentials` as the
 * integrations' sealed credentials (null: webhooks only, never polled). The shops are attached
 * as the operator would (proven), so they receive their webhooks.
 */
export async function createShopUsers(
  db: Queryable,
  count: number,
  opts: { flow?: Record<string, number>; credentials?: string | null; prefix?: string; nextPollAt?: string } = {},
): Promise<ShopUser[]> {
  const prefix = opts.prefix ?? 'bench';
  const prefs = opts.flow ? JSON.stringify({ flow: opts.flow }) : '{}';
  const out: ShopUser[] = [];
  for (let from = 0; from < count; from += 5_000) {
    const n = Math.min(5_000, count - from);
    const { rows } = await db.query<{ user_id: string; id: string; shop_domain: string }>(
      `with u as (
         insert into users (email, preferences)
         select $1 || '-' || g || '@example.com', $2::jsonb from generate_series($3::int, $4::int) g
         returning id, email
       )
       insert into integrations (user_id, kind, shop_domain, credentials, next_poll_at, shop_proof, shop_proven_at)
       select u.id, 'shopify', $1 || '-' || split_part(split_part(u.email, '@', 1), '-', 2) || '.myshopify.com', $5,
              coalesce($6::timestamptz, 'infinity'), 'operator', now()
       from u
       returning user_id, id, shop_domain`,
      [prefix, prefs, from, from + n - 1, opts.credentials ?? null, opts.nextPollAt ?? null],
    );
    for (const r of rows) out.push({ userId: r.user_id, integrationId: r.id, shop: r.shop_domain });
  }
  return out;
}
