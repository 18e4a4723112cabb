import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { type ServerProcess, startServerProcess } from '../helpers/processes.js';
import { type Delivery, eachConcurrently, keepAliveAgent, orderDeliveries, post } from '../helpers/shopifyLoad.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { waitFor } from '../helpers/wait.js';

const skip = !POSTGRES_AVAILABLE && 'needs PostgreSQL (reached through a TCP proxy the test cuts)';
const SECRET = 'faults-test-secret';
const SHOP = 'faults.myshopify.com';

interface Setup {
  proxy: TcpProxy;
  server: ServerProcess;
  scratchUrl: string;
  close(): Promise<void>;
}

/** `lookout start` (one process, role all) whose every database connection goes through a proxy. */
async function startBehindProxy(extraEnv: Record<string, string> = {}): Promise<Setup> {
  const scratch = await createScratchDatabase();
  const u = new URL(scratch.url);
  const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  u.host = `127.0.0.1:${proxy.port}`;
  const server = await startServerProcess(
    {
      DATABASE_URL: u.toString(),
      LOOKOUT_DATA_DIR: mkdtempSync(join(tmpdir(), 'lookout-faults-')),
      LOOKOUT_SECRET_KEY: 'f'.repeat(40),
      LOOKOUT_ADMIN_TOKEN: 'faults-test-admin-token',
      SHOPIFY_API_SECRET: SECRET,
      SHOPIFY_STORE_URL: SHOP,
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    [],
    // Start-up only; generous because the suite shares a small machine.
    60_000,
  );
  return {
    proxy,
    server,
    scratchUrl: scratch.url,
    async close() {
      await server.stop();
      await proxy.stop();
      await scratch.drop();
    },
  };
}

async function storedCounts(url: string): Promise<Map<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string; n: number }>(
      `select event_data->>'id' as id, count(*)::int as n from background_events where source = 'shopify' group by 1`,
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    await client.end();
  }
}

