import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../api/app.js';
import { markWebhookSeen } from '../db/queries/integrations.js';
import { errorBody } from '../lib/httpError.js';
import type { SourceContext } from '../sources/source.js';
import { acceptRawBodies } from './rawBody.js';
import { StorageError, StoreOverloadedError } from './storeErrors.js';
import type { StoreResult } from './storeResult.js';
import { WebhookSeenTracker } from './webhookSeen.js';

/** Seconds a sender is asked to wait after a 503 (Shopify keeps its own schedule; others honour it). */
export const RETRY_AFTER_S = 5;

/**
 * What every webhook route scope shares: raw bodies (signatures cover the exact bytes), the
 * batched "last webhook at" health record, refusals counted by source and reason, the store's
 * load shedding, and the answer to a failure to store.
 */
export function webhookScope(app: App, ctx: SourceContext, source: string) {
  acceptRawBodies(app);
  const seen = new WebhookSeenTracker((ids) => markWebhookSeen(ctx.db, ids), ctx.log);
  app.addHook('onClose', async () => seen.flush());
  const reject = (reply: FastifyReply, status: number, reason: string, code: string, message: string) => {
    ctx.metrics.deliveriesRejected.inc({ source, reason });
    return reply.code(status).send(errorBody(code, message));
  };

  // Load shedding: a delivery is admitted once its body has arrived (a slow sender must not look
  // like a slow store) and counts as waiting until it is answered or its sender goes away. When the
  // store is over its bounds, admit() throws and the delivery is refused before any work.
  const releases = new WeakMap<FastifyRequest, () => void>();
  const release = async (req: FastifyRequest) => {
    releases.get(req)?.();
    releases.delete(req);
  };
  app.addHook('preHandler', async (req) => {
    releases.set(req, ctx.eventStore.admit());
  });
  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);

  // Any failure to store (a lookup, the commit, a status change) is a 503 with Retry-After whatever
  // the database said: the sender's retry is what keeps the event. Anything else is rethrown to the
  // application's handler (a bug: 500).
  app.setErrorHandler((err, _req, reply) => {
    if (err instanceof StoreOverloadedError) {
      reply.header('retry-after', String(RETRY_AFTER_S));
      return reject(reply, 503, 'overloaded', 'overloaded', `${err.message}; retry later`);
    }
    if (err instanceof StorageError) {
      // The code and message only: a database error's detail can quote the payload.
      ctx.log.warn({ source, code: err.code, reason: err.message }, 'webhook not stored: storage failed');
      reply.header('retry-after', String(RETRY_AFTER_S));
      return reject(reply, 503, 'storage_failed', 'unavailable', 'storage is unavailable; retry later');
    }
    throw err;
  });

  return { seen, reject };
}

/** The 200 body: stored or duplicate, and what the stored copy had to change (flagged events). */
export function deliveryAnswer(result: StoreResult): {
  status: 'stored' | 'duplicate';
  stored: number;
  payloadIssues?: string[];
} {
  const issues = [...new Set(result.issues.flatMap((i, n) => (result.ids[n] !== undefined && i ? i : [])))];
  return {
    status: result.inserted > 0 ? 'stored' : 'duplicate',
    stored: result.inserted,
    ...(issues.length > 0 ? { payloadIssues: issues } : {}),
  };
}
