/**
 * Issue 5: 10,000 Shopify integrations, each with an access token, polled every 60 s
 * (LOOKOUT_POLL_INTERVAL_S=60, the real period, with the loop's ±10% jitter) by ONE worker
 * process (a child process: createLookout role worker, like `lookout start --role worker`,
 * default LOOKOUT_POLL_CONCURRENCY) against the local fake Shopify Admin GraphQL API
 * (test/fakes/shopifyAdmin.ts, in this parent process, its cost bucket made effectively
 * unlimited since real shops each have their own). Initial next_poll_at is spread uniformly over
 * the first period (as production jitter leaves it), so the load is steady: ~167 polls/s.
 *
 *   npm run bench poll-loop   (or: node --import tsx bench/poll-loop.bench.ts [--integrations 10000] [--seconds 150])
 *
 * The worker runs the compiled build (dist/, what `npm start` runs) under plain node when dist/ is
 * newer than every file of src/; otherwise (or with --from src) the TypeScript sources through
 * tsx, whose loader adds about 70 MB of RSS: the bench says which it ran.
 *
 * Reported: poll lateness (start of the poll minus its due time: the value metrics.pollLateness
 * observes, every sample recorded in the worker), polls completed per second, and the worker's
 * peak RSS (VmHWM from /proc/PID/status, sampled VmRSS as a cross-check).
 * Goals: p99 lateness < 2 s; RSS < 300 MB.
 */
import { fork } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { migrate } from '../src/db/migrate.js';
import { openPostgres } from '../src/db/postgres.js';
import { SecretBox } from '../src/lib/secretBox.js';
import { FakeShopifyAdmin } from '../test/fakes/shopifyAdmin.js';
import { createShopUsers, SECRET_KEY, SHOPIFY_SECRET } from './lib/lookout.js';
import { goal, mb, printMachine } from './lib/machine.js';
import { withScratch } from './lib/scratch.js';
import { fmt, summary } from './lib/stats.js';

