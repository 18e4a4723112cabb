import type { Queryable, QueryResult } from '../../db/database.js';
import type { IntegrationRow } from '../../db/queries/integrations.js';
import type { SecretBox } from '../../lib/secretBox.js';
import { type GuardOptions, UrlNotAllowedError } from '../../lib/urlGuard.js';
import { installDdlTrigger } from './ddlTrigger.js';
import { loadSchemaSnapshot } from './snapshotStore.js';
import type { DatabaseUrlSource } from './supabaseAdapter.js';
import { connectUserDatabase } from './userConnection.js';
import {
  type DeliveryPath,
  type InstalledWebhook,
  installWebhooks,
  listUserTables,
  listWebhooks,
  removeWebhooks,
  type WebhookEvent,
  type WebhookTarget,
} from './webhookInstall.js';

/**
 * What Lookout does in a connected project's database on the user's (or operator's) behalf:
 * install the DDL trigger, install, list and remove row webhooks. Used by the API routes and by
 * the CLI when no server runs; both reach the database the way the poll loop does.
 */
export interface ConnectDeps {
  /** Lookout's own database (the integration's record). */
  db: Queryable;
  secrets: SecretBox;
  /** Config.publicUrl: where the webhooks are sent. */
  publicUrl: string;
  guard: GuardOptions;
}

/** The integration has nothing to connect to (webhooks only). */
export class NoDatabaseUrlError extends Error {
  override readonly name = 'NoDatabaseUrlError';
  constructor() {
    super('this integration has no database URL (dbUrl): Lookout cannot reach its database');
  }
}

/** The user's database could not be reached or refused the login. */
export class UserDatabaseUnreachableError extends Error {
  override readonly name = 'UserDatabaseUnreachableError';
}

interface SealedCredentials {
  dbUrl?: string;
  webhookSecret?: string;
}

function credentials(deps: ConnectDeps, row: IntegrationRow): SealedCredentials {
  return row.credentials ? deps.secrets.openJson<SealedCredentials>(row.credentials) : {};
}

/** The operator's quick set-up URL is operator configuration; any other is a user's, guarded. */
export function urlSource(row: IntegrationRow, guard: GuardOptions): DatabaseUrlSource {
  return (row.config as { quickSetup?: boolean }).quickSetup === true ? { from: 'operator' } : { from: 'user', guard };
}

/** Runs fn on a connection of its own to the integration's database, closed afterwards. */
export async function withIntegrationDatabase<T>(
  deps: ConnectDeps,
  row: IntegrationRow,
  fn: (db: Queryable) => Promise<T>,
): Promise<T> {
  const { dbUrl } = credentials(deps, row);
  if (!dbUrl) throw new NoDatabaseUrlError();
  let client: Awaited<ReturnType<typeof connectUserDatabase>>;
  try {
    client = await connectUserDatabase(dbUrl, urlSource(row, deps.guard));
  } catch (err) {
    if (err instanceof UrlNotAllowedError) throw err;
    throw new UserDatabaseUnreachableError(
      `could not connect to the project's database: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  const db: Queryable = {
    async query<R>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      const res = await client.query(sql, params as unknown[]);
      return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
    },
  };
  try {
    return await fn(db);
  } finally {
    await client.end().catch(() => {});
  }
}

export function webhookTarget(deps: ConnectDeps, row: IntegrationRow): WebhookTarget {
  const { webhookSecret } = credentials(deps, row);
  if (!webhookSecret) throw new Error(`integration ${row.id} has no webhook secret`);
  return { url: `${deps.publicUrl.replace(/\/$/, '')}/webhooks/supabase`, secret: webhookSecret };
}

/** What Lookout keeps of its webhooks in the integration's config (the catalog stays the truth). */
async function recordWebhooks(deps: ConnectDeps, row: IntegrationRow, installed: InstalledWebhook[]): Promise<void> {
  const record = {
    tables: installed.map((w) => w.name),
    via: [...new Set(installed.map((w) => w.via))],
    updatedAt: new Date().toISOString(),
  };
  await deps.db.query(
    `update integrations set config = config || jsonb_build_object('webhooks', $2::jsonb), updated_at = now()
     where id = $1`,
    [row.id, JSON.stringify(record)],
  );
}

export interface WebhooksView {
  /** Where the triggers send rows. */
  url: string;
  installed: Array<InstalledWebhook & { pointsHere: boolean }>;
}

function view(target: WebhookTarget, installed: InstalledWebhook[]): WebhooksView {
  return {
    url: target.url,
    installed: installed.map((w) => ({ ...w, pointsHere: w.url === target.url })),
  };
}

export async function installIntegrationWebhooks(
  deps: ConnectDeps,
  row: IntegrationRow,
  tables: readonly string[],
  events: readonly WebhookEvent[],
): Promise<WebhooksView & { via: DeliveryPath; tables: string[] }> {
  const target = webhookTarget(deps, row);
  return withIntegrationDatabase(deps, row, async (db) => {
    const result = await installWebhooks(db, tables, events, target);
    const all = await listWebhooks(db);
    await recordWebhooks(deps, row, all);
    return { ...view(target, all), via: result.via, tables: result.installed.map((w) => w.name) };
  });
}

export async function listIntegrationWebhooks(deps: ConnectDeps, row: IntegrationRow): Promise<WebhooksView> {
  const target = webhookTarget(deps, row);
  return withIntegrationDatabase(deps, row, async (db) => view(target, await listWebhooks(db)));
}

export async function removeIntegrationWebhooks(
  deps: ConnectDeps,
  row: IntegrationRow,
  tables?: readonly string[],
): Promise<WebhooksView & { removed: string[] }> {
  const target = webhookTarget(deps, row);
  return withIntegrationDatabase(deps, row, async (db) => {
    const removed = await removeWebhooks(db, tables);
    const left = await listWebhooks(db);
    await recordWebhooks(deps, row, left);
    return { ...view(target, left), removed };
  });
}

export async function installIntegrationDdlTrigger(deps: ConnectDeps, row: IntegrationRow): Promise<void> {
  await withIntegrationDatabase(deps, row, (db) => installDdlTrigger(db));
}

/**
 * Tables the user can pick for webhooks: from the last schema snapshot when there is one (no
 * connection needed), else read from the database.
 */
export async function listIntegrationTables(
  deps: ConnectDeps,
  row: IntegrationRow,
): Promise<{ tables: string[]; from: 'snapshot' | 'database' }> {
  const snapshot = await loadSchemaSnapshot(deps.db, row.id);
  if (snapshot) return { tables: snapshot.tables.map((t) => `${t.schema}.${t.name}`), from: 'snapshot' };
  return { tables: await withIntegrationDatabase(deps, row, listUserTables), from: 'database' };
}
