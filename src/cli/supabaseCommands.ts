import type { Command } from 'commander';
import { z } from 'zod';
import { InstallWebhooksBody } from '../api/supabaseWebhookRoutes.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { getIntegrationById, type IntegrationRow } from '../db/queries/integrations.js';
import { loadSecretBox } from '../lib/instanceSecrets.js';
import { createLogger } from '../lib/logger.js';
import {
  type ConnectDeps,
  installIntegrationDdlTrigger,
  installIntegrationWebhooks,
  listIntegrationWebhooks,
  removeIntegrationWebhooks,
} from '../sources/supabase/connectActions.js';
import { WEBHOOK_EVENTS, type WebhookEvent, WebhookSqlNeededError } from '../sources/supabase/webhookInstall.js';
import type { InstanceAccess } from './opsCommands.js';
import { ServerCallError } from './serverCall.js';

/** Lookout could not install by itself: the reason, and the SQL for the user to run. */
class SqlNeeded extends Error {
  constructor(
    readonly reason: string,
    readonly sql: string,
  ) {
    super(reason);
  }
}

const repeatable = (value: string, previous: string[] = []) => [...previous, value];

function integrationId(id: string): string {
  if (!z.uuid().safeParse(id).success) throw new Error(`--integration must be an integration id, got ${id}`);
  return id;
}

/**
 * Runs an action on a Supabase integration: through the running server's operator API when one
 * serves the data folder, else here, on the database, with the same code the server runs.
 */
async function onIntegration<T>(
  access: InstanceAccess,
  id: string,
  direct: (deps: ConnectDeps, row: IntegrationRow) => Promise<T>,
  viaServer: { method: string; path: string; body?: unknown },
): Promise<T> {
  const cfg: Config = access.config();
  return access.withDatabase(
    cfg,
    async (db: Database) => {
      const row = await getIntegrationById(db, id);
      if (row?.kind !== 'supabase') throw new Error(`no supabase integration ${id}`);
      const secrets = await loadSecretBox(cfg, db, createLogger('silent'));
      const deps = { db, secrets, publicUrl: cfg.publicUrl, guard: { allowPrivate: cfg.allowPrivateUrls } };
      try {
        return await direct(deps, row);
      } catch (err) {
        if (err instanceof WebhookSqlNeededError) throw new SqlNeeded(err.reason, err.sql);
        throw err;
      }
    },
    async (holder) => {
      try {
        return await access.callServer<T>(
          holder,
          viaServer.method,
          `/api/admin/integrations/${id}${viaServer.path}`,
          viaServer.body,
        );
      } catch (err) {
        // The server could not install by itself either: its 422 carries the reason and the SQL.
        const refused = err instanceof ServerCallError && err.status === 422 ? err.body : undefined;
        const { reason, sql } = (refused ?? {}) as { reason?: string; sql?: string };
        if (sql) throw new SqlNeeded(reason ?? '', sql);
        throw err;
      }
    },
  );
}

async function printing(action: () => Promise<unknown>): Promise<void> {
  try {
    process.stdout.write(`${JSON.stringify(await action(), null, 2)}\n`);
  } catch (err) {
    if (!(err instanceof SqlNeeded)) throw err;
    process.stderr.write(`lookout: ${err.reason}\n`);
    process.stdout.write(err.sql);
    process.exitCode = 1;
  }
}

export function addSupabaseCommands(supabase: Command, access: InstanceAccess): void {
  supabase
    .command('install-trigger')
    .description("install the optional DDL event trigger in a connected project's database (real-time schema events)")
    .requiredOption('--integration <id>', 'the supabase integration id')
    .action(async (opts: { integration: string }) => {
      const id = integrationId(opts.integration);
      await onIntegration(access, id, (deps, row) => installIntegrationDdlTrigger(deps, row), {
        method: 'POST',
        path: '/supabase/ddl-trigger',
      });
      process.stdout.write(
        'installed: DDL in that database is now recorded in lookout.ddl_log; a running Lookout reads it at once\n',
      );
    });

  const webhooks = supabase
    .command('webhooks')
    .description("Database Webhooks in a project's database that send row changes to Lookout");
  webhooks
    .command('install')
    .description('install (or replace) the webhook of each --table')
    .requiredOption('--integration <id>', 'the supabase integration id')
    .requiredOption('--table <schema.table>', 'a table to watch (repeatable)', repeatable)
    .option('--event <type>', `only these changes (repeatable: ${WEBHOOK_EVENTS.join(', ')}); default all`, repeatable)
    .action(async (opts: { integration: string; table: string[]; event?: string[] }) => {
      const id = integrationId(opts.integration);
      const body = InstallWebhooksBody.safeParse({
        tables: opts.table,
        ...(opts.event ? { events: opts.event.map((e) => e.toUpperCase()) } : {}),
      });
      if (!body.success) throw new Error(`invalid webhooks: ${z.prettifyError(body.error).replace(/\n/g, ' ')}`);
      const events: WebhookEvent[] = body.data.events ?? [...WEBHOOK_EVENTS];
      await printing(() =>
        onIntegration(access, id, (deps, row) => installIntegrationWebhooks(deps, row, body.data.tables, events), {
          method: 'POST',
          path: '/supabase/webhooks',
          body: body.data,
        }),
      );
    });
  webhooks
    .command('list')
    .description('the webhooks Lookout installed')
    .requiredOption('--integration <id>', 'the supabase integration id')
    .action(async (opts: { integration: string }) => {
      const id = integrationId(opts.integration);
      await printing(() =>
        onIntegration(access, id, (deps, row) => listIntegrationWebhooks(deps, row), {
          method: 'GET',
          path: '/supabase/webhooks',
        }),
      );
    });
  webhooks
    .command('remove')
    .description('remove the webhooks Lookout installed (of each --table, or all)')
    .requiredOption('--integration <id>', 'the supabase integration id')
    .option('--table <schema.table>', 'only this table (repeatable)', repeatable)
    .action(async (opts: { integration: string; table?: string[] }) => {
      const id = integrationId(opts.integration);
      const query = opts.table ? `?${opts.table.map((t) => `table=${encodeURIComponent(t)}`).join('&')}` : '';
      await printing(() =>
        onIntegration(access, id, (deps, row) => removeIntegrationWebhooks(deps, row, opts.table), {
          method: 'DELETE',
          path: `/supabase/webhooks${query}`,
        }),
      );
    });
}
