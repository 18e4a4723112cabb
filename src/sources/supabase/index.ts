/** The Supabase source: Database Webhooks, schema monitoring and pending migrations (the poller). */

import { z } from 'zod';
import { supabaseWebhookRoutes } from '../../ingest/supabaseWebhook.js';
import { resolveAllowedFolder } from '../../lib/allowedPaths.js';
import { assertPublicDatabaseUrl } from '../../lib/databaseUrlGuard.js';
import { pollSupabaseIntegration } from '../../loop/pollers.js';
import { defineConnection, defineSource } from '../source.js';
import { firstField, subjectText } from '../subject.js';
import { SUPABASE_EVENT_TYPES, supabaseEventSpecs } from './eventTypes.js';

export const supabase = defineSource({
  kind: 'supabase',
  label: 'Supabase',
  eventTypes: SUPABASE_EVENT_TYPES,
  eventSpecs: supabaseEventSpecs,
  // A row or schema change is about its table (schema.table); a migration report about itself.
  subjectOf: (_type, payload) => {
    if (typeof payload.table === 'string') return `${subjectText(payload.schema) ?? 'public'}.${payload.table}`;
    return firstField(payload, ['uid', 'id']);
  },
  connection: defineConnection(
    {
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
    },
    {
      secretFields: ['dbUrl'],
      // One secret serves both ways Supabase can authenticate: as a bearer header, or as the
      // Standard Webhooks signing key (whsec_ + base64).
      generatesWebhookSecret: true,
      check: async (body, ctx) => {
        if (body.dbUrl) await assertPublicDatabaseUrl(body.dbUrl, ctx.urlGuard);
        if (body.migrationsDir) await resolveAllowedFolder(body.migrationsDir, ctx.config.migrationsRoots);
      },
      settings: (body) => ({
        config: {
          projectUrl: body.projectUrl ?? null,
          migrationsDir: body.migrationsDir ?? null,
          monitorsSchema: Boolean(body.dbUrl),
        },
      }),
    },
  ),
  webhookRoutes: supabaseWebhookRoutes,
  poller: pollSupabaseIntegration,
});
