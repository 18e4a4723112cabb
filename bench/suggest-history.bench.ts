/**
 * Suggestions per second with history lookups, on PGlite and PostgreSQL: the worker's enrichment
 * (previous version, sales over the covered window, catalogue, customer, bought together,
 * collection members, a meeting's period; src/db/queries/history.ts) followed by the offline
 * generator, one after the other as processEvents runs them, over a store with history:
 * 10 shops, each 300 products, 3,000 orders over 30 days, stock alerts, schema changes, meetings.
 * Beside it, in the same run: the same inputs generated without lookups (templates only).
 *
 *   npm run bench suggest-history   (or: node --import tsx bench/suggest-history.bench.ts [--seconds 10])
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import { createUserWithKey, toPreferences, type UserRow } from '../src/db/queries/users.js';
import { SecretBox } from '../src/lib/secretBox.js';
import {
  CLAIMED_COLUMNS,
  type ClaimedEvent,
  type ClaimedRow,
  loadPayloads,
  toClaimed,
} from '../src/processing/claimedEvent.js';
import { createEnricher } from '../src/processing/enrich.js';
import { parsePayload } from '../src/processing/payload.js';
import { eventSubject } from '../src/sources/index.js';
import { generateOffline } from '../src/suggest/offline/offlineGenerator.js';
import type { SuggestionInput } from '../src/suggest/types.js';
import { printMachine } from './lib/machine.js';
import { BENCH_DATABASE_URL, createScratchDatabase } from './lib/scratch.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, shops: { type: 'string', default: '10' } },
});
const SECONDS = Number(values.seconds);
const SHOPS = Number(values.shops);
const PRODUCTS = 300;
const ORDERS = 3_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-04-20T10:00:00Z');

/** The offline figure before this history work, same bench machine (bench/suggest.bench.ts at the previous main). */
const BEFORE = { offlineRunsPerSecond: 28_256, readme: '22,000-32,700 offline suggestions/s per core' };

let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

interface Shop {
  userId: string;
  integrationId: string;
  prefs: ReturnType<typeof toPreferences>;
}

async function insertMany(
  db: Database,
  rows: Array<[string, string, string, string, string, Date, string]>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += 1_000) {
    const chunk = rows.slice(i, i + 1_000);
    await db.query(
      `insert into background_events (user_id, integration_id, source, event_type, event_data, event_timestamp,
       received_at, dedupe_key, status, outcome, subject)
       select u, i, s, t, d::jsonb, ts, ts, k, 'processed', o, j
       from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::text[],
         $8::text[], $9::text[]) as x(u, i, s, t, d, ts, k, o, j)`,
      [
        chunk.map((r) => r[0]),
        chunk.map((r) => r[1]),
        chunk.map((r) => r[2]),
        chunk.map((r) => r[3]),
        chunk.map((r) => r[4]),
        chunk.map((r) => r[5]),
        chunk.map(() => randomUUID()),
        chunk.map((r) => r[6]),
        chunk.map((r) => eventSubject(r[2], r[3], r[4])),
      ],
    );
  }
}

