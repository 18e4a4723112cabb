import type { App } from '../api/app.js';
import { type IntegrationRow, setIntegrationStatus } from '../db/queries/integrations.js';
import type { NewEvent } from '../events/newEvent.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import { parseWebhook } from '../sources/shopify/parseWebhook.js';
import { matchShopifyHmac } from '../sources/shopify/signature.js';
import type { SourceContext } from '../sources/source.js';
import { rawBodyOf } from './rawBody.js';
import { fromStorage } from './storeErrors.js';
import { deliveryAnswer, webhookScope } from './webhookScope.js';

const SHOP_HEADER = 'x-shopify-shop-domain';

/**
 * POST /webhooks/shopify. The answer is the contract with Shopify's retries: 200 only once the
 * event is committed (or deliberately not stored: unknown shop, a shop whose claims are all
 * unproven, unsupported topic), 401 for a bad signature, 400 for a malformed delivery, 413 for an
 * oversized body, 422 for a body nested too deep, and 503 with Retry-After for any failure to store
 * and when the store is over its bounds, so that Shopify retries rather than we lose the event. A
 * payload that jsonb cannot hold as sent is stored flagged, with its exact text (see
 * storablePayload.ts), not refused.
 */
export function shopifyWebhookRoutes(app: App, ctx: SourceContext): void {
  const routing = ctx.shopRouting;
  const { seen, reject: refuse } = webhookScope(app, ctx, 'shopify');

  app.post(
    '/webhooks/shopify',
    { schema: { tags: ['webhooks'], summary: 'Shopify webhook deliveries (HMAC-signed)' } },
    async (req, reply) => {
      const raw = rawBodyOf(req.body);
      const reject = (status: number, reason: string, code: string, message: string) =>
        refuse(reply, status, reason, code, message);

      // Claims of the shop come first: webhooks created in the Shopify admin are signed with a
      // per-store key kept on the integration. A database failure here is a 503 (Shopify retries).
      const shopHeader = req.headers[SHOP_HEADER];
      const shop = typeof shopHeader === 'string' ? shopHeader.trim().toLowerCase() : '';
      const claims = shop ? await fromStorage(() => routing.integrationsOf(shop)) : [];
      const hmac = req.headers['x-shopify-hmac-sha256'];
      if (typeof hmac !== 'string' || hmac.length === 0)
        return reject(401, 'missing_signature', 'unauthorized', 'X-Shopify-Hmac-Sha256 is required');
      const signer = signerOf(ctx, raw, hmac, claims);
      if (!signer) {
        const why =
          ctx.config.shopify.apiSecrets.length === 0
            ? "signature does not match: this server has no SHOPIFY_API_SECRET set, so only a shop's own webhook " +
              'secret can verify'
            : "signature does not match: sign with the app's client secret (SHOPIFY_API_SECRET on this server)";
        return reject(401, 'bad_signature', 'unauthorized', why);
      }

      const parsed = parseWebhook(req.headers, raw);
      if (!parsed.ok) return reject(parsed.status, parsed.code, parsed.code, parsed.message);
      const w = parsed.webhook;
      if (w.eventType === null) {
        ctx.metrics.deliveriesRejected.inc({ source: 'shopify', reason: 'unsupported_topic' });
        return { status: 'ignored', reason: `topic ${w.topic} is not one Lookout handles` };
      }
      if (claims.length === 0) {
        ctx.metrics.unknownShopDeliveries.inc();
        return { status: 'unknown_shop' };
      }
      // Ownership before data: only claims whose user proved the shop receive its webhooks.
      const integrations = signer.claims.filter((i) => i.shop_proof !== null);
      if (integrations.length === 0) {
        // Acknowledged (Shopify must not retry it forever) and counted, like an unknown shop.
        ctx.metrics.deliveriesRejected.inc({ source: 'shopify', reason: 'unproven_shop' });
        return { status: 'unproven_shop' };
      }

      // One event per connected user. The change key (shared with the poller) makes a webhook and
      // a poll of the same product change collide; the delivery key collapses Shopify's retries.
      const events: NewEvent[] = integrations.map((i) => ({
        userId: i.user_id,
        integrationId: i.id,
        source: 'shopify',
        eventType: w.eventType!,
        eventDataJson: w.rawJson,
        eventTimestamp: w.updatedAt ?? w.triggeredAt,
        dedupeKey: w.changeKey ?? w.dedupeKey,
        via: 'webhook',
      }));
      const result = await ctx.eventStore.store(events);
      seen.mark(integrations.map((i) => i.id));
      if (w.eventType === 'shopify.app.uninstalled') {
        // The shop revoked our access: stop polling it now. The stored event records why. Signed by
        // a store key, it speaks only for the integrations holding that key.
        for (const i of signer.claims) await fromStorage(() => setIntegrationStatus(ctx.db, i.id, 'disabled'));
        routing.forget(w.shopDomain);
      }
      return deliveryAnswer(result);
    },
  );
}

/**
 * Who signed the delivery, and so which claims it may reach: the app's secret (SHOPIFY_API_SECRET)
 * speaks for the shop, so every claim of it; a per-store key, chosen by one user, speaks only for
 * the claims that hold it, never for other users' integrations of the shop. Null: no secret matched.
 * Every secret is tried (constant time); which one matched is decided after.
 */
function signerOf(
  ctx: SourceContext,
  raw: Buffer,
  hmac: string,
  claims: IntegrationRow[],
): { claims: IntegrationRow[] } | null {
  const appSecrets = ctx.config.shopify.apiSecrets;
  const keyed = claims.flatMap((i) => {
    const secret = i.credentials
      ? ctx.secrets.openJson<IntegrationCredentials>(i.credentials).webhookSecret
      : undefined;
    return secret ? [{ integration: i, secret }] : [];
  });
  const matched = matchShopifyHmac(raw, hmac, [...appSecrets, ...keyed.map((k) => k.secret)]);
  if (matched.slice(0, appSecrets.length).some(Boolean)) return { claims };
  const holders = keyed.filter((_, n) => matched[appSecrets.length + n]).map((k) => k.integration);
  return holders.length > 0 ? { claims: holders } : null;
}
