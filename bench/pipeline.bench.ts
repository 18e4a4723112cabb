/**
 * Issue 5, the processing pipeline:
 *  (a) events processed per second into suggestions (offline generator) by the app's real worker
 *      (createLookout role worker: EventWorker with its configured batch size and concurrency,
 *      processEvents, suggestion + agent run + event update in one transaction, live messages),
 *      beside graphile-worker 0.17.3 running a no-op task on the same database in the same run:
 *      in its fastest configuration (local queue 500, completeJobBatchDelay 0, failJobBatchDelay 0,
 *      concurrentJobs 24, maxPoolSize 25: its documented performance preset), without the batching
 *      options (concurrentJobs 24), and with its library defaults (concurrentJobs 1).
 *  (b) webhook-to-suggestion latency at a steady 100 deliveries/s: signed products/create
 *      deliveries from a child process (open loop) to a Lookout with role all; measured from the
 *      moment the child sends the request to the moment the 'suggestion' message for that event
 *      is handed to the app's StreamBus subscribers (what an open dashboard receives over SSE),
 *      both on the same machine's wall clock (performance.timeOrigin + now()).
 *      Flow control is switched off for these users (batchWindowSeconds 0, debounceSeconds 0,
 *      maxPerTypePerHour 10,000): by default product.created is batched (10 s window).
 *      A second run keeps the default flow control to show what a merchant gets out of the box.
 *
 *   npm run bench pipeline
 *   (or: node --import tsx bench/pipeline.bench.ts [--events 20000] [--users 200] [--seconds 20])
 * Goals: (a) events/s >= graphile-worker's no-op jobs/s (fastest configuration); (b) p50 < 50 ms, p99 < 250 ms.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Logger, makeWorkerUtils, type Runner, run } from 'graphile-worker';
import pg from 'pg';
import { createLookout } from '../src/app.js';
import type { Database, Queryable } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import { insertEvents } from '../src/db/queries/events.js';
import type { NewEvent } from '../src/events.js';
import { Metrics } from '../src/metrics.js';
import { benchConfig, createShopUsers, FLOW_OFF, SHOPIFY_SECRET } from './lib/lookout.js';
import { goal, printMachine } from './lib/machine.js';
import { withScratch } from './lib/scratch.js';
import { PRODUCT_FIXTURE, productBody, runLoad } from './lib/shopifyLoad.js';
import { fmt, ms, summary, wallNow } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    users: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '100' },
    /** a, b or ab: which parts to run (profiling one part). */
    part: { type: 'string', default: 'abw' },
    'wal-events': { type: 'string', default: '5000' },
    /** Print WAL bytes per event by relation (first block of each record). */
    'wal-detail': { type: 'boolean', default: false },
    /** Overrides of the worker's configured batch size / claim loops (default: the app's configuration). */
    'worker-batch': { type: 'string' },
    'worker-concurrency': { type: 'string' },
  },
});
const EVENTS = Number(values.events);
const USERS = Number(values.users);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const PART = values.part;
const WORKER_OVERRIDES = {
  ...(values['worker-batch'] ? { batchSize: Number(values['worker-batch']) } : {}),
  ...(values['worker-concurrency'] ? { concurrency: Number(values['worker-concurrency']) } : {}),
};
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

async function counterTotal(c: Metrics['eventsProcessed']): Promise<number> {
  return (await c.get()).values.reduce((n, v) => n + v.value, 0);
}

