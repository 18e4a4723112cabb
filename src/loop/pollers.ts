import { lookup } from 'node:dns/promises';
import type { IntegrationCredentials } from '../api/integrationRoutes.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { IntegrationRow } from '../db/queries/integrations.js';
import { toPreferences, type UserRow } from '../db/queries/users.js';
import type { EventType } from '../events.js';
import type { SecretBox } from '../lib/secretBox.js';
import { addressRefusal } from '../lib/urlGuard.js';
import type { CatalogEntry } from '../sources/calendar/classify.js';
import { pollCalendar } from '../sources/calendar/pollEvents.js';
import { readCalendarPollState } from '../sources/calendar/pollState.js';
import { pollShopify, type ShopifyPollState } from '../sources/shopify/pollEvents.js';
import { ShopifyAdapter } from '../sources/shopify/shopifyAdapter.js';
import { pollSupabase } from '../sources/supabase/pollEvents.js';
import { loadSchemaSnapshot, saveSchemaSnapshot } from '../sources/supabase/snapshotStore.js';
import { SupabaseAdapter } from '../sources/supabase/supabaseAdapter.js';

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

/** Shopify reconciliation: products updated since the watermark, and low stock against the user's threshold. */
export const pollShopifyIntegration: Poller = async (i, deps) => {
  const creds = credentials(deps, i);
  if (!creds.accessToken || !i.shop_domain)
    return { events: [], state: i.poll_state, idle: 'no access token: webhooks only' };
  const prefs = await userPreferences(deps, i.user_id);
  const adapter = new ShopifyAdapter({
    shopDomain: i.shop_domain,
    accessToken: creds.accessToken,
    apiVersion: deps.config.shopify.apiVersion,
    adminApiUrl: deps.config.shopify.adminApiUrl,
    timeoutMs: 15_000,
  });
  const result = await pollShopify(adapter, i.poll_state as ShopifyPollState, {
    lowStockThreshold: prefs.thresholds.lowStock,
  });
  return { events: result.events, state: result.state as Record<string, unknown> };
};

/**
 * A user-supplied database URL is a user-supplied URL: its host must not be a private or loopback
 * address unless the operator allows it (LOOKOUT_ALLOW_PRIVATE_URLS).
 */
export async function assertPublicDatabaseUrl(dbUrl: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = new URL(dbUrl).hostname.replace(/^\[|\]$/g, '');
  const addresses = await lookup(host, { all: true });
  for (const a of addresses) {
    const refusal = addressRefusal(a.address);
    if (refusal)
      throw new Error(
        `database host ${host} resolves to ${a.address} (${refusal}); set LOOKOUT_ALLOW_PRIVATE_URLS=true to allow it`,
      );
  }
}

/** Supabase reconciliation: the catalog diff against the last snapshot, and pending migrations. */
export const pollSupabaseIntegration: Poller = async (i, deps) => {
  const creds = credentials(deps, i);
  if (!creds.dbUrl) return { events: [], state: i.poll_state, idle: 'no database URL: webhooks only' };
  await assertPublicDatabaseUrl(creds.dbUrl, deps.config.allowPrivateUrls);
  const config = i.config as { migrationsDir?: string | null };
  const adapter = new SupabaseAdapter({ db: creds.dbUrl, migrationsDir: config.migrationsDir ?? undefined });
  try {
    const snapshot = await loadSchemaSnapshot(deps.db, i.id);
    const cursor = typeof i.poll_state.ddlLogCursor === 'string' ? i.poll_state.ddlLogCursor : null;
    const result = await pollSupabase(adapter, { snapshot, ddlLogCursor: cursor }, { scope: i.id });
    return {
      events: result.events,
      state: { ddlLogCursor: result.state.ddlLogCursor, problems: result.problems },
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
     where user_id = $1 and source = 'shopify' and event_type in ('shopify.product.created', 'shopify.product.updated', 'shopify.collection.created', 'shopify.collection.updated')
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
