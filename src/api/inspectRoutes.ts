import { z } from 'zod';
import type { AppContext } from '../context.js';
import { inspectEvent } from '../db/queries/inspect.js';
import { HttpError, notFound } from '../lib/httpError.js';
import {
  type RegenerateDeps,
  regenerateSuggestion,
  replayAnyDelivery,
  replayAnyEvent,
} from '../processing/regenerate.js';
import { requireAdmin, requireUser } from './auth.js';
import type { App } from './server.js';

const uuid = z.uuid();
const IdParams = z.object({ id: z.string() });

export const RegenerateBody = z
  .object({
    /**
     * The agentRunId of the suggestion as the client saw it: a retry of a request that already
     * regenerated it changes nothing (200, regenerated: false). Omitted: regenerate what is there.
     */
    basedOn: z.uuid().nullable().optional(),
  })
  .strict();

const conflict = (code: string, message: string) => new HttpError(409, code, message);

/** The event inspector and regeneration, for a user: their own events and suggestions only. */
export function inspectRoutes(app: App, ctx: AppContext, deps: Omit<RegenerateDeps, 'db' | 'log'>): void {
  app.addHook('onRequest', requireUser(ctx));
  const security = [{ apiKey: [] }];

  app.get(
    '/api/events/:id/inspect',
    {
      schema: {
        tags: ['events'],
        security,
        params: IdParams,
        summary:
          'An event with its payload, processing state and errors, the suggestion it produced or joined, ' +
          'the agent runs and the notification deliveries',
      },
    },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      const found = id.success ? await inspectEvent(ctx.db, id.data, req.userId) : undefined;
      if (!found) throw notFound('event');
      return found;
    },
  );

  app.post(
    '/api/suggestions/:id/regenerate',
    {
      schema: {
        tags: ['suggestions'],
        security,
        params: IdParams,
        body: RegenerateBody.nullish(),
        summary: 'Write a suggestion again with the current preferences (in place; not notified again)',
      },
    },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      if (!id.success) throw notFound('suggestion');
      const r = await regenerateSuggestion(
        { ...deps, db: ctx.db, log: ctx.log },
        { suggestionId: id.data, userId: req.userId, basedOn: req.body?.basedOn },
      );
      if (r.kind === 'not_found') throw notFound('suggestion');
      if (r.kind === 'event_gone') throw conflict('event_gone', 'the event this suggestion was made for is gone');
      if (r.kind === 'accepted')
        throw conflict('accepted', 'an accepted suggestion keeps the text you accepted: it cannot be regenerated');
      return { regenerated: r.kind === 'regenerated', suggestion: r.suggestion };
    },
  );
}

/** The operator's inspector: any user's event, and replay of any event or delivery. */
export function adminInspectRoutes(app: App, ctx: AppContext, deps: Omit<RegenerateDeps, 'db' | 'log'>): void {
  app.addHook('onRequest', requireAdmin(ctx));
  const security = [{ adminToken: [] }];

  app.get(
    '/api/admin/events/:id/inspect',
    { schema: { tags: ['admin'], security, params: IdParams, summary: "Any user's event, inspected" } },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      const found = id.success ? await inspectEvent(ctx.db, id.data, null) : undefined;
      if (!found) throw notFound('event');
      return found;
    },
  );

  app.post(
    '/api/admin/events/:id/replay',
    {
      schema: {
        tags: ['admin'],
        security,
        params: IdParams,
        summary:
          'Replay any event: dead or processed without a suggestion go back in the queue; processed with a ' +
          'suggestion regenerates it in place; 409 while it is queued or leased',
      },
    },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      if (!id.success) throw notFound('event');
      const r = await replayAnyEvent({ ...deps, db: ctx.db, log: ctx.log }, id.data, new Date());
      if (r.kind === 'not_found') throw notFound('event');
      if (r.kind === 'conflict') throw conflict(r.reason, r.message);
      return r.kind === 'requeued'
        ? { action: 'requeued' as const }
        : { action: 'regenerated' as const, regenerated: r.kind === 'regenerated', suggestion: r.suggestion };
    },
  );

  app.post(
    '/api/admin/deliveries/:id/replay',
    {
      schema: {
        tags: ['admin'],
        security,
        params: IdParams,
        summary: 'Send any notification delivery again (dead, failed or delivered); 409 while queued or sending',
      },
    },
    async (req) => {
      const id = uuid.safeParse(req.params.id);
      if (!id.success) throw notFound('delivery');
      const r = await replayAnyDelivery(ctx.db, id.data, new Date());
      if (r.kind === 'not_found') throw notFound('delivery');
      if (r.kind === 'conflict')
        throw conflict(
          r.reason,
          r.reason === 'leased'
            ? 'a worker is sending this delivery now; try again later'
            : 'this delivery is already waiting to be sent',
        );
      return { action: 'requeued' as const };
    },
  );
}
