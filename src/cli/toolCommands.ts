import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildSimulatedDeliveries, listFixtureTopics } from '../sources/shopify/simulate.js';
import { createGenerator } from '../suggest/index.js';
import { previewSuggestion } from '../suggest/preview.js';
import { formatChecks, runDoctor } from './doctor.js';
import type { InstanceAccess } from './opsCommands.js';
import { addSupabaseCommands } from './supabaseCommands.js';

function parseJsonOption(name: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new Error(`--${name} must be a JSON object, e.g. '{"emoji":"none"}'`);
}

export function addToolCommands(program: Command, access: InstanceAccess): void {
  const simulate = program.command('simulate').description('send sample deliveries to a running instance');
  simulate
    .command('shopify')
    .description('send correctly signed Shopify webhooks built from the bundled fixtures')
    .argument(
      '<topic>',
      `a webhook topic (${listFixtureTopics()
        .map((t) => t.topic)
        .join(', ')})`,
    )
    .requiredOption('--shop <domain>', 'the shop domain, e.g. demo.myshopify.com')
    .option('--url <url>', 'base URL of the instance (default http://HOST:PORT)')
    .option('--count <n>', 'how many distinct deliveries', '1')
    .option('--secret <secret>', 'signing secret (default: the first of SHOPIFY_API_SECRET)')
    .option('--repeat', 'send the same deliveries as the last --repeat run (as Shopify retrying does): stored once')
    .action(
      async (topic: string, opts: { shop: string; url?: string; count: string; secret?: string; repeat?: boolean }) => {
        const cfg = access.config();
        const count = Number(opts.count);
        if (!Number.isInteger(count) || count < 1 || count > 100_000)
          throw new Error('--count must be an integer from 1 to 100000');
        const secret = opts.secret ?? cfg.shopify.apiSecrets[0];
        if (!secret)
          throw new Error(
            'no signing secret: set SHOPIFY_API_SECRET to the value the server was started with (export it in both ' +
              'terminals), or pass --secret',
          );
        const base = (opts.url ?? cfg.publicUrl).replace(/\/$/, '');
        const shop = opts.shop.toLowerCase();
        const deliveries = buildSimulatedDeliveries(topic, shop, count, secret, { repeat: opts.repeat });
        const results = await sendDeliveries(`${base}/webhooks/shopify`, deliveries);
        for (const [outcome, n] of results) process.stdout.write(`${n} x ${outcome}\n`);
        for (const hint of simulateHints([...results.keys()], { base, shop, secretFromEnv: !opts.secret })) {
          process.stdout.write(`${hint}\n`);
        }
        if ([...results.keys()].some((k) => !k.startsWith('200'))) process.exitCode = 1;
      },
    );

  program
    .command('doctor')
    .description('check the configuration you are about to run with, one line per check, and say what to fix')
    .action(async () => {
      const checks = await runDoctor();
      process.stdout.write(`${formatChecks(checks)}\n`);
      if (checks.some((c) => c.status === 'fail')) process.exitCode = 1;
    });

  const suggest = program.command('suggest').description('suggestions');
  suggest
    .command('preview')
    .description('print the suggestion a fixture would produce (tune a vibe without sending webhooks)')
    .requiredOption('--event-type <type>', 'e.g. shopify.product.created')
    .requiredOption('--fixture <file>', 'a JSON payload, e.g. fixtures/shopify/2026-04/products__create.json')
    .option('--vibe <json>', 'e.g. \'{"tone":"playful","emoji":"none"}\'')
    .option('--profile <json>', 'e.g. \'{"brand":"Acme","language":"es"}\'')
    .option('--llm', 'use the configured model (LOOKOUT_LLM_*) instead of the offline templates')
    .option('--json', 'print the whole result (draft and run) as JSON')
    .action(
      async (opts: {
        eventType: string;
        fixture: string;
        vibe?: string;
        profile?: string;
        llm?: boolean;
        json?: boolean;
      }) => {
        const cfg = access.config();
        const result = await previewSuggestion({
          eventType: opts.eventType,
          fixturePath: opts.fixture,
          vibe: parseJsonOption('vibe', opts.vibe),
          profile: parseJsonOption('profile', opts.profile),
          generator: opts.llm ? createGenerator(cfg) : undefined,
        });
        if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        else process.stdout.write(`# ${result.draft.title}\n\n${result.draft.body}\n`);
      },
    );

  const supabase = program.command('supabase').description('Supabase projects');
  addSupabaseCommands(supabase, access);

  const migrations = supabase.command('migrations').description("a project's migration files");
  migrations
    .command('report')
    .description(
      'send the names and SHA-256 of your migration files to Lookout, which compares them with what your ' +
        'database has applied',
    )
    .requiredOption('--integration <id>', 'the supabase integration id')
    .requiredOption('--dir <folder>', 'your migrations folder, e.g. supabase/migrations')
    .option('--url <url>', 'base URL of the Lookout instance (default http://HOST:PORT)')
    .option('--allow-empty', 'report a folder without .sql files (every applied migration is then missing locally)')
    .option('--json', "print Lookout's answer as JSON")
    .action(async (opts: { integration: string; dir: string; url?: string; allowEmpty?: boolean; json?: boolean }) => {
      const apiKey = process.env.LOOKOUT_API_KEY?.trim();
      if (!apiKey) throw new Error('set LOOKOUT_API_KEY to your API key (lk_...)');
      const files = await readMigrationFiles(opts.dir);
      if (files.length === 0 && !opts.allowEmpty)
        throw new Error(
          `${opts.dir} holds no .sql files: is it your supabase/migrations folder? (--allow-empty reports it anyway)`,
        );
      const base = (opts.url ?? access.config().publicUrl).replace(/\/$/, '');
      const res = await fetch(`${base}/api/integrations/${encodeURIComponent(opts.integration)}/supabase/migrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ dir: opts.dir, files }),
      });
      const text = await res.text();
      let body: { migrations?: number; ignored?: string[]; error?: { message?: string } } = {};
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        /* not JSON */
      }
      if (!res.ok) throw new Error(`Lookout refused the report (${res.status}): ${body.error?.message ?? text}`);
      if (opts.json) {
        process.stdout.write(`${text}\n`);
        return;
      }
      const ignored = body.ignored ?? [];
      process.stdout.write(
        `reported ${body.migrations ?? files.length} migration${body.migrations === 1 ? '' : 's'} from ${opts.dir}` +
          `${ignored.length ? ` (${ignored.length} ignored, not <version>_<name>.sql: ${ignored.join(', ')})` : ''}; ` +
          'Lookout compares them with your database at its next poll\n',
      );
    });
}

/** The .sql files of a folder on this machine, with the SHA-256 of each, sorted by name. */
async function readMigrationFiles(dir: string): Promise<Array<{ name: string; sha256: string }>> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${dir} does not exist`);
    if (code === 'ENOTDIR') throw new Error(`${dir} is not a folder`);
    throw err;
  }
  const names = entries
    .filter((e) => e.isFile() && e.name.endsWith('.sql'))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => ({
      name,
      sha256: createHash('sha256')
        .update(await readFile(join(dir, name)))
        .digest('hex'),
    })),
  );
}

