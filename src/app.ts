import { randomBytes } from 'node:crypto';
import { actionRoutes } from './api/actionRoutes.js';
import { adminRoutes } from './api/adminRoutes.js';
import { bearerToken } from './api/auth.js';
import { eventRoutes } from './api/eventRoutes.js';
import { eventTypeRoutes } from './api/eventTypeRoutes.js';
import { healthRoutes } from './api/healthRoutes.js';
import { adminInspectRoutes, inspectRoutes } from './api/inspectRoutes.js';
import { integrationRoutes } from './api/integrationRoutes.js';
import { loopRoutes } from './api/loopRoutes.js';
import { buildMetricsServer } from './api/metricsServer.js';
import { opsRoutes } from './api/opsRoutes.js';
import { channelTarget, preferenceRoutes, switchOffGoneChannel } from './api/preferenceRoutes.js';
import { type App, buildServer } from './api/server.js';
import { shopifyInstallRoutes } from './api/shopifyInstallRoutes.js';
import { statsRoutes } from './api/statsRoutes.js';
import { suggestionRoutes } from './api/suggestionRoutes.js';
import { supabaseConnectAdminRoutes, supabaseConnectRoutes } from './api/supabaseWebhookRoutes.js';
import { bootstrapQuickSetup } from './bootstrap.js';
import { type Config, ConfigError, type Role } from './config.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/connect.js';
import type { Database } from './db/database.js';
import type { DataDirLock } from './db/dataDirLock.js';
import { migrate } from './db/migrate.js';
import { findUserIdByApiKey, getUser } from './db/queries/users.js';
import { EventStore } from './ingest/eventStore.js';
import { ShopRouting } from './ingest/shopRouting.js';
import { loadAdminToken, loadSecretBox } from './lib/instanceSecrets.js';
import { createLogger, type Logger } from './lib/logger.js';
import type { GuardOptions, HostResolver } from './lib/urlGuard.js';
import { BackgroundEventLoop } from './loop/backgroundEventLoop.js';
import type { Poller } from './loop/pollers.js';
import { Metrics } from './metrics.js';
import { ActionLinkKey } from './notify/actionLinks.js';
import { StreamBus } from './notify/bus.js';
import { CHANNELS, type ChannelKind, type Channels, type ChannelTargets } from './notify/channels/registry.js';
import { DeliveryWorker } from './notify/deliveries.js';
import { mountStream } from './notify/sse.js';
import { AlertSender } from './ops/alertNotices.js';
import { AlertEvaluator } from './ops/alerts.js';
import { RejectionLedger } from './ops/rejectionLedger.js';
import { createEnricher } from './processing/enrich.js';
import { EventWorker, type EventWorkerOptions } from './processing/eventWorker.js';
import { RetentionJob, type RetentionOptions } from './retention/retention.js';
import { SOURCES } from './sources/index.js';
import { DdlListeners } from './sources/supabase/ddlListener.js';
import { createGenerator } from './suggest/index.js';
import type { SuggestionGenerator } from './suggest/types.js';
import { dashboardRoutes } from './web/dashboardRoutes.js';

