import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { findUserIdByApiKey } from '../db/queries/users.js';
import { HttpError, unauthorized } from '../lib/httpError.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireUser: every user route reads and writes only this user's rows. */
    userId: string;
  }
}

export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}

export function requireUser(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    if (!token) throw unauthorized();
    const userId = await findUserIdByApiKey(ctx.db, token);
    if (!userId) throw unauthorized('invalid API key');
    req.userId = userId;
  };
}

export function requireAdmin(ctx: AppContext) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const token = bearerToken(req);
    if (!token) throw unauthorized();
    if (!ctx.adminTokens.verify(token)) throw new HttpError(401, 'unauthorized', 'invalid admin token');
  };
}
