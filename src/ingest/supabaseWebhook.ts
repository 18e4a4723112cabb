import { z } from 'zod';
import type { App } from '../api/app.js';
import { findIntegrationBySecretHash, getIntegrationById, type IntegrationRow } from '../db/queries/integrations.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import { sha256 } from '../lib/secretBox.js';
import type { SourceContext } from '../sources/source.js';
import { verifyBearerSecret, verifyStandardWebhook } from '../sources/supabase/webhookAuth.js';
import { parseSupabaseWebhook } from '../sources/supabase/webhookBody.js';
import { utf8BodyOf } from './rawBody.js';
import { fromStorage } from './storeErrors.js';
import { deliveryAnswer, webhookScope } from './webhookScope.js';

/**
 * POST /webhooks/supabase: a Database Webhook body {type, table, schema, record, old_record}.
 * Authenticated by the integration's secret, either as `Authorization: Bearer SECRET` (found by its
 * digest) or as a Standard Webhooks signature with `?integration=ID`. Same status codes as Shopify,
 * including 503 for any failure to store and 422 for a body nested too deep.
 */
export function supabaseWebhookRoutes(app: App, ctx: SourceContext): void {
  const { seen, reject: refuse } = webhookScope(app, ctx, 'supabase');

  app.post(
    '/webhooks/supabase',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Supabase Database Webhook deliveries',
        querystring: z.object({ integration: z.string().max(100).optional() }),
      },
    },
    async (req, reply) => {
      const reject = (status: number, reason: string, code: string, message: string) =>
        refuse(reply, status, reason, code, message);
      const text = utf8BodyOf(req.body);
      if (text === undefined) return reject(400, 'invalid_body', 'invalid_body', 'body must be UTF-8 JSON');

      let integration: IntegrationRow | undefined;
      let deliveryId: string | undefined;
      const auth = req.headers.authorization;
      if (req.headers['webhook-signature'] !== undefined) {
        const id = z.uuid().safeParse(req.query.integration);
        if (!id.success)
          return reject(
            400,
            'missing_integration',
            'invalid_request',
            'Standard Webhooks deliveries need ?integration=ID',
          );
        integration = await fromStorage(() => getIntegrationById(ctx.db, id.data));
        const secret =
          integration?.kind === 'supabase' && integration.credentials
            ? ctx.secrets.openJson<IntegrationCredentials>(integration.credentials).webhookSecret
            : undefined;
        const verified = secret
          ? verifyStandardWebhook(text, req.headers, secret)
          : { ok: false as const, reason: 'bad_secret' };
        if (!integration || !verified.ok)
          return reject(
            401,
            verified.ok ? 'bad_secret' : verified.reason,
            'unauthorized',
            `signature rejected: ${verified.ok ? 'bad_secret' : verified.reason}`,
          );
        deliveryId = verified.webhookId;
      } else if (auth) {
        const token = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
        const found = token ? await fromStorage(() => findIntegrationBySecretHash(ctx.db, sha256(token))) : undefined;
        // Other sources' generated secrets are found by their digest too: only Supabase's authenticate here.
        integration = found?.kind === 'supabase' ? found : undefined;
        const secret = integration?.credentials
          ? ctx.secrets.openJson<IntegrationCredentials>(integration.credentials).webhookSecret
          : undefined;
        if (!integration || !secret || !verifyBearerSecret(auth, secret))
          return reject(401, 'bad_secret', 'unauthorized', 'unknown webhook secret');
      } else {
        return reject(
          401,
          'missing_signature',
          'unauthorized',
          'Authorization: Bearer SECRET or Standard Webhooks headers are required',
        );
      }
      if (integration.status !== 'active')
        return reject(401, 'integration_disabled', 'unauthorized', 'this integration is disabled');

      const parsed = parseSupabaseWebhook(text, { scope: integration.id, deliveryId });
      if (!parsed.ok)
        return reject(
          parsed.error.code === 'payload_too_deep' ? 422 : 400,
          parsed.error.code,
          parsed.error.code,
          parsed.error.message,
        );
      const v = parsed.value;
      const result = await ctx.eventStore.store([
        {
          userId: integration.user_id,
          integrationId: integration.id,
          source: 'supabase',
          eventType: v.eventType,
          eventDataJson: v.eventDataJson,
          eventTimestamp: v.eventTimestamp,
          dedupeKey: v.dedupeKey,
          via: 'webhook',
        },
      ]);
      seen.mark([integration.id]);
      return deliveryAnswer(result);
    },
  );
}
