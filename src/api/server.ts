import type { Socket } from 'node:net';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type ConnectionError,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchema,
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
import { badRequest, errorBody, HttpError } from '../lib/httpError.js';
import { findUnstorableText } from './storableText.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Webhook bodies above this are refused with 413 before they are read whole. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** One route as registered: what the OpenAPI document shows, and what tests enumerate. */
export interface RouteEntry {
  method: string;
  url: string;
  schema?: FastifySchema;
}

const routeTables = new WeakMap<object, RouteEntry[]>();

/** Every route of a server built by buildServer, HEAD routes included, in registration order. */
export function listRoutes(app: App): readonly RouteEntry[] {
  return routeTables.get(app) ?? [];
}

/**
 * The router's own refusals (a path that does not decode, a path segment over 100 characters),
 * in the documented error body instead of Fastify's.
 */
function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
    reply.code(414).send(errorBody('uri_too_long', 'a path segment is longer than 100 characters'));
  else if (err.code === 'FST_ERR_BAD_URL')
    reply.code(400).send(errorBody('bad_url', 'the path is not valid percent-encoded UTF-8'));
  else reply.code(500).send(errorBody('internal', 'internal error'));
}

/**
 * What the HTTP parser refuses before any route runs (malformed requests, headers over 16 KiB, a
 * request not received in time), in the documented error body instead of Fastify's.
 */
function clientErrorHandler(err: ConnectionError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, code, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'Request Timeout', 'timeout', 'the request was not received in time']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'the request headers are too large']
        : [400, 'Bad Request', 'bad_request', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message));
  // The answer to a HEAD request has no body, or the client reads it as a broken next response.
  // (Node hands the bytes it was parsing as a Buffer, whatever Fastify's type says.)
  const raw: unknown = err.rawPacket;
  const head = Buffer.isBuffer(raw) && raw.subarray(0, 5).toString('latin1') === 'HEAD ';
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${head ? '' : body}`,
    );
  }
  socket.destroy();
}

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
    clientErrorHandler,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  const routes: RouteEntry[] = [];
  routeTables.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, schema: route.schema });
  });
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

  // Every route, present and future: text the database cannot store is a 400 naming the field,
  // checked after authentication and before the route's own validation. Webhook bodies are raw
  // bytes, read by their sources' parsers.
  app.addHook('preValidation', async (req) => {
    for (const [where, value] of [
      ['querystring', req.query],
      ['body', Buffer.isBuffer(req.body) ? undefined : req.body],
    ] as const) {
      const found = findUnstorableText(value);
      if (found) throw badRequest(`${where} is invalid: ${found.path ? `${found.path}: ` : ''}${found.problem}`);
    }
  });

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
