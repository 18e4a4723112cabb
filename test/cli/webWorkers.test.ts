import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { freePort, runCli, startServerProcess } from '../helpers/processes.js';
import { type Delivery, eachConcurrently, keepAliveAgent, orderDeliveries, post } from '../helpers/shopifyLoad.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'web-workers-test-secret';
const SHOP = 'web-workers.myshopify.com';

function env(dataDir: string, databaseUrl?: string): Record<string, string> {
  return {
    LOOKOUT_DATA_DIR: dataDir,
    LOOKOUT_SECRET_KEY: 'w'.repeat(40),
    LOOKOUT_ADMIN_TOKEN: 'web-workers-test-admin-token',
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_STORE_URL: SHOP,
    LOG_LEVEL: 'info',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
}

/** GET /healthz on a fresh connection (no keep-alive: each connection may go to another worker). */
function healthPid(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/healthz`, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        try {
          resolve((JSON.parse(body) as { pid: number }).pid);
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The distinct pids answering /healthz over `tries` fresh connections. */
async function answeringPids(url: string, tries = 12): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < tries; i++) pids.add(await healthPid(url));
  return pids;
}

async function storedOrders(url: string): Promise<Map<string, number>> {
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

/**
 * Sends every delivery, retrying one that got no 200 as Shopify does (same headers, so a retry of
 * a stored delivery is a duplicate, answered 200): returns the deliveries that were answered 200.
 */
async function deliverAll(
  url: string,
  deliveries: Delivery[],
  opts: { attempts: number; onAnswer?: (n: number) => void },
): Promise<Delivery[]> {
  const agent = keepAliveAgent(16);
  const acknowledged: Delivery[] = [];
  let answered = 0;
  try {
    await eachConcurrently(deliveries, 16, async (d) => {
      for (let attempt = 1; attempt <= opts.attempts; attempt++) {
        const a = await post(url, '/webhooks/shopify', d, agent);
        d.answers.push(a.status ?? `error: ${a.error}`);
        opts.onAnswer?.(++answered);
        if (a.status === 200) {
          acknowledged.push(d);
          return;
        }
        d.bodies.push(a.body);
        await new Promise((r) => setTimeout(r, 100 * attempt));
      }
    });
  } finally {
    agent.destroy();
  }
  return acknowledged;
}

describe('lookout start --role web --workers N', {
  skip: !POSTGRES_AVAILABLE && 'needs LOOKOUT_TEST_POSTGRES=1',
}, () => {
  test('two workers on one port, metrics summed; SIGTERM under load drains both, exits 0', async () => {
    const scratch = await createScratchDatabase();
    const metricsPort = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'lookout-ww-'));
    const server = await startServerProcess(
      { ...env(dataDir, scratch.url), LOOKOUT_METRICS_PORT: String(metricsPort) },
      ['--role', 'web', '--workers', '2'],
    );
    try {
      const pids = await waitFor(async () => {
        const p = await answeringPids(server.url);
        return p.size === 2 ? p : undefined;
      }, 'two distinct worker pids behind the port');
      assert.ok(!pids.has(server.child.pid!), 'the primary serves no request');

      const deliveries = orderDeliveries(SHOP, SECRET, 400);
      let signalled = false;
      const exited = new Promise<number | null>((resolve) => server.child.on('exit', (code) => resolve(code)));
      const acknowledged = await deliverAll(server.url, deliveries.slice(0, 200), { attempts: 1 });
      // The primary's metrics port sums both workers' registries: every stored webhook counted once.
      const received = async () => {
        const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
        return text
          .split('\n')
          .filter((l) => l.startsWith('lookout_events_received_total{'))
          .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
      };
      assert.equal(acknowledged.length, 200, 'all 200 first deliveries answered 200');
      assert.equal(await received(), 200, 'lookout_events_received_total summed over both workers');
      // Half delivered: the signal comes while the second half is in flight.
      const second = deliverAll(server.url, deliveries.slice(200), {
        attempts: 1,
        onAnswer: (n) => {
          if (!signalled && n >= 40) {
            signalled = true;
            server.child.kill('SIGTERM');
          }
        },
      });
      assert.equal(await exited, 0, `the primary exits 0 after SIGTERM\n${server.output().slice(-3000)}`);
      acknowledged.push(...(await second));
      const stored = await storedOrders(scratch.url);
      assert.ok(acknowledged.length >= 240, `${acknowledged.length} acknowledged`);
      for (const d of acknowledged)
        assert.equal(stored.get(d.orderId), 1, `order ${d.orderId} answered 200 is stored once`);
      assert.match(server.output(), /lookout web cluster started/);
    } finally {
      await server.stop();
      await scratch.drop();
    }
  });

  test('a killed worker is replaced, and no delivery answered 200 is lost', async () => {
    const scratch = await createScratchDatabase();
    const server = await startServerProcess(env(mkdtempSync(join(tmpdir(), 'lookout-ww-')), scratch.url), [
      '--role',
      'web',
      '--workers',
      '2',
    ]);
    try {
      const before = await waitFor(async () => {
        const p = await answeringPids(server.url);
        return p.size === 2 ? p : undefined;
      }, 'two distinct worker pids');
      const victim = [...before][0]!;
      const deliveries = orderDeliveries(SHOP, SECRET, 600);
      let killed = false;
      const acknowledged = await deliverAll(server.url, deliveries, {
        attempts: 20,
        onAnswer: (n) => {
          if (!killed && n >= 150) {
            killed = true;
            process.kill(victim, 'SIGKILL');
          }
        },
      });
      assert.ok(killed);
      const after = await waitFor(
        async () => {
          const p = await answeringPids(server.url);
          return p.size === 2 && !p.has(victim) ? p : undefined;
        },
        `a replacement for worker ${victim}`,
        60_000,
        250,
      );
      assert.equal([...after].filter((p) => before.has(p)).length, 1, 'the survivor and one new worker answer');
      assert.equal(acknowledged.length, deliveries.length, 'every delivery was answered 200 in the end');
      const stored = await storedOrders(scratch.url);
      for (const d of acknowledged)
        assert.equal(stored.get(d.orderId), 1, `order ${d.orderId} answered 200 is stored once`);
      assert.match(server.output(), /a web worker died: replacing it/);
      assert.equal(await server.stop(), 0, server.output().slice(-3000));
    } finally {
      await server.stop();
      await scratch.drop();
    }
  });
});

test('--workers is validated, and refused where one process must own the data', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-ww-'));
  const zero = await runCli(['start', '--role', 'web', '--workers', '0'], env(dataDir));
  assert.equal(zero.code, 1);
  assert.match(zero.stderr, /--workers \(LOOKOUT_WEB_WORKERS\) must be a whole number from 1 to 64, or auto/);
  const word = await runCli(['start', '--role', 'web'], { ...env(dataDir), LOOKOUT_WEB_WORKERS: 'many' });
  assert.equal(word.code, 1);
  assert.match(word.stderr, /got "many"/);
  const embedded = await runCli(['start', '--role', 'web', '--workers', '2'], env(dataDir));
  assert.equal(embedded.code, 1);
  assert.match(
    embedded.stderr,
    /needs PostgreSQL \(DATABASE_URL\): the embedded database's data folder is owned by one/,
  );
  const allRole = await runCli(['start', '--workers', '2'], env(dataDir, 'postgres://postgres@127.0.0.1:1/none'));
  assert.equal(allRole.code, 1);
  assert.match(allRole.stderr, /--workers 2 needs --role web/);
});
