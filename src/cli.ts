#!/usr/bin/env node
import cluster from 'node:cluster';
import { createServer } from 'node:net';
import { Command, Option } from 'commander';
import { CreateUserBody } from './api/adminRoutes.js';
import { createLookout } from './app.js';
import { addOpsCommands, type InstanceAccess } from './cli/opsCommands.js';
import { callServer } from './cli/serverCall.js';
import {
  type AttachedShop,
  addShopCommands,
  attachShopsInDatabase,
  attachShopsViaServer,
  checkShop,
} from './cli/shopCommands.js';
import { addToolCommands } from './cli/toolCommands.js';
import { type Config, ConfigError, loadConfig, type Role } from './config.js';
import { openDatabase } from './db/connect.js';
import type { Database } from './db/database.js';
import { DataDirBusyError, type LockInfo, readLock } from './db/dataDirLock.js';
import { migrate } from './db/migrate.js';
import { createUserWithKey } from './db/queries/users.js';
import { createLogger } from './lib/logger.js';
import { installProcessGuards } from './lib/processGuards.js';
import type { Metrics } from './metrics.js';
import { parseWebWorkers, runWebCluster, shareMetricsWithPrimary } from './webCluster.js';

/** Thrown for expected failures: printed as one line, exit code 1, no stack. */
class CliError extends Error {}

function portInUse(host: string, port: number): CliError {
  return new CliError(
    `port ${port} on ${host} is already in use (another lookout, or another program): ` +
      `stop it, or choose another port, e.g. PORT=${port + 1} npm start`,
  );
}

/** Binds the port for a moment: the friendly message comes before anything is created. */
function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(portInUse(host, port));
      else if (err.code === 'EACCES')
        reject(new CliError(`port ${port} needs privileges on this machine: choose a port above 1023, e.g. PORT=3000`));
      else if (err.code === 'EADDRNOTAVAIL')
        reject(
          new CliError(`HOST=${host} is not an address of this machine: use 127.0.0.1, or 0.0.0.0 for every interface`),
        );
      else reject(err);
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** What a newcomer needs to hear at start: settings that leave a feature silently off. */
export function startWarnings(cfg: Config, role: Role): string[] {
  const warnings: string[] = [];
  if (role !== 'worker' && cfg.shopify.apiSecrets.length === 0) {
    warnings.push(
      'SHOPIFY_API_SECRET is not set: Shopify webhooks signed with the app secret are refused (401). ' +
        "Set it to your app's client secret (or any value, the same one in both terminals, to try `lookout simulate`).",
    );
  }
  return warnings;
}

function config(): Config {
  return loadConfig();
}

/**
 * Opens the database for a one-shot command. In embedded mode a running server owns the folder:
 * `viaServer` is used when given (the command acts through that server's API), otherwise we refuse.
 */
async function withDatabase<T>(
  cfg: Config,
  fn: (db: Database) => Promise<T>,
  viaServer?: (holder: LockInfo) => Promise<T>,
  opts: { migrate?: boolean } = {},
): Promise<T> {
  if (!cfg.databaseUrl) {
    const holder = readLock(cfg.dataDir);
    if (holder) {
      if (viaServer && holder.url && holder.controlToken) return viaServer(holder);
      throw new DataDirBusyError(cfg.dataDir, holder);
    }
  }
  const opened = await openDatabase(cfg, { applicationName: 'lookout-cli', migrate: opts.migrate });
  try {
    return await fn(opened.db);
  } finally {
    await opened.close();
  }
}