// ---------------------------------------------------------------- (a) throughput
async function lookoutThroughput(
  db: Database,
  events = EVENTS,
): Promise<{
  walBytesPerEvent: number;
  /** Of which full-page images. */
  walFpiBytesPerEvent: number;
  walHow: string;
  statementsPerEvent: number;
  perSecond: number;
  seconds: number;
  suggestions: number;
  processed: number;
  batchSize: number;
  concurrency: number;
}> {
  const users = await createShopUsers(db, USERS, { flow: FLOW_OFF, prefix: 'throughput' });
  const template = readFileSync(PRODUCT_FIXTURE, 'utf8');
  let id = 7_200_000_000_000_000_000n;
  for (let from = 0; from < events; from += 1_000) {
    const batch: NewEvent[] = [];
    for (let i = from; i < Math.min(events, from + 1_000); i++) {
      const u = users[i % users.length]!;
      const pid = (id++).toString();
      batch.push({
        userId: u.userId,
        integrationId: u.integrationId,
        source: 'shopify',
        eventType: 'shopify.product.created',
        eventDataJson: productBody(template, pid).toString(),
        eventTimestamp: new Date(),
        dedupeKey: `bench:${pid}`,
        via: 'webhook',
      });
    }
    await insertEvents(db, batch);
  }
  await db.query('vacuum analyze background_events');
  await db.query('checkpoint');

  const metrics = new Metrics();
  const config = benchConfig();
  const counted = countingQueries(db);
  const lookout = await createLookout(config, { db: counted.db, role: 'worker', metrics, worker: WORKER_OVERRIDES });
  const wal = new WalMeter(db);
  await wal.start();
  const started = performance.now();
  await lookout.listen();
  let done = await counterTotal(metrics.eventsProcessed);
  const deadline = started + 150_000;
  while (done < events && performance.now() < deadline) {
    await sleep(10);
    done = await counterTotal(metrics.eventsProcessed);
  }
  const seconds = (performance.now() - started) / 1000;
  const statements = counted.count();
  await lookout.close();
  const walBytes = await wal.stop();
  if (values['wal-detail']) {
    const top = [...wal.byRelation].sort((a, b) => b[1] - a[1]).slice(0, 20);
    for (const [rel, bytes] of top) console.log(`      ${rel}: ${fmt(bytes / Math.max(1, events))} bytes/event`);
  }
  const { rows } = await db.query<{ processed: number; suggestions: number }>(
    `select (select count(*)::int from background_events where status = 'processed') as processed, (select count(*)::int
     from suggestions) as suggestions`,
  );
  return {
    walBytesPerEvent: walBytes.bytes / Math.max(1, done),
    walFpiBytesPerEvent: walBytes.fpiBytes / Math.max(1, done),
    walHow: walBytes.how,
    statementsPerEvent: statements / Math.max(1, done),
    perSecond: done / seconds,
    seconds,
    processed: rows[0]!.processed,
    suggestions: rows[0]!.suggestions,
    batchSize: WORKER_OVERRIDES.batchSize ?? config.worker.batchSize,
    concurrency: WORKER_OVERRIDES.concurrency ?? config.worker.concurrency ?? 2,
  };
}

/**
 * WAL bytes written for this database's relations while it runs. The server is shared: other
 * databases write WAL too, and recycle segments quickly. So every half second the records written
 * since the last look are read with pg_walinspect and those touching a block of this database
 * summed (full-page images apart: they follow checkpoints, which any database's load triggers).
 * Without pg_walinspect, or if a segment was recycled before it was read, the whole server's WAL
 * is reported instead (an upper bound) and `how` says so.
 */
class WalMeter {
  #last = '';
  #bytes = 0;
  #fpi = 0;
  #exact = true;
  #reason = '';
  #timer?: NodeJS.Timeout;
  #sampling: Promise<void> = Promise.resolve();
  #first = '';
  #stopped = false;
  /** Bytes (full-page images apart) by the relation of each record's first block. */
  readonly byRelation = new Map<string, number>();

  constructor(private readonly db: Queryable) {}

