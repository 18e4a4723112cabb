/**
 * 1,000 concurrent SSE clients on one server process receiving a broadcast.
 *
 *   npx tsx bench/sse-broadcast.bench.ts [--clients 1000] [--rounds 20] [--postgres URL]
 *
 * The server (Fastify + StreamBus + mountStream, PGlite in memory unless --postgres) runs in this
 * process; the clients run in a child process so the server's RSS is its own. Each round publishes
 * one message for the user all clients are subscribed as, and measures from just before
 * bus.publish() (which stores the message first) until the last client has parsed it.
 * Goals (issue 7): all received within 200 ms, server RSS under 250 MB.
 */
import { type ChildProcess, fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { openPostgres } from '../src/db/postgres.js';
import { StreamBus } from '../src/notify/bus.js';
import { mountStream } from '../src/notify/sse.js';

const now = () => performance.timeOrigin + performance.now(); // comparable across processes

type ToChild = { kind: 'round'; round: number };
type FromChild =
  | { kind: 'connected'; ms: number }
  | { kind: 'received'; round: number; first: number; last: number; p50: number }
  | { kind: 'rss'; rss: number };

// ---------- clients (child process) ----------
async function runClients(url: string, count: number): Promise<void> {
  const send = (m: FromChild) => process.send!(m);
  const received = new Map<number, number[]>();
  const started = now();
  let connected = 0;
  const onFrame = (data: string) => {
    const { data: payload } = JSON.parse(data) as { data: { round?: number } };
    if (payload.round === undefined) return;
    const times = received.get(payload.round) ?? [];
    times.push(now());
    received.set(payload.round, times);
    if (times.length === count) {
      times.sort((a, b) => a - b);
      send({
        kind: 'received',
        round: payload.round,
        first: times[0]!,
        last: times[count - 1]!,
        p50: times[Math.floor(count / 2)]!,
      });
      received.delete(payload.round);
    }
  };
  await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<void>((resolve, reject) => {
          const req = http.get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
            res.setEncoding('utf8');
            let buf = '';
            let first = true;
            res.on('data', (chunk: string) => {
              if (first) {
                first = false;
                connected++;
                resolve();
              }
              buf += chunk;
              for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
                const block = buf.slice(0, at);
                buf = buf.slice(at + 2);
                const line = block.split('\n').find((l) => l.startsWith('data: '));
                if (line) onFrame(line.slice(6));
              }
            });
          });
          req.on('error', reject);
        }),
    ),
  );
  send({ kind: 'connected', ms: now() - started });
  process.on('message', (m: ToChild | { kind: 'rss' }) => {
    if (m.kind === 'rss') send({ kind: 'rss', rss: process.memoryUsage().rss });
  });
  void connected;
}

// ---------- server (this process) ----------
function nextMessage<K extends FromChild['kind']>(
  child: ChildProcess,
  kind: K,
): Promise<Extract<FromChild, { kind: K }>> {
  return new Promise((resolve) => {
    const on = (m: FromChild) => {
      if (m.kind === kind) {
        child.off('message', on);
        resolve(m as Extract<FromChild, { kind: K }>);
      }
    };
    child.on('message', on);
  });
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function runServer(clients: number, rounds: number, postgresUrl?: string): Promise<void> {
  const cpu = os.cpus()[0];
  console.log(
    `machine: ${cpu?.model ?? 'unknown'}, ${os.cpus().length} cores, ${mb(os.totalmem())} RAM, ${os.type()} ` +
      `${os.release()}, Node ${process.version}`,
  );
  const rssAtStart = process.memoryUsage().rss;
  const db: Database = postgresUrl ? await openPostgres({ connectionString: postgresUrl, max: 5 }) : await openPglite();
  console.log(
    `database: ${db.engine} (process RSS ${mb(rssAtStart)} before opening it, ${mb(process.memoryUsage().rss)} after)`,
  );
  await migrate(db);
  const { rows } = await db.query<{ id: string }>(`insert into users (email) values ($1) returning id`, [
    `bench-${Date.now()}@example.com`,
  ]);
  const userId = rows[0]!.id;
  const bus = new StreamBus(db, { pruneIntervalMs: 0 });
  await bus.start();
  const app = Fastify({ logger: false });
  mountStream(app, { bus, authenticate: () => userId, heartbeatMs: 15_000 });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const rssBefore = process.memoryUsage().rss;

  const child = fork(fileURLToPath(import.meta.url), ['--child', `${base}/api/stream`, String(clients)], {
    stdio: 'inherit',
  });
  const connected = await nextMessage(child, 'connected');
  while (bus.subscriberCount(userId) < clients) await new Promise((r) => setTimeout(r, 10));
  console.log(
    `${clients} SSE clients connected in ${connected.ms.toFixed(0)} ms; server RSS ${mb(rssBefore)} before, ` +
      `${mb(process.memoryUsage().rss)} with the clients`,
  );

  const results: { total: number; spread: number; publish: number }[] = [];
  let peakRss = process.memoryUsage().rss;
  for (let round = 0; round <= rounds; round++) {
    const arrived = nextMessage(child, 'received');
    const t0 = now();
    await bus.publish(userId, { type: 'notification', id: `round-${round}`, data: { round, title: 'Broadcast' } });
    const t1 = now();
    const r = await arrived;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (round > 0) results.push({ total: r.last - t0, spread: r.last - r.first, publish: t1 - t0 }); // round 0 warms up
    await new Promise((res) => setTimeout(res, 50));
  }
  child.send({ kind: 'rss' });
  const childRss = await nextMessage(child, 'rss');

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const pct = (xs: number[], p: number) => sorted(xs)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
  const totals = results.map((r) => r.total);
  console.log(
    `broadcast to ${clients} clients, ${rounds} rounds (measured from just before bus.publish() to the last client ` +
      `parsing the frame):`,
  );
  console.log(
    `  all received after: p50 ${pct(totals, 50).toFixed(1)} ms, p95 ${pct(totals, 95).toFixed(1)} ms, max ` +
      `${Math.max(...totals).toFixed(1)} ms (goal < 200 ms)`,
  );
  console.log(
    `  publish() call (insert, write to local clients, NOTIFY): p50 ${pct(
      results.map((r) => r.publish),
      50,
    ).toFixed(1)} ms; first-to-last client spread p50 ${pct(
      results.map((r) => r.spread),
      50,
    ).toFixed(1)} ms`,
  );
  console.log(`  server RSS peak ${mb(peakRss)} (goal < 250 MB); client process RSS ${mb(childRss.rss)}`);
  if (db.engine === 'pglite')
    console.log(
      '  note: embedded PGlite (WASM) holds most of this RSS; run with --postgres to see the SSE layer alone',
    );
  console.log(`  ${Math.max(...totals) < 200 && peakRss < 250 * 1024 * 1024 ? 'PASS' : 'FAIL'}`);

  child.kill();
  await app.close();
  await bus.stop();
  await db.close();
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: 'boolean', default: false },
    clients: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '20' },
    postgres: { type: 'string' },
  },
});
if (values.child) {
  await runClients(positionals[0]!, Number(positionals[1]));
} else {
  await runServer(Number(values.clients), Number(values.rounds), values.postgres);
}
