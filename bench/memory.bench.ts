/**
 * Memory of one `lookout start` process (role all, the default) that receives a burst of orders
 * for one user and processes them until the queue is empty, on PostgreSQL and on PGlite, with the
 * default flow control (orders batched: 10 s window) and with flow control off.
 *
 *   npm run bench memory
 *   node --import tsx bench/memory.bench.ts [--events 9000] [--engine postgres,pglite] [--flow on,off]
 *        [--snapshots] [--idle 15] [--timeout 900] [--cli path/to/another/build/dist/cli.js]
 *
 * The server is the built CLI (`node dist/cli.js start`, with `--heapsnapshot-signal=SIGUSR2`) in
 * a child process, so its memory is its own. It is started once to create its database (on PGlite
 * that start also holds initdb's WASM instance, printed as "first start"), stopped, and started
 * again for the measurement. The signed `orders/create` deliveries come from a second child
 * process (16 keep-alive connections, every order its own id and event id, 503s retried).
 *
 * Sampled every 250 ms: resident memory from /proc/PID/status (VmRSS, and VmHWM for the peak) and,
 * from the server's own /metrics, V8's heap (used, total) and external memory (Buffers,
 * ArrayBuffers, PGlite's WASM memory). Reported: before the load, the peak, when the queue is
 * empty, and after --idle seconds more. With --snapshots, heap snapshots are written (SIGUSR2)
 * before the load and after the idle period (a snapshot collects garbage first: what is left is
 * what is held), and the largest growths by constructor are printed.
 *
 * Goals: resident memory after the queue is empty under default batching within 1.5x of the same
 * run with flow control off (that run holds no group), and peak RSS under 400 MB on PostgreSQL.
 * On PGlite: an idle instance (first start and restarted, before the load) under 300 MB, and the
 * peak under load under 400 MB. `--before path/to/an/earlier/dist/cli.js` also measures that
 * build's idle PGlite instance (first start and restart, no load) in the same run.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { signShopifyBody } from '../src/sources/shopify/signature.js';
import { goal, mb, printMachine } from './lib/machine.js';
import { BENCH_DATABASE_URL, withScratch } from './lib/scratch.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let CLI = join(ROOT, 'dist/cli.js');
const ORDER_FIXTURE = join(ROOT, 'fixtures/shopify/2026-04/orders__create.json');
const FIXTURE_ORDER_ID = '820982911946154508';
const SECRET = 'bench-shopify-secret';
const SHOP = 'memory-bench.myshopify.com';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const FLOW_OFF = { batchWindowSeconds: 0, debounceSeconds: 0, maxPerTypePerHour: 10_000 };
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

// ------------------------------------------------------------------ the sender (child process)
interface SendSpec {
  url: string;
  count: number;
  connections: number;
}

async function send(spec: SendSpec): Promise<{ stored: number; retried: number; failed: number }> {
  const template = readFileSync(ORDER_FIXTURE, 'utf8');
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const target = new URL('/webhooks/shopify', spec.url);
  let next = 6_100_000_000_000_000_000n;
  let taken = 0;
  let stored = 0;
  let retried = 0;
  let failed = 0;
  const deliver = (body: Buffer, eventId: string): Promise<number> =>
    new Promise((resolve) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': String(body.length),
            'x-shopify-topic': 'orders/create',
            'x-shopify-shop-domain': SHOP,
            'x-shopify-hmac-sha256': signShopifyBody(body, SECRET),
            'x-shopify-webhook-id': randomUUID(),
            'x-shopify-event-id': eventId,
            'x-shopify-triggered-at': new Date().toISOString(),
            'x-shopify-api-version': '2026-04',
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', () => resolve(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (taken < spec.count) {
        taken++;
        const body = Buffer.from(template.replaceAll(FIXTURE_ORDER_ID, (next++).toString()));
        const eventId = randomUUID();
        // Shopify retries what is not a 2xx; so does this sender, a few times.
        for (let attempt = 0; ; attempt++) {
          const status = await deliver(body, eventId);
          if (status === 200) {
            stored++;
            break;
          }
          if (attempt >= 10) {
            failed++;
            break;
          }
          retried++;
          await sleep(200 * (attempt + 1));
        }
      }
    }),
  );
  agent.destroy();
  return { stored, retried, failed };
}

if (process.argv.includes('--sender')) {
  process.once('message', (spec: SendSpec) => {
    send(spec).then(
      (r) => process.send!(r),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
} else {
  await main();
}

// ------------------------------------------------------------------ the server and its samples
interface Sample {
  at: number;
  rss: number;
  hwm: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  depth: number;
  processed: number;
}

function procStatus(pid: number): { rss: number; hwm: number } {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function metricValue(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function sample(pid: number, url: string): Promise<Sample> {
  let m = '';
  // A busy server may reset a kept-alive connection: try again before giving up.
  for (let attempt = 0; ; attempt++) {
    try {
      m = await (await fetch(`${url}/metrics`)).text();
      break;
    } catch (err) {
      if (attempt >= 5) throw err;
      await sleep(500);
    }
  }
  return {
    at: performance.now(),
    ...procStatus(pid),
    heapUsed: metricValue(m, 'lookout_nodejs_heap_size_used_bytes'),
    heapTotal: metricValue(m, 'lookout_nodejs_heap_size_total_bytes'),
    external: metricValue(m, 'lookout_nodejs_external_memory_bytes'),
    depth: metricValue(m, 'lookout_queue_depth'),
    processed: metricValue(m, 'lookout_events_processed_total'),
  };
}

interface Server {
  child: ChildProcess;
  url: string;
  apiKey?: string;
  cwd: string;
  output(): string;
  stop(): Promise<void>;
}

async function startServer(
  env: Record<string, string>,
  cwd = mkdtempSync(join(tmpdir(), 'lookout-memory-')),
): Promise<Server> {
  const child = spawn(process.execPath, ['--heapsnapshot-signal=SIGUSR2', CLI, 'start'], {
    cwd,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? cwd,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LOOKOUT_DATA_DIR: join(cwd, 'data'),
      LOOKOUT_ADMIN_TOKEN: ADMIN_TOKEN,
      LOOKOUT_SECRET_KEY: 'bench-secret-key-0123456789-0123456789',
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_STORE_URL: SHOP,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  let url: string | undefined;
  while (!url) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${out}`);
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    url = /"url":"(http:[^"]+)"/.exec(out)?.[1];
    await sleep(100);
  }
  const apiKey = /owner@lookout\.local[^\n]*\n\s+(lk_\S+)/.exec(out)?.[1];
  return {
    child,
    url,
    apiKey,
    cwd,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Writes a heap snapshot (SIGUSR2) into the server's cwd and returns its path once complete. */