async function seedStore(db: Database): Promise<Shop[]> {
  const shops: Shop[] = [];
  for (let s = 0; s < SHOPS; s++) {
    const user = await createUserWithKey(db, { email: `bench-${s}-${randomUUID()}@example.com` });
    const { rows } = await db.query<{ id: string }>(
      `insert into integrations (user_id, kind, shop_domain, created_at) values ($1, 'shopify', $2, $3) returning id`,
      [user.id, `bench-${s}-${randomUUID().slice(0, 6)}.myshopify.com`, new Date(NOW - 30 * DAY)],
    );
    const integrationId = rows[0]!.id;
    const base = 10_000_000 * (s + 1);
    const events: Array<[string, string, string, string, string, Date, string]> = [];
    for (let p = 0; p < PRODUCTS; p++) {
      const id = base + p;
      events.push([
        user.id,
        integrationId,
        'shopify',
        'shopify.product.created',
        JSON.stringify({
          id,
          admin_graphql_api_id: `gid://shopify/Product/${id}`,
          title: `Product ${p}`,
          product_type: pick(['Shirts', 'Trousers', 'Hats', 'Bags']),
          tags: pick(['linen, summer', 'cotton', 'summer, sale', 'bags']),
          created_at: new Date(NOW - 40 * DAY).toISOString(),
          variants: [0, 1].map((v) => ({
            id: id * 10 + v,
            price: '29.00',
            inventory_item_id: id * 10 + v + 5,
            inventory_quantity: 20,
          })),
        }),
        new Date(NOW - 40 * DAY + p * 1000),
        'not_warranted',
      ]);
    }
    for (let o = 0; o < ORDERS; o++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => {
        const p = Math.floor(rand() * PRODUCTS);
        return {
          product_id: base + p,
          variant_id: (base + p) * 10,
          quantity: 1 + Math.floor(rand() * 3),
          title: `Product ${p}`,
          price: '29.00',
        };
      });
      events.push([
        user.id,
        integrationId,
        'shopify',
        'shopify.order.created',
        JSON.stringify({
          id: base + 100_000 + o,
          name: `#${o}`,
          currency: 'EUR',
          total_price: '58.00',
          customer: { id: base + Math.floor(rand() * 500), first_name: 'Ana' },
          line_items: lines,
        }),
        new Date(NOW - rand() * 30 * DAY),
        'suggested',
      ]);
    }
    for (let a = 0; a < 30; a++) {
      events.push([
        user.id,
        integrationId,
        'shopify',
        'shopify.inventory.low',
        JSON.stringify({ inventory_item_id: (base + a) * 10 + 5, available: 3 }),
        new Date(NOW - rand() * 20 * DAY),
        'suggested',
      ]);
    }
    events.push([
      user.id,
      integrationId,
      'calendar',
      'calendar.event.upcoming',
      JSON.stringify({ uid: `weekly-${s}`, start: new Date(NOW - 6 * DAY).toISOString() }),
      new Date(NOW - 7 * DAY),
      'suggested',
    ]);
    await insertMany(db, events);
    const { rows: u } = await db.query<UserRow>('select * from users where id = $1', [user.id]);
    shops.push({ userId: user.id, integrationId, prefs: toPreferences(u[0]!) });
  }
  await db.query('analyze background_events');
  return shops;
}

/** The events being processed now, stored as a worker holds them (claimed). */
async function currentEvents(
  db: Database,
  shops: Shop[],
): Promise<Array<{ e: ClaimedEvent; shop: Shop; payloadJson: string }>> {
  const ids: Array<{ id: string; shop: Shop }> = [];
  const add = async (shop: Shop, source: string, type: string, data: unknown) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into background_events (user_id, integration_id, source, event_type, event_data, event_timestamp,
       received_at, dedupe_key, status, locked_by, subject)
       values ($1, $2, $3, $4, $5::jsonb, $6, $6, $7, 'processing', 'bench', $8) returning id`,
      [
        shop.userId,
        shop.integrationId,
        source,
        type,
        JSON.stringify(data),
        new Date(NOW),
        randomUUID(),
        eventSubject(source, type, JSON.stringify(data)),
      ],
    );
    ids.push({ id: rows[0]!.id, shop });
  };
  for (const [s, shop] of shops.entries()) {
    const base = 10_000_000 * (s + 1);
    for (let i = 0; i < 10; i++) {
      const p = base + Math.floor(rand() * PRODUCTS);
      await add(shop, 'shopify', 'shopify.inventory.updated', {
        inventory_item_id: p * 10 + 5,
        available: 2,
        updated_at: new Date(NOW).toISOString(),
      });
      await add(shop, 'shopify', 'shopify.order.created', {
        id: base + 900_000 + i,
        name: `#N${i}`,
        currency: 'EUR',
        customer: { id: base + Math.floor(rand() * 500), first_name: 'Ana' },
        line_items: [{ product_id: p, variant_id: p * 10, quantity: 1, title: 'Product', price: '29.00' }],
      });
      await add(shop, 'shopify', 'shopify.product.updated', {
        id: p,
        admin_graphql_api_id: `gid://shopify/Product/${p}`,
        title: 'Product',
        variants: [{ id: p * 10, price: '25.00' }],
      });
    }
    await add(shop, 'shopify', 'shopify.collection.created', {
      id: base + 5,
      title: 'Summer',
      handle: 'summer',
      published_at: new Date(NOW).toISOString(),
    });
    await add(shop, 'calendar', 'calendar.event.upcoming', {
      uid: `weekly-${s}`,
      summary: 'Weekly',
      start: new Date(NOW + DAY).toISOString(),
      kind: 'meeting',
    });
  }
  const { rows } = await db.query<ClaimedRow>(
    `select ${CLAIMED_COLUMNS} from background_events e where e.id = any($1::uuid[])`,
    [ids.map((i) => i.id)],
  );
  const byId = new Map(ids.map((i) => [i.id, i.shop]));
  const payloads = await loadPayloads(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({ e: toClaimed(r), shop: byId.get(r.id)!, payloadJson: payloads.get(r.id) ?? '{}' }));
}

