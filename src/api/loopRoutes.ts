import type { AppContext } from '../context.js';
import { getUser } from '../db/queries/users.js';
import { requireUser } from './auth.js';
import type { App } from './server.js';

export function loopRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireUser(ctx));
  const security = [{ apiKey: [] }];

  app.get(
    '/api/loop',
    { schema: { tags: ['loop'], security, summary: "Whether this user's background loop is on" } },
    async (req) => {
      const user = await getUser(ctx.db, req.userId);
      return { running: user?.loop_enabled ?? false };
    },
  );

  app.post(
    '/api/loop/start',
    { schema: { tags: ['loop'], security, summary: "Start this user's background loop: poll now, then every period" } },
    async (req) => {
      await ctx.loop.start(req.userId);
      return { running: true };
    },
  );

  app.post(
    '/api/loop/stop',
    { schema: { tags: ['loop'], security, summary: "Stop this user's polling (webhooks are still stored)" } },
    async (req) => {
      await ctx.loop.stop(req.userId);
      return { running: false };
    },
  );
}
