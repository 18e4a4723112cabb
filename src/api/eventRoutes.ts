import { z } from 'zod';
import type { AppContext } from '../context.js';
import { getEvent, listEvents } from '../db/queries/events.js';
import { SOURCE_KINDS } from '../events/registry.js';
import { notFound } from '../lib/httpError.js';
import { stringifyWithRaw } from '../lib/rawJson.js';
import { requireUser } from './auth.js';
import { decodeCursor, encodeCursor, pageParams } from './pagination.js';
import type { App } from './server.js';

const uuid = z.uuid();

export function eventRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireUser(ctx));

  // Payloads are written as their stored JSON text (stringifyWithRaw), never through JSON.parse:
  // Shopify ids above 2^53 keep every digit.
  app.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        security: [{ apiKey: [] }],
        summary: "List this user's background events, newest first",
        querystring: z.object({
          source: z.enum(SOURCE_KINDS).optional(),
          type: z.string().max(100).optional(),
          status: z.enum(['pending', 'processing', 'processed', 'dead']).optional(),
          ...pageParams,
        }),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const page = await listEvents(ctx.db, req.userId, {
        source: q.source,
        type: q.type,
        status: q.status,
        limit: q.limit,
        before: decodeCursor(q.cursor),
      });
      return reply
        .type('application/json')
        .send(stringifyWithRaw({ items: page.items, nextCursor: encodeCursor(page.nextSeq) }));
    },
  );

  app.get(
    '/api/events/:id',
    {
      schema: { tags: ['events'], security: [{ apiKey: [] }], params: z.object({ id: z.string() }) },
    },
    async (req, reply) => {
      const id = uuid.safeParse(req.params.id);
      const event = id.success ? await getEvent(ctx.db, req.userId, id.data) : undefined;
      if (!event) throw notFound('event');
      return reply.type('application/json').send(stringifyWithRaw(event));
    },
  );
}
