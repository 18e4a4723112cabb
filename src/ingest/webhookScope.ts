import type { FastifyReply } from 'fastify';
import type { App } from '../api/server.js';
import type { AppContext } from '../context.js';
import { markWebhookSeen } from '../db/queries/integrations.js';
import { errorBody } from '../lib/httpError.js';
import { acceptRawBodies } from './rawBody.js';
import { WebhookSeenTracker } from './webhookSeen.js';

/**
 * What every webhook route scope shares: raw bodies (signatures cover the exact bytes), the
 * batched "last webhook at" health record, and refusals that are counted by source and reason.
 */
export function webhookScope(app: App, ctx: AppContext, source: 'shopify' | 'supabase') {
  acceptRawBodies(app);
  const seen = new WebhookSeenTracker((ids) => markWebhookSeen(ctx.db, ids), ctx.log);
  app.addHook('onClose', async () => seen.flush());
  return {
    seen,
    reject(reply: FastifyReply, status: number, reason: string, code: string, message: string) {
      ctx.metrics.deliveriesRejected.inc({ source, reason });
      return reply.code(status).send(errorBody(code, message));
    },
  };
}