  async start(): Promise<void> {
    try {
      await this.db.query('create extension if not exists pg_walinspect');
    } catch (err) {
      this.#exact = false;
      this.#reason = (err as Error).message;
    }
    this.#first = this.#last = await this.#lsn();
    const tick = () => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => {
        this.#sampling = this.#sample().then(tick);
      }, 500);
    };
    tick();
  }

  async stop(): Promise<{ bytes: number; fpiBytes: number; how: string }> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#sampling;
    await this.#sample();
    if (this.#exact)
      return { bytes: this.#bytes, fpiBytes: this.#fpi, how: "this database's WAL records (pg_walinspect)" };
    const { rows } = await this.db.query<{ n: string }>(
      'select pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text as n',
      [this.#first],
    );
    return { bytes: Number(rows[0]!.n), fpiBytes: 0, how: `the whole server's WAL (${this.#reason})` };
  }

  /** The flushed end of the WAL: pg_walinspect reads no further. */
  async #lsn(): Promise<string> {
    return (await this.db.query<{ lsn: string }>('select pg_current_wal_flush_lsn()::text as lsn')).rows[0]!.lsn;
  }

  async #sample(): Promise<void> {
    if (!this.#exact) return;
    const to = await this.#lsn();
    try {
      const { rows } = await this.db.query<{ rel: string | null; n: string; fpi: string }>(
        `select coalesce(pg_filenode_relation(0, substring(block_ref from '/[0-9]+/([0-9]+)')::oid)::text,
         'other') as rel,
                coalesce(sum(record_length), 0)::text as n, coalesce(sum(fpi_length), 0)::text as fpi
         from pg_get_wal_records_info($1::pg_lsn, $2::pg_lsn)
         where block_ref like '%/' || (select oid from pg_database where datname = current_database()) || '/%'
         group by 1`,
        [this.#last, to],
      );
      for (const r of rows) {
        this.#bytes += Number(r.n);
        this.#fpi += Number(r.fpi);
        const rel = r.rel ?? 'other';
        this.byRelation.set(rel, (this.byRelation.get(rel) ?? 0) + Number(r.n) - Number(r.fpi));
      }
      this.#last = to;
    } catch (err) {
      this.#exact = false;
      this.#reason = `pg_walinspect: ${(err as Error).message}`;
    }
  }
}

/**
 * The schema as it was before migration 0014 (no retention and flat-cost indexes, PostgreSQL's
 * default compression threshold): the "before" of the bytes-per-event comparison.
 */
async function undoFlatCostMigration(db: Queryable): Promise<void> {
  for (const index of [
    'background_events_retention',
    'agent_runs_created',
    'suggestions_created',
    'notification_deliveries_delivered',
    'suggestions_agent_run',
    'background_events_user_type_seq',
    'suggestions_user_status_seq',
  ])
    await db.query(`drop index ${index}`);
  for (const table of ['agent_runs', 'suggestions', 'background_events'])
    await db.query(`alter table ${table} reset (toast_tuple_target)`);
  await db.query(
    'alter table agent_runs alter column prompt set storage extended, alter column output set storage extended',
  );
  await db.query(
    'alter table suggestions alter column body set storage extended, alter column content set storage extended',
  );
}

/** The same database, counting the statements sent (each one a round trip), transactions included. */
function countingQueries(db: Database): { db: Database; count: () => number } {
  let n = 0;
  const wrap = <Q extends Queryable>(q: Q): Q => ({
    ...q,
    query: (sql: string, params?: readonly unknown[]) => {
      n++;
      return q.query(sql, params);
    },
  });
  const counted: Database = {
    ...db,
    engine: db.engine,
    query: (sql, params) => {
      n++;
      return db.query(sql, params);
    },
    transaction: (fn) => {
      n += 2;
      return db.transaction((tx) => fn(wrap(tx)));
    }, // + BEGIN and COMMIT
  };
  return { db: counted, count: () => n };
}

const silent = new Logger(() => () => {});

async function graphileThroughput(
  url: string,
  jobs: number,
  worker: Record<string, unknown>,
  concurrency?: number,
): Promise<{ perSecond: number; seconds: number; left: number }> {
  const utils = await makeWorkerUtils({ connectionString: url, logger: silent });
  try {
    await utils.migrate();
    for (let from = 0; from < jobs; from += 5_000) {
      await utils.addJobs(
        Array.from({ length: Math.min(5_000, jobs - from) }, (_, i) => ({
          identifier: 'noop',
          payload: { id: from + i },
        })),
      );
    }
  } finally {
    await utils.release();
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('vacuum analyze graphile_worker._private_jobs');
  await c.query('checkpoint');
  let ran = 0;
  const started = performance.now();
  const runner: Runner = await run({
    connectionString: url,
    logger: silent,
    noHandleSignals: true,
    ...(concurrency ? { concurrency, maxPoolSize: concurrency + 1 } : {}),
    taskList: {
      noop: async () => {
        ran++;
      },
    },
    preset: { worker },
  });
  // Done = every job executed and its completion committed (completion deletes the job row).
  let left = jobs;
  const deadline = started + 120_000;
  while (performance.now() < deadline) {
    if (ran >= jobs) {
      left = (await c.query<{ n: number }>('select count(*)::int as n from graphile_worker._private_jobs')).rows[0]!.n;
      if (left === 0) break;
      await sleep(5);
    } else await sleep(10);
  }
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  await c.end();
  return { perSecond: ran / seconds, seconds, left };
}

// ---------------------------------------------------------------- (b) latency
async function latencyRun(
  db: Database,
  opts: {
    label: string;
    users: number;
    flow?: Record<string, number>;
    seconds: number;
    warmupMs: number;
    idBase: string;
    settleMs: number;
  },
) {
  const users = await createShopUsers(db, opts.users, { flow: opts.flow, prefix: opts.label });
  const lookout = await createLookout(benchConfig(), { db, role: 'all' });
  const url = await lookout.listen();
  const arrivals = new Map<string, number>(); // event id -> when its suggestion reached the bus subscribers
  const unsubscribe = users.map((u) =>
    lookout.ctx.bus.subscribe(u.userId, (m) => {
      if (m.type === 'suggestion') arrivals.set(String(m.data.eventId), wallNow());
    }),
  );
  try {
    const r = await runLoad({
      url,
      secret: SHOPIFY_SECRET,
      shops: users.map((u) => u.shop),
      idBase: opts.idBase,
      connections: 50,
      warmupMs: opts.warmupMs,
      durationMs: opts.seconds * 1000,
      rate: RATE,
    });
    const sends = r.sends ?? [];
    const waitUntil = performance.now() + opts.settleMs;
    while (arrivals.size < sends.length && performance.now() < waitUntil) await sleep(50);
    const { rows } = await db.query<{ id: string; pid: string }>(
      `select id, event_data->>'id' as pid from background_events where id = any($1::uuid[])`,
      [[...arrivals.keys()]],
    );
    const sentAt = new Map(sends);
    const measureFrom = Math.min(...sends.map(([, t]) => t)) + opts.warmupMs;
    const latencies: number[] = [];
    let measuredSends = 0;
    for (const [, t] of sends) if (t >= measureFrom) measuredSends++;
    for (const row of rows) {
      const t = sentAt.get(row.pid);
      if (t !== undefined && t >= measureFrom) latencies.push(arrivals.get(row.id)! - t);
    }
    return {
      suggestion: summary(latencies),
      measuredSends,
      ack: summary(r.latencies),
      statuses: r.statuses,
      errors: r.errors,
      sent: r.sent,
    };
  } finally {
    for (const u of unsubscribe) u();
    await lookout.close();
  }
}

await withScratch('lookout_bench_pipeline', async (scratch) => {
  await printMachine(scratch.url);
  const db = await openPostgres({ connectionString: scratch.url, max: 10 });
  try {
    await migrate(db);
    if (PART.includes('a')) {
      console.log(
        `(a) throughput: ${fmt(EVENTS)} products/create events pre-inserted over ${USERS} users (flow control ` +
          `off), then one in-process worker (role worker)`,
      );
      const lk = await lookoutThroughput(db);
      console.log(
        `  Lookout worker (batch ${lk.batchSize}, ${lk.concurrency} claim loops, offline generator): ` +
          `${fmt(lk.perSecond)} events/s into suggestions (${lk.seconds.toFixed(2)} s; ` +
          `${fmt(lk.processed)} processed, ${fmt(lk.suggestions)} suggestions)`,
      );
      console.log(
        `    ${lk.statementsPerEvent.toFixed(2)} SQL statements (round trips) per event, transactions' ` +
          `BEGIN/COMMIT included; ${fmt(lk.walBytesPerEvent)} WAL bytes per event (${lk.walHow})`,
      );
      const fastest = await graphileThroughput(scratch.url, EVENTS, {
        concurrentJobs: 24,
        maxPoolSize: 25,
        localQueue: { size: 500 },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      });
      console.log(
        `  graphile-worker 0.17.3 no-op, fastest (concurrentJobs 24, localQueue 500, completeJobBatchDelay 0, ` +
          `failJobBatchDelay 0): ${fmt(fastest.perSecond)} jobs/s (${fastest.seconds.toFixed(2)} s` +
          `${fastest.left ? `, ${fastest.left} left` : ''})`,
      );
      const unbatched = await graphileThroughput(scratch.url, EVENTS, { concurrentJobs: 24, maxPoolSize: 25 });
      console.log(
        `  graphile-worker 0.17.3 no-op, concurrentJobs 24 without batching options: ` +
          `${fmt(unbatched.perSecond)} jobs/s (${unbatched.seconds.toFixed(2)} s` +
          `${unbatched.left ? `, ${unbatched.left} left` : ''})`,
      );
      const defaultsJobs = Math.min(EVENTS, 5_000);
      const defaults = await graphileThroughput(scratch.url, defaultsJobs, {});
      console.log(
        `  graphile-worker 0.17.3 no-op, library defaults (concurrentJobs 1, ${fmt(defaultsJobs)} jobs): ` +
          `${fmt(defaults.perSecond)} jobs/s (${defaults.seconds.toFixed(2)} s` +
          `${defaults.left ? `, ${defaults.left} left` : ''})`,
      );
      console.log(
        `  ratio Lookout / graphile-worker fastest: ${(lk.perSecond / fastest.perSecond).toFixed(2)}; / defaults: ` +
          `${(lk.perSecond / defaults.perSecond).toFixed(2)}`,
      );

      goal(
        lk.processed >= EVENTS && lk.suggestions >= EVENTS,
        `(a) every event processed into its own suggestion (${fmt(lk.processed)} processed, ` +
          `${fmt(lk.suggestions)} suggestions)`,
      );
      goal(
        lk.perSecond >= fastest.perSecond,
        `(a) Lookout events/s >= graphile-worker no-op jobs/s, fastest configuration (${fmt(lk.perSecond)} vs ` +
          `${fmt(fastest.perSecond)})`,
      );
    }
    if (PART.includes('w')) {
      const n = Number(values['wal-events']);
      console.log(
        `(w) WAL bytes per processed event: ${fmt(n)} products/create events each on two fresh databases, the ` +
          `schema before migration 0014 and after (measured while other work ran on this machine)`,
      );
      const before = await withScratch('lookout_bench_wal_before', async (s2) => {
        const d = await openPostgres({ connectionString: s2.url, max: 10, statementTimeoutMs: 0 });
        try {
          await migrate(d);
          await undoFlatCostMigration(d);
          return await lookoutThroughput(d, n);
        } finally {
          await d.close();
        }
      });
      const after = await withScratch('lookout_bench_wal_after', async (s2) => {
        const d = await openPostgres({ connectionString: s2.url, max: 10, statementTimeoutMs: 0 });
        try {
          await migrate(d);
          return await lookoutThroughput(d, n);
        } finally {
          await d.close();
        }
      });
      const records = (r: typeof before) => r.walBytesPerEvent - r.walFpiBytesPerEvent;
      console.log(
        `  before 0014: ${fmt(before.walBytesPerEvent)} WAL bytes/event (` +
          `${fmt(records(before))} without full-page images), ${fmt(before.perSecond)} events/s`,
      );
      console.log(
        `  after 0014:  ${fmt(after.walBytesPerEvent)} WAL bytes/event (` +
          `${fmt(records(after))} without full-page images), ${fmt(after.perSecond)} events/s (${after.walHow})`,
      );
      goal(
        records(after) < records(before),
        `(w) fewer WAL bytes per processed event than before migration 0014, full-page images apart (` +
          `${fmt(records(after))} vs ${fmt(records(before))}: ${(records(after) / records(before)).toFixed(2)}x)`,
      );
      goal(
        after.perSecond >= 5_000,
        `(w) processing >= 5,000 events/s on PostgreSQL, offline generator, flow control off (` +
          `${fmt(after.perSecond)} events/s; before 0014 in the same run: ${fmt(before.perSecond)})`,
      );
    }
    if (PART.includes('b')) {
      console.log(
        `(b) webhook-to-suggestion latency at ${RATE} deliveries/s (open loop, child process), role all, from the ` +
          `send to the 'suggestion' bus message:`,
      );
      const off = await latencyRun(db, {
        label: 'latoff',
        users: 100,
        flow: FLOW_OFF,
        seconds: SECONDS,
        warmupMs: 2_000,
        idBase: '7300000000000000000',
        settleMs: 15_000,
      });
      const s = off.suggestion;
      console.log(
        `  flow control off (100 users): p50 ${ms(s.p50)}, p90 ${ms(s.p90)}, p99 ${ms(s.p99)}, max ` +
          `${ms(s.max)} over ${fmt(s.n)} of ${fmt(off.measuredSends)} measured deliveries (` +
          `${SECONDS} s after 2 s warm-up)`,
      );
      console.log(
        `    webhook answer (200) latency p50 ${ms(off.ack.p50)}, p99 ${ms(off.ack.p99)}; answers ` +
          `${JSON.stringify(off.statuses)}${off.errors ? `, ${off.errors} errors` : ''}`,
      );

      // Default preferences: every Shopify type that warrants a suggestion is coalesced by default
      // (product.created/order.created/collection.created/product.deleted batched over 10 s,
      // product.updated/inventory.low debounced over 300 s). products/create, one delivery per user
      // (2,000 users at 100/s for 10 s): each is below batchMinEvents, so it gets its own suggestion
      // once its 10 s window is quiet.
      const def = await latencyRun(db, {
        label: 'latdefault',
        users: 2_000,
        seconds: 10,
        warmupMs: 0,
        idBase: '7400000000000000000',
        settleMs: 20_000,
      });
      const d = def.suggestion;
      console.log(
        `  default flow control (2,000 users, one products/create each; batched by default, 10 s window): p50 ` +
          `${ms(d.p50)}, p99 ${ms(d.p99)}, max ${ms(d.max)} over ${fmt(d.n)} of ${fmt(def.measuredSends)} deliveries`,
      );

      goal(
        s.p50 < 50 && s.n === off.measuredSends,
        `(b) webhook-to-suggestion p50 < 50 ms at ${RATE}/s (${ms(s.p50)})`,
      );
      goal(
        s.p99 < 250 && s.n === off.measuredSends,
        `(b) webhook-to-suggestion p99 < 250 ms at ${RATE}/s (${ms(s.p99)})`,
      );
    }
  } finally {
    await db.close();
  }
});
