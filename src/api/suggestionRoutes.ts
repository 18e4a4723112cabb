import { z } from 'zod';
import { applyActions } from '../actions/service.js';
import type { AppContext } from '../context.js';
import { actOnSuggestion, getSuggestion, listSuggestions } from '../db/queries/suggestions.js';
import { HttpError, notFound } from '../lib/httpError.js';
import { verifyActionLink } from '../notify/actionLinks.js';
import { AcceptBodySchema } from './actionRoutes.js';
import { bearerToken, requireUser } from './auth.js';
import { decodeCursor, encodeCursor, pageParams } from './pagination.js';
import type { App } from './server.js';

const uuid = z.uuid();
const IdParams = z.object({ id: z.string() });

const ActionQuery = z.object({ token: z.string().max(300).optional() });

/** The page a Slack or email link opens: acting needs a click, so link scanners change nothing. */
function confirmPage(action: string, id: string, token: string): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    `<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lookout: ${esc(action)} suggestion</title><link rel="stylesheet" href="/ui/styles.css"></head>
<body><main class="confirm"><h1>${esc(action[0]!.toUpperCase() + action.slice(1))} this suggestion?</h1>
<form method="post" action="/api/suggestions/${esc(id)}/${esc(action)}?token=${encodeURIComponent(token)}">
<button type="submit">${esc(action[0]!.toUpperCase() + action.slice(1))}</button></form>
<p><a href="/?suggestion=${esc(id)}">Open the dashboard</a></p></main></body></html>`
  );
}

export function suggestionRoutes(app: App, ctx: AppContext): void {
  const userAuth = requireUser(ctx);
  // Accept/dismiss also take the signed link of a Slack message or email (?token=), in place of a key.
  app.addHook('onRequest', async (req, reply) => {
    const token = (req.query as { token?: unknown } | undefined)?.token;
    const m = /^\/api\/suggestions\/([^/?]+)\/(accept|dismiss)(\?|$)/.exec(req.url);
    if (m && typeof token === 'string' && !bearerToken(req)) {
      const check = verifyActionLink(ctx.actionLinks, {
        token,
        suggestionId: decodeURIComponent(m[1]!),
        action: m[2] as 'accept' | 'dismiss',
      });
      if (!check.ok) throw new HttpError(401, 'unauthorized', `action link ${check.reason.replace('_', ' ')}`);
      req.userId = check.userId;
      return;
    }
    return userAuth(req, reply);
  });

  app.get(
    '/api/suggestions',
    {
      schema: {
        tags: ['suggestions'],
        security: [{ apiKey: [] }],
        summary: "List this user's suggestions, newest first",
        querystring: z.object({
          status: z.enum(['new', 'accepted', 'dismissed']).optional(),
          type: z.string().max(100).optional(),
          ...pageParams,
        }),
      },
    },
    async (req) => {
      const q = req.query;
      const page = await listSuggestions(ctx.db, req.userId, {
        status: q.status,
        eventType: q.type,
        limit: q.limit,
        before: decodeCursor(q.cursor),
      });
      return { items: page.items, nextCursor: encodeCursor(page.nextSeq) };
    },
  );

  app.get(
    '/api/suggestions/:id',
    {
      schema: { tags: ['suggestions'], security: [{ apiKey: [] }], params: IdParams },
    },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      const s = id.success ? await getSuggestion(ctx.db, req.userId, id.data) : undefined;
      if (!s) throw notFound('suggestion');
      return s;
    },
  );

  for (const [action, status] of [
    ['accept', 'accepted'],
    ['dismiss', 'dismissed'],
  ] as const) {
    app.post(
      `/api/suggestions/:id/${action}`,
      {
        schema: {
          tags: ['suggestions'],
          security: [{ apiKey: [] }],
          params: IdParams,
          querystring: ActionQuery,
          ...(action === 'accept' ? { body: AcceptBodySchema.nullish() } : {}),
          summary: `${action} a suggestion (marks its events user_actioned)`,
        },
      },
      async (req, reply) => {
        const id = uuid.safeParse(req.params.id);
        const s = id.success ? await actOnSuggestion(ctx.db, req.userId, id.data, status) : undefined;
        if (!s) throw notFound('suggestion');
        ctx.metrics.suggestionsActioned.inc({ type: s.eventType, action: status });
        // {apply: true} also runs the suggestion's actions (never from a signed link: it needs the key).
        const body = req.body as z.infer<typeof AcceptBodySchema> | null | undefined;
        if (action === 'accept' && body?.apply && bearerToken(req)) {
          const actions = await applyActions(ctx, req.userId, s.id, body.parts);
          return { ...s, actions: actions ?? [] };
        }
        if (req.query.token && !bearerToken(req))
          return reply
            .type('text/html')
            .send(
              `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Lookout</title><link ` +
                `rel="stylesheet" href="/ui/styles.css"></head><body><main class="confirm"><h1>Suggestion ` +
                `${status}</h1><p><a href="/?suggestion=${s.id}">Open the dashboard</a></p></main></body></html>`,
            );
        return s;
      },
    );
    app.get(
      `/api/suggestions/:id/${action}`,
      {
        schema: {
          tags: ['suggestions'],
          params: IdParams,
          querystring: ActionQuery,
          summary: `confirmation page of a signed ${action} link`,
        },
      },
      async (req, reply) => {
        const id = uuid.safeParse(req.params.id);
        if (!id.success || !req.query.token) throw notFound('suggestion');
        return reply
          .type('text/html')
          .header('cache-control', 'no-store')
          .send(confirmPage(action, id.data, req.query.token));
      },
    );
  }
}
