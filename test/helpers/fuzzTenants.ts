/**
 * The two users of the fuzz tests: the caller, whose key the generated requests mostly carry,
 * and the victim, whose every object holds a marker string that must never reach anyone else.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Database } from '../../src/db/database.js';
import type { TestApp } from './app.js';
import { describeRequest } from './fuzzRequests.js';
import { isErrorBody } from './http.js';
import type { RawReply, RawRequest } from './rawHttp.js';

/** LOOKOUT_FUZZ_SEED replays a failing run of the property tests (fast-check prints the seed). */
export const FUZZ_SEED =
  process.env.LOOKOUT_FUZZ_SEED === undefined ? undefined : Number(process.env.LOOKOUT_FUZZ_SEED);

export interface Tenant {
  id: string;
  apiKey: string;
  /** A string in every object of this tenant: it must never reach anyone else. */
  marker: string;
  shop: string;
  supabaseSecret: string;
  supabaseIntegrationId: string;
  ids: string[];
  suggestionIds: string[];
  seqs: string[];
}

export function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** What a reply must be, whatever the request: never a 5xx, the error body, nothing of the victim's. */
export function checkReply(req: RawRequest & { caller: string }, reply: RawReply, victim: Tenant): void {
  const what = () => `\n--- request\n${describeRequest(req)}\n--- reply ${reply.status}\n${reply.text.slice(0, 500)}`;
  assert.ok(reply.status < 500, `a ${reply.status}${what()}`);
  assert.ok(reply.status >= 200, `status ${reply.status}${what()}`);
  if (reply.status >= 400 && req.method !== 'HEAD') {
    assert.match(String(reply.headers['content-type']), /^application\/json/, `error content type${what()}`);
    assert.ok(isErrorBody(parseJson(reply.text)), `not the documented error body${what()}`);
  }
  if (req.caller !== 'admin')
    assert.ok(!reply.text.includes(victim.marker), `another user's data in the reply${what()}`);
}

/**
 * A user with a store, a Supabase project, a calendar, events (some dead), suggestions, a data
 * request and dead deliveries.
 */
export async function createTenant(app: TestApp, db: Database, name: string): Promise<Tenant> {
  const marker = `${name}${randomBytes(6).toString('hex')}`;
  const user = await app.createUser(`${marker}@example.com`);
  const call = (method: string, path: string, body?: unknown) =>
    app.call(method, path, { key: user.apiKey, body }).then((r) => {
      assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
      return r.body;
    });
  await call('PUT', '/api/preferences', { profile: { brand: marker }, vibe: { avoidWords: [marker] } });
  const shop = `${marker}.myshopify.com`;
  const shopify = await app.connectShop(user, shop);
  const supabase = await call('POST', '/api/integrations', { kind: 'supabase', projectUrl: `https://${marker}.co` });
  const calendar = await call('POST', '/api/integrations', {
    kind: 'calendar',
    icsUrl: `https://calendar.example.com/${marker}.ics`,
  });
  const events = await db.query<{ id: string; seq: string }>(
    `insert into background_events (user_id, integration_id, event_type, source, event_data, event_timestamp,
     dedupe_key, status, last_error)
     select $1, $2, 'shopify.product.created', 'shopify', jsonb_build_object('title', $3::text || ' ' || g, 'id', g),
            now(), $3::text || g, case when g % 3 = 0 then 'dead' else 'processed' end,
            case when g % 3 = 0 then 'failed for ' || $3::text end
     from generate_series(1, 6) g returning id, seq::text as seq`,
    [user.id, shopify.id, marker],
  );
  const suggestions = await db.query<{ id: string }>(
    `insert into suggestions (user_id, event_id, event_type, title, body, content)
     select $1, e.id, 'shopify.product.created', 'Hooks for ' || $2::text, 'Post about ' || $2::text,
       jsonb_build_object('m', $2::text)
     from background_events e where e.user_id = $1 and e.status = 'processed' returning id`,
    [user.id, marker],
  );
  await db.query(
    `update background_events e set suggestion_id = s.id, suggestion_generated = true
     from suggestions s where s.event_id = e.id and e.user_id = $1`,
    [user.id],
  );
  const requests = await db.query<{ id: string }>(
    `insert into data_requests (integration_id, user_id, shop_domain, customer_id, customer_email, orders_requested)
     values ($1, $2, $3, '42', $4, '{"1001"}') returning id`,
    [shopify.id, user.id, shop, `${marker}@customer.example`],
  );
  const deliveries = await db.query<{ id: string }>(
    `insert into notification_deliveries (user_id, suggestion_id, channel, status, attempts, last_error)
     select $1, s.id, 'webhook', 'dead', 8, 'refused by ' || $2::text from suggestions s where s.user_id = $1
       returning id`,
    [user.id, marker],
  );
  return {
    ...user,
    marker,
    shop,
    supabaseSecret: supabase.webhookSecret,
    supabaseIntegrationId: supabase.id,
    ids: [
      user.id,
      shopify.id,
      supabase.id,
      calendar.id,
      ...events.rows.map((r) => r.id),
      ...suggestions.rows.map((r) => r.id),
      ...requests.rows.map((r) => r.id),
      ...deliveries.rows.map((r) => r.id),
    ],
    suggestionIds: suggestions.rows.map((r) => r.id),
    seqs: events.rows.map((r) => r.seq),
  };
}

/** What the victim owns, as it must stay: the fuzz acts as the caller, the operator and strangers. */
export async function snapshotTenant(db: Database, t: Tenant) {
  const q = async (sql: string) => (await db.query(sql, [t.id])).rows;
  return {
    user: await q(
      'select email, name, profile, vibe, preferences, auto_suggest, loop_enabled from users where id = $1',
    ),
    integrations: await q(
      'select id, kind, status, shop_domain, config, credentials from integrations where user_id = $1 order by id',
    ),
    events: await q(
      'select id, event_type, event_data::text, suggestion_id, user_actioned from background_events where user_id ' +
        '= $1 order by id',
    ),
    suggestions: await q('select id, status, title from suggestions where user_id = $1 order by id'),
    apiKeys: await q('select key_hash from api_keys where user_id = $1 order by key_hash'),
  };
}
