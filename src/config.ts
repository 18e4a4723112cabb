import { createECDH } from 'node:crypto';
import { delimiter, resolve } from 'node:path';
import { z } from 'zod';

/** Raised when the environment is wrong: the message names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z.string().trim().min(1).optional();
const httpUrl = z.url({ protocol: /^https?$/ });

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOOKOUT_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(5_000),
  LOOKOUT_HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  LOOKOUT_HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  LOOKOUT_HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(72_000),
  LOOKOUT_DATA_DIR: z.string().min(1).default('./.lookout'),
  LOOKOUT_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOOKOUT_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -hex 32)').optional(),
  SHOPIFY_API_SECRET: optionalString,
  SHOPIFY_API_KEY: optionalString,
  SHOPIFY_STORE_URL: optionalString,
  SHOPIFY_ACCESS_TOKEN: optionalString,
  SHOPIFY_API_VERSION: z
    .string()
    .regex(/^\d{4}-\d{2}$|^unstable$/, 'must look like 2026-04')
    .default('2026-04'),
  SHOPIFY_ADMIN_API_URL: httpUrl.optional(),
  SHOPIFY_SCOPES: z
    .string()
    .regex(/^\s*[a-z_]+(\s*,\s*[a-z_]+)*\s*$/, 'must be comma-separated scopes, e.g. read_products,read_orders')
    .default('read_products,read_inventory,read_orders'),
  SUPABASE_URL: httpUrl.optional(),
  SUPABASE_SERVICE_ROLE_KEY: optionalString,
  SUPABASE_DB_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  SUPABASE_MIGRATIONS_DIR: optionalString,
  LOOKOUT_LLM_BASE_URL: httpUrl.optional(),
  LOOKOUT_LLM_MODEL: optionalString,
  LOOKOUT_LLM_API_KEY: optionalString,
  LOOKOUT_LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  LOOKOUT_POLL_INTERVAL_S: z.coerce.number().int().min(1).max(86_400).default(60),
  LOOKOUT_POLL_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  LOOKOUT_WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(100),
  LOOKOUT_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  LOOKOUT_WORKER_LEASE_S: z.coerce.number().min(1).max(86_400).default(60),
  LOOKOUT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  LOOKOUT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  LOOKOUT_RETENTION_ACCEPTED_DAYS: z.coerce.number().int().min(1).max(36_500).default(365),
  LOOKOUT_INGEST_MAX_WAIT_MS: z.coerce.number().int().min(1).max(600_000).default(2_000),
  LOOKOUT_INGEST_MAX_PENDING: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  LOOKOUT_ALLOW_PRIVATE_URLS: bool.default(false),
  LOOKOUT_MIGRATIONS_ROOT: optionalString,
  LOOKOUT_PUBLIC_URL: httpUrl.optional(),
  LOOKOUT_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  LOOKOUT_SMTP_FROM: z.string().min(3).default('Lookout <lookout@localhost>'),
  // VAPID keys in the base64url form `web-push generate-vapid-keys` prints: a P-256 public point
  // (65 bytes) and private scalar (32 bytes).
  LOOKOUT_VAPID_PUBLIC_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{87}$/, 'must be a base64url P-256 public key (65 bytes, 87 characters)')
    .optional(),
  LOOKOUT_VAPID_PRIVATE_KEY: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be a base64url P-256 private key (32 bytes, 43 characters)')
    .optional(),
  LOOKOUT_VAPID_SUBJECT: z
    .string()
    .regex(/^(mailto:\S+@\S+|https:\/\/\S+)$/, 'must be a mailto: address or an https:// URL')
    .optional(),
  LOOKOUT_ALERT_SLACK_URL: httpUrl.optional(),
  LOOKOUT_ALERT_EMAIL: z.email().optional(),
  LOOKOUT_ALERT_WEBHOOK_URL: httpUrl.optional(),
  LOOKOUT_ALERT_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'must be a Standard Webhooks secret: whsec_ followed by base64')
    .optional(),
  LOOKOUT_ALERT_INTERVAL_S: z.coerce.number().int().min(1).max(3_600).default(30),
  LOOKOUT_ALERT_COOLDOWN_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(3_600),
  LOOKOUT_ALERT_DEAD_EVENTS: z.coerce.number().int().min(0).max(1_000_000).default(1),
  LOOKOUT_ALERT_DEAD_DELIVERIES: z.coerce.number().int().min(0).max(1_000_000).default(1),
  LOOKOUT_ALERT_POLL_FAILURES: z.coerce.number().int().min(0).max(1_000).default(5),
  LOOKOUT_ALERT_QUEUE_AGE_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(300),
  LOOKOUT_ALERT_REJECTIONS: z.coerce.number().int().min(0).max(100_000_000).default(100),
  LOOKOUT_ALERT_REJECTIONS_WINDOW_S: z.coerce.number().int().min(60).max(86_400).default(300),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Role = 'all' | 'web' | 'worker';

export interface AlertConfig {
  channels: {
    slackUrl?: string;
    email?: string;
    webhook?: { url: string; secret: string };
  };
  intervalMs: number;
  cooldownMs: number;
  thresholds: {
    deadEvents: number;
    deadDeliveries: number;
    pollFailures: number;
    queueAgeS: number;
    rejections: number;
    rejectionsWindowS: number;
  };
}

export interface Config {
  port: number;
  host: string;
  /** The operator's port: /metrics, /healthz, /readyz (the only HTTP of a worker); unset: none. */
  metricsPort?: number;
  /** PostgreSQL URL, or undefined for embedded PGlite in dataDir. */
  databaseUrl?: string;
  databasePoolSize: number;
  /** PostgreSQL: bound on opening a connection. */
  databaseConnectTimeoutMs: number;
  /** PostgreSQL: bound on one database call (waiting for a connection + the statement); 0: none. */
  databaseStatementTimeoutMs: number;
  http: {
    /** A request's headers must arrive whole within this. */
    headersTimeoutMs: number;
    /** A request (headers and body) must arrive whole within this. */
    requestTimeoutMs: number;
    /** An idle keep-alive connection is closed after this. */
    keepAliveTimeoutMs: number;
  };
  dataDir: string;
  adminToken?: string;
  secretKey?: string;
  shopify: {
    apiSecrets: string[];
    apiKey?: string;
    storeUrl?: string;
    accessToken?: string;
    apiVersion: string;
    adminApiUrl?: string;
    /** SHOPIFY_SCOPES: what the app install asks for. */
    scopes: string[];
    /** LOOKOUT_PUBLIC_URL as set (no default): the OAuth redirect and webhook address need a real one. */
    publicUrl?: string;
  };
  supabase: {
    url?: string;
    serviceRoleKey?: string;
    dbUrl?: string;
    migrationsDir?: string;
  };
  llm?: { baseUrl: string; model: string; apiKey?: string; timeoutMs: number };
  pollIntervalS: number;
  pollConcurrency: number;
  worker: { batchSize: number; concurrency?: number; leaseMs: number; maxAttempts: number };
  /** What the worker's retention job removes, and when (see src/retention/retention.ts). */
  retention: { days: number; acceptedDays: number };
  /** Load shedding of webhook deliveries (see EventStore.admit). */
  ingest: { maxWaitMs: number; maxPending: number };
  allowPrivateUrls: boolean;
  /**
   * Folders of this server under which a user's `migrationsDir` may lie (LOOKOUT_MIGRATIONS_ROOT,
   * separated like PATH); empty: users may not name server folders.
   */
  migrationsRoots: string[];
  /** Outbound email (nodemailer); unset: the email channel is off. */
  smtp?: { url: string; from: string };
  /**
   * Web Push (src/notify/channels/push.ts): the VAPID key pair when the operator sets one (else it
   * is derived from the instance's secret key) and the contact push services see.
   */
  vapid: { keys?: { publicKey: string; privateKey: string }; subject?: string };
  /** Operator alerts (src/ops/alerts.ts): where they go, how often rules run, their thresholds (0: rule off). */
  alerts: AlertConfig;
  /** Base of links in notifications (Slack buttons, emails); defaults to http://HOST:PORT. */
  publicUrl: string;
  logLevel: string;
}