async function heapSnapshot(server: Server): Promise<string> {
  const before = new Set(readdirSync(server.cwd).filter((f) => f.endsWith('.heapsnapshot')));
  server.child.kill('SIGUSR2');
  for (;;) {
    await sleep(500);
    const fresh = readdirSync(server.cwd).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!fresh) continue;
    // Node writes the file in one go; a snapshot is complete once it parses.
    const path = join(server.cwd, fresh);
    try {
      JSON.parse(readFileSync(path, 'utf8'));
      return path;
    } catch {
      /* still being written */
    }
  }
}

/** Self size by constructor (node type:name for non-objects) of a .heapsnapshot file. */
function heapByConstructor(path: string): Map<string, { count: number; size: number }> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snap.snapshot.meta.node_fields;
  const stride = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = snap.snapshot.meta.node_types[0];
  const out = new Map<string, { count: number; size: number }>();
  for (let i = 0; i < snap.nodes.length; i += stride) {
    const type = types[snap.nodes[i + typeAt]!]!;
    const key = type === 'object' || type === 'native' ? snap.strings[snap.nodes[i + nameAt]!]! : `(${type})`;
    const e = out.get(key) ?? { count: 0, size: 0 };
    e.count++;
    e.size += snap.nodes[i + sizeAt]!;
    out.set(key, e);
  }
  return out;
}

function printHeapGrowth(beforePath: string, afterPath: string): void {
  const before = heapByConstructor(beforePath);
  const after = heapByConstructor(afterPath);
  const total = (m: Map<string, { size: number }>) => [...m.values()].reduce((n, e) => n + e.size, 0);
  console.log(`    heap snapshot: ${mb(total(before))} before the load, ${mb(total(after))} after the idle period`);
  const growth = [...after]
    .map(([k, a]) => ({ k, size: a.size - (before.get(k)?.size ?? 0), count: a.count - (before.get(k)?.count ?? 0) }))
    .sort((x, y) => y.size - x.size)
    .slice(0, 8);
  for (const g of growth)
    console.log(`      ${g.k.slice(0, 40).padEnd(40)} ${mb(g.size).padStart(10)} (${g.count} more)`);
}

interface RunResult {
  firstStartRss: number;
  engine: string;
  flow: string;
  stored: number;
  seconds: number;
  base: Sample;
  peak: Sample;
  empty: Sample;
  idle: Sample;
}

