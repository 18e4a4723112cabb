import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import {
  deleteIntegration,
  getIntegration,
  type IntegrationRow,
  insertIntegration,
  listIntegrations,
} from '../db/queries/integrations.js';
import { loadMigrationReport, saveMigrationReport } from '../db/queries/migrationReports.js';
import { shopifyConnectView } from '../ingest/shopifyConnect.js';
import { type AdminApiSettings, proveShopByToken } from '../ingest/shopOwnership.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import { PathNotAllowedError } from '../lib/allowedPaths.js';
import { badRequest, HttpError, notFound } from '../lib/httpError.js';
import { sha256 } from '../lib/secretBox.js';
import { UrlNotAllowedError } from '../lib/urlGuard.js';
import { SOURCES, sourceOf } from '../sources/index.js';
import type { Connection, Source } from '../sources/source.js';
import { isMigrationFileName } from '../sources/supabase/migrationsCheck.js';
import { requireUser } from './auth.js';
import type { App } from './server.js';

export { SHOP_DOMAIN } from '../sources/shopify/shopDomain.js';

/** Every source a user can connect, by kind. */
const CONNECTABLE = SOURCES.flatMap((s) => (s.connection ? [{ source: s as Source, connection: s.connection }] : []));

/** POST /api/integrations: one object per connectable source, told apart by `kind`. */
const CreateIntegrationBody = z.discriminatedUnion(
  'kind',
  CONNECTABLE.map(({ source, connection }) =>
    z.object({ kind: z.literal(source.kind), ...connection.fields }).strict(),
  ) as unknown as [z.ZodObject<{ kind: z.ZodLiteral<string> }>, ...z.ZodObject<{ kind: z.ZodLiteral<string> }>[]],
);
type CreateIntegration = { kind: string } & Record<string, unknown>;

const ShopifyVerifyBody = z
  .object({
    /** A new token replaces the stored one; without it the stored token is checked again. */
    accessToken: z.string().min(10).max(200).optional(),
  })
  .strict();

// No path separators or NUL: these are names of files on the user's machine, never paths here.
const fileName = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^/\\\0]+$/, 'a file name, without folders');

const MigrationReportBody = z
  .object({
    /** The folder as the user named it on their machine, for display only. */
    dir: z
      .string()
      .min(1)
      .max(1000)
      .regex(/^[^\0]+$/, 'no NUL characters')
      .optional(),
    files: z
      .array(z.object({ name: fileName, sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'hex SHA-256') }).strict())
      .max(5000),
  })
  .strict();

// Kept where other modules have imported it from: the type lives in integrations/credentials.ts.
export type { IntegrationCredentials } from '../integrations/credentials.js';

/** An integration as the API shows it: configuration and health, never a stored secret. */
export function integrationView(row: IntegrationRow, requiredScopes: readonly string[] = []) {
  const config = row.config as Record<string, unknown>;
  const problems = Array.isArray(row.poll_state.problems)
    ? row.poll_state.problems.filter((p): p is string => typeof p === 'string')
    : [];
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    ...sourceOf(row.kind)?.view?.(row),
    ...config,
    ...(row.kind === 'shopify' ? shopifyConnectView(row, requiredScopes) : {}),
    hasCredentials: row.credentials !== null,
    health: {
      lastPollAt: row.last_poll_at,
      nextPollAt: row.next_poll_at,
      lastPollError: row.last_poll_error,
      /** Why it is not polled, when that is by design (no credentials: webhooks only). */
      pollNote: row.last_poll_note,
      pollFailures: row.poll_failures,
      lastWebhookAt: row.last_webhook_at,
      /** What the last poll could not do although it succeeded (e.g. a migrations folder that is gone). */
      problems,
    },
    createdAt: row.created_at,
  };
}

/** The source's connection for a validated body (its `kind` is one of CONNECTABLE's). */
function connectionOf(body: CreateIntegration): Connection {
  return CONNECTABLE.find((c) => c.source.kind === body.kind)!.connection;
}

/** What the body's secret fields hold, and the generated signing secret: sealed as the credentials. */
function credentialsOf(
  body: CreateIntegration,
  connection: Connection,
  webhookSecret: string | undefined,
): IntegrationCredentials {
  const credentials: IntegrationCredentials = {};
  for (const field of connection.secretFields) {
    const value = body[field];
    if (typeof value === 'string') credentials[field] = value;
  }
  if (webhookSecret) credentials.webhookSecret = webhookSecret;
  return credentials;
}

