import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { getIntegration, getIntegrationById, type IntegrationRow } from '../db/queries/integrations.js';
import {
  consumeInstallState,
  createInstallState,
  INSTALL_STATE_TTL_S,
  saveInstalledShop,
  syncIntegrationWebhooks,
  WebhookSyncUnavailable,
} from '../ingest/shopifyConnect.js';
import { badRequest, errorBody, HttpError, notFound } from '../lib/httpError.js';
import { sha256 } from '../lib/secretBox.js';
import { ShopifyAdminError } from '../sources/shopify/adminErrors.js';
import {
  authorizeUrl,
  callbackIsFresh,
  exchangeCode,
  SHOP_DOMAIN,
  ShopifyOAuthError,
  verifyOAuthQuery,
} from '../sources/shopify/oauth.js';
import { requireAdmin, requireUser } from './auth.js';
import type { App } from './server.js';

/** Binds an install's state to the browser that started it (see the callback). */
const BROWSER_COOKIE = 'lookout_shopify_install';
export const CALLBACK_PATH = '/auth/shopify/callback';

const InstallBody = z
  .object({ shopDomain: z.string().trim().toLowerCase().regex(SHOP_DOMAIN, 'a *.myshopify.com domain') })
  .strict();

/**
 * What the app install needs from the operator, or a 409 naming every missing variable (the
 * request is fine; this server is not set up for it, and retrying will not help until it is).
 */
function appSettings(ctx: AppContext): { apiKey: string; secrets: string[]; publicUrl: string } {
  const { apiKey, apiSecrets, publicUrl } = ctx.config.shopify;
  const missing = [
    ...(apiKey ? [] : ['SHOPIFY_API_KEY']),
    ...(apiSecrets.length > 0 ? [] : ['SHOPIFY_API_SECRET']),
    ...(publicUrl ? [] : ['LOOKOUT_PUBLIC_URL']),
  ];
  if (!apiKey || apiSecrets.length === 0 || !publicUrl || missing.length > 0)
    throw new HttpError(
      409,
      'shopify_app_not_configured',
      `installing the Shopify app needs ${missing.join(', ')} set on this server (the app's client id, its client ` +
        `secret and the public address Shopify redirects to)`,
    );
  return { apiKey, secrets: apiSecrets, publicUrl };
}

