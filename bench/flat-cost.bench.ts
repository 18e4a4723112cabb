/**
 * Flat cost as data grows: what one user does costs the same whether the database holds only
 * their rows or millions of other users' rows as well.
 *
 * Two scratch PostgreSQL databases, migrated alike, each with one probe user owning 5,100
 * processed events and 500 suggestions. The "full" one also holds N processed events (default
 * 1,000,000; `--events 10000000` for the full goal) over 1,000 other users, with one agent run
 * and one suggestion per 10 events, written with INSERT ... SELECT generate_series (not the API).
 * Then, alternating between the two databases so that the machine's load drifts alike for both:
 *   - ingest: events/s of the group-committing EventStore (20 callers, 10 events each);
 *   - claim: ms per claim of 100 due events (the worker's statement);
 *   - GET /api/events first page and 100th page (limit 50), and first page of ?type=;
 *   - GET /api/suggestions first page;
 * each the median of many runs. Goal: each within 1.25x of the empty database's figure.
 *
 *   npm run bench flat-cost   (or: node --import tsx bench/flat-cost.bench.ts [--events 1000000] [--explain])
 */
import { parseArgs } from 'node:util';
import type { Database } from '../src/db/database.js';
import { EVENT_QUEUE } from '../src/db/leasedQueue.js';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import { listEvents } from '../src/db/queries/events.js';
import { listSuggestions } from '../src/db/queries/suggestions.js';
import type { NewEvent } from '../src/events.js';
import { EventStore } from '../src/ingest/eventStore.js';
import { claimedColumns } from '../src/processing/claimedEvent.js';
import { goal, printMachine } from './lib/machine.js';
import { BENCH_DATABASE_URL, withScratch } from './lib/scratch.js';
import { fmt, percentile } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    users: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '9' },
    /** Print EXPLAIN ANALYZE of each read on the full database. */
    explain: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const USERS = Number(values.users);
const ROUNDS = Number(values.rounds);
const PROBE_EVENTS = 5_100;
const PAGE = 50;
const TYPES = [
  'shopify.product.updated',
  'shopify.order.created',
  'shopify.product.created',
  'shopify.inventory.updated',
];

/** Users (the probe user first) and `perUserEvents`... rows written with generate_series. */
async function fill(db: Database, users: number, events: number, label: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `insert into users (email) select $1 || '-' || g || '@example.com' from generate_series(1, $2::int) g returning id`,
    [label, users],
  );
  const ids = rows.map((r) => r.id);
  const CHUNK = 250_000;
  for (let from = 0; from < events; from += CHUNK) {
    const n = Math.min(CHUNK, events - from);
    // Processed events of four types, spread over users and over the last 20 days.
    await db.query(
      `insert into background_events (user_id, source, event_type, event_data, event_timestamp, received_at,
         dedupe_key, status, processed_at, outcome, attempts)
       select u[1 + g % array_length(u, 1)], 'shopify', t[1 + (g / 7) % 4],
              jsonb_build_object('id', g, 'admin_graphql_api_id', 'gid://shopify/Product/' || (g % 50000),
                'title', 'Product ' || g, 'vendor', 'Vendor ' || (g % 97), 'updated_at', now()::text),
              now() - (($3::int - g) * interval '1 second' * 1728000 / greatest($3::int, 1)), 
              now() - (($3::int - g) * interval '1 second' * 1728000 / greatest($3::int, 1)),
              'fill:' || g, 'processed', now(), 'not_warranted', 1
       from generate_series($1::int, $2::int) g, (select $4::uuid[] as u, $5::text[] as t) p`,
      [from, from + n - 1, events, ids, TYPES],
    );
    // One agent run and one suggestion per 10 events.
    await db.query(
      `with r as (
         insert into agent_runs (user_id, generator, prompt, output, status, latency_ms)
         select u[1 + g % array_length(u, 1)], 'offline',
                'Write three TikTok hooks for the product ' || g || ' in a friendly tone. Facts: ...',
                'Hook one for ' || g || '. Hook two. Hook three.', 'succeeded', 3
         from generate_series($1::int, $2::int, 10) g, (select $3::uuid[] as u) p
         returning id, user_id
       )
       insert into suggestions (user_id, event_id, event_type, agent_run_id, title, body, content)
       select r.user_id, gen_random_uuid(), 'shopify.product.created', r.id, 'Three hooks', 'Hook one. Hook two.', '{}'
       from r`,
      [from, from + n - 1, ids],
    );
  }
  return ids;
}

async function setUp(db: Database, others: number): Promise<string> {
  await migrate(db);
  // The probe user: the same rows in both databases.
  const [probe] = await fill(db, 1, PROBE_EVENTS, 'probe');
  if (others > 0) await fill(db, USERS, others, 'other');
  await db.query('vacuum analyze');
  await db.query('checkpoint');
  return probe!;
}

