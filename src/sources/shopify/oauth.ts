import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FetchLike } from './adminClient.js';

/**
 * The app install: Shopify's OAuth authorization-code grant, without a session library. The
 * state, the user it belongs to and the browser that started it live in our database (see
 * api/shopifyInstallRoutes.ts), so nothing here keeps state.
 */

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

/** Shopify sends the callback within seconds; a day is its own bound on a replayed link. */
export const MAX_CALLBACK_AGE_S = 86_400;
/** Our clock may be behind Shopify's. */
const MAX_CLOCK_SKEW_S = 300;

export function authorizeUrl(input: {
  shopDomain: string;
  apiKey: string;
  scopes: readonly string[];
  redirectUri: string;
  state: string;
}): string {
  const query = new URLSearchParams({
    client_id: input.apiKey,
    scope: input.scopes.join(','),
    redirect_uri: input.redirectUri,
    state: input.state,
  });
  return `https://${input.shopDomain}/admin/oauth/authorize?${query.toString()}`;
}

/**
 * The message Shopify signs on a redirect to the app: every query parameter but `hmac` (and the
 * legacy `signature`), sorted by name, as `name=value` joined by `&`, values form-encoded.
 */
export function oauthQueryMessage(params: URLSearchParams): string {
  const pairs = [...params.entries()].filter(([k]) => k !== 'hmac' && k !== 'signature');
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(pairs).toString();
}

export function signOAuthQuery(params: URLSearchParams, secret: string): string {
  return createHmac('sha256', secret).update(oauthQueryMessage(params)).digest('hex');
}

/**
 * Whether `hmac` (hex HMAC-SHA256) signs the other parameters under one of the app's secrets
 * (several during a rotation). Constant time: a malformed value is compared against zeros, and
 * every secret is tried even after a match.
 */
export function verifyOAuthQuery(params: URLSearchParams, secrets: readonly string[]): boolean {
  const provided = params.get('hmac') ?? '';
  const wellFormed = /^[0-9a-f]{64}$/i.test(provided);
  const given = wellFormed ? Buffer.from(provided, 'hex') : Buffer.alloc(32);
  const message = oauthQueryMessage(params);
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(message).digest();
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched && wellFormed;
}

/** The callback's `timestamp` (seconds) is within a day of now, allowing for clock skew. */
export function callbackIsFresh(timestamp: string, now: Date): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  const ageS = now.getTime() / 1000 - Number(timestamp);
  return ageS <= MAX_CALLBACK_AGE_S && ageS >= -MAX_CLOCK_SKEW_S;
}

/** Scopes as Shopify lists them ("read_products,write_orders"). */
export function parseScopes(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Required scopes the grant lacks; a write_ scope includes its read_ one. */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  const have = new Set(granted);
  return required.filter((s) => !have.has(s) && !(s.startsWith('read_') && have.has(`write_${s.slice(5)}`)));
}

/** What each scope Lookout asks for makes possible: shown when the shop did not grant it. */
export const SCOPE_FEATURES: Readonly<Record<string, string>> = {
  read_products: 'product and collection events (webhooks and polling) and low-stock checks',
  read_inventory: 'inventory level webhooks and low-stock alerts',
  read_orders: 'new-order events and sales velocity in restock suggestions',
  write_products: 'applying an accepted suggestion to the product (description, SEO, tags)',
  write_discounts: 'creating the discount an accepted suggestion promised',
};

export class ShopifyOAuthError extends Error {
  override readonly name = 'ShopifyOAuthError';
  constructor(
    readonly code: 'exchange_failed' | 'exchange_unreachable',
    message: string,
  ) {
    super(message);
  }
}

const AccessTokenAnswer = z.object({ access_token: z.string().min(1).max(500), scope: z.string().max(2000) });

/**
 * Exchanges the authorization code for an offline access token: `POST {admin base}/admin/oauth/
 * access_token`. The admin base is https://{shop}, or SHOPIFY_ADMIN_API_URL like every Admin call.
 */
export async function exchangeCode(input: {
  shopDomain: string;
  code: string;
  apiKey: string;
  apiSecret: string;
  adminApiUrl?: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}): Promise<{ accessToken: string; scopes: string[] }> {
  const base = input.adminApiUrl?.replace(/\/+$/, '') ?? `https://${input.shopDomain}`;
  const doFetch: FetchLike = input.fetch ?? ((url, init) => fetch(url, init));
  let res: Response;
  try {
    res = await doFetch(`${base}/admin/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ client_id: input.apiKey, client_secret: input.apiSecret, code: input.code }),
      signal: AbortSignal.timeout(input.timeoutMs ?? 10_000),
    });
  } catch (err) {
    throw new ShopifyOAuthError(
      'exchange_unreachable',
      `could not reach Shopify to exchange the code: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const text = await res.text().catch(() => '');
  if (!res.ok) {
    // Shopify answers {"error": "invalid_request", "error_description": "..."}: safe to show.
    let why = `HTTP ${res.status}`;
    try {
      const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
      if (typeof body.error_description === 'string') why += `: ${body.error_description.slice(0, 300)}`;
      else if (typeof body.error === 'string') why += `: ${body.error.slice(0, 300)}`;
    } catch {}
    throw new ShopifyOAuthError('exchange_failed', `Shopify refused the authorization code (${why})`);
  }
  let parsed: z.infer<typeof AccessTokenAnswer>;
  try {
    parsed = AccessTokenAnswer.parse(JSON.parse(text));
  } catch {
    throw new ShopifyOAuthError('exchange_failed', 'Shopify answered the code exchange without an access token');
  }
  return { accessToken: parsed.access_token, scopes: parseScopes(parsed.scope) };
}
