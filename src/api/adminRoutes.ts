import { z } from 'zod';
import type { AppContext } from '../context.js';
import { createUserWithKey, DuplicateEmailError } from '../db/queries/users.js';
import { HttpError } from '../lib/httpError.js';
import { requireAdmin } from './auth.js';
import type { App } from './server.js';

export const CreateUserBody = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

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
}