/** Median ms of `runs` calls of fn. */
async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return percentile(t, 50);
}

let keyCounter = 0;
async function ingestRate(db: Database, userId: string): Promise<number> {
  const store = new EventStore(db);
  const callers = 20;
  const perCaller = 10;
  const rounds = 10;
  const started = performance.now();
  for (let r = 0; r < rounds; r++) {
    await Promise.all(
      Array.from({ length: callers }, () =>
        store.store(
          Array.from(
            { length: perCaller },
            (): NewEvent => ({
              userId,
              integrationId: null,
              source: 'shopify',
              eventType: 'shopify.product.updated',
              eventDataJson: `{"id": ${++keyCounter}, "title": "Probe ${keyCounter}"}`,
              eventTimestamp: new Date(),
              dedupeKey: `probe-ingest:${keyCounter}`,
              via: 'webhook',
            }),
          ),
        ),
      ),
    );
  }
  return (callers * perCaller * rounds) / ((performance.now() - started) / 1000);
}

async function claimMs(db: Database): Promise<number> {
  // The events ingest just stored are due: claim them 100 at a time, as the worker does.
  const t: number[] = [];
  for (;;) {
    const s = performance.now();
    const rows = await EVENT_QUEUE.claim(db, {
      limit: 100,
      workerId: 'bench',
      leaseMs: 60_000,
      now: new Date(),
      returning: claimedColumns('q'),
    });
    if (rows.length === 0) break;
    t.push(performance.now() - s);
    // Done with them: processed, as the worker would leave them.
    await db.query(`update background_events set status = 'processed', processed_at = now() where locked_by = 'bench'
      and status = 'processing'`);
  }
  return t.length === 0 ? Number.NaN : percentile(t, 50);
}

interface Reads {
  first: number;
  page100: number;
  typed: number;
  suggestions: number;
}

async function reads(db: Database, probe: string, cursor100: string): Promise<Reads> {
  return {
    first: await median(30, () => listEvents(db, probe, { limit: PAGE })),
    page100: await median(30, () => listEvents(db, probe, { limit: PAGE, before: cursor100 })),
    typed: await median(30, () => listEvents(db, probe, { limit: PAGE, type: 'shopify.order.created' })),
    suggestions: await median(30, () => listSuggestions(db, probe, { limit: PAGE })),
  };
}

/** The cursor of the 100th page: the seq of the last row of page 99. */
async function cursorOfPage100(db: Database, probe: string): Promise<string> {
  const { rows } = await db.query<{ seq: string }>(
    `select seq::text from background_events where user_id = $1 order by seq desc offset $2 limit 1`,
    [probe, 99 * PAGE - 1],
  );
  return rows[0]!.seq;
}

const EVENTS_SQL = `select id from background_events e where e.user_id = $1 and ($2::text is null or e.event_type = $2)
  and ($3::bigint is null or e.seq < $3::bigint) order by e.seq desc limit 51`;
const SUGGESTIONS_SQL = `select s.id, (select count(*) from background_events e where e.suggestion_id = s.id)
  from suggestions s where s.user_id = $1 order by s.seq desc limit 51`;

function readQueries(probe: string, cursor100: string): Array<[string, string, unknown[]]> {
  return [
    ['events, first page', EVENTS_SQL, [probe, null, null]],
    ['events, 100th page', EVENTS_SQL, [probe, null, cursor100]],
    ['events, ?type=', EVENTS_SQL, [probe, 'shopify.order.created', null]],
    ['suggestions, first page', SUGGESTIONS_SQL, [probe]],
  ];
}

async function explain(db: Database, probe: string, cursor100: string): Promise<void> {
  for (const [label, sql, params] of readQueries(probe, cursor100)) {
    const { rows } = await db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, params);
    console.log(`-- ${label}\n${rows.map((r) => `   ${r['QUERY PLAN']}`).join('\n')}`);
  }
}

/** Median execution time inside PostgreSQL (EXPLAIN ANALYZE) of each read: no round trip, no client. */
async function serverTimes(db: Database, probe: string, cursor100: string): Promise<number[]> {
  const out: number[] = [];
  for (const [, sql, params] of readQueries(probe, cursor100)) {
    const t: number[] = [];
    for (let i = 0; i < 15; i++) {
      const { rows } = await db.query<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> }>(
        `explain (analyze, format json) ${sql}`,
        params,
      );
      t.push(rows[0]!['QUERY PLAN'][0]!['Execution Time']);
    }
    out.push(percentile(t, 50));
  }
  return out;
}

