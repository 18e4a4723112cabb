import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

/**
 * The Fastify instance every route module registers on. A leaf module (server.ts re-exports it), so
 * that sources' webhook routes can be typed without importing the server and what it imports.
 */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Webhook bodies above this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;