function adminApi(ctx: AppContext, maxAttempts: number): AdminApiSettings {
  return {
    apiVersion: ctx.config.shopify.apiVersion,
    adminApiUrl: ctx.config.shopify.adminApiUrl,
    timeoutMs: 10_000,
    maxAttempts,
  };
}

/** One of the user's integrations of the given kind; another user's (or a malformed id) is 404. */
async function ownIntegration(
  ctx: AppContext,
  userId: string,
  id: string,
  kind: IntegrationRow['kind'],
): Promise<IntegrationRow> {
  const parsed = z.uuid().safeParse(id);
  const row = parsed.success ? await getIntegration(ctx.db, userId, parsed.data) : undefined;
  if (!row) throw notFound('integration');
  if (row.kind !== kind)
    throw badRequest(`integration ${row.id} is a ${row.kind} integration, not ${kind}`, 'wrong_kind');
  return row;
}

function migrationReportView(
  report: { dir: string | null; files: Array<{ name: string; sha256: string }>; reportedAt: Date },
  row: IntegrationRow,
) {
  const ignored = report.files.filter((f) => !isMigrationFileName(f.name)).map((f) => f.name);
  return {
    integrationId: row.id,
    dir: report.dir,
    files: report.files,
    migrations: report.files.length - ignored.length,
    /** Names the Supabase CLI would not take for migrations (`<version>_<name>.sql`). */
    ignored,
    reportedAt: report.reportedAt,
    /** The poll loop compares the report with the migrations your database has applied. */
    lastComparedAt: row.last_poll_at && row.last_poll_at >= report.reportedAt ? row.last_poll_at : null,
  };
}

/**
 * User-supplied places Lookout will read (a database URL, an ICS URL, a migrations folder) are
 * checked by the source before anything is stored: each failure is a 400 with the guard's message.
 */
async function checkUserLocations(ctx: AppContext, body: CreateIntegration, connection: Connection): Promise<void> {
  try {
    await connection.check?.(body, ctx);
  } catch (err) {
    if (err instanceof UrlNotAllowedError) throw badRequest(err.message, 'url_not_allowed');
    if (err instanceof PathNotAllowedError) throw badRequest(err.message, err.code);
    throw err;
  }
}