await printMachine(BENCH_DATABASE_URL);
console.log(
  `flat cost: ${fmt(EVENTS)} other events over ${fmt(USERS)} users (+ ${fmt(EVENTS / 10)} agent runs ` +
    `and suggestions), ` +
    `probe user with ${fmt(PROBE_EVENTS)} events; measured while other work ran on this machine: ratios, not absolutes`,
);

await withScratch('lookout_flat_empty', async (emptyScratch) =>
  withScratch('lookout_flat_full', async (fullScratch) => {
    const empty = await openPostgres({ connectionString: emptyScratch.url, max: 8, statementTimeoutMs: 0 });
    const full = await openPostgres({ connectionString: fullScratch.url, max: 8, statementTimeoutMs: 0 });
    try {
      const probeEmpty = await setUp(empty, 0);
      const fillStarted = performance.now();
      const probeFull = await setUp(full, EVENTS);
      console.log(`filled the full database in ${fmt((performance.now() - fillStarted) / 1000, 1)} s`);
      const cursors = { empty: await cursorOfPage100(empty, probeEmpty), full: await cursorOfPage100(full, probeFull) };
      if (values.explain) {
        console.log('EXPLAIN ANALYZE, empty database:');
        await explain(empty, probeEmpty, cursors.empty);
        console.log('EXPLAIN ANALYZE, full database:');
        await explain(full, probeFull, cursors.full);
      }

      type Sample = Reads & { ingest: number; claim: number };
      const samples: Record<'empty' | 'full', Sample[]> = { empty: [], full: [] };
      const server: Record<'empty' | 'full', number[][]> = { empty: [], full: [] };
      for (let r = 0; r < ROUNDS; r++) {
        // Alternate which goes first, so neither always meets a warmer cache or a quieter machine.
        const order = r % 2 === 0 ? (['empty', 'full'] as const) : (['full', 'empty'] as const);
        for (const which of order) {
          const db = which === 'empty' ? empty : full;
          const probe = which === 'empty' ? probeEmpty : probeFull;
          const ingest = await ingestRate(db, probe);
          const claim = await claimMs(db);
          const rd = await reads(db, probe, cursors[which]);
          samples[which].push({ ingest, claim, ...rd });
          server[which].push(await serverTimes(db, probe, cursors[which]));
        }
      }
      const med = (which: 'empty' | 'full', k: keyof Sample) =>
        percentile(
          samples[which].map((s) => s[k]),
          50,
        );
      console.log(`\n${'measure'.padEnd(34)}${'empty'.padStart(12)}${'full'.padStart(12)}${'ratio'.padStart(9)}`);
      const rows: Array<[string, keyof Sample, 'higher' | 'lower', string]> = [
        ['ingest (events/s)', 'ingest', 'higher', 'events/s'],
        ['claim 100 due events (ms)', 'claim', 'lower', 'ms'],
        ['GET /api/events first page (ms)', 'first', 'lower', 'ms'],
        ['GET /api/events 100th page (ms)', 'page100', 'lower', 'ms'],
        ['GET /api/events?type= (ms)', 'typed', 'lower', 'ms'],
        ['GET /api/suggestions (ms)', 'suggestions', 'lower', 'ms'],
      ];
      const verdicts: Array<[string, number]> = [];
      for (const [label, k, better] of rows) {
        const e = med('empty', k);
        const f = med('full', k);
        // Cost ratio: how much worse the full database is (>1 is slower), whichever way is better.
        const ratio = better === 'higher' ? e / f : f / e;
        verdicts.push([label, ratio]);
        console.log(
          `${label.padEnd(34)}${fmt(e, 2).padStart(12)}${fmt(f, 2).padStart(12)}${`${fmt(ratio, 2)}x`.padStart(9)}`,
        );
      }
      // The same reads timed inside PostgreSQL: what the index does, without the round trip and
      // the client (which a loaded machine makes noisy). Shown to explain the figures, not a goal.
      const labels = readQueries('', '').map(([l]) => l);
      labels.forEach((label, i) => {
        const e = percentile(
          server.empty.map((x) => x[i]!),
          50,
        );
        const f = percentile(
          server.full.map((x) => x[i]!),
          50,
        );
        console.log(
          `${`${label}, in the server (ms)`.padEnd(34)}${fmt(e, 3).padStart(12)}${fmt(f, 3).padStart(12)}` +
            `${`${fmt(f / e, 2)}x`.padStart(9)}`,
        );
      });
      console.log('');
      for (const [label, ratio] of verdicts)
        goal(
          ratio <= 1.25,
          `flat cost: ${label} with ${fmt(EVENTS)} other events is ${fmt(ratio, 2)}x the empty database ` +
            `(goal <= 1.25x)`,
        );
    } finally {
      await empty.close();
      await full.close();
    }
  }),
);
