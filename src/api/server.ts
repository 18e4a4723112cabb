import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { isUnavailable } from '../db/database.js';
import { errorBody, HttpError } from '../lib/httpError.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Webhook bodies above this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The HTTP server of a `web` (or `all`) process: a Fastify instance whose plugins each own their
 * routes. Route schemas (zod) drive validation and the OpenAPI document at /docs.
 */
export async function buildServer(
  ctx: AppContext,
  plugins: Array<(app: App, ctx: AppContext) => Promise<void> | void>,
): Promise<App> {
  const app = Fastify({
    // Widened to Fastify's logger interface, so plugin scopes and the app share one instance type.
    loggerInstance: ctx.log.child({ component: 'http' }) as FastifyBaseLogger,
    // Request metrics go to /metrics; per-request log lines would dominate the log at webhook rates.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_BODY_BYTES,
    trustProxy: true,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send(errorBody(err.code, err.message));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const detail = err.validation
        .map(
          (v) =>
            `${v.instancePath.replace(/^\//, '').replace(/\//g, '.') || err.validationContext || 'request'}: ${v.message}`,
        )
        .join('; ');
      return reply
        .code(400)
        .send(errorBody('invalid_request', `${err.validationContext ?? 'request'} is invalid: ${detail}`));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send(errorBody('payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`));
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply.code(415).send(errorBody('unsupported_media_type', err.message));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply
        .code(err.statusCode)
        .send(
          errorBody(
            err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.name === 'SyntaxError' ? 'invalid_json' : 'bad_request',
            err.message,
          ),
        );
    }
    if (isUnavailable(err)) {
      req.log.warn({ err }, 'storage unavailable');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send(errorBody('unavailable', 'storage is unavailable; retry later'));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('internal', 'internal error'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody('not_found', `no route for ${req.method} ${req.url.split('?')[0]}`)),
  );

  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    ctx.metrics.httpRequests.inc({ method: req.method, route, status: String(reply.statusCode) });
    ctx.metrics.httpDuration.observe({ method: req.method, route }, reply.elapsedTime / 1000);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Lookout',
        version: '0.1.0',
        description: 'Shopify and Supabase events in, proactive suggestions out.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'a user API key (lk_...)' },
          adminToken: { type: 'http', scheme: 'bearer', description: 'the operator token (LOOKOUT_ADMIN_TOKEN)' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  for (const plugin of plugins) await app.register(async (scope) => plugin(scope as App, ctx));
  return app;
}