const { values } = parseArgs({
  options: {
    integrations: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '150' },
    from: { type: 'string' },
  },
});
const INTEGRATIONS = Number(values.integrations);
const SECONDS = Number(values.seconds);
const PERIOD_S = 60;
const TOKEN = 'shpat_bench_token';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(dir: string, ext: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, ext));
    else if (e.name.endsWith(ext)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** dist/ when it is built from the current sources (or asked for), else src/ through tsx. */
function workerBuild(): { base: 'dist' | 'src'; why: string } {
  if (values.from === 'src' || values.from === 'dist') return { base: values.from, why: `--from ${values.from}` };
  if (!existsSync(join(ROOT, 'dist/app.js'))) return { base: 'src', why: 'no dist/ build' };
  const srcNewest = Math.max(newestMtime(join(ROOT, 'src'), '.ts'), newestMtime(join(ROOT, 'src'), '.sql'));
  const distBuilt = statSync(join(ROOT, 'dist/app.js')).mtimeMs;
  return srcNewest <= distBuilt
    ? { base: 'dist', why: 'dist/ is newer than every src/ file' }
    : { base: 'src', why: 'dist/ is older than src/ (run npm run build to measure the build)' };
}

function procStatus(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

type Report = {
  kind: 'report';
  at: number[];
  lateness: number[];
  polls: Array<{ outcome: string; value: number }>;
  memory: NodeJS.MemoryUsage;
  afterGc: NodeJS.MemoryUsage;
};

await withScratch('lookout_bench_polls', async (scratch) => {
  await printMachine(scratch.url);
  const shopify = await FakeShopifyAdmin.start({ accessToken: TOKEN, maximumAvailable: 1e12, restoreRate: 1e12 });
  // In stock (10 > threshold 5): polls find nothing new.
  for (let i = 0; i < 3; i++) shopify.addProduct({ title: `Catalog item ${i}` });
  const db = await openPostgres({ connectionString: scratch.url, max: 4 });
  let child: ReturnType<typeof fork> | undefined;
  try {
    await migrate(db);
    const credentials = new SecretBox(SECRET_KEY).sealJson({ accessToken: TOKEN });
    await createShopUsers(db, INTEGRATIONS, { prefix: 'poll', credentials, nextPollAt: 'infinity' });
    await db.query('vacuum analyze');
    console.log(
      `poll loop: ${fmt(INTEGRATIONS)} Shopify integrations with access tokens, period ${PERIOD_S} s, one worker ` +
        `process, fake Admin API on loopback; ${SECONDS} s run`,
    );

    const build = workerBuild();
    console.log(
      `  worker process: ` +
        `${build.base === 'dist' ? 'node dist/ (compiled build)' : 'node --import tsx src/'} (${build.why})`,
    );
    child = fork(fileURLToPath(new URL('./lib/pollWorker.mjs', import.meta.url)), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      // tsx only for the sources; --expose-gc only serves the after-GC figure taken at the end.
      execArgv: build.base === 'src' ? ['--import', 'tsx', '--expose-gc'] : ['--expose-gc'],
      env: {
        BENCH_LOOKOUT_BASE: build.base,
        ...process.env,
        DATABASE_URL: scratch.url,
        LOOKOUT_POLL_INTERVAL_S: String(PERIOD_S),
        SHOPIFY_ADMIN_API_URL: shopify.url,
        LOOKOUT_SECRET_KEY: SECRET_KEY,
        LOOKOUT_ADMIN_TOKEN: 'bench-admin-token-0123456789',
        SHOPIFY_API_SECRET: SHOPIFY_SECRET,
        LOG_LEVEL: 'silent',
        PORT: '0',
      },
    });
    const worker = child;
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('exit', (code) => reject(new Error(`worker exited ${code}`)));
    });
    const rssAtReady = procStatus(worker.pid!)?.rss ?? 0;
    // Due times spread uniformly over the first period, from now.
    await db.query(`update integrations set next_poll_at = now() + random() * interval '${PERIOD_S} seconds'`);
    const started = Date.now();
    let peakSampled = 0;
    const samples: number[] = [];
    while (Date.now() - started < SECONDS * 1000) {
      await new Promise((r) => setTimeout(r, 500));
      const s = procStatus(worker.pid!);
      if (s) {
        peakSampled = Math.max(peakSampled, s.rss);
        samples.push(s.rss);
      }
    }
    const hwm = procStatus(worker.pid!)?.hwm ?? 0;
    const report = await new Promise<Report>((resolve) => {
      worker.once('message', (m: Report) => resolve(m));
      worker.send({ kind: 'report' });
    });
    const elapsed = (Date.now() - started) / 1000;

    const all = summary(report.lateness.map((s) => s * 1000));
    const steadyFrom = started + PERIOD_S * 1000; // second period onwards: rescheduled by the loop itself
    const steady = summary(report.lateness.filter((_, i) => report.at[i]! >= steadyFrom).map((s) => s * 1000));
    const outcomes = Object.fromEntries(report.polls.map((p) => [p.outcome, p.value]));
    const completed = report.polls.reduce((n, p) => n + p.value, 0);
    const expected = (INTEGRATIONS / PERIOD_S) * elapsed;
    console.log(
      `  polls completed: ${fmt(completed)} in ${elapsed.toFixed(0)} s = ` +
        `${fmt(completed / elapsed, 1)}/s (schedule asks ${fmt(INTEGRATIONS / PERIOD_S, 1)}/s, about ` +
        `${fmt(expected)} in this run); outcomes ${JSON.stringify(outcomes)}`,
    );
    console.log(`  fake Admin API requests served: ${fmt(shopify.requests.length)}`);
    console.log(
      `  poll lateness, all ${fmt(all.n)} polls: p50 ${fmt(all.p50)} ms, p90 ${fmt(all.p90)} ms, p99 ` +
        `${fmt(all.p99)} ms, max ${fmt(all.max)} ms`,
    );
    console.log(
      `  poll lateness, second period onwards (${fmt(steady.n)} polls): p50 ${fmt(steady.p50)} ms, p99 ` +
        `${fmt(steady.p99)} ms, max ${fmt(steady.max)} ms`,
    );
    console.log(
      `  worker RSS: ${mb(rssAtReady)} when ready, peak ${mb(hwm)} (VmHWM; sampled VmRSS peak ` +
        `${mb(peakSampled)}, last ${mb(samples.at(-1) ?? 0)})`,
    );
    const m = report.memory;
    console.log(
      `  worker memory at the end: rss ${mb(m.rss)}, V8 heap used ${mb(m.heapUsed)} of ` +
        `${mb(m.heapTotal)}, external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)}); heap used after a ` +
        `forced full GC ${mb(report.afterGc.heapUsed)}`,
    );
    goal(all.p99 < 2000, `p99 poll lateness < 2 s (${fmt(all.p99)} ms)`);
    goal(hwm < 300 * 1024 * 1024, `worker peak RSS < 300 MB (${mb(hwm)})`);
    goal(completed >= expected * 0.9, `polls keep up with the schedule (${fmt(completed)} of about ${fmt(expected)})`);
  } finally {
    if (child && child.exitCode === null) {
      const c = child;
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => c.kill('SIGKILL'), 10_000);
        c.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
        c.kill('SIGTERM');
      });
    }
    await db.close();
    await shopify.close();
  }
});
