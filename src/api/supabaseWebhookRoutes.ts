import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { getIntegration, getIntegrationById, type IntegrationRow } from '../db/queries/integrations.js';
import { badRequest, errorBody, HttpError, notFound } from '../lib/httpError.js';
import { UrlNotAllowedError } from '../lib/urlGuard.js';
import {
  type ConnectDeps,
  installIntegrationDdlTrigger,
  installIntegrationWebhooks,
  listIntegrationTables,
  listIntegrationWebhooks,
  NoDatabaseUrlError,
  removeIntegrationWebhooks,
  UserDatabaseUnreachableError,
} from '../sources/supabase/connectActions.js';
import { WEBHOOK_EVENTS, WebhookSqlNeededError, WebhookTableError } from '../sources/supabase/webhookInstall.js';
import { requireAdmin, requireUser } from './auth.js';
import type { App } from './server.js';

/** A table name as a user writes it: schema.table (or table, in public); the catalog decides the rest. */
const TableName = z
  .string()
  .min(1)
  .max(130)
  .regex(/^[^\0]+$/, 'no NUL characters');

export const InstallWebhooksBody = z
  .object({
    tables: z.array(TableName).min(1).max(100),
    events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(3).optional(),
  })
  .strict();

const RemoveWebhooksQuery = z
  .object({
    /** Repeat for several; none: every table's webhook. */
    table: z.union([TableName, z.array(TableName).max(100)]).optional(),
  })
  .strict();

export interface SupabaseConnectHooks {
  /** The DDL trigger is in place: listen for it now and read what it recorded. */
  onDdlTriggerInstalled?: (row: IntegrationRow) => void;
}

function deps(ctx: AppContext): ConnectDeps {
  return { db: ctx.db, secrets: ctx.secrets, publicUrl: ctx.config.publicUrl, guard: ctx.urlGuard };
}

function supabaseOnly(row: IntegrationRow | undefined): IntegrationRow {
  if (!row) throw notFound('integration');
  if (row.kind !== 'supabase')
    throw badRequest(`integration ${row.id} is a ${row.kind} integration, not supabase`, 'wrong_kind');
  return row;
}

/** The answer for what went wrong in the user's database: never a 5xx for their configuration. */
function connectFailure(err: unknown, reply: FastifyReply) {
  if (err instanceof WebhookSqlNeededError)
    return reply.code(422).send({ ...errorBody('sql_needed', err.reason), reason: err.reason, sql: err.sql });
  if (err instanceof WebhookTableError) throw badRequest(err.message, 'invalid_table');
  if (err instanceof UrlNotAllowedError) throw badRequest(err.message, 'url_not_allowed');
  if (err instanceof NoDatabaseUrlError) throw new HttpError(409, 'conflict', err.message);
  if (err instanceof UserDatabaseUnreachableError) throw new HttpError(502, 'database_unreachable', err.message);
  const code = (err as { code?: unknown }).code;
  // An error the user's database raised (SQLSTATE): their database's answer, not ours.
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code))
    throw new HttpError(502, 'database_error', `the project's database refused: ${(err as Error).message}`);
  throw err;
}

function routes(
  app: App,
  ctx: AppContext,
  find: (userId: string | undefined, id: string) => Promise<IntegrationRow>,
  prefix: string,
  security: string,
  hooks: SupabaseConnectHooks,
): void {
  const params = z.object({ id: z.string() });
  const tag = { tags: ['integrations'], security: [{ [security]: [] }] };

  app.post(
    `${prefix}/:id/supabase/webhooks`,
    {
      schema: {
        ...tag,
        params,
        body: InstallWebhooksBody,
        summary: "Install Database Webhooks on tables of the project's database that send row changes to Lookout",
      },
    },
    async (req, reply) => {
      const row = await find(req.userId, req.params.id);
      try {
        const result = await installIntegrationWebhooks(
          deps(ctx),
          row,
          req.body.tables,
          req.body.events ?? [...WEBHOOK_EVENTS],
        );
        return reply.code(201).send(result);
      } catch (err) {
        return connectFailure(err, reply);
      }
    },
  );

  app.get(
    `${prefix}/:id/supabase/webhooks`,
    { schema: { ...tag, params, summary: "The webhooks Lookout installed in the project's database" } },
    async (req, reply) => {
      const row = await find(req.userId, req.params.id);
      try {
        return await listIntegrationWebhooks(deps(ctx), row);
      } catch (err) {
        return connectFailure(err, reply);
      }
    },
  );

  app.delete(
    `${prefix}/:id/supabase/webhooks`,
    {
      schema: {
        ...tag,
        params,
        querystring: RemoveWebhooksQuery,
        summary: 'Remove the webhooks Lookout installed (of ?table=schema.table, or all)',
      },
    },
    async (req, reply) => {
      const row = await find(req.userId, req.params.id);
      const t = req.query.table;
      try {
        return await removeIntegrationWebhooks(deps(ctx), row, t === undefined ? undefined : [t].flat());
      } catch (err) {
        return connectFailure(err, reply);
      }
    },
  );

  app.get(
    `${prefix}/:id/supabase/tables`,
    { schema: { ...tag, params, summary: 'Tables of the project that webhooks can watch' } },
    async (req, reply) => {
      const row = await find(req.userId, req.params.id);
      try {
        return await listIntegrationTables(deps(ctx), row);
      } catch (err) {
        return connectFailure(err, reply);
      }
    },
  );

  app.post(
    `${prefix}/:id/supabase/ddl-trigger`,
    {
      schema: {
        ...tag,
        params,
        summary: "Install the DDL event trigger in the project's database (schema changes in real time)",
      },
    },
    async (req, reply) => {
      const row = await find(req.userId, req.params.id);
      try {
        await installIntegrationDdlTrigger(deps(ctx), row);
      } catch (err) {
        return connectFailure(err, reply);
      }
      hooks.onDdlTriggerInstalled?.(row);
      return reply.code(201).send({ installed: true });
    },
  );
}

/** The user's routes: their own integrations only (another user's id is a 404). */
export function supabaseConnectRoutes(app: App, ctx: AppContext, hooks: SupabaseConnectHooks = {}): void {
  app.addHook('onRequest', requireUser(ctx));
  routes(
    app,
    ctx,
    async (userId, id) => {
      const parsed = z.uuid().safeParse(id);
      return supabaseOnly(parsed.success && userId ? await getIntegration(ctx.db, userId, parsed.data) : undefined);
    },
    '/api/integrations',
    'apiKey',
    hooks,
  );
}

/** The operator's (and the CLI's, through a running server): any user's integration. */
export function supabaseConnectAdminRoutes(app: App, ctx: AppContext, hooks: SupabaseConnectHooks = {}): void {
  app.addHook('onRequest', requireAdmin(ctx));
  routes(
    app,
    ctx,
    async (_userId, id) => {
      const parsed = z.uuid().safeParse(id);
      return supabaseOnly(parsed.success ? await getIntegrationById(ctx.db, parsed.data) : undefined);
    },
    '/api/admin/integrations',
    'adminToken',
    hooks,
  );
}
