import { randomBytes } from 'node:crypto';
import { adminRoutes } from './api/adminRoutes.js';
import { eventRoutes } from './api/eventRoutes.js';
import { healthRoutes } from './api/healthRoutes.js';
import { integrationRoutes } from './api/integrationRoutes.js';
import { preferenceRoutes } from './api/preferenceRoutes.js';
import { buildServer, type App } from './api/server.js';
import { suggestionRoutes } from './api/suggestionRoutes.js';
import { bootstrapQuickSetup } from './bootstrap.js';
import type { Config, Role } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/connect.js';
import type { Database } from './db/database.js';
import type { DataDirLock } from './db/dataDirLock.js';
import { migrate } from './db/migrate.js';
import { EventStore } from './ingest/eventStore.js';
import { shopifyWebhookRoutes } from './ingest/shopifyWebhook.js';
import { loadAdminToken, loadSecretBox } from './lib/instanceSecrets.js';
import { createLogger, type Logger } from './lib/logger.js';
import { Metrics } from './metrics.js';

/** Something the worker role runs in the background: started after the server, stopped before the db closes. */
export interface Component {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

export interface Lookout {
  ctx: AppContext;
  server?: App;
  components: Component[];
  /** The operator token, the first time only (when it was generated). */
  generatedAdminToken?: string;
  /** Listens on config.port/host (web roles); returns the base URL. */
  listen(): Promise<string>;
  /** Graceful: stop accepting, finish in-flight work, stop components, close the database. */
  close(): Promise<void>;
}

export interface CreateOptions {
  role?: Role;
  log?: Logger;
  /** An already-open database (tests); otherwise the configured one is opened and migrated. */
  db?: Database;
  metrics?: Metrics;
}

export async function createLookout(config: Config, opts: CreateOptions = {}): Promise<Lookout> {
  const role = opts.role ?? 'all';
  const log = opts.log ?? createLogger(config.logLevel);
  let db = opts.db;
  let closeDb = async () => {};
  let lock: DataDirLock | undefined;
  if (db) {
    await migrate(db);
  } else {
    const opened = await openDatabase(config, { applicationName: `lookout-${role}` });
    db = opened.db;
    lock = opened.lock;
    closeDb = opened.close;
  }
  try {
    const secrets = await loadSecretBox(config, db, log);
    const admin = await loadAdminToken(config, db);
    // A per-run token in the 0600 lock file lets a second `lookout` command on this machine act
    // through this server instead of opening the embedded data folder itself.
    const controlToken = lock ? `lkc_${randomBytes(24).toString('base64url')}` : undefined;
    const metrics = opts.metrics ?? new Metrics();
    const ctx: AppContext = {
      config, role, db, log, secrets, metrics,
      adminTokens: controlToken ? admin.verifier.withExtra(controlToken) : admin.verifier,
      eventStore: new EventStore(db, metrics),
    };
    await bootstrapQuickSetup(ctx);

    const components: Component[] = [];
    const server = role === 'worker' ? undefined : await buildServer(ctx, [
      healthRoutes,
      shopifyWebhookRoutes,
      adminRoutes,
      (app) => integrationRoutes(app, ctx),
      eventRoutes,
      suggestionRoutes,
      preferenceRoutes,
    ]);

    let closing: Promise<void> | undefined;
    return {
      ctx, server, components,
      generatedAdminToken: admin.generated,
      async listen() {
        for (const c of components) await c.start();
        if (!server) return '';
        const address = await server.listen({ port: config.port, host: config.host });
        const url = address.replace('[::1]', 'localhost');
        lock?.update({ url, controlToken });
        return url;
      },
      close() {
        closing ??= (async () => {
          await server?.close();
          for (const c of [...components].reverse()) {
            await c.stop().catch((err: unknown) => log.error({ err, component: c.name }, 'stop failed'));
          }
          await closeDb();
        })();
        return closing;
      },
    };
  } catch (err) {
    await closeDb();
    throw err;
  }
}
