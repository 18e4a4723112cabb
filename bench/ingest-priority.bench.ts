/**
 * Ingest priority in the one-process default (role all): webhooks are answered about as fast
 * while the worker is busy processing a backlog as by a web process alone.
 *
 * PostgreSQL, signed products/create deliveries from a child process (closed loop), three runs on
 * fresh databases in the same process, one after another:
 *   1. role web (nothing else running): the baseline;
 *   2. role all, with a backlog of pre-inserted events keeping the worker busy, ingest priority on;
 *   3. the same with ingest priority off (the worker never yields).
 * Goal: run 2 accepts >= 0.8x the deliveries/s of run 1.
 *
 *   npm run bench ingest-priority
 *   (or: node --import tsx bench/ingest-priority.bench.ts [--seconds 10] [--backlog 30000])
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createLookout } from '../src/app.js';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import { insertEvents } from '../src/db/queries/events.js';
import type { NewEvent } from '../src/events.js';
import { benchConfig, createShopUsers, FLOW_OFF, SHOPIFY_SECRET } from './lib/lookout.js';
import { goal, printMachine } from './lib/machine.js';
import { withScratch } from './lib/scratch.js';
import { PRODUCT_FIXTURE, productBody, runLoad } from './lib/shopifyLoad.js';
import { fmt } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    backlog: { type: 'string', default: '30000' },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const BACKLOG = Number(values.backlog);

async function backlog(db: Database, n: number): Promise<void> {
  const users = await createShopUsers(db, 50, { flow: FLOW_OFF, prefix: 'backlog' });
  const template = readFileSync(PRODUCT_FIXTURE, 'utf8');
  let id = 7_500_000_000_000_000_000n;
  for (let from = 0; from < n; from += 1_000) {
    const batch: NewEvent[] = [];
    for (let i = from; i < Math.min(n, from + 1_000); i++) {
      const u = users[i % users.length]!;
      const pid = (id++).toString();
      batch.push({
        userId: u.userId,
        integrationId: u.integrationId,
        source: 'shopify',
        eventType: 'shopify.product.created',
        eventDataJson: productBody(template, pid).toString(),
        eventTimestamp: new Date(),
        dedupeKey: `backlog:${pid}`,
        via: 'webhook',
      });
    }
    await insertEvents(db, batch);
  }
  await db.query('vacuum analyze background_events');
}

async function run(
  label: string,
  role: 'web' | 'all',
  opts: { backlog: number; priority: boolean },
): Promise<{ rate: number; processed: number }> {
  return withScratch(`lookout_bench_prio_${label}`, async (s) => {
    const db = await openPostgres({ connectionString: s.url, max: 10, statementTimeoutMs: 0 });
    try {
      await migrate(db);
      if (opts.backlog > 0) await backlog(db, opts.backlog);
      const users = await createShopUsers(db, CONNECTIONS, { flow: FLOW_OFF, prefix: `prio${label}` });
      const lookout = await createLookout(benchConfig(), {
        db,
        role,
        ...(opts.priority ? {} : { worker: { yieldWhile: () => false } }),
      });
      const url = await lookout.listen();
      try {
        const r = await runLoad({
          url,
          secret: SHOPIFY_SECRET,
          shops: users.map((u) => u.shop),
          idBase: '7600000000000000000',
          connections: CONNECTIONS,
          warmupMs: 2_000,
          durationMs: SECONDS * 1000,
        });
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from background_events where status = 'processed'`,
        );
        return { rate: r.measuredOk / r.measuredSeconds, processed: rows[0]!.n };
      } finally {
        await lookout.close();
      }
    } finally {
      await db.close();
    }
  });
}

await printMachine(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
console.log(
  `ingest priority: ${CONNECTIONS} connections, closed loop, ${SECONDS} s after 2 s warm-up; backlog ` +
    `${fmt(BACKLOG)} events; ` +
    'measured while other work ran on this machine: ratios, not absolutes',
);
const web = await run('web', 'web', { backlog: 0, priority: true });
console.log(`  role web alone:                          ${fmt(web.rate)} deliveries/s`);
const prio = await run('all', 'all', { backlog: BACKLOG, priority: true });
console.log(
  `  role all, worker busy, ingest priority: ${fmt(prio.rate)} deliveries/s (` +
    `${fmt(prio.processed)} events processed meanwhile)`,
);
const noPrio = await run('allnp', 'all', { backlog: BACKLOG, priority: false });
console.log(
  `  role all, worker busy, no priority:      ${fmt(noPrio.rate)} deliveries/s (` +
    `${fmt(noPrio.processed)} events processed meanwhile)`,
);
goal(
  prio.rate >= 0.8 * web.rate,
  `ingest with a busy worker in one process >= 0.8x web alone (${fmt(prio.rate)} vs ${fmt(web.rate)}: ` +
    `${(prio.rate / web.rate).toFixed(2)}x; without priority ${(noPrio.rate / web.rate).toFixed(2)}x)`,
);
