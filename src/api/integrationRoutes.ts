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
import { notFound } from '../lib/httpError.js';
import { sha256 } from '../lib/secretBox.js';
import { requireUser } from './auth.js';
import type { App } from './server.js';

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

const CreateIntegrationBody = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('shopify'),
      shopDomain: z.string().trim().toLowerCase().regex(SHOP_DOMAIN, 'a *.myshopify.com domain'),
      accessToken: z.string().min(10).max(200).optional(),
      /** For webhooks created in the Shopify admin, which a store key signs instead of the app secret. */
      webhookSecret: z.string().min(10).max(200).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('supabase'),
      projectUrl: z
        .url({ protocol: /^https?$/ })
        .max(2000)
        .optional(),
      dbUrl: z
        .string()
        .regex(/^postgres(ql)?:\/\/.+/, 'a postgres:// URL')
        .max(2000)
        .optional(),
      migrationsDir: z.string().min(1).max(1000).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('calendar'),
      icsUrl: z.url({ protocol: /^(https?|webcal)$/ }).max(2000),
      leadTimesHours: z
        .array(
          z
            .number()
            .int()
            .min(0)
            .max(24 * 60),
        )
        .min(1)
        .max(10)
        .optional(),
    })
    .strict(),
]);
type CreateIntegration = z.infer<typeof CreateIntegrationBody>;

/** Credentials kept sealed in integrations.credentials, per kind. */
export interface IntegrationCredentials {
  accessToken?: string;
  webhookSecret?: string;
  dbUrl?: string;
}

/** An integration as the API shows it: configuration and health, never a stored secret. */
export function integrationView(row: IntegrationRow) {
  const config = row.config as Record<string, unknown>;
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    ...(row.kind === 'shopify' ? { shopDomain: row.shop_domain } : {}),
    ...config,
    hasCredentials: row.credentials !== null,
    health: {
      lastPollAt: row.last_poll_at,
      nextPollAt: row.next_poll_at,
      lastPollError: row.last_poll_error,
      /** Why it is not polled, when that is by design (no credentials: webhooks only). */
      pollNote: row.last_poll_note,
      pollFailures: row.poll_failures,
      lastWebhookAt: row.last_webhook_at,
    },
    createdAt: row.created_at,
  };
}

function split(body: CreateIntegration): {
  config: Record<string, unknown>;
  credentials: IntegrationCredentials;
  shopDomain?: string;
  webhookSecret?: string;
} {
  switch (body.kind) {
    case 'shopify':
      return {
        config: {},
        shopDomain: body.shopDomain,
        credentials: { accessToken: body.accessToken, webhookSecret: body.webhookSecret },
      };
    case 'supabase': {
      // One secret serves both ways Supabase can authenticate: as a bearer header, or as the
      // Standard Webhooks signing key (whsec_ + base64).
      const webhookSecret = `whsec_${randomBytes(24).toString('base64')}`;
      return {
        config: {
          projectUrl: body.projectUrl ?? null,
          migrationsDir: body.migrationsDir ?? null,
          monitorsSchema: Boolean(body.dbUrl),
        },
        credentials: { dbUrl: body.dbUrl, webhookSecret },
        webhookSecret,
      };
    }
    case 'calendar':
      // No lead times given: the user's calendar preference applies (null here, read at poll time).
      return { config: { icsUrl: body.icsUrl, leadTimesHours: body.leadTimesHours ?? null }, credentials: {} };
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
        summary: 'Connect a Shopify store, a Supabase project or a calendar feed',
      },
    },
    async (req, reply) => {
      const { config, credentials, shopDomain, webhookSecret } = split(req.body);
      const hasCredentials = Object.values(credentials).some((v) => v !== undefined);
      const row = await insertIntegration(ctx.db, {
        userId: req.userId,
        kind: req.body.kind,
        shopDomain,
        config,
        credentials: hasCredentials ? ctx.secrets.sealJson(credentials) : null,
        webhookSecretHash: webhookSecret ? sha256(webhookSecret) : undefined,
      });
      hooks.onCreated?.(row);
      // The Supabase webhook secret is shown here once; only its sealed form is kept.
      return reply.code(201).send({ ...integrationView(row), ...(webhookSecret ? { webhookSecret } : {}) });
    },
  );

  app.get('/api/integrations', { schema: { tags: ['integrations'], security: [{ apiKey: [] }] } }, async (req) => {
    const rows = await listIntegrations(ctx.db, req.userId);
    return { items: rows.map(integrationView) };
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
      return integrationView(row);
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