test('the database connection dropped under load: the one process stays up, answers 503, recovers; every ' +
  '200 stored once', {
  skip,
}, async () => {
  const s = await startBehindProxy();
  const agent = keepAliveAgent(16);
  try {
    const deliveries = orderDeliveries(SHOP, SECRET, 600);
    const violations: string[] = [];
    let acknowledged = 0;
    let unavailableWhileCut = 0;
    let cut = false;
    const retrying = new Set<Delivery>();

    // Shopify's side: every delivery is retried until it is answered 200.
    const deliver = async (d: Delivery) => {
      for (;;) {
        const a = await post(s.server.url, '/webhooks/shopify', d, agent);
        d.answers.push(a.status ?? `error: ${a.error}`);
        if (a.status === 200) {
          acknowledged++;
          retrying.delete(d);
          return;
        }
        if (a.status === 503) {
          const body = JSON.parse(a.body) as { error?: { code?: string } };
          if (body.error?.code !== 'unavailable') violations.push(`order ${d.orderId}: 503 ${a.body}`);
          if (cut) unavailableWhileCut++;
        } else {
          violations.push(`order ${d.orderId}: ${a.status ?? a.error} ${a.body}`);
          if (a.error) return; // no answer at all: the process is gone, retrying is pointless
        }
        retrying.add(d);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const load = eachConcurrently(deliveries, 16, deliver);

    // Three cuts while deliveries are being stored and the worker is inside its transactions.
    for (let round = 1; round <= 3; round++) {
      await waitFor(() => acknowledged >= round * 100, `${round * 100} deliveries acknowledged`, 60_000, 10);
      const before = unavailableWhileCut;
      cut = true;
      s.proxy.cut();
      await waitFor(
        () => unavailableWhileCut >= before + 5,
        'deliveries answered 503 while the database is gone',
        30_000,
        10,
      );
      const ready = await fetch(`${s.server.url}/readyz`).catch((err: unknown) => {
        throw new Error(`/readyz did not answer (${String(err)})\n${s.server.output().slice(-3000)}`);
      });
      assert.equal(ready.status, 503, 'not ready while the database is gone');
      assert.equal(((await ready.json()) as { error: { code: string } }).error.code, 'unavailable');
      cut = false;
      s.proxy.restore();
      await waitFor(async () => (await fetch(`${s.server.url}/readyz`)).status === 200, 'ready again', 30_000, 50);
    }
    await load;
    assert.deepEqual(violations, [], `${violations.slice(0, 10).join('\n')}\n${s.server.output().slice(-3000)}`);
    assert.equal(s.server.child.exitCode, null, 'the process survived every cut');
    assert.equal(acknowledged, deliveries.length);

    const stored = await storedCounts(s.scratchUrl);
    for (const d of deliveries) assert.equal(stored.get(d.orderId), 1, `order ${d.orderId} (${d.answers.join(', ')})`);
    assert.equal(stored.size, deliveries.length);
    const retried = deliveries.filter((d) => d.answers.length > 1).length;
    console.log(`${deliveries.length} deliveries stored once each; ${retried} were answered 503 at least once`);

    // The worker came back too: it processes what was stored (nothing is stuck behind a lost connection).
    await waitFor(
      async () => {
        const c = new pg.Client({ connectionString: s.scratchUrl });
        await c.connect();
        const { rows } = await c.query<{ n: number }>(
          `select count(*)::int as n from background_events where status in ('pending', 'processing')
           and run_at <= now()`,
        );
        await c.end();
        return rows[0]!.n === 0;
      },
      'the worker to drain the queue',
      60_000,
      250,
    );
    assert.equal(await s.server.stop(), 0, 'and it still shuts down cleanly');
  } finally {
    agent.destroy();
    await s.close();
  }
});

test('a frozen database: requests and /readyz answer 503, bounded by the statement timeout, and ' +
  'recover after it thaws', {
  skip,
}, async () => {
  const boundMs = 1_500;
  const s = await startBehindProxy({
    DATABASE_STATEMENT_TIMEOUT_MS: String(boundMs),
    DATABASE_CONNECT_TIMEOUT_MS: String(boundMs),
  });
  const agent = keepAliveAgent(32);
  // "Answered", not "fast": a hang fails the test; the margin is far above the bound on purpose.
  const answered = () => AbortSignal.timeout(30_000);
  const readyz = () => {
    const t0 = performance.now();
    return fetch(`${s.server.url}/readyz`, { signal: answered() }).then(async (r) => ({
      status: r.status,
      body: await r.text(),
      ms: performance.now() - t0,
    }));
  };
  try {
    const deliveries = orderDeliveries(SHOP, SECRET, 40, 5_000);
    const [warm, frozen, late] = [deliveries.slice(0, 30), deliveries.slice(30, 38), deliveries.slice(38)];
    // A burst first, so the pool holds its ten connections, idle, when the database freezes:
    // a request then takes a connection that will never answer.
    const warmed = await Promise.all(warm.map((d) => post(s.server.url, '/webhooks/shopify', d, agent)));
    assert.ok(warmed.every((a) => a.status === 200));

    s.proxy.pause();
    const frozenAt = performance.now();
    const [webhooks, probes, api] = await Promise.all([
      Promise.all(frozen.map((d) => post(s.server.url, '/webhooks/shopify', d, agent, 30_000))),
      Promise.all(Array.from({ length: 6 }, readyz)),
      fetch(`${s.server.url}/api/events`, { headers: { authorization: 'Bearer lk_not_a_key' }, signal: answered() }),
    ]).catch((err: unknown) => {
      throw new Error(`no answer while the database is frozen: ${String(err)}\n${s.server.output().slice(-2000)}`);
    });
    for (const w of webhooks) {
      assert.equal(w.status, 503, `${w.error ?? ''} ${w.body}`);
      assert.equal((JSON.parse(w.body) as { error: { code: string } }).error.code, 'unavailable');
    }
    for (const r of probes) {
      assert.equal(r.status, 503, r.body);
      assert.equal((JSON.parse(r.body) as { error: { code: string } }).error.code, 'unavailable');
    }
    assert.equal(api.status, 503, 'an API call that needs the database (the key lookup) is 503 too');
    const slowest = Math.max(...webhooks.map((w) => w.answeredAt! - frozenAt));
    const slowestProbe = Math.max(...probes.map((r) => r.ms));
    console.log(
      `frozen database, bound ${boundMs} ms: slowest 503 from /readyz after ` +
        `${Math.round(slowestProbe)} ms, from a webhook after ${Math.round(slowest)} ms`,
    );
    assert.equal((await fetch(`${s.server.url}/healthz`, { signal: answered() })).status, 200);
    assert.equal(s.server.child.exitCode, null);

    s.proxy.resume();
    await waitFor(async () => (await readyz()).status === 200, 'ready after the thaw', 30_000);
    // Shopify retries the refused deliveries; they and a new one are stored, once each.
    for (const d of [...frozen, ...late]) {
      assert.equal((await post(s.server.url, '/webhooks/shopify', d, agent)).status, 200);
    }
    const stored = await storedCounts(s.scratchUrl);
    for (const d of deliveries) assert.equal(stored.get(d.orderId), 1, `order ${d.orderId}`);
  } finally {
    agent.destroy();
    await s.close();
  }
});
