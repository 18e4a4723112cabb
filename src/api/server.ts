import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type ConnectionError,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyReply,
  type FastifyRequest,
  type FastifySchema,
  LogController,
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
import { type App, MAX_BODY_BYTES } from './app.js';
import { findUnstorableText } from './storableText.js';

export type { App } from './app.js';
export { MAX_BODY_BYTES } from './app.js';

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
      ? [408, 'Request Timeout', 'request_timeout', 'the request did not arrive whole in time']
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
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; ` +
        `charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${head ? '' : body}`,
    );
  }
  socket.destroy();
}

/** How long a shutdown keeps accepting the connections already waiting for this process. */
const ACCEPT_DRAIN_MAX_MS = 5_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Before the listening socket closes, accepts every connection that is already waiting for it.
 *
 * Closing it resets the connections still queued in the kernel, and their clients may have sent
 * their requests already: for them those requests were in flight. libuv accepts one connection
 * per turn of the event loop, and a turn is long when the loop is busy (PGlite runs on it), so a
 * burst of connections can wait seconds in that queue. The queue is empty once a whole turn
 * (its poll phase) accepts nothing; that turn has also read the requests of the connections
 * accepted before it, so closing the server then counts them as in progress, not idle. Bounded,
 * because clients that do not know of the shutdown may keep connecting.
 */
async function drainAcceptQueue(server: Server, maxMs: number): Promise<void> {
  let accepted = 0;
  const count = () => accepted++;
  server.on('connection', count);
  try {
    const until = Date.now() + maxMs;
    await nextTurn();
    for (;;) {
      const before = accepted;
      await nextTurn();
      if (accepted === before || Date.now() > until) return;
    }
  } finally {
    server.off('connection', count);
  }
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
    // Slow clients (a trickle of header bytes, a body that never ends) are cut off: Node answers
    // 408 and closes the connection once headers or the whole request take longer than this.
    requestTimeout: ctx.config.http.requestTimeoutMs,
    keepAliveTimeout: ctx.config.http.keepAliveTimeoutMs,
    http: {
      headersTimeout: ctx.config.http.headersTimeoutMs,
      // How often Node looks for expired requests (its default, 30 s, would stretch every bound).
      connectionsCheckingInterval: Math.max(50, Math.min(1_000, ctx.config.http.headersTimeoutMs / 4)),
    },
    clientErrorHandler,
    frameworkErrors,
    // While closing, a request that reaches a route on an already open connection is answered
    // normally (with Connection: close): it may have been sent before the shutdown began, and
    // the database stays open until the last one is answered. New connections are refused once
    // those already waiting have been accepted (drainAcceptQueue).
    return503OnClosing: false,
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
            `${v.instancePath.replace(/^\//, '').replace(/\//g, '.') || err.validationContext || 'request'}: ` +
            `${v.message}`,
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

  // From the start of a shutdown every answer closes its connection, including those of requests
  // that began before it (Fastify marks only the ones that begin after): no connection goes back
  // to idle keep-alive, where it would hold the shutdown until the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    await drainAcceptQueue(app.server, ACCEPT_DRAIN_MAX_MS);
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
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
