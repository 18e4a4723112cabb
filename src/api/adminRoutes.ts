import { z } from 'zod';
import type { AppContext } from '../context.js';
import type { Queryable } from '../db/database.js';
import { createUserWithKey, DuplicateEmailError } from '../db/queries/users.js';
import { attachShop, markShopProven } from '../ingest/shopOwnership.js';
import { HttpError, notFound } from '../lib/httpError.js';
import { requireAdmin } from './auth.js';
import { integrationView, SHOP_DOMAIN } from './integrationRoutes.js';
import type { App } from './server.js';

export const CreateUserBody = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

export const AttachShopBody = z
  .object({
    /** The user's id or email. */
    user: z.string().trim().min(1).max(320),
    shopDomain: z.string().trim().toLowerCase().regex(SHOP_DOMAIN, 'a *.myshopify.com domain'),
  })
  .strict();

/** A user by id or email (case-insensitive), or undefined. */
export async function findUserId(db: Queryable, user: string): Promise<string | undefined> {
  const byId = z.uuid().safeParse(user);
  const { rows } = byId.success
    ? await db.query<{ id: string }>('select id from users where id = $1', [byId.data])
    : await db.query<{ id: string }>('select id from users where email = lower($1)', [user]);
  return rows[0]?.id;
}

export function adminRoutes(app: App, ctx: AppContext): void {
  app.addHook('onRequest', requireAdmin(ctx));

  app.post(
    '/api/admin/users',
    {
      schema: {
        tags: ['admin'],
        security: [{ adminToken: [] }],
        body: CreateUserBody,
        summary: 'Create a user and their first API key',
      },
    },
    async (req, reply) => {
      try {
        const created = await createUserWithKey(ctx.db, req.body);
        return reply.code(201).send(created);
      } catch (err) {
        if (err instanceof DuplicateEmailError) throw new HttpError(409, 'conflict', err.message);
        throw err;
      }
    },
  );

  // The operator vouches for a user's shop: the user's claims of it become proven (or one is made).
  app.post(
    '/api/admin/integrations/shopify',
    {
      schema: {
        tags: ['admin'],
        security: [{ adminToken: [] }],
        body: AttachShopBody,
        summary: "Attach a Shopify shop to a user: their integration of it receives the shop's webhooks",
      },
    },
    async (req, reply) => {
      const userId = await findUserId(ctx.db, req.body.user);
      if (!userId) throw notFound('user');
      const { row, created } = await attachShop(ctx.db, { userId, shopDomain: req.body.shopDomain });
      ctx.shopRouting.forget(row.shop_domain);
      ctx.loop.integrationChanged();
      return reply.code(created ? 201 : 200).send({ userId, ...integrationView(row) });
    },
  );

  app.post(
    '/api/admin/integrations/:id/prove',
    {
      schema: {
        tags: ['admin'],
        security: [{ adminToken: [] }],
        params: z.object({ id: z.string() }),
        summary: "Mark a user's pending Shopify integration proven (the operator vouches for it)",
      },
    },
    async (req) => {
      const id = z.uuid().safeParse(req.params.id);
      const row = id.success ? await markShopProven(ctx.db, id.data, 'operator') : undefined;
      if (!row) throw notFound('Shopify integration');
      ctx.shopRouting.forget(row.shop_domain);
      ctx.loop.integrationChanged();
      return { userId: row.user_id, ...integrationView(row) };
    },
  );
}
