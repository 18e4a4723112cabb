/**
 * Cursor pagination is right at any size: for every paginated route (every GET route of the
 * server's route table that takes a `cursor`), listing page by page, for several limits and
 * filters, while rows are being inserted, gives exactly the table's rows: each row that existed
 * when the listing started once, in order (newest first), nothing of another user, nothing twice.
 *
 * The data: a few thousand rows per list, spread so that filters select 0, 1, 9, 10, 11, 99,
 * 100, 101, 1,000+ rows, and sequence numbers that cross 9/10, 99/100, 999/1000 and 2^53.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import pg from 'pg';
import { listRoutes } from '../../src/api/server.js';
import type { Database } from '../../src/db/database.js';
import { ADMIN_TOKEN, PUBLIC_DNS, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';

const RUNS = Number(process.env.LOOKOUT_PAGINATION_RUNS ?? 30);
/** The listings also stop at this many seconds per engine: a loaded machine runs fewer, not too long. */
const SECONDS = Number(process.env.LOOKOUT_PAGINATION_SECONDS ?? 30);
const MIN_RUNS = Math.min(RUNS, 8);
const SEED = process.env.LOOKOUT_FUZZ_SEED === undefined ? undefined : Number(process.env.LOOKOUT_FUZZ_SEED);
/** A listing is cut into at most this many pages (small limits are drawn for small lists). */
const MAX_PAGES = 40;
/** Past 2^53: a sequence number JavaScript's numbers cannot hold. */
const BEYOND_DOUBLE = 9_007_199_254_740_700n;

const EVENT_TYPES: Array<[type: string, count: number]> = [
  ['shopify.shop.redact', 1],
  ['shopify.app.uninstalled', 3],
  ['supabase.table.dropped', 9],
  ['supabase.column.added', 10],
  ['supabase.table.created', 11],
  ['calendar.event.upcoming', 99],
  ['shopify.inventory.updated', 100],
  ['shopify.order.created', 101],
  ['shopify.product.updated', 1_000],
  ['shopify.product.created', 1_266],
];
const EVENT_STATUSES = ['pending', 'processing', 'processed', 'dead'] as const;
const SUGGESTION_STATUSES = ['new', 'accepted', 'dismissed'] as const;