async function runOnce(opts: {
  engine: 'postgres' | 'pglite';
  flow: 'on' | 'off';
  events: number;
  idleS: number;
  snapshots: boolean;
  timeoutS: number;
  databaseUrl?: string;
}): Promise<RunResult> {
  const env: Record<string, string> = opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {};
  // The first start creates the database (PGlite runs initdb in a WASM instance of its own, some
  // 400 MB that stay resident until V8 collects them): set up there, then measure a restarted
  // process, as an instance runs after its first day.
  const first = await startServer(env);
  let firstStartRss: number;
  try {
    await sleep(1_000);
    firstStartRss = procStatus(first.child.pid!).rss;
    if (opts.flow === 'off') {
      const res = await fetch(`${first.url}/api/preferences`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${first.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ flow: FLOW_OFF }),
      });
      if (res.status !== 200) throw new Error(`could not switch flow control off: ${res.status} ${await res.text()}`);
    }
  } finally {
    await first.stop();
  }
  const server = await startServer(env, first.cwd);
  let sender: ChildProcess | undefined;
  try {
    const pid = server.child.pid!;
    await sleep(1_000);
    const baseSnapshot = opts.snapshots ? await heapSnapshot(server) : undefined;
    const base = await sample(pid, server.url);
    const samples: Sample[] = [base];

    sender = fork(fileURLToPath(import.meta.url), ['--sender'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: ['--import', 'tsx'],
    });
    const child = sender;
    const sent = new Promise<{ stored: number; retried: number; failed: number }>((resolve, reject) => {
      child.once('message', (m: { stored: number; retried: number; failed: number }) => resolve(m));
      child.once('exit', (code) => code && reject(new Error(`sender exited with ${code}`)));
    });
    sender.send({ url: server.url, count: opts.events, connections: 16 } satisfies SendSpec);
    const started = performance.now();
    let result: { stored: number; retried: number; failed: number } | undefined;
    void sent.then((r) => (result = r));
    let empty: Sample | undefined;
    let reported = started;
    const deadline = started + opts.timeoutS * 1000;
    while (!empty && performance.now() < deadline) {
      await sleep(250);
      if (server.child.exitCode !== null)
        throw new Error(`the server exited (${server.child.exitCode}):\n${server.output().slice(-3000)}`);
      const s = await sample(pid, server.url);
      samples.push(s);
      // Group members covered by a batch are finished without being claimed: the depth says it.
      if (result && s.depth === 0) empty = s;
      if (s.at - reported > 15_000) {
        reported = s.at;
        console.log(
          `    ${((s.at - started) / 1000).toFixed(0)} s: ${result ? 'all stored' : 'storing'}, queue depth ${s.depth}, RSS ${mb(s.rss)}`,
        );
      }
    }
    if (!result || !empty)
      throw new Error(`the queue did not empty in ${opts.timeoutS} s:\n${server.output().slice(-2000)}`);
    const seconds = (empty.at - started) / 1000;
    await sleep(opts.idleS * 1000);
    const afterSnapshot = opts.snapshots ? await heapSnapshot(server) : undefined;
    const idle = await sample(pid, server.url);
    const peak = samples.reduce((p, s) => (s.rss > p.rss ? s : p));
    peak.hwm = idle.hwm;
    const r: RunResult = {
      firstStartRss,
      engine: opts.engine,
      flow: opts.flow,
      stored: result.stored,
      seconds,
      base,
      peak,
      empty,
      idle,
    };
    printRun(r, result);
    if (baseSnapshot && afterSnapshot) printHeapGrowth(baseSnapshot, afterSnapshot);
    return r;
  } finally {
    sender?.kill();
    await server.stop();
    rmSync(server.cwd, { recursive: true, force: true });
  }
}

/** A PGlite instance of the current CLI, idle: RSS 1 s after its first start, and after a restart. */
async function idlePglite(): Promise<{ firstStartRss: number; restartedRss: number }> {
  const first = await startServer({});
  let firstStartRss: number;
  try {
    await sleep(1_000);
    firstStartRss = procStatus(first.child.pid!).rss;
  } finally {
    await first.stop();
  }
  const again = await startServer({}, first.cwd);
  try {
    await sleep(1_000);
    return { firstStartRss, restartedRss: procStatus(again.child.pid!).rss };
  } finally {
    await again.stop();
    rmSync(again.cwd, { recursive: true, force: true });
  }
}