export function buildCli(): Command {
  const program = new Command('lookout')
    .description('Lookout: Shopify and Supabase events in, proactive suggestions out')
    .showHelpAfterError();

  program
    .command('start')
    .description('serve webhooks, API and dashboard, and run workers and poll loops')
    .addOption(
      new Option('--role <role>', 'web: HTTP only; worker: processing and polling only')
        .choices(['all', 'web', 'worker'])
        .default('all'),
    )
    .addOption(
      new Option(
        '--workers <n>',
        'web role only: N web processes sharing the port (node:cluster), or auto (one per CPU)',
      )
        .env('LOOKOUT_WEB_WORKERS')
        .default('1'),
    )
    .action(async (opts: { role: Role; workers: string }) => {
      const cfg = config();
      const log = createLogger(cfg.logLevel);
      const workers = parseWebWorkers(opts.workers);
      if (typeof workers !== 'number') throw new CliError(workers.error);
      const inCluster = cluster.isWorker;
      if (workers > 1 && !inCluster) {
        if (opts.role !== 'web')
          throw new CliError(
            `--workers ${workers} needs --role web: the worker role's processing scales ` +
              'by starting more `lookout start --role worker` processes',
          );
        if (!cfg.databaseUrl)
          throw new CliError(
            `--workers ${workers} needs PostgreSQL (DATABASE_URL): ` +
              "the embedded database's data folder is owned by one process",
          );
        await assertPortFree(cfg.host, cfg.port);
        installProcessGuards(log, () => {});
        const code = await runWebCluster({ workers, log, metricsPort: cfg.metricsPort, host: cfg.host });
        process.exit(code);
      }
      let metrics: Metrics | undefined;
      installProcessGuards(log, (kind) => metrics?.processErrors.inc({ kind }));
      // A port in use is found before anything is created or printed: no spent "shown once" secret.
      // In a cluster the primary checked it (and a worker's probe would go through the primary).
      if (opts.role !== 'worker' && !inCluster) await assertPortFree(cfg.host, cfg.port);
      // In a cluster the primary serves LOOKOUT_METRICS_PORT, summing every worker's registry.
      const lookout = await createLookout(inCluster ? { ...cfg, metricsPort: undefined } : cfg, {
        role: opts.role,
        log,
      });
      metrics = lookout.ctx.metrics;
      if (inCluster) shareMetricsWithPrimary(metrics.registry);
      let url: string;
      try {
        url = await lookout.listen();
      } catch (err) {
        await lookout.close().catch(() => {});
        if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portInUse(cfg.host, cfg.port);
        throw err;
      }
      if (lookout.generatedAdminToken) {
        // Printed once, after the server is up: only its hash is stored.
        process.stdout.write(
          '\nOperator token (shown once; set LOOKOUT_ADMIN_TOKEN to choose your own):\n' +
            `  ${lookout.generatedAdminToken}\n\n`,
        );
      }
      if (lookout.defaultUserApiKey) {
        process.stdout.write(
          'API key of the default user owner@lookout.local (quick set-up; shown once):\n' +
            `  ${lookout.defaultUserApiKey}\n\n`,
        );
      }
      for (const warning of startWarnings(cfg, opts.role)) log.warn(warning);
      log.info(
        {
          role: opts.role,
          database: lookout.ctx.db.engine,
          url: url || undefined,
          metricsUrl: lookout.metricsUrl ? `${lookout.metricsUrl}/metrics` : undefined,
        },
        'lookout started',
      );
      let stopping = false;
      const stop = (signal: string) => {
        // In a cluster, Ctrl-C reaches the worker and the primary (which passes it on): one drain.
        if (stopping && inCluster) return;
        if (stopping) {
          log.warn('second signal: exiting now');
          process.exit(1);
        }
        stopping = true;
        log.info({ signal }, 'shutting down');
        const force = setTimeout(() => {
          log.error('shutdown took over 25 s: exiting');
          process.exit(1);
        }, 25_000);
        force.unref();
        lookout.close().then(
          () => process.exit(0),
          (err: unknown) => {
            log.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    });

  program
    .command('migrate')
    .description('apply database migrations and exit')
    .action(async () => {
      const cfg = config();
      await withDatabase(
        cfg,
        async (db) => {
          const applied = await migrate(db);
          process.stdout.write(
            applied.length ? `applied ${applied.map((m) => m.name).join(', ')}\n` : 'database is up to date\n',
          );
        },
        async (holder) => {
          process.stdout.write(
            `the data folder is served by a running lookout (pid ${holder.pid}), ` +
              'which applied its migrations at start: up to date\n',
          );
        },
        { migrate: false },
      );
    });

  const access: InstanceAccess = { withDatabase, callServer, config };
  const users = program.command('users').description('manage users');
  users
    .command('create')
    .description('create a user and print {"id","apiKey"} (and the shops attached with --shop)')
    .requiredOption('--email <email>', "the user's email")
    .option('--name <name>', 'display name')
    .option(
      '--shop <domain>',
      "attach a Shopify shop the operator vouches for (repeatable): it receives the shop's webhooks",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .action(async (opts: { email: string; name?: string; shop?: string[] }) => {
      const cfg = config();
      const body = { email: opts.email, ...(opts.name ? { name: opts.name } : {}) };
      const parsed = CreateUserBody.safeParse(body);
      if (!parsed.success)
        throw new CliError(
          `invalid user: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      const shops = opts.shop ?? [];
      // Every shop is checked before the user is made, so a typo does not leave a half-done user.
      for (const shop of shops) checkShop(parsed.data.email, shop);
      type Created = { id: string; apiKey: string; shops: AttachedShop[] };
      const created = await withDatabase<Created>(
        cfg,
        (db) =>
          db.transaction(async (tx) => {
            const user = await createUserWithKey(tx, parsed.data);
            return { ...user, shops: await attachShopsInDatabase(tx, user.id, shops) };
          }),
        async (holder) => {
          const user = await callServer<{ id: string; apiKey: string }>(
            holder,
            'POST',
            '/api/admin/users',
            parsed.data,
          );
          return { ...user, shops: await attachShopsViaServer(access, holder, user.id, shops) };
        },
      );
      process.stdout.write(
        `${JSON.stringify({
          id: created.id,
          apiKey: created.apiKey,
          ...(shops.length ? { shops: created.shops } : {}),
        })}\n`,
      );
    });

  addOpsCommands(program, access);
  addShopCommands(program, access);
  addToolCommands(program, access);
  return program;
}

async function main(): Promise<void> {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof CliError || err instanceof DataDirBusyError) {
      process.stderr.write(`lookout: ${err.message}\n`);
    } else if (err instanceof Error && !(err instanceof TypeError) && !(err instanceof RangeError)) {
      // Expected failures (bad input, unreachable server, duplicate user): one line, no stack.
      process.stderr.write(`lookout: ${err.message}\n`);
      if (process.env.LOG_LEVEL === 'debug' && err.stack) process.stderr.write(`${err.stack}\n`);
    } else {
      process.stderr.write(`lookout: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exit(1);
  }
}

await main();
