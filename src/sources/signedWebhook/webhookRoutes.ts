import { z } from 'zod';
import type { App } from '../../api/app.js';
import { getIntegrationById } from '../../db/queries/integrations.js';
import { utf8BodyOf } from '../../ingest/rawBody.js';
import { MAX_PAYLOAD_DEPTH, nestingExceeds } from '../../ingest/storablePayload.js';
import { fromStorage } from '../../ingest/storeErrors.js';
import { deliveryAnswer, webhookScope } from '../../ingest/webhookScope.js';
import { openCredentials } from '../../integrations/credentials.js';
import type { SourceContext } from '../source.js';
import { verifyStandardWebhook } from '../supabase/webhookAuth.js';

/** The path a signed-webhook integration receives on (shown in its view). */
export const signedWebhookPath = (integrationId: string) => `/webhooks/signed/${integrationId}`;

/**
 * POST /webhooks/signed/:integrationId: any JSON object, signed per Standard Webhooks with the
 * integration's secret (`webhook-id`, `webhook-timestamp` within 5 minutes, `webhook-signature`
 * v1 HMAC-SHA256 of id.timestamp.body, compared in constant time by the standardwebhooks library).
 * One event per delivery, keyed on webhook-id: a sender's retries are stored once. 401 for an
 * unknown or disabled integration and for any signature failure (the same answer, so the route
 * does not tell which integrations exist), 400 for a body that is not a JSON object, 422 for one
 * nested too deep, 503 with Retry-After when the event cannot be stored.
 */
export function signedWebhookRoutes(app: App, ctx: SourceContext): void {
  const { seen, reject: refuse } = webhookScope(app, ctx, 'signed');

  app.post(
    '/webhooks/signed/:integrationId',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Standard Webhooks deliveries from any sender (signed with the integration secret)',
        params: z.object({ integrationId: z.string().max(100) }),
      },
    },
    async (req, reply) => {
      const reject = (status: number, reason: string, code: string, message: string) =>
        refuse(reply, status, reason, code, message);
      const text = utf8BodyOf(req.body);
      if (text === undefined) return reject(400, 'invalid_body', 'invalid_body', 'body must be UTF-8 JSON');

      const id = z.uuid().safeParse(req.params.integrationId);
      const integration = id.success ? await fromStorage(() => getIntegrationById(ctx.db, id.data)) : undefined;
      const secret =
        integration?.kind === 'signed' && integration.status === 'active'
          ? openCredentials(ctx.secrets, integration).webhookSecret
          : undefined;
      // Verified whether or not the integration exists: the answer and its timing do not say which.
      const verified = verifyStandardWebhook(text, req.headers, secret ?? 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      if (!verified.ok) {
        const reason = verified.reason === 'missing_headers' ? 'missing_signature' : verified.reason;
        const message =
          verified.reason === 'missing_headers'
            ? 'webhook-id, webhook-timestamp and webhook-signature are required'
            : verified.reason === 'bad_timestamp'
              ? 'signature rejected: webhook-timestamp is more than 5 minutes from now'
              : 'signature rejected';
        return reject(401, reason, 'unauthorized', message);
      }
      if (!integration || !secret) return reject(401, 'bad_signature', 'unauthorized', 'signature rejected');

      if (nestingExceeds(text))
        return reject(
          422,
          'payload_too_deep',
          'payload_too_deep',
          `body nests arrays or objects deeper than ${MAX_PAYLOAD_DEPTH} levels`,
        );
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        return reject(400, 'invalid_json', 'invalid_json', err instanceof Error ? err.message : 'invalid JSON');
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        return reject(400, 'invalid_body', 'invalid_body', 'body must be a JSON object');

      const result = await ctx.eventStore.store([
        {
          userId: integration.user_id,
          integrationId: integration.id,
          source: 'signed',
          eventType: 'signed.event.received',
          // Stored as received: the signature covers these bytes, and no number loses digits.
          eventDataJson: text,
          eventTimestamp: verified.timestamp,
          dedupeKey: `webhook-id:${verified.webhookId}`,
          via: 'webhook',
        },
      ]);
      seen.mark([integration.id]);
      return deliveryAnswer(result);
    },
  );
}
