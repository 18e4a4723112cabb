import type { IntegrationCredentials } from '../api/integrationRoutes.js';
import type { App } from '../api/server.js';
import type { AppContext } from '../context.js';
import { type IntegrationRow, setIntegrationStatus } from '../db/queries/integrations.js';
import type { NewEvent } from '../events.js';
import { parseWebhook } from '../sources/shopify/parseWebhook.js';
import { verifyShopifyHmac } from '../sources/shopify/signature.js';
import { rawBodyOf } from './rawBody.js';
import { webhookScope } from './webhookScope.js';

const SHOP_HEADER = 'x-shopify-shop-domain';

/**
 * POST /webhooks/shopify. The answer is the contract with Shopify's retries: 200 only once the
 * event is committed (or deliberately not stored: unknown shop, unsupported topic), 401 for a bad
 * signature, 400 for a malformed delivery, 413 for an oversized body and 503 when storage is down,
 * so that Shopify retries rather than we lose the event.
 */
export function shopifyWebhookRoutes(app: App, ctx: AppContext): void {
  const routing = ctx.shopRouting;
  const { seen, reject: refuse } = webhookScope(app, ctx, 'shopify');

  app.post(
    '/webhooks/shopify',
    { schema: { tags: ['webhooks'], summary: 'Shopify webhook deliveries (HMAC-signed)' } },
    async (req, reply) => {
      const raw = rawBodyOf(req.body);
      const reject = (status: number, reason: string, code: string, message: string) =>
        refuse(reply, status, reason, code, message);

      // Integrations of the shop come first: webhooks created in the Shopify admin are signed with
      // a per-store key kept on the integration. A database failure here is a 503 (Shopify retries).
      const shopHeader = req.headers[SHOP_HEADER];
      const shop = typeof shopHeader === 'string' ? shopHeader.trim().toLowerCase() : '';
      const integrations = shop ? await routing.integrationsOf(shop) : [];
      const secrets = [...ctx.config.shopify.apiSecrets, ...storeSecrets(ctx, integrations)];
      const hmac = req.headers['x-shopify-hmac-sha256'];
      if (typeof hmac !== 'string' || hmac.length === 0)
        return reject(401, 'missing_signature', 'unauthorized', 'X-Shopify-Hmac-Sha256 is required');
      if (!verifyShopifyHmac(raw, hmac, secrets)) {
        const why =
          ctx.config.shopify.apiSecrets.length === 0
            ? "signature does not match: this server has no SHOPIFY_API_SECRET set, so only a shop's own webhook secret can verify"
            : "signature does not match: sign with the app's client secret (SHOPIFY_API_SECRET on this server)";
        return reject(401, 'bad_signature', 'unauthorized', why);
      }

      const parsed = parseWebhook(req.headers, raw);
      if (!parsed.ok) return reject(400, parsed.code, parsed.code, parsed.message);
      const w = parsed.webhook;
      if (w.eventType === null) {
        ctx.metrics.deliveriesRejected.inc({ source: 'shopify', reason: 'unsupported_topic' });
        return { status: 'ignored', reason: `topic ${w.topic} is not one Lookout handles` };
      }
      if (integrations.length === 0) {
        ctx.metrics.unknownShopDeliveries.inc();
        return { status: 'unknown_shop' };
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
        // The shop revoked our access: stop polling it now. The stored event records why.
        for (const i of integrations) await setIntegrationStatus(ctx.db, i.id, 'disabled');
        routing.forget(w.shopDomain);
      }
      return { status: result.inserted > 0 ? 'stored' : 'duplicate', stored: result.inserted };
    },
  );
}

function storeSecrets(ctx: AppContext, integrations: IntegrationRow[]): string[] {
  const out: string[] = [];
  for (const i of integrations) {
    if (!i.credentials) continue;
    const creds = ctx.secrets.openJson<IntegrationCredentials>(i.credentials);
    if (creds.webhookSecret) out.push(creds.webhookSecret);
  }
  return out;
}