/** Something a role runs in the background: started after the server listens, stopped before the db closes. */
export interface Component {
  name: string;
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

export interface Lookout {
  ctx: AppContext;
  server?: App;
  /** The LOOKOUT_METRICS_PORT server, when configured. */
  metricsServer?: App;
  /** Its base URL, once listen() has run. */
  metricsUrl?: string;
  components: Component[];
  worker?: EventWorker;
  deliveries?: DeliveryWorker;
  /** Operator alerts: evaluated by worker roles (src/ops/alerts.ts). */
  alerts?: AlertEvaluator;
  /** Carries webhook rejections to the database for the alerts: web roles. */
  rejectionLedger?: RejectionLedger;
  retention?: RetentionJob;
  /** The operator token, when this start generated it: set by listen() once the server is up (print it then). */
  generatedAdminToken?: string;
  /** Quick set-up's default user's API key, the first time only. */
  defaultUserApiKey?: string;
  /** Starts the role's components and, for web roles, listens on config.port/host; returns the base URL. */
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
  /** Replaces the configured generator (tests that need a failing or slow one). */
  generator?: SuggestionGenerator;
  worker?: EventWorkerOptions;
  /** Replaces sources' pollers, per integration kind (tests). */
  pollers?: ConstructorParameters<typeof BackgroundEventLoop>[0]['pollers'];
  loop?: ConstructorParameters<typeof BackgroundEventLoop>[1];
  /** Replaces the system resolver for user-supplied URLs (tests point names at addresses). */
  resolveHost?: HostResolver;
  /**
   * The workers' clock: what is due, when a debounce or batch is quiet, and when operator alerts
   * are measured and due (tests move time).
   */
  clock?: () => Date;
  /** Overrides of the retention job (tests: batch size, interval). */
  retention?: Partial<Omit<RetentionOptions, 'retentionDays' | 'acceptedDays'>>;
}

/** The composition root: builds every part of one process for its role (all, web or worker). */
export async function createLookout(config: Config, opts: CreateOptions = {}): Promise<Lookout> {
  const role = opts.role ?? 'all';
  if (
    role !== 'worker' &&
    config.metricsPort !== undefined &&
    config.metricsPort !== 0 &&
    config.metricsPort === config.port
  )
    throw new ConfigError(
      'invalid configuration:\n' +
        `  LOOKOUT_METRICS_PORT: must differ from PORT (${config.port}), which already serves /metrics`,
    );
  const log = opts.log ?? createLogger(config.logLevel);
  // Tests pass an open database (which they close); otherwise the configured one is opened.
  const opened: { db: Database; lock?: DataDirLock; close(): Promise<void> } = opts.db
    ? { db: opts.db, close: async () => {} }
    : await openDatabase(config, { applicationName: `lookout-${role}`, log });
  const { db, lock } = opened;
  const closeDb = () => opened.close();
  if (opts.db) await migrate(db);
  try {
    const secrets = await loadSecretBox(config, db, log);
    const admin = await loadAdminToken(config, db);
    // A per-run token in the 0600 lock file lets a second `lookout` command on this machine act
    // through this server instead of opening the embedded data folder itself.
    const controlToken = lock ? `lkc_${randomBytes(24).toString('base64url')}` : undefined;
    if (controlToken) admin.verifier.addToken(controlToken);
    const metrics = opts.metrics ?? new Metrics();
    // liveFeed: each stored event's SSE message is written by the same INSERT.
    const eventStore = new EventStore(db, metrics, { liveFeed: true, log, ...config.ingest });
    const bus = new StreamBus(db, { logger: log });
    const pollers: Record<string, Poller> = {
      ...Object.fromEntries(SOURCES.flatMap((s) => (s.poller ? [[s.kind, s.poller]] : []))),
      ...opts.pollers,
    };
    const urlGuard: GuardOptions = { allowPrivate: config.allowPrivateUrls, resolve: opts.resolveHost };
    const loop = new BackgroundEventLoop(
      { db, eventStore, metrics, log, config, secrets, pollers, urlGuard },
      { maxConcurrent: config.pollConcurrency, ...opts.loop },
    );
    const ctx: AppContext = {
      config,
      role,
      db,
      log,
      secrets,
      metrics,
      eventStore,
      bus,
      loop,
      adminTokens: admin.verifier,
      shopRouting: new ShopRouting(db),
      urlGuard,
      actionLinks: new ActionLinkKey(secrets.deriveSecret('action-links')),
    };
    const quickSetup = await bootstrapQuickSetup(ctx);
    // Every stored event reaches the user's open dashboards (in every process, through the bus).
    eventStore.onStored((stored) => {
      const messages = stored.flatMap((e) =>
        e.stream
          ? [
              {
                streamId: e.stream.streamId,
                userId: e.userId,
                type: 'event' as const,
                id: e.id,
                data: e.stream.data,
                createdAt: e.stream.createdAt.toISOString(),
              },
            ]
          : [],
      );
      void bus.announce(messages).catch((err: unknown) => log.warn({ err }, 'could not announce stored events'));
    });

    const components: Component[] = [{ name: 'stream bus', start: () => bus.start(), stop: () => bus.stop() }];
    let worker: EventWorker | undefined;
    let deliveries: DeliveryWorker | undefined;
    let alerts: AlertEvaluator | undefined;
    // Web roles write too: a user's "Regenerate" and an operator's replay of a processed event.
    const generation = {
      generator: opts.generator ?? createGenerator(config),
      enrich: createEnricher({ db, config, secrets }),
    };
    let rejectionLedger: RejectionLedger | undefined;
    if (role !== 'worker') {
      const ledger = new RejectionLedger({ db, metrics, log });
      rejectionLedger = ledger;
      components.push({ name: 'rejection ledger', start: () => ledger.start(), stop: () => ledger.stop() });
    }
    let retention: RetentionJob | undefined;
    if (role !== 'web') {
      worker = new EventWorker(
        {
          db,
          eventStore,
          metrics,
          log,
          config,
          bus,
          ...generation,
          now: opts.clock,
        },
        {
          ...config.worker,
          // One process serving webhooks too: ingest first. A delivery waiting for its commit
          // makes the claim loops wait (briefly) before taking more work.
          ...(role === 'all' ? { yieldWhile: () => eventStore.oldestWaitMs() > 2, maxYieldMs: 1_000 } : {}),
          ...opts.worker,
        },
      );
      // Every registered channel this server can send through (email needs SMTP).
      const channels: Channels = CHANNELS.createSenders({ config, secrets });
      deliveries = new DeliveryWorker({
        db,
        channels,
        publicUrl: config.publicUrl,
        actionLinks: ctx.actionLinks,
        logger: log,
        onOutcome: (o) => metrics.notifications.inc({ channel: o.channel, outcome: o.status }),
        // Channel secrets are sealed: the target is read (and decrypted) at send time.
        resolveTarget: async <K extends ChannelKind>(
          userId: string,
          channel: K,
        ): Promise<ChannelTargets[K] | undefined> => {
          const user = await getUser(db, userId);
          return user ? channelTarget(secrets, user, channel) : undefined;
        },
        // An expired push subscription: its channel and sealed secrets are removed.
        onTargetGone: switchOffGoneChannel(db, secrets),
      });
      retention = new RetentionJob(db, {
        retentionDays: config.retention.days,
        acceptedDays: config.retention.acceptedDays,
        now: opts.clock,
        log,
        ...opts.retention,
      });
      const w = worker;
      const d = deliveries;
      const a = new AlertEvaluator({
        db,
        config: config.alerts,
        sender: new AlertSender({ channels: config.alerts.channels, smtp: config.smtp }),
        log,
        statusUrl: `${config.publicUrl}/api/admin/status`,
        clock: opts.clock,
      });
      alerts = a;
      const r = retention;
      components.push(
        { name: 'event worker', start: () => w.start(), stop: () => w.stop() },
        { name: 'poll loop', start: () => loop.startForAllUsers(), stop: () => loop.stopAll() },
        { name: 'delivery worker', start: () => d.start(), stop: () => d.stop() },
        { name: 'operator alerts', start: () => a.start(), stop: () => a.stop() },
        { name: 'retention', start: () => r.start(), stop: () => r.stop() },
      );
    }
    // Real-time schema events: a LISTEN per project database with the DDL trigger (worker roles).
    const ddlListeners =
      role === 'web'
        ? undefined
        : new DdlListeners({ db, secrets, guard: urlGuard, log, pollSoon: (id) => loop.pollSoon(id) });
    if (ddlListeners) components.push(ddlListeners);
    const connectHooks = {
      onDdlTriggerInstalled: (row: { id: string }) => {
        ddlListeners?.refresh(row.id);
        void loop.pollSoon(row.id).catch((err: unknown) => log.warn({ err }, 'could not schedule a poll'));
      },
    };

    const server =
      role === 'worker'
        ? undefined
        : await buildServer(ctx, [
            healthRoutes,
            dashboardRoutes,
            statsRoutes,
            eventTypeRoutes,
            // Each source's webhook routes, in their own scope (raw bodies, load shedding).
            ...SOURCES.flatMap((s) => (s.webhookRoutes ? [s.webhookRoutes] : [])),
            adminRoutes,
            opsRoutes,
            (app) =>
              integrationRoutes(app, ctx, {
                onCreated: (row) => {
                  ctx.shopRouting.forget(row.shop_domain);
                  loop.integrationChanged();
                },
                onDeleted: (row) => {
                  ctx.shopRouting.forget(row.shop_domain);
                  ddlListeners?.refresh();
                },
              }),
            (app) => supabaseConnectRoutes(app, ctx, connectHooks),
            (app) => supabaseConnectAdminRoutes(app, ctx, connectHooks),
            shopifyInstallRoutes,
            eventRoutes,
            suggestionRoutes,
            actionRoutes,
            (app) => inspectRoutes(app, ctx, generation),
            (app) => adminInspectRoutes(app, ctx, generation),
            preferenceRoutes,
            loopRoutes,
            (app) =>
              mountStream(app, {
                bus,
                authenticate: async (req) => {
                  const key = bearerToken(req);
                  return key ? findUserIdByApiKey(db, key) : undefined;
                },
              }),
          ]);

    const metricsServer = config.metricsPort === undefined ? undefined : await buildMetricsServer(ctx);

    let closing: Promise<void> | undefined;
    const lookout: Lookout = {
      ctx,
      server,
      metricsServer,
      components,
      worker,
      deliveries,
      alerts,
      rejectionLedger,
      retention,
      generatedAdminToken: undefined,
      defaultUserApiKey: quickSetup.defaultUserApiKey,
      async listen() {
        for (const c of components) await c.start();
        if (metricsServer) {
          const address = await metricsServer.listen({ port: config.metricsPort, host: config.host });
          lookout.metricsUrl = address.replace('[::1]', 'localhost');
        }
        if (!server) return '';
        const address = await server.listen({ port: config.port, host: config.host });
        const url = address.replace('[::1]', 'localhost');
        lock?.update({ url, controlToken });
        // Only a start that serves keeps (and so shows) a generated operator token.
        if (admin.generated && (await admin.generated.keep())) lookout.generatedAdminToken = admin.generated.token;
        return url;
      },
      close() {
        closing ??= (async () => {
          await server?.close();
          await metricsServer?.close();
          for (const c of [...components].reverse()) {
            await c.stop().catch((err: unknown) => log.error({ err, component: c.name }, 'stop failed'));
          }
          await closeDb();
        })();
        return closing;
      },
    };
    return lookout;
  } catch (err) {
    await closeDb();
    throw err;
  }
}