function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A refused callback: a short page for the merchant's browser (it asks for HTML), JSON otherwise. */
function refuse(req: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) {
  if (!(req.headers.accept ?? '').includes('text/html')) return reply.code(status).send(errorBody(code, message));
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shopify install failed</title></head>
<body><main><h1>The Shopify install did not complete</h1><p>${escapeHtml(message)}</p>
<p>Nothing was saved. Start again from Lookout: Integrations, Connect Shopify.</p></main></body></html>`;
  return reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
}

/** One of the user's Shopify integrations; another user's (or a malformed id) is 404. */
async function ownShopify(ctx: AppContext, userId: string | null, id: string): Promise<IntegrationRow> {
  const parsed = z.uuid().safeParse(id);
  let row: IntegrationRow | undefined;
  if (parsed.success)
    row = userId ? await getIntegration(ctx.db, userId, parsed.data) : await getIntegrationById(ctx.db, parsed.data);
  if (!row) throw notFound('integration');
  if (row.kind !== 'shopify')
    throw badRequest(`integration ${row.id} is a ${row.kind} integration, not shopify`, 'wrong_kind');
  return row;
}

async function syncAnswer(ctx: AppContext, row: IntegrationRow) {
  try {
    const r = await syncIntegrationWebhooks(ctx, row);
    return {
      integrationId: row.id,
      uri: r.uri,
      created: r.created,
      updated: r.updated,
      kept: r.kept,
      removed: r.removed,
      skipped: r.skipped,
      failed: r.failed,
    };
  } catch (err) {
    if (err instanceof WebhookSyncUnavailable) throw new HttpError(409, 'webhook_sync_unavailable', err.message);
    if (err instanceof ShopifyAdminError) {
      if (err.code === 'unauthorized')
        throw new HttpError(409, 'shopify_refused_token', `${err.message}: install the app again (Connect Shopify)`);
      throw new HttpError(502, 'shopify_unavailable', `could not sync with Shopify: ${err.message}`);
    }
    throw err;
  }
}

/**
 * The Shopify app install (OAuth authorization-code grant) and webhook subscription sync. The
 * install is started by a signed-in user (API key) and completed by Shopify redirecting the same
 * browser to the callback, which carries no API key: the state names the user, and a cookie set
 * with it ties it to the browser, so a callback link sent to someone else connects nothing.
 */
export function shopifyInstallRoutes(app: App, ctx: AppContext): void {
  app.post(
    '/api/integrations/shopify/install',
    {
      onRequest: requireUser(ctx),
      schema: {
        tags: ['integrations'],
        security: [{ apiKey: [] }],
        body: InstallBody,
        summary: 'Start installing the Shopify app on a shop: returns the URL to send the merchant to',
      },
    },
    async (req, reply) => {
      const settings = appSettings(ctx);
      const browserNonce = randomBytes(24).toString('base64url');
      const state = await createInstallState(ctx.db, {
        userId: req.userId,
        shopDomain: req.body.shopDomain,
        browserNonce,
      });
      const secure = settings.publicUrl.startsWith('https:') ? '; Secure' : '';
      reply.header(
        'set-cookie',
        `${BROWSER_COOKIE}=${browserNonce}; Path=/auth/shopify; Max-Age=` +
          `${INSTALL_STATE_TTL_S}; HttpOnly; SameSite=Lax${secure}`,
      );
      return {
        authorizeUrl: authorizeUrl({
          shopDomain: req.body.shopDomain,
          apiKey: settings.apiKey,
          scopes: ctx.config.shopify.scopes,
          redirectUri: `${settings.publicUrl}${CALLBACK_PATH}`,
          state,
        }),
        expiresInSeconds: INSTALL_STATE_TTL_S,
      };
    },
  );

  app.get(
    CALLBACK_PATH,
    { schema: { tags: ['integrations'], summary: 'Where Shopify sends the merchant back after the app install' } },
    async (req, reply) => {
      let settings: ReturnType<typeof appSettings>;
      try {
        settings = appSettings(ctx);
      } catch (err) {
        if (err instanceof HttpError) return refuse(req, reply, err.statusCode, err.code, err.message);
        throw err;
      }
      const params = new URLSearchParams(req.url.split('?')[1] ?? '');
      for (const name of ['code', 'hmac', 'shop', 'state', 'timestamp']) {
        const values = params.getAll(name);
        if (values.length !== 1 || !values[0] || values[0].length > 1000)
          return refuse(req, reply, 400, 'invalid_callback', `the callback needs exactly one ${name} parameter`);
      }
      // The signature first: nothing unsigned reaches the database or Shopify.
      if (!verifyOAuthQuery(params, settings.secrets))
        return refuse(req, reply, 401, 'bad_signature', "the callback's hmac does not match the app's client secret");
      const shop = (params.get('shop') ?? '').toLowerCase();
      if (!SHOP_DOMAIN.test(shop))
        return refuse(req, reply, 400, 'invalid_shop_domain', 'shop must be a *.myshopify.com domain');
      if (!callbackIsFresh(params.get('timestamp') ?? '', new Date()))
        return refuse(req, reply, 400, 'stale_callback', 'the callback is more than a day old: install again');

      const pending = await consumeInstallState(ctx.db, params.get('state') ?? '');
      if (!pending)
        return refuse(
          req,
          reply,
          400,
          'invalid_state',
          'this install link is unknown or was already used: install again',
        );
      if (pending.expires_at.getTime() < Date.now())
        return refuse(req, reply, 400, 'expired_state', 'this install link expired (10 minutes): install again');
      const nonce = readCookie(req, BROWSER_COOKIE);
      if (!nonce || sha256(nonce) !== pending.browser_hash)
        return refuse(
          req,
          reply,
          401,
          'state_not_yours',
          'this install was started by another browser or account: start it from your own Lookout dashboard',
        );
      if (pending.shop_domain !== shop)
        return refuse(
          req,
          reply,
          400,
          'shop_mismatch',
          `this install was started for ${pending.shop_domain}, not ${shop}`,
        );

      let token: { accessToken: string; scopes: string[] };
      try {
        token = await exchangeCode({
          shopDomain: shop,
          code: params.get('code') ?? '',
          apiKey: settings.apiKey,
          apiSecret: settings.secrets[0] ?? '',
          adminApiUrl: ctx.config.shopify.adminApiUrl,
        });
      } catch (err) {
        if (err instanceof ShopifyOAuthError) return refuse(req, reply, 502, err.code, err.message);
        throw err;
      }
      const row = await saveInstalledShop(ctx.db, ctx.secrets, {
        userId: pending.user_id,
        shopDomain: shop,
        accessToken: token.accessToken,
        scopes: token.scopes,
      });
      ctx.shopRouting.forget(shop);
      ctx.loop.integrationChanged();
      // A failed subscription is recorded on the integration (the dashboard offers Repair); the
      // install itself succeeded, and the daily sync tries again.
      await syncIntegrationWebhooks(ctx, row).catch((err: unknown) =>
        req.log.warn({ err, integrationId: row.id }, 'webhook subscription after install failed'),
      );
      reply.header('set-cookie', `${BROWSER_COOKIE}=; Path=/auth/shopify; Max-Age=0; HttpOnly; SameSite=Lax`);
      return reply.redirect(`${settings.publicUrl}/#integrations`, 302);
    },
  );

  app.post(
    '/api/integrations/:id/webhooks/sync',
    {
      onRequest: requireUser(ctx),
      schema: {
        tags: ['integrations'],
        security: [{ apiKey: [] }],
        params: z.object({ id: z.string() }),
        summary: "Create the shop's missing webhook subscriptions, repair drifted ones, remove unhandled ones",
      },
    },
    async (req) => syncAnswer(ctx, await ownShopify(ctx, req.userId, req.params.id)),
  );

  app.post(
    '/api/admin/integrations/:id/webhooks/sync',
    {
      onRequest: requireAdmin(ctx),
      schema: {
        tags: ['admin'],
        security: [{ adminToken: [] }],
        params: z.object({ id: z.string() }),
        summary: "Sync any Shopify integration's webhook subscriptions (the operator)",
      },
    },
    async (req) => syncAnswer(ctx, await ownShopify(ctx, null, req.params.id)),
  );
}
