/**
 * Actions on accept, beside the suggestion routes: the proposals (what accepting would change,
 * old -> new) and undo. Applying is part of accept (`POST /api/suggestions/:id/accept` with
 * `{apply: true}`, see suggestionRoutes.ts). A user reaches only their own suggestions (404).
 */
import { z } from 'zod';
import { PART_NAMES } from '../actions/parts.js';
import { proposeActions, undoActions } from '../actions/service.js';
import type { AppContext } from '../context.js';
import { notFound } from '../lib/httpError.js';
import { requireUser } from './auth.js';
import type { App } from './server.js';

const uuid = z.uuid();
const IdParams = z.object({ id: z.string() });

/** The parts a request may name; absent: every part the suggestion has. */
export const PartsSchema = z.array(z.enum(PART_NAMES)).min(1).max(PART_NAMES.length);

export const AcceptBodySchema = z
  .object({
    /** Run the suggestion's actions (those the user's preferences switch on) after accepting. */
    apply: z.boolean().default(false),
    parts: PartsSchema.optional(),
  })
  .strict();

const UndoBodySchema = z.object({ parts: PartsSchema.optional() }).strict();

export function actionRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireUser(ctx));

  app.get(
    '/api/suggestions/:id/actions',
    {
      schema: {
        tags: ['suggestions'],
        security: [{ apiKey: [] }],
        params: IdParams,
        summary: 'What accepting would apply (old -> new for each part), and what was applied',
      },
    },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      const items = id.success ? await proposeActions(ctx, req.userId, id.data) : undefined;
      if (!items) throw notFound('suggestion');
      return { items };
    },
  );

  app.post(
    '/api/suggestions/:id/undo',
    {
      schema: {
        tags: ['suggestions'],
        security: [{ apiKey: [] }],
        params: IdParams,
        body: UndoBodySchema.nullish(),
        summary: "Undo a suggestion's applied actions (all, or the parts named)",
      },
    },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      const items = id.success ? await undoActions(ctx, req.userId, id.data, req.body?.parts) : undefined;
      if (!items) throw notFound('suggestion');
      return { items };
    },
  );
}
