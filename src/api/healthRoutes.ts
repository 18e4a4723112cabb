import type { AppContext } from '../context.js';
import { queueStats } from '../db/queries/ops.js';
import { errorBody } from '../lib/httpError.js';
import type { App } from './server.js';

export function healthRoutes(app: App, ctx: AppContext): void {
  // pid: with `--workers N` several processes answer on one port; it tells them apart.
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok', role: ctx.role, pid: process.pid }));

  // From the moment a shutdown begins, load balancers are told to send traffic elsewhere.
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    if (shuttingDown) {
      return reply
        .code(503)
        .header('retry-after', '5')
        .send(errorBody('shutting_down', 'this process is shutting down'));
    }
    try {
      await ctx.db.ping();
      return { status: 'ready', database: ctx.db.engine };
    } catch (err) {
      ctx.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send(errorBody('unavailable', 'database unreachable'));
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    try {
      const q = await queueStats(ctx.db);
      ctx.metrics.queueDepth.set(q.depth);
      ctx.metrics.oldestPendingAge.set(q.oldestPendingAgeS ?? 0);
      ctx.metrics.deadEvents.set(q.dead);
      ctx.metrics.deadDeliveries.set(q.deadDeliveries);
      ctx.metrics.pollFailuresMax.set(q.maxPollFailures);
    } catch (err) {
      ctx.log.warn({ err }, 'queue gauges unavailable');
    }
    const text = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(text);
  });
}
