import { z } from 'zod';
import type { AppContext } from '../context.js';
import {
  exportDataRequest,
  listDataRequests,
  listDeadEvents,
  listFailedDeliveries,
  queueStats,
  recentErrors,
  replayDeliveries,
} from '../db/queries/ops.js';
import { badRequest, notFound } from '../lib/httpError.js';
import { RawJson, stringifyWithRaw } from '../lib/rawJson.js';
import { listOpenAlerts } from '../ops/alerts.js';
import { replayEvents } from '../processing/eventWorker.js';
import { requireAdmin } from './auth.js';
import { decodeCursor, encodeCursor, pageParams } from './pagination.js';
import type { App } from './server.js';

const ReplayBody = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(10_000) }).strict(),
  z.object({ all: z.literal(true) }).strict(),
]);

const startedAt = Date.now();

/** The operator's error tracking: dead events and failed deliveries, replayable; the instance status. */
export function opsRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireAdmin(ctx));
  const security = [{ adminToken: [] }];

  app.get(
    '/api/admin/dead',
    {
      schema: {
        tags: ['admin'],
        security,
        summary:
          'Dead events (newest first, a page at a time: nextCursor) and the latest failed notification deliveries',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(1000).default(100),
          cursor: pageParams.cursor,
        }),
      },
    },
    async (req) => {
      const events = await listDeadEvents(ctx.db, { limit: req.query.limit, before: decodeCursor(req.query.cursor) });
      return {
        events: events.items,
        deliveries: await listFailedDeliveries(ctx.db, req.query.limit),
        nextCursor: encodeCursor(events.nextSeq),
      };
    },
  );

  app.post(
    '/api/admin/dead/replay',
    {
      schema: {
        tags: ['admin'],
        security,
        summary: 'Re-queue dead events: some ({ids}) or all ({all: true})',
        body: ReplayBody,
      },
    },
    async (req) => {
      const ids = await replayEvents(ctx.db, 'ids' in req.body ? { ids: req.body.ids } : { allDead: true });
      if ('ids' in req.body && ids.length === 0) throw badRequest('none of these events is dead', 'not_dead');
      return { replayed: ids.length, ids };
    },
  );

  app.post(
    '/api/admin/deliveries/replay',
    {
      schema: { tags: ['admin'], security, summary: 'Re-queue failed notification deliveries', body: ReplayBody },
    },
    async (req) => {
      const ids = await replayDeliveries(ctx.db, 'ids' in req.body ? req.body.ids : null);
      return { replayed: ids.length, ids };
    },
  );

  app.get(
    '/api/admin/data-requests',
    {
      schema: {
        tags: ['admin'],
        security,
        summary: 'Shopify customers/data_request requests',
        querystring: z.object({ status: z.enum(['open', 'exported', 'closed']).optional() }),
      },
    },
    async (req) => ({ items: await listDataRequests(ctx.db, req.query.status) }),
  );

  app.get(
    '/api/admin/data-requests/:id/export',
    {
      schema: {
        tags: ['admin'],
        security,
        summary: 'Everything stored about the customer of a data request (marks it exported)',
        params: z.object({ id: z.string() }),
      },
    },
    async (req, reply) => {
      const id = z.uuid().safeParse(req.params.id);
      const found = id.success ? await exportDataRequest(ctx.db, id.data) : undefined;
      if (!found) throw notFound('data request');
      // Payloads as stored text: order and customer ids keep every digit.
      return reply.type('application/json').send(
        stringifyWithRaw({
          request: found.request,
          events: found.events.map((e) => ({ ...e, eventData: new RawJson(e.eventData) })),
        }),
      );
    },
  );

  app.get(
    '/api/admin/status',
    { schema: { tags: ['admin'], security, summary: 'One-screen summary of the instance' } },
    async () => ({
      role: ctx.role,
      database: ctx.db.engine,
      uptimeS: Math.round((Date.now() - startedAt) / 1000),
      queue: await queueStats(ctx.db),
      lastErrors: await recentErrors(ctx.db, 5),
      alerts: await listOpenAlerts(ctx.db),
    }),
  );
}
