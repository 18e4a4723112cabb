import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { IntegrationRow } from '../db/queries/integrations.js';
import { loadMigrationReport } from '../db/queries/migrationReports.js';
import { toPreferences, type UserRow } from '../db/queries/users.js';
import { dailyWebhookSync } from '../ingest/shopifyConnect.js';
import { markShopPending, ownershipView, proveShopByToken, withdrawTokenProof } from '../ingest/shopOwnership.js';
import type { IntegrationCredentials } from '../integrations/credentials.js';
import { PathNotAllowedError, resolveAllowedFolder } from '../lib/allowedPaths.js';
import type { SecretBox } from '../lib/secretBox.js';
import type { GuardOptions } from '../lib/urlGuard.js';
import type { CatalogEntry } from '../sources/calendar/classify.js';
import { pollCalendar } from '../sources/calendar/pollEvents.js';
import { readCalendarPollState } from '../sources/calendar/pollState.js';
import { ShopifyAuthError } from '../sources/shopify/adminErrors.js';
import { pollShopify, type ShopifyPollState } from '../sources/shopify/pollEvents.js';
import { pollShopifyFallback } from '../sources/shopify/pollFallback.js';
import { ShopifyAdapter } from '../sources/shopify/shopifyAdapter.js';
import { pollSupabase } from '../sources/supabase/pollEvents.js';
import { loadSchemaSnapshot, saveSchemaSnapshot } from '../sources/supabase/snapshotStore.js';
import { SupabaseAdapter } from '../sources/supabase/supabaseAdapter.js';

/** An event type (the names the sources' specs declare; see events/registry.ts). */
type EventType = string;

/** What one poll found: events to store, then the state to keep (only once they are stored). */
export interface PollOutcome {
  events: Array<{ eventType: EventType; eventDataJson: string; eventTimestamp: Date; dedupeKey: string }>;
  state: Record<string, unknown>;
  /** Runs after the events are stored (e.g. a large snapshot kept in its own table). */
  afterStore?: () => Promise<void>;
  /** A reason this integration cannot be polled (no credentials): webhooks only. */
  idle?: string;
}

export interface PollerDeps {
  db: Database;
  config: Config;
  secrets: SecretBox;
  /** How user-supplied URLs are checked; default: LOOKOUT_ALLOW_PRIVATE_URLS and the system resolver. */
  urlGuard?: GuardOptions;
}

function urlGuard(deps: PollerDeps): GuardOptions {
  return deps.urlGuard ?? { allowPrivate: deps.config.allowPrivateUrls };
}

export type Poller = (integration: IntegrationRow, deps: PollerDeps) => Promise<PollOutcome>;

function credentials(deps: PollerDeps, i: IntegrationRow): IntegrationCredentials {
  return i.credentials ? deps.secrets.openJson<IntegrationCredentials>(i.credentials) : {};
}

async function userPreferences(deps: PollerDeps, userId: string) {
  const { rows } = await deps.db.query<UserRow>('select * from users where id = $1', [userId]);
  if (!rows[0]) throw new Error(`user ${userId} not found`);
  return toPreferences(rows[0]);
}

/**
 * Shopify reconciliation: products updated since the watermark, and low stock against the user's
 * threshold. A claim whose ownership is pending is not polled; when its access token could not be
 * checked (Shopify unreachable), the check is retried here, with the loop's backoff.
 */
export const pollShopifyIntegration: Poller = async (i, deps) => {
  const creds = credentials(deps, i);
  if (!i.shop_domain) return { events: [], state: i.poll_state, idle: 'no shop domain' };
  const admin = {
    apiVersion: deps.config.shopify.apiVersion,
    adminApiUrl: deps.config.shopify.adminApiUrl,
    timeoutMs: 15_000,
  };
  let claim = i;
  if (claim.shop_proof === null) {
    if (creds.accessToken && claim.shop_verify_due) {
      const { row, check } = await proveShopByToken(deps.db, claim, creds.accessToken, admin);
      if (row.shop_proof === null && check.outcome === 'unreachable') throw new Error(check.reason);
      claim = row;
    } else if (claim.shop_verify_due) {
      // Due for a check, but there is no token to check (only a store key): say what is missing.
      claim =
        (await markShopPending(deps.db, claim.id, 'nothing proves this shop is yours yet', { verifyDue: false })) ??
        claim;
    }
    if (claim.shop_proof === null) {
      const pending = ownershipView(claim);
      return {
        events: [],
        state: i.poll_state,
        idle: `shop ownership pending: ${'reason' in pending ? pending.reason : ''}`,
      };
    }
  }
  if (!creds.accessToken) return { events: [], state: i.poll_state, idle: 'no access token: webhooks only' };
  const prefs = await userPreferences(deps, i.user_id);
  const adapter = new ShopifyAdapter({ shopDomain: i.shop_domain, accessToken: creds.accessToken, ...admin });
  try {
    const result = await pollShopify(adapter, i.poll_state as ShopifyPollState, {
      lowStockThreshold: prefs.thresholds.lowStock,
    });
    await dailyWebhookSync(deps, claim);
    const more = await pollShopifyFallback(i, { shopDomain: i.shop_domain, accessToken: creds.accessToken, ...admin });
    return { events: [...result.events, ...more.events], state: { ...result.state, fallback: more.state } };
  } catch (err) {
    // The token was this claim's only proof: revoked (staff removed, app deleted), it proves nothing.
    if (err instanceof ShopifyAuthError && claim.shop_proof === 'access_token')
      await withdrawTokenProof(deps.db, claim.id, `Shopify refused the access token: ${err.message}`);
    throw err;
  }
};