function vapidPairMatches(e: { LOOKOUT_VAPID_PUBLIC_KEY?: string; LOOKOUT_VAPID_PRIVATE_KEY?: string }): boolean {
  try {
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(e.LOOKOUT_VAPID_PRIVATE_KEY!, 'base64url'));
    return ecdh.getPublicKey().toString('base64url') === e.LOOKOUT_VAPID_PUBLIC_KEY;
  } catch {
    return false;
  }
}

/** Parses the environment once; any wrong value throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": `FOO= lookout start` should not fail validation.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.LOOKOUT_LLM_BASE_URL && !e.LOOKOUT_LLM_MODEL) {
    throw new ConfigError('invalid configuration:\n  LOOKOUT_LLM_MODEL: required when LOOKOUT_LLM_BASE_URL is set');
  }
  if (e.LOOKOUT_HTTP_HEADERS_TIMEOUT_MS > e.LOOKOUT_HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      'invalid configuration:\n  LOOKOUT_HTTP_HEADERS_TIMEOUT_MS: must not exceed LOOKOUT_HTTP_REQUEST_TIMEOUT_MS',
    );
  }
  const alertErrors = [
    e.LOOKOUT_ALERT_WEBHOOK_URL && !e.LOOKOUT_ALERT_WEBHOOK_SECRET
      ? '  LOOKOUT_ALERT_WEBHOOK_SECRET: required when LOOKOUT_ALERT_WEBHOOK_URL is set (whsec_ + base64)'
      : undefined,
    e.LOOKOUT_ALERT_WEBHOOK_SECRET && !e.LOOKOUT_ALERT_WEBHOOK_URL
      ? '  LOOKOUT_ALERT_WEBHOOK_URL: required when LOOKOUT_ALERT_WEBHOOK_SECRET is set'
      : undefined,
    e.LOOKOUT_ALERT_EMAIL && !e.LOOKOUT_SMTP_URL
      ? '  LOOKOUT_ALERT_EMAIL: needs LOOKOUT_SMTP_URL (the SMTP server that sends it)'
      : undefined,
  ].filter(Boolean);
  if (Boolean(e.LOOKOUT_VAPID_PUBLIC_KEY) !== Boolean(e.LOOKOUT_VAPID_PRIVATE_KEY))
    alertErrors.push('  LOOKOUT_VAPID_PUBLIC_KEY, LOOKOUT_VAPID_PRIVATE_KEY: set both or neither');
  else if (e.LOOKOUT_VAPID_PUBLIC_KEY && e.LOOKOUT_VAPID_PRIVATE_KEY && !vapidPairMatches(e))
    alertErrors.push('  LOOKOUT_VAPID_PUBLIC_KEY: is not the public key of LOOKOUT_VAPID_PRIVATE_KEY');
  if (alertErrors.length) throw new ConfigError(`invalid configuration:\n${alertErrors.join('\n')}`);
  if (e.LOOKOUT_RETENTION_ACCEPTED_DAYS < e.LOOKOUT_RETENTION_DAYS) {
    throw new ConfigError(
      'invalid configuration:\n  LOOKOUT_RETENTION_ACCEPTED_DAYS: must not be below LOOKOUT_RETENTION_DAYS',
    );
  }
  const displayHost = e.HOST === '0.0.0.0' || e.HOST === '::' ? '127.0.0.1' : e.HOST;
  return {
    port: e.PORT,
    host: e.HOST,
    metricsPort: e.LOOKOUT_METRICS_PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    databaseConnectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    http: {
      headersTimeoutMs: e.LOOKOUT_HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.LOOKOUT_HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.LOOKOUT_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    dataDir: resolve(e.LOOKOUT_DATA_DIR),
    adminToken: e.LOOKOUT_ADMIN_TOKEN,
    secretKey: e.LOOKOUT_SECRET_KEY,
    shopify: {
      apiSecrets: (e.SHOPIFY_API_SECRET ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      apiKey: e.SHOPIFY_API_KEY,
      storeUrl: e.SHOPIFY_STORE_URL,
      accessToken: e.SHOPIFY_ACCESS_TOKEN,
      apiVersion: e.SHOPIFY_API_VERSION,
      adminApiUrl: e.SHOPIFY_ADMIN_API_URL,
      scopes: e.SHOPIFY_SCOPES.split(',').map((s) => s.trim()),
      publicUrl: e.LOOKOUT_PUBLIC_URL?.replace(/\/$/, ''),
    },
    supabase: {
      url: e.SUPABASE_URL,
      serviceRoleKey: e.SUPABASE_SERVICE_ROLE_KEY,
      dbUrl: e.SUPABASE_DB_URL,
      migrationsDir: e.SUPABASE_MIGRATIONS_DIR,
    },
    llm:
      e.LOOKOUT_LLM_BASE_URL && e.LOOKOUT_LLM_MODEL
        ? {
            baseUrl: e.LOOKOUT_LLM_BASE_URL,
            model: e.LOOKOUT_LLM_MODEL,
            apiKey: e.LOOKOUT_LLM_API_KEY,
            timeoutMs: e.LOOKOUT_LLM_TIMEOUT_MS,
          }
        : undefined,
    pollIntervalS: e.LOOKOUT_POLL_INTERVAL_S,
    pollConcurrency: e.LOOKOUT_POLL_CONCURRENCY,
    worker: {
      batchSize: e.LOOKOUT_WORKER_BATCH_SIZE,
      concurrency: e.LOOKOUT_WORKER_CONCURRENCY,
      leaseMs: e.LOOKOUT_WORKER_LEASE_S * 1000,
      maxAttempts: e.LOOKOUT_MAX_ATTEMPTS,
    },
    retention: { days: e.LOOKOUT_RETENTION_DAYS, acceptedDays: e.LOOKOUT_RETENTION_ACCEPTED_DAYS },
    ingest: { maxWaitMs: e.LOOKOUT_INGEST_MAX_WAIT_MS, maxPending: e.LOOKOUT_INGEST_MAX_PENDING },
    allowPrivateUrls: e.LOOKOUT_ALLOW_PRIVATE_URLS,
    migrationsRoots: (e.LOOKOUT_MIGRATIONS_ROOT ?? '')
      .split(delimiter)
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => resolve(p)),
    smtp: e.LOOKOUT_SMTP_URL ? { url: e.LOOKOUT_SMTP_URL, from: e.LOOKOUT_SMTP_FROM } : undefined,
    vapid: {
      keys:
        e.LOOKOUT_VAPID_PUBLIC_KEY && e.LOOKOUT_VAPID_PRIVATE_KEY
          ? { publicKey: e.LOOKOUT_VAPID_PUBLIC_KEY, privateKey: e.LOOKOUT_VAPID_PRIVATE_KEY }
          : undefined,
      subject: e.LOOKOUT_VAPID_SUBJECT,
    },
    alerts: {
      channels: {
        slackUrl: e.LOOKOUT_ALERT_SLACK_URL,
        email: e.LOOKOUT_ALERT_EMAIL,
        webhook:
          e.LOOKOUT_ALERT_WEBHOOK_URL && e.LOOKOUT_ALERT_WEBHOOK_SECRET
            ? { url: e.LOOKOUT_ALERT_WEBHOOK_URL, secret: e.LOOKOUT_ALERT_WEBHOOK_SECRET }
            : undefined,
      },
      intervalMs: e.LOOKOUT_ALERT_INTERVAL_S * 1000,
      cooldownMs: e.LOOKOUT_ALERT_COOLDOWN_S * 1000,
      thresholds: {
        deadEvents: e.LOOKOUT_ALERT_DEAD_EVENTS,
        deadDeliveries: e.LOOKOUT_ALERT_DEAD_DELIVERIES,
        pollFailures: e.LOOKOUT_ALERT_POLL_FAILURES,
        queueAgeS: e.LOOKOUT_ALERT_QUEUE_AGE_S,
        rejections: e.LOOKOUT_ALERT_REJECTIONS,
        rejectionsWindowS: e.LOOKOUT_ALERT_REJECTIONS_WINDOW_S,
      },
    },
    publicUrl: (e.LOOKOUT_PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
  };
}
