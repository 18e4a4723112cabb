import type { Command } from 'commander';
import { z } from 'zod';
import type { Config } from '../config.js';
import { getIntegrationById } from '../db/queries/integrations.js';
import { syncIntegrationWebhooks, webhookUri } from '../ingest/shopifyConnect.js';
import { loadSecretBox } from '../lib/instanceSecrets.js';
import { createLogger } from '../lib/logger.js';
import { webhooksToml } from '../sources/shopify/webhookSubscriptions.js';
import type { InstanceAccess } from './opsCommands.js';

interface SyncOutcome {
  integrationId: string;
  created: string[];
  updated: string[];
  kept: string[];
  removed: string[];
  failed: Array<{ topic: string; action: string; message: string }>;
}

/** `lookout shopify webhooks sync|toml`: the operator's side of the webhook subscriptions. */
export function addShopifyWebhookCommands(shopify: Command, access: InstanceAccess): void {
  const webhooks = shopify.command('webhooks').description("a shop's webhook subscriptions");

  webhooks
    .command('sync')
    .description('create missing subscriptions, repair drifted ones, remove those of topics Lookout no longer handles')
    .requiredOption('--integration <id>', 'a Shopify integration installed with an access token')
    .action(async (opts: { integration: string }) => {
      const cfg: Config = access.config();
      const id = opts.integration;
      if (!z.uuid().safeParse(id).success) throw new Error(`--integration must be an integration id, got ${id}`);
      const outcome = await access.withDatabase<SyncOutcome>(
        cfg,
        async (db) => {
          const row = await getIntegrationById(db, id);
          if (row?.kind !== 'shopify') throw new Error(`no Shopify integration ${id}`);
          const secrets = await loadSecretBox(cfg, db, createLogger('silent'));
          const r = await syncIntegrationWebhooks({ db, config: cfg, secrets }, row);
          return { integrationId: row.id, ...r };
        },
        (h) =>
          access.callServer<SyncOutcome>(h, 'POST', `/api/admin/integrations/${encodeURIComponent(id)}/webhooks/sync`),
      );
      const { integrationId, created, updated, kept, removed, failed } = outcome;
      process.stdout.write(`${JSON.stringify({ integrationId, created, updated, kept, removed, failed })}\n`);
      if (failed.length > 0) process.exitCode = 1;
    });

  webhooks
    .command('toml')
    .description('print the [webhooks] section of shopify.app.toml (subscriptions declared with the app)')
    .action(() => {
      const cfg: Config = access.config();
      process.stdout.write(webhooksToml({ apiVersion: cfg.shopify.apiVersion, uri: webhookUri(cfg) }));
    });
}