async function measure(label: string, db: Database): Promise<void> {
  const started = Date.now();
  const shops = await seedStore(db);
  const { rows: count } = await db.query<{ n: number }>('select count(*)::int as n from background_events');
  console.log(
    `${label}: seeded ${count[0]!.n.toLocaleString('en-US')} stored events in ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  const work = await currentEvents(db, shops);
  const config = loadConfig({ LOOKOUT_DATA_DIR: '/tmp/lookout-bench', LOG_LEVEL: 'silent' });
  const timings = new Map<string, { n: number; ms: number }>();
  const profiled: Database = process.env.PROFILE_SQL
    ? (Object.assign(Object.create(Object.getPrototypeOf(db)), db, {
        query: async (sql: string, params?: readonly unknown[]) => {
          const s = performance.now();
          try {
            return await db.query(sql, params);
          } finally {
            const key = sql.replace(/\s+/g, ' ').slice(0, 90);
            const t = timings.get(key) ?? { n: 0, ms: 0 };
            t.n += 1;
            t.ms += performance.now() - s;
            timings.set(key, t);
          }
        },
      }) as Database)
    : db;
  const enrich = createEnricher({
    db: profiled,
    config,
    secrets: new SecretBox('bench-secret-key-0123456789-0123456789'),
  });
  const inputs = work.map(({ e, shop, payloadJson }) => ({ e, shop, payload: parsePayload(payloadJson) }));
  const input = (w: (typeof inputs)[number], context: SuggestionInput['context']): SuggestionInput => ({
    eventType: w.e.eventType === 'shopify.inventory.updated' ? 'shopify.inventory.low' : w.e.eventType,
    eventId: w.e.id,
    occurredAt: w.e.eventTimestamp.toISOString(),
    eventData: w.payload,
    context,
    profile: { language: 'en' },
    vibe: {},
  });

  // Warm-up: JIT, the engine's caches, prepared plans.
  for (const w of inputs) generateOffline(input(w, await enrich(w.e, w.payload, w.shop.prefs)));

  const perType = new Map<string, { n: number; ms: number }>();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < SECONDS * 1000) {
    for (const w of inputs) {
      const s = performance.now();
      const ctx = await enrich(w.e, w.payload, w.shop.prefs);
      const r = generateOffline(input(w, ctx));
      if (r.run.status !== 'succeeded') throw new Error(`${w.e.eventType}: ${r.run.error}`);
      const t = perType.get(w.e.eventType) ?? { n: 0, ms: 0 };
      t.n += 1;
      t.ms += performance.now() - s;
      perType.set(w.e.eventType, t);
      n += 1;
    }
  }
  const withLookups = n / ((performance.now() - t0) / 1000);

  let m = 0;
  const t1 = performance.now();
  while (performance.now() - t1 < 2_000) {
    for (const w of inputs) {
      generateOffline(input(w, undefined));
      m += 1;
    }
  }
  const templatesOnly = m / ((performance.now() - t1) / 1000);
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  for (const [sql, t] of [...timings.entries()].sort((a, b) => b[1].ms - a[1].ms))
    console.log(`    ${(t.ms / t.n).toFixed(2)} ms × ${t.n}  ${sql}`);
  console.log(
    `${label}: ${fmt(withLookups)} suggestions/s with history lookups (one loop, sequential, as the worker runs them)`,
  );
  for (const [type, t] of [...perType.entries()].sort())
    console.log(`    ${type.padEnd(28)} ${(t.ms / t.n).toFixed(2)} ms per suggestion (lookups + draft)`);
  console.log(
    `${label}: ${fmt(templatesOnly)} suggestions/s for the same inputs without lookups (templates only, same run)`,
  );
}

await printMachine(BENCH_DATABASE_URL);
console.log(
  `store: ${SHOPS} shops × ${PRODUCTS} products, ${ORDERS.toLocaleString('en-US')} orders over 30 days, 30 stock ` +
    `alerts, a weekly meeting; ` +
    `mix per shop: 10 low-stock webhooks, 10 orders, 10 product updates, a collection, a meeting`,
);
console.log(
  `before this change (same machine, bench/suggest.bench.ts): ` +
    `${BEFORE.offlineRunsPerSecond.toLocaleString('en-US')} offline runs/s, no history lookups (README: ` +
    `${BEFORE.readme})`,
);

const lite = await openPglite();
try {
  await migrate(lite);
  await measure('PGlite', lite);
} finally {
  await lite.close();
}

let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | undefined;
try {
  scratch = await createScratchDatabase('lookout_bench_history');
} catch (err) {
  console.log(`PostgreSQL: skipped (${(err as Error).message})`);
}
if (scratch) {
  const pg = await openPostgres({ connectionString: scratch.url, max: 4 });
  try {
    await migrate(pg);
    await measure('PostgreSQL', pg);
  } finally {
    await pg.close();
    await scratch.drop();
  }
}
