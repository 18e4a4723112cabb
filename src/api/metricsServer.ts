import Fastify, { type FastifyBaseLogger, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { errorBody } from '../lib/httpError.js';
import { healthRoutes } from './healthRoutes.js';
import type { App } from './server.js';

/**
 * The operator's port (LOOKOUT_METRICS_PORT): `/metrics`, `/healthz` and `/readyz` of this process,
 * and nothing else. A `worker` process serves no other HTTP, so without it the processing,
 * polling, delivery and LLM metrics of a worker could not be scraped; a `web` or `all` process
 * can use it too, to keep metrics off the public port.
 */
export async function buildMetricsServer(ctx: AppContext): Promise<App> {
  const app = Fastify({
    loggerInstance: ctx.log.child({ component: 'metrics-http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    forceCloseConnections: true,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) => {
    req.log.error({ err }, 'metrics endpoint failed');
    return reply.code(500).send(errorBody('internal', 'internal error'));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send(
        errorBody(
          'not_found',
          `no route for ${req.method} ${req.url.split('?')[0]}: this port serves /metrics, /healthz and /readyz`,
        ),
      ),
  );
  await app.register(async (scope) => healthRoutes(scope as App, ctx));
  return app;
}