export function integrationRoutes(
  app: App,
  ctx: AppContext,
  hooks: { onCreated?: (row: IntegrationRow) => void; onDeleted?: (row: IntegrationRow) => void } = {},
): void {
  app.addHook('onRequest', requireUser(ctx));

  app.post(
    '/api/integrations',
    {
      schema: {
        tags: ['integrations'],
        security: [{ apiKey: [] }],
        body: CreateIntegrationBody,
        summary: `Connect a source: ${CONNECTABLE.map((c) => c.source.label).join(', ')}`,
      },
    },
    async (req, reply) => {
      // Refuse early what the poll loop would refuse later: a 400 now, not a 201 and a failing poll.
      const body = req.body as CreateIntegration;
      const connection = connectionOf(body);
      await checkUserLocations(ctx, body, connection);
      const { config, shopDomain } = connection.settings(body);
      const webhookSecret = connection.generatesWebhookSecret
        ? `whsec_${randomBytes(24).toString('base64')}`
        : undefined;
      const credentials = credentialsOf(body, connection, webhookSecret);
      const hasCredentials = Object.keys(credentials).length > 0;
      let row = await insertIntegration(ctx.db, {
        userId: req.userId,
        kind: body.kind,
        shopDomain,
        config,
        credentials: hasCredentials ? ctx.secrets.sealJson(credentials) : null,
        webhookSecretHash: webhookSecret ? sha256(webhookSecret) : undefined,
      });
      let answer: Record<string, unknown> | undefined;
      if (connection.afterCreate) ({ row, answer } = await connection.afterCreate(row, body, ctx));
      hooks.onCreated?.(row);
      // A generated signing secret is shown here once; only its sealed form and digest are kept.
      return reply.code(201).send({
        ...integrationView(row, ctx.config.shopify.scopes),
        ...answer,
        ...(webhookSecret ? { webhookSecret } : {}),
      });
    },
  );

  app.post(
    '/api/integrations/:id/shopify/verify',
    {
      schema: {
        tags: ['integrations'],
        security: [{ apiKey: [] }],
        params: z.object({ id: z.string() }),
        body: ShopifyVerifyBody,
        summary: 'Prove a shop is yours with an Admin API access token (checked with shop { myshopifyDomain })',
      },
    },
    async (req) => {
      const row = await ownIntegration(ctx, req.userId, req.params.id, 'shopify');
      let credentials = row.credentials ? ctx.secrets.openJson<IntegrationCredentials>(row.credentials) : {};
      if (req.body.accessToken) {
        credentials = { ...credentials, accessToken: req.body.accessToken };
        await ctx.db.query('update integrations set credentials = $2, updated_at = now() where id = $1', [
          row.id,
          ctx.secrets.sealJson(credentials),
        ]);
      }
      if (!credentials.accessToken)
        throw badRequest('send {"accessToken": "..."}: an Admin API access token of the shop', 'no_access_token');
      const proven = await proveShopByToken(ctx.db, row, credentials.accessToken, adminApi(ctx, 1));
      hooks.onCreated?.(proven.row);
      return { ...integrationView(proven.row, ctx.config.shopify.scopes), tokenCheck: proven.check };
    },
  );

  app.post(
    '/api/integrations/:id/supabase/migrations',
    {
      schema: {
        tags: ['integrations'],
        security: [{ apiKey: [] }],
        params: z.object({ id: z.string() }),
        body: MigrationReportBody,
        summary: "Report the project's migration files (names and SHA-256) from your machine",
      },
    },
    async (req) => {
      const row = await ownIntegration(ctx, req.userId, req.params.id, 'supabase');
      const config = row.config as { migrationsDir?: string | null };
      if (config.migrationsDir)
        throw new HttpError(
          409,
          'conflict',
          'this integration reads its migrations from a folder on the Lookout server (migrationsDir); reports are ' +
            'for integrations without one',
        );
      const credentials = row.credentials ? ctx.secrets.openJson<IntegrationCredentials>(row.credentials) : {};
      if (!credentials.dbUrl)
        throw new HttpError(
          409,
          'conflict',
          'this integration has no database URL (dbUrl): there is nothing to compare the migrations with',
        );
      const names = req.body.files.map((f) => f.name);
      const duplicate = names.find((n, k) => names.indexOf(n) !== k);
      if (duplicate) throw badRequest(`files: ${duplicate} is listed twice`);
      const report = await saveMigrationReport(ctx.db, row.id, { dir: req.body.dir ?? null, files: req.body.files });
      // Compare soon rather than at the next period: the user is waiting for the answer.
      await ctx.db.query('update integrations set next_poll_at = now() where id = $1', [row.id]);
      ctx.loop.integrationChanged();
      return migrationReportView(report, row);
    },
  );

  app.get(
    '/api/integrations/:id/supabase/migrations',
    {
      schema: {
        tags: ['integrations'],
        security: [{ apiKey: [] }],
        params: z.object({ id: z.string() }),
        summary: 'The last migration report of a Supabase integration',
      },
    },
    async (req) => {
      const row = await ownIntegration(ctx, req.userId, req.params.id, 'supabase');
      const report = await loadMigrationReport(ctx.db, row.id);
      if (!report) throw notFound('migration report');
      return migrationReportView(report, row);
    },
  );

  app.get('/api/integrations', { schema: { tags: ['integrations'], security: [{ apiKey: [] }] } }, async (req) => {
    const rows = await listIntegrations(ctx.db, req.userId);
    return { items: rows.map((r) => integrationView(r, ctx.config.shopify.scopes)) };
  });

  app.get(
    '/api/integrations/:id',
    {
      schema: { tags: ['integrations'], security: [{ apiKey: [] }], params: z.object({ id: z.string() }) },
    },
    async (req) => {
      const id = z.uuid().safeParse(req.params.id);
      const row = id.success ? await getIntegration(ctx.db, req.userId, id.data) : undefined;
      if (!row) throw notFound('integration');
      return integrationView(row, ctx.config.shopify.scopes);
    },
  );

  app.delete(
    '/api/integrations/:id',
    {
      schema: { tags: ['integrations'], security: [{ apiKey: [] }], params: z.object({ id: z.string() }) },
    },
    async (req, reply) => {
      const id = z.uuid().safeParse(req.params.id);
      const deleted = id.success ? await deleteIntegration(ctx.db, req.userId, id.data) : undefined;
      if (!deleted) throw notFound('integration');
      hooks.onDeleted?.(deleted);
      return reply.code(204).send();
    },
  );
}