/** A deterministic spread of the types above (each its count), shuffled so filters interleave. */
function spread(): string[] {
  const out = EVENT_TYPES.flatMap(([type, count]) => Array.from({ length: count }, () => type));
  for (let i = out.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Inserts events for `owners[i % owners.length]`; returns the ids inserted for owners[0] (or for
 * all with `status`).
 */
async function insertEvents(
  db: Database,
  owners: string[],
  types: string[],
  salt: string,
  status?: (typeof EVENT_STATUSES)[number],
): Promise<string[]> {
  const { rows } = await db.query<{ id: string; user_id: string }>(
    `insert into background_events (user_id, event_type, source, event_data, event_timestamp, dedupe_key, status)
     select u, t, split_part(t, '.', 1), jsonb_build_object('n', ord), now(), $4 || ':' || ord, s
     from unnest($1::uuid[], $2::text[], $3::text[]) with ordinality as x(u, t, s, ord)
     order by ord
     returning id, user_id`,
    [
      types.map((_, i) => owners[i % owners.length]!),
      types,
      types.map((_, i) => status ?? EVENT_STATUSES[(i * 5 + salt.length) % EVENT_STATUSES.length]!),
      salt,
    ],
  );
  // Dead events are listed for the operator, whoever owns them.
  return rows.filter((r) => status === 'dead' || r.user_id === owners[0]).map((r) => r.id);
}

async function insertSuggestions(db: Database, owners: string[], types: string[], salt: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string; user_id: string }>(
    `insert into suggestions (user_id, event_id, event_type, title, body, status)
     select u, gen_random_uuid(), t, 'suggestion ' || $4 || ord, 'body', s
     from unnest($1::uuid[], $2::text[], $3::text[]) with ordinality as x(u, t, s, ord)
     order by ord
     returning id, user_id`,
    [
      types.map((_, i) => owners[i % owners.length]!),
      types,
      types.map((_, i) => SUGGESTION_STATUSES[(i * 5 + salt.length) % SUGGESTION_STATUSES.length]!),
      salt,
    ],
  );
  return rows.filter((r) => r.user_id === owners[0]).map((r) => r.id);
}

interface Row {
  seq: bigint;
  owner: string;
  fields: Record<string, string>;
}

/** What the test knows about one paginated route: its filters, the table's answer, new rows. */
interface ListOracle {
  /** Query parameters besides limit and cursor. */
  filters: fc.Arbitrary<Record<string, string>>;
  /** Who lists: the API key used. */
  key: () => string;
  /** The page's items are the lister's own (a user), or anyone's (the operator). */
  owns(row: Row): boolean;
  /** The page's item ids. */
  itemIds(body: unknown): string[];
  /** Sequence, owner and filterable fields of rows, by id. */
  rows(ids: string[]): Promise<Map<string, Row>>;
  /** Whether a row belongs in the listing for this filter. */
  matches(row: Row, filter: Record<string, string>): boolean;
  /** Inserts a few rows (for the lister and for someone else) while a listing runs; returns the lister's. */
  insertDuring(n: number, salt: string): Promise<string[]>;
  /**
   * Starts inserting a row in a transaction committed later (PostgreSQL only): its sequence is
   * older than rows committed before it.
   */
  insertLate?: (salt: string) => Promise<{ id: string; commit: () => Promise<void> }>;
  /** Every row the lister may see, by id (the table, read directly). */
  all(): Promise<Map<string, Row>>;
}

describeEachEngine('cursor pagination matches the table', (fx) => {
  let app: TestApp;
  let lister: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  const oracles = new Map<string, ListOracle>();

  const byIds = async (table: string, columns: string, ids: string[]): Promise<Map<string, Row>> => {
    const { rows } = await fx.db.query<{ id: string; seq: string; user_id: string } & Record<string, string>>(
      `select id, seq::text as seq, user_id, ${columns} from ${table} where id = any($1::uuid[])`,
      [ids],
    );
    return new Map(
      rows.map(({ id, seq, user_id, ...fields }) => [id, { seq: BigInt(seq), owner: user_id, fields }] as const),
    );
  };
  const everything = async (table: string, columns: string, where = 'user_id = $1'): Promise<Map<string, Row>> => {
    const params = where.includes('$1') ? [lister.id] : [];
    const { rows } = await fx.db.query<{ id: string }>(`select id from ${table} where ${where}`, params);
    return byIds(
      table,
      columns,
      rows.map((r) => r.id),
    );
  };
  const mine = (row: Row) => row.owner === lister.id;
  const pick = <T extends string>(values: readonly T[]) =>
    fc.option(fc.constantFrom(...values), { freq: 2, nil: undefined });
  const defined = (o: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const types = EVENT_TYPES.map(([t]) => t);
  const someTypes = (n: number, salt: number) => Array.from({ length: n }, (_, i) => types[(i + salt) % types.length]!);

  before(async () => {
    app = await startTestApp(fx.db, {}, { role: 'web', resolveHost: PUBLIC_DNS });
    lister = await app.createUser();
    other = await app.createUser();
    const owners = [lister.id, lister.id, lister.id, other.id];
    // Sequence numbers from 1 (through 9/10, 99/100, 999/1000), then past 2^53.
    const events = spread();
    await insertEvents(fx.db, owners, events.slice(0, 2_400), 'a');
    await fx.db.query(`alter table background_events alter column seq restart with ${BEYOND_DOUBLE}`);
    await insertEvents(fx.db, owners, events.slice(2_400), 'b');
    await insertSuggestions(fx.db, owners, events.slice(0, 1_500), 'a');
    await fx.db.query(`alter table suggestions alter column seq restart with ${BEYOND_DOUBLE}`);
    await insertSuggestions(fx.db, owners, events.slice(1_500, 2_100), 'b');
    // A second connection (PostgreSQL) holds a transaction open across pages: its row's sequence
    // number is older than rows committed before it.
    const lateInsert =
      (sql: string) =>
      async (salt: string): Promise<{ id: string; commit: () => Promise<void> }> => {
        const client = new pg.Client({ connectionString: fx.url });
        await client.connect();
        await client.query('begin');
        const { rows } = await client.query<{ id: string }>(sql, [lister.id, salt]);
        return {
          id: rows[0]!.id,
          commit: async () => {
            await client.query('commit');
            await client.end();
          },
        };
      };

    oracles.set('/api/events', {
      filters: fc
        .record({
          source: pick(['shopify', 'supabase', 'calendar'] as const),
          type: pick(types),
          status: pick(EVENT_STATUSES),
        })
        .map(defined),
      key: () => lister.apiKey,
      owns: mine,
      itemIds: (body) => (body as { items: Array<{ id: string }> }).items.map((i) => i.id),
      rows: (ids) => byIds('background_events', 'source, event_type as type, status', ids),
      matches: (row, f) => Object.entries(f).every(([k, v]) => row.fields[k] === v),
      insertDuring: (n, salt) => insertEvents(fx.db, [lister.id, other.id], someTypes(n, salt.length), salt),
      insertLate: fx.url
        ? lateInsert(
            `insert into background_events (user_id, event_type, source, event_data, event_timestamp, dedupe_key)
             values ($1, 'shopify.product.created', 'shopify', '{}', now(), 'late:' || $2) returning id`,
          )
        : undefined,
      all: () => everything('background_events', 'source, event_type as type, status'),
    });
    oracles.set('/api/suggestions', {
      filters: fc.record({ status: pick(SUGGESTION_STATUSES), type: pick(types) }).map(defined),
      key: () => lister.apiKey,
      owns: mine,
      itemIds: (body) => (body as { items: Array<{ id: string }> }).items.map((i) => i.id),
      rows: (ids) => byIds('suggestions', 'status, event_type as type', ids),
      matches: (row, f) => Object.entries(f).every(([k, v]) => row.fields[k] === v),
      insertDuring: (n, salt) => insertSuggestions(fx.db, [lister.id, other.id], someTypes(n, salt.length), salt),
      insertLate: fx.url
        ? lateInsert(
            `insert into suggestions (user_id, event_id, event_type, title, body)
             values ($1, gen_random_uuid(), 'shopify.product.created', 'late ' || $2, 'body') returning id`,
          )
        : undefined,
      all: () => everything('suggestions', 'status, event_type as type'),
    });
    // The operator's dead letters: every user's dead events, no filter.
    oracles.set('/api/admin/dead', {
      filters: fc.constant({}),
      key: () => ADMIN_TOKEN,
      owns: () => true,
      itemIds: (body) => (body as { events: Array<{ id: string }> }).events.map((e) => e.id),
      rows: (ids) => byIds('background_events', 'status', ids),
      matches: (row) => row.fields.status === 'dead',
      insertDuring: (n, salt) =>
        insertEvents(fx.db, [lister.id, other.id], someTypes(n, salt.length), `dead-${salt}`, 'dead'),
      insertLate: fx.url
        ? lateInsert(
            `insert into background_events (user_id, event_type, source, event_data, event_timestamp, dedupe_key,
             status)
             values ($1, 'shopify.product.created', 'shopify', '{}', now(), 'late-dead:' || $2, 'dead') returning id`,
          )
        : undefined,
      all: () => everything('background_events', 'status', "status = 'dead'"),
    });
  });
  after(() => app?.close());

  test('every paginated route has a table to compare with', () => {
    const paginated = listRoutes(app.lookout.server!)
      .filter((r) => r.method === 'GET')
      .filter((r) => {
        const shape = (r.schema?.querystring as { shape?: Record<string, unknown> } | undefined)?.shape;
        return shape !== undefined && 'cursor' in shape;
      })
      .map((r) => r.url);
    assert.ok(paginated.length >= 2, `paginated routes found: ${paginated.join(', ')}`);
    for (const url of paginated) assert.ok(oracles.has(url), `${url} takes a cursor: give it a ListOracle here`);
  });

  test(
    'listing page by page, with rows inserted meanwhile, gives every row once, in order, and ' + 'only the caller’s',
    async () => {
      let run = 0;
      let requests = 0;
      const started = Date.now();
      const arbitrary = fc.constantFrom(...oracles.keys()).chain((url) =>
        fc.record({
          url: fc.constant(url),
          filter: oracles.get(url)!.filters,
          limit: fc.oneof(fc.constantFrom(1, 2, 9, 10, 11, 50, 99, 100, 200), fc.integer({ min: 1, max: 200 })),
          insertsPerPage: fc.integer({ min: 0, max: 4 }),
          lateAfterPage: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
        }),
      );
      await fc.assert(
        fc.asyncProperty(arbitrary, async ({ url, filter, limit: drawnLimit, insertsPerPage, lateAfterPage }) => {
          run += 1;
          const oracle = oracles.get(url)!;
          const before = [...(await oracle.all()).entries()]
            .filter(([, row]) => oracle.matches(row, filter))
            .sort(([, a], [, b]) => (a.seq > b.seq ? -1 : 1))
            .map(([id]) => id);
          const limit = Math.max(drawnLimit, Math.ceil(before.length / MAX_PAGES));
          const what = `${url} ${JSON.stringify(filter)} limit ${limit} (${before.length} rows)`;

          const listed: string[] = [];
          const insertedDuring = new Set<string>();
          let pending: { id: string; commit: () => Promise<void> } | undefined;
          let cursor: string | null = null;
          for (let page = 0; ; page++) {
            assert.ok(page <= MAX_PAGES + 20, `${what}: the cursor never ends`);
            if (lateAfterPage === page && oracle.insertLate) {
              pending = await oracle.insertLate(`${run}-${page}`);
              insertedDuring.add(pending.id);
            }
            const params = new URLSearchParams({ ...filter, limit: String(limit) });
            if (cursor) params.set('cursor', cursor);
            // The page is read while new rows are written.
            const [res, inserted] = await Promise.all([
              app.call('GET', `${url}?${params}`, { key: oracle.key() }),
              oracle.insertDuring(insertsPerPage, `${fx.engine}-${run}-${page}`),
            ]);
            requests += 1;
            for (const id of inserted) insertedDuring.add(id);
            if (pending && page > (lateAfterPage ?? 0)) {
              await pending.commit();
              pending = undefined;
            }
            assert.equal(res.status, 200, `${what}: ${res.text}`);
            const ids = oracle.itemIds(res.body);
            assert.ok(ids.length <= limit, `${what}: a page of ${ids.length}`);
            listed.push(...ids);
            cursor = res.body.nextCursor;
            if (cursor === null) break;
            assert.equal(ids.length, limit, `${what}: a page with a next cursor is full`);
          }
          await pending?.commit();

          // Nothing twice.
          assert.equal(new Set(listed).size, listed.length, `${what}: a row listed twice`);
          // Every listed row is the caller's, matches the filter, and comes in sequence order.
          const rows = await oracle.rows(listed);
          let previous: bigint | undefined;
          for (const id of listed) {
            const row = rows.get(id);
            assert.ok(row, `${what}: ${id} is not in the table`);
            assert.ok(oracle.owns(row), `${what}: ${id} belongs to someone else`);
            assert.ok(oracle.matches(row, filter), `${what}: ${id} does not match the filter`);
            assert.ok(previous === undefined || row.seq < previous, `${what}: ${row.seq} listed after ${previous}`);
            previous = row.seq;
          }
          // Every row that existed when the listing began, once, in the table's order; the rest are
          // rows inserted meanwhile.
          const existing = new Set(before);
          assert.deepEqual(
            listed.filter((id) => existing.has(id)),
            before,
            `${what}: the rows present at the start, in order`,
          );
          for (const id of listed) assert.ok(existing.has(id) || insertedDuring.has(id), `${what}: ${id} from nowhere`);
        }),
        {
          numRuns: RUNS,
          seed: SEED,
          endOnFailure: true,
          interruptAfterTimeLimit: SECONDS * 1000,
          markInterruptAsFailure: false,
        },
      );
      assert.ok(run >= MIN_RUNS, `only ${run} listings in ${SECONDS} s: too few to mean anything`);
      const sizes = await Promise.all([...oracles.values()].map(async (o) => (await o.all()).size));
      console.log(
        `# pagination [${fx.engine}]: ${run} listings, ${requests} pages, lists of ${sizes.join(' and ')} rows, ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    },
  );
});