/** Posts the deliveries, 16 at a time; returns "status detail" -> count. */
async function sendDeliveries(
  url: string,
  deliveries: Array<{ headers: Record<string, string>; body: Buffer }>,
): Promise<Map<string, number>> {
  const statuses = new Map<string, number>();
  const concurrency = 16;
  for (let i = 0; i < deliveries.length; i += concurrency) {
    await Promise.all(
      deliveries.slice(i, i + concurrency).map(async (d) => {
        let res: Response;
        try {
          res = await fetch(url, { method: 'POST', headers: d.headers, body: new Uint8Array(d.body) });
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
          throw new Error(
            `cannot reach Lookout at ${new URL(url).origin} (${cause}): is \`npm start\` running? ` +
              'If it listens elsewhere, pass --url or set PORT/HOST as the server has them.',
          );
        }
        const text = await res.text();
        let outcome = String(res.status);
        try {
          const b = JSON.parse(text) as { status?: string; error?: { message?: string } };
          outcome += b.status ? ` ${b.status}` : b.error?.message ? ` ${b.error.message}` : '';
        } catch {
          /* not JSON */
        }
        statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
      }),
    );
  }
  return statuses;
}

/** What to do next, for each kind of answer a newcomer can get. */
export function simulateHints(
  outcomes: string[],
  ctx: { base: string; shop: string; secretFromEnv: boolean },
): string[] {
  const hints: string[] = [];
  if (outcomes.some((o) => o.startsWith('401'))) {
    hints.push(
      ctx.secretFromEnv
        ? 'The server refused the signature: it verifies with its own SHOPIFY_API_SECRET. Start it with the same ' +
            'value as this terminal has (export SHOPIFY_API_SECRET=... before npm start), or pass --secret.'
        : 'The server refused the signature: --secret must be the SHOPIFY_API_SECRET the server was started with.',
    );
  }
  if (outcomes.some((o) => /^200 unknown_shop/.test(o))) {
    hints.push(
      `Nobody has connected ${ctx.shop} yet, so nothing was stored: connect it first, e.g. \`npx lookout users ` +
        `create --email you@example.com --shop ${ctx.shop}\`.`,
    );
  }
  if (outcomes.some((o) => o.startsWith('200 unproven_shop'))) {
    hints.push(
      `${ctx.shop} is claimed but not proven, so nothing was stored: the operator attaches it (\`npx lookout ` +
        `shopify attach --user EMAIL --shop ${ctx.shop}\`), or the user proves it with an access token (POST ` +
        `/api/integrations/ID/shopify/verify).`,
    );
  }
  if (outcomes.some((o) => o.startsWith('200 duplicate'))) {
    hints.push('Duplicate: these exact deliveries were stored before. Run without --repeat for new ones.');
  }
  if (outcomes.some((o) => o.startsWith('200 stored'))) {
    hints.push(
      `Stored. Open ${ctx.base} and sign in with the user's API key: new products get their suggestion once the 10 ` +
        `s bulk-import window is quiet.`,
    );
  }
  return hints;
}
