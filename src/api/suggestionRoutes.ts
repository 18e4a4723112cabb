import { z } from 'zod';
import type { AppContext } from '../context.js';
import { actOnSuggestion, getSuggestion, listSuggestions } from '../db/queries/suggestions.js';
import { notFound } from '../lib/httpError.js';
import { requireUser } from './auth.js';
import { decodeCursor, encodeCursor, limitParam } from './pagination.js';
import type { App } from './server.js';

const uuid = z.uuid();
const IdParams = z.object({ id: z.string() });

export function suggestionRoutes(app: App, ctx: AppContext): void {
  app.addHook('preHandler', requireUser(ctx));

  app.get('/api/suggestions', {
    schema: {
      tags: ['suggestions'], security: [{ apiKey: [] }], summary: 'List this user\'s suggestions, newest first',
      querystring: z.object({
        status: z.enum(['new', 'accepted', 'dismissed']).optional(),
        type: z.string().max(100).optional(),
        limit: limitParam,
        cursor: z.string().max(100).optional(),
      }),
    },
  }, async (req) => {
    const q = req.query;
    const page = await listSuggestions(ctx.db, req.userId, { status: q.status, eventType: q.type, limit: q.limit, before: decodeCursor(q.cursor) });
    return { items: page.items, nextCursor: encodeCursor(page.nextSeq) };
  });

  app.get('/api/suggestions/:id', {
    schema: { tags: ['suggestions'], security: [{ apiKey: [] }], params: IdParams },
  }, async (req) => {
    const id = uuid.safeParse(req.params.id);
    const s = id.success ? await getSuggestion(ctx.db, req.userId, id.data) : undefined;
    if (!s) throw notFound('suggestion');
    return s;
  });

  for (const [action, status] of [['accept', 'accepted'], ['dismiss', 'dismissed']] as const) {
    app.post(`/api/suggestions/:id/${action}`, {
      schema: { tags: ['suggestions'], security: [{ apiKey: [] }], params: IdParams, summary: `${action} a suggestion (marks its events user_actioned)` },
    }, async (req) => {
      const id = uuid.safeParse(req.params.id);
      const s = id.success ? await actOnSuggestion(ctx.db, req.userId, id.data, status) : undefined;
      if (!s) throw notFound('suggestion');
      ctx.metrics.suggestionsActioned.inc({ type: s.eventType, action: status });
      return s;
    });
  }
}
