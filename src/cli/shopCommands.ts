import type { Command } from 'commander';
import { z } from 'zod';
import { AttachShopBody, findUserId } from '../api/adminRoutes.js';
import type { Config } from '../config.js';
import type { Queryable } from '../db/database.js';
import { attachShop, markShopProven } from '../ingest/shopOwnership.js';
import type { InstanceAccess } from './opsCommands.js';
import { addShopifyWebhookCommands } from './shopifyWebhookCommands.js';

export interface AttachedShop {
  integrationId: string;
  shopDomain: string;
}

export function checkShop(user: string, shopDomain: string): { user: string; shopDomain: string } {
  const parsed = AttachShopBody.safeParse({ user, shopDomain });
  if (!parsed.success)
    throw new Error(`invalid shop: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Attaches shops to a user in the database (the operator vouches for them). */
export async function attachShopsInDatabase(db: Queryable, userId: string, shops: string[]): Promise<AttachedShop[]> {
  const out: AttachedShop[] = [];
  for (const shop of shops) {
    const { row } = await attachShop(db, { userId, shopDomain: checkShop(userId, shop).shopDomain });
    out.push({ integrationId: row.id, shopDomain: row.shop_domain! });
  }
  return out;
}

/** The same through a running embedded server (its admin route, with the control token). */
export async function attachShopsViaServer(
  access: InstanceAccess,
  holder: Parameters<InstanceAccess['callServer']>[0],
  userId: string,
  shops: string[],
): Promise<AttachedShop[]> {
  const out: AttachedShop[] = [];
  for (const shop of shops) {
    const body = checkShop(userId, shop);
    const row = await access.callServer<{ id: string; shopDomain: string }>(
      holder,
      'POST',
      '/api/admin/integrations/shopify',
      body,
    );
    out.push({ integrationId: row.id, shopDomain: row.shopDomain });
  }
  return out;
}

export function addShopCommands(program: Command, access: InstanceAccess): void {
  const shopify = program.command('shopify').description('Shopify stores');
  addShopifyWebhookCommands(shopify, access);
  shopify
    .command('attach')
    .description(
      "vouch, as the operator, that a shop belongs to a user: their integration of it receives the shop's webhooks",
    )
    .option('--integration <id>', "a user's pending Shopify integration")
    .option('--user <id|email>', 'the user (with --shop)')
    .option('--shop <domain>', 'the shop, e.g. demo.myshopify.com (with --user)')
    .action(async (opts: { integration?: string; user?: string; shop?: string }) => {
      const cfg: Config = access.config();
      if (opts.integration && (opts.user || opts.shop))
        throw new Error('give either --integration ID, or --user and --shop');
      if (opts.integration) {
        const id = opts.integration;
        if (!z.uuid().safeParse(id).success) throw new Error(`--integration must be an integration id, got ${id}`);
        const row = await access.withDatabase(
          cfg,
          async (db) => {
            const proven = await markShopProven(db, id, 'operator');
            return proven ? { id: proven.id, shopDomain: proven.shop_domain } : undefined;
          },
          (h) =>
            access.callServer<{ id: string; shopDomain: string }>(
              h,
              'POST',
              `/api/admin/integrations/${encodeURIComponent(id)}/prove`,
            ),
        );
        if (!row) throw new Error(`no Shopify integration ${id}`);
        process.stdout.write(
          `${JSON.stringify({ integrationId: row.id, shopDomain: row.shopDomain, proven: true })}\n`,
        );
        return;
      }
      if (!opts.user || !opts.shop) throw new Error('give --integration ID, or --user (id or email) and --shop DOMAIN');
      const { user, shop } = { user: opts.user, shop: opts.shop };
      const [attached] = await access.withDatabase(
        cfg,
        async (db) => {
          const userId = await findUserId(db, user);
          if (!userId) throw new Error(`no user ${user}`);
          return attachShopsInDatabase(db, userId, [shop]);
        },
        (h) => attachShopsViaServer(access, h, user, [shop]),
      );
      process.stdout.write(`${JSON.stringify({ ...attached, proven: true })}\n`);
    });
}