function printRun(r: RunResult, sent: { stored: number; retried: number; failed: number }): void {
  const line = (label: string, s: Sample) =>
    `    ${label.padEnd(22)} RSS ${mb(s.rss).padStart(9)}   heap used ${mb(s.heapUsed).padStart(9)} of ${mb(s.heapTotal).padStart(9)}   external ${mb(s.external).padStart(9)}`;
  console.log(
    `\n  ${r.engine}, flow control ${r.flow}: ${sent.stored} orders stored (${sent.retried} retries, ${sent.failed} failed), queue empty after ${r.seconds.toFixed(1)} s`,
  );
  console.log(`    ${'first start (initdb)'.padEnd(22)} RSS ${mb(r.firstStartRss).padStart(9)}`);
  console.log(line('restarted, before load', r.base));
  console.log(line('highest RSS sample', r.peak));
  console.log(`    ${'peak RSS (VmHWM)'.padEnd(22)} ${mb(r.peak.hwm).padStart(13)}`);
  console.log(line('queue empty', r.empty));
  console.log(line('after the idle period', r.idle));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      events: { type: 'string', default: '9000' },
      engine: { type: 'string', default: 'postgres,pglite' },
      flow: { type: 'string', default: 'on,off' },
      idle: { type: 'string', default: '15' },
      snapshots: { type: 'boolean', default: false },
      /** Seconds to wait for the queue to empty. */
      timeout: { type: 'string', default: '900' },
      /** Another build's CLI (an earlier commit's dist/cli.js, for before/after figures). */
      cli: { type: 'string' },
      /** An earlier build's CLI whose idle PGlite instance is measured too (before/after). */
      before: { type: 'string' },
    },
  });
  if (values.cli) CLI = values.cli;
  const engines = values.engine.split(',') as Array<'postgres' | 'pglite'>;
  const flows = values.flow.split(',') as Array<'on' | 'off'>;
  const events = Number(values.events);
  await printMachine(engines.includes('postgres') ? BENCH_DATABASE_URL : undefined);
  console.log(`${events} orders/create deliveries for one user, one \`lookout start\` process (role all)`);
  const results: RunResult[] = [];
  for (const engine of engines) {
    for (const flow of flows) {
      const o = {
        engine,
        flow,
        events,
        idleS: Number(values.idle),
        snapshots: values.snapshots,
        timeoutS: Number(values.timeout),
      };
      if (engine === 'postgres')
        results.push(await withScratch('lookout_memory', (s) => runOnce({ ...o, databaseUrl: s.url })));
      else results.push(await runOnce(o));
    }
  }
  let before: { firstStartRss: number; restartedRss: number } | undefined;
  if (values.before && engines.includes('pglite')) {
    const ours = CLI;
    CLI = values.before;
    try {
      before = await idlePglite();
    } finally {
      CLI = ours;
    }
    console.log(
      `\n  pglite, idle, the build at ${values.before}: first start (initdb) RSS ${mb(before.firstStartRss)}, restarted ${mb(before.restartedRss)}`,
    );
  }
  console.log('');
  for (const r of results.filter((x) => x.engine === 'pglite')) {
    const was = before ? ` (before: ${mb(before.firstStartRss)})` : '';
    goal(
      r.firstStartRss < 300 * 2 ** 20,
      `pglite, flow ${r.flow}: idle RSS at first start ${mb(r.firstStartRss)} < 300 MB${was}`,
    );
    const wasRestarted = before ? ` (before: ${mb(before.restartedRss)})` : '';
    goal(
      r.base.rss < 300 * 2 ** 20,
      `pglite, flow ${r.flow}: idle RSS restarted ${mb(r.base.rss)} < 300 MB${wasRestarted}`,
    );
    goal(r.peak.hwm < 400 * 2 ** 20, `pglite, flow ${r.flow}: peak RSS under load ${mb(r.peak.hwm)} < 400 MB`);
  }
  for (const engine of engines) {
    const on = results.find((r) => r.engine === engine && r.flow === 'on');
    const off = results.find((r) => r.engine === engine && r.flow === 'off');
    if (on && off)
      goal(
        on.empty.rss <= off.empty.rss * 1.5,
        `${engine}: RSS with the queue empty under default batching ${mb(on.empty.rss)} within 1.5x of flow control off (${mb(off.empty.rss)})`,
      );
    if (engine === 'postgres' && on)
      goal(on.peak.hwm < 400 * 2 ** 20, `postgres: peak RSS ${mb(on.peak.hwm)} < 400 MB`);
  }
}