/**
 * Supabase reconciliation: the catalog diff against the last snapshot, and pending migrations.
 * The user's database URL is connected through the database URL guard; the operator's quick
 * set-up (SUPABASE_DB_URL, SUPABASE_MIGRATIONS_DIR) is operator configuration and used as given.
 * A user's migrations folder is checked against LOOKOUT_MIGRATIONS_ROOT again at every poll;
 * without a folder, the migrations are the ones the user last reported from their machine.
 */
export const pollSupabaseIntegration: Poller = async (i, deps) => {
  const creds = credentials(deps, i);
  if (!creds.dbUrl) return { events: [], state: i.poll_state, idle: 'no database URL: webhooks only' };
  const config = i.config as { migrationsDir?: string | null; quickSetup?: boolean };
  const byOperator = config.quickSetup === true;
  const problems: string[] = [];
  let migrationsDir: string | undefined;
  if (config.migrationsDir) {
    if (byOperator) migrationsDir = config.migrationsDir;
    else {
      try {
        migrationsDir = await resolveAllowedFolder(config.migrationsDir, deps.config.migrationsRoots);
      } catch (err) {
        if (!(err instanceof PathNotAllowedError)) throw err;
        problems.push(`migrations check failed: ${err.message}`);
      }
    }
  }
  const report = config.migrationsDir ? undefined : await loadMigrationReport(deps.db, i.id);
  const adapter = new SupabaseAdapter({
    db: creds.dbUrl,
    source: byOperator ? { from: 'operator' } : { from: 'user', guard: urlGuard(deps) },
    migrationsDir,
    reportedMigrations: report ? { dir: report.dir, names: report.files.map((f) => f.name) } : undefined,
  });
  try {
    const snapshot = await loadSchemaSnapshot(deps.db, i.id);
    const cursor = typeof i.poll_state.ddlLogCursor === 'string' ? i.poll_state.ddlLogCursor : null;
    const result = await pollSupabase(adapter, { snapshot, ddlLogCursor: cursor }, { scope: i.id });
    return {
      events: result.events,
      state: {
        ddlLogCursor: result.state.ddlLogCursor,
        ddlTrigger: result.state.ddlTrigger,
        problems: [...problems, ...result.problems],
      },
      afterStore: async () => {
        if (result.state.snapshot) await saveSchemaSnapshot(deps.db, i.id, result.state.snapshot);
      },
    };
  } finally {
    await adapter.close();
  }
};

/**
 * The user's catalogue as Lookout has seen it (products and collections from stored Shopify
 * events): enough to link "Aurora Hoodie launch" to the product without an Admin API call.
 */
async function knownCatalog(db: Database, userId: string): Promise<CatalogEntry[]> {
  const { rows } = await db.query<{ id: string; title: string; handle: string | null; kind: 'product' | 'collection' }>(
    `select distinct on (subject) subject as id, event_data->>'title' as title, event_data->>'handle' as handle,
       case when event_type like 'shopify.collection.%' then 'collection' else 'product' end as kind
     from background_events
     where user_id = $1 and source = 'shopify' and event_type in ('shopify.product.created', 'shopify.product.updated',
       'shopify.collection.created', 'shopify.collection.updated')
       and subject is not null and event_data->>'title' is not null
     order by subject, received_at desc
     limit 2000`,
    [userId],
  );
  const slug = (t: string) =>
    t
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return rows.map((r) => ({ id: r.id, title: r.title, handle: r.handle ?? slug(r.title), kind: r.kind }));
}

/** Calendar: the ICS feed's upcoming occurrences, as reminders at the user's lead times. */
export const pollCalendarIntegration: Poller = async (i, deps) => {
  const config = i.config as { icsUrl?: string; leadTimesHours?: number[] };
  if (!config.icsUrl) return { events: [], state: i.poll_state, idle: 'no feed URL' };
  const prefs = await userPreferences(deps, i.user_id);
  const result = await pollCalendar(
    { url: config.icsUrl, allowPrivate: deps.config.allowPrivateUrls },
    readCalendarPollState(i.poll_state),
    {
      leadTimesHours: config.leadTimesHours ?? prefs.calendar.leadTimesHours,
      scope: i.id,
      catalog: await knownCatalog(deps.db, i.user_id),
      defaultTimezone: prefs.quietHours?.timezone,
    },
  );
  return { events: result.events, state: result.state as Record<string, unknown> };
};
