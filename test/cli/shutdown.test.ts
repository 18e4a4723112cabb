import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { openPglite } from '../../src/db/pglite.js';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { startServerProcess } from '../helpers/processes.js';
import {
  type Answer,
  type Delivery,
  eachConcurrently,
  keepAliveAgent,
  orderDeliveries,
  post,
} from '../helpers/shopifyLoad.js';

const SECRET = 'shutdown-test-secret';
const SHOP = 'shutdown.myshopify.com';
const engines: Array<'pglite' | 'postgres'> = POSTGRES_AVAILABLE ? ['pglite', 'postgres'] : ['pglite'];

/** Order ids stored for the shop, with how many rows each has. */
async function storedOrders(engine: 'pglite' | 'postgres', where: { dataDir: string; url?: string }) {
  const sql = `select event_data->>'id' as id, count(*)::int as n from background_events
               where source = 'shopify' group by 1`;
  if (engine === 'pglite') {
    const db = await openPglite(join(where.dataDir, 'pgdata'));
    try {
      return new Map((await db.query<{ id: string; n: number }>(sql)).rows.map((r) => [r.id, r.n]));
    } finally {
      await db.close();
    }
  }
  const client = new pg.Client({ connectionString: where.url });
  await client.connect();
  try {
    return new Map((await client.query<{ id: string; n: number }>(sql)).rows.map((r) => [r.id, r.n]));
  } finally {
    await client.end();
  }
}

for (const engine of engines) {
  test(
    `SIGTERM under load [${engine}]: requests in flight are answered, new ones refused or 503, exit 0, ` +
      `every 200 stored`,
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'lookout-sigterm-'));
      const scratch = engine === 'postgres' ? await createScratchDatabase() : undefined;
      const env: Record<string, string> = {
        LOOKOUT_DATA_DIR: dataDir,
        LOOKOUT_SECRET_KEY: 'k'.repeat(40),
        LOOKOUT_ADMIN_TOKEN: 'sigterm-test-admin-token',
        SHOPIFY_API_SECRET: SECRET,
        SHOPIFY_STORE_URL: SHOP,
        LOG_LEVEL: 'warn',
        ...(scratch ? { DATABASE_URL: scratch.url } : {}),
      };
      const server = await startServerProcess(env, [], 60_000);
      const agent = keepAliveAgent(16);
      try {
        const deliveries = orderDeliveries(SHOP, SECRET, engine === 'pglite' ? 300 : 600);
        const answers = new Map<Delivery, Answer>();
        let signalledAt: number | undefined;
        const exited = new Promise<number | null>((resolve) => server.child.on('exit', (code) => resolve(code)));
        await eachConcurrently(deliveries, 16, async (d) => {
          const a = await post(server.url, '/webhooks/shopify', d, agent);
          answers.set(d, a);
          if (signalledAt === undefined && answers.size >= 80) {
            signalledAt = performance.now();
            server.child.kill('SIGTERM');
          }
        });
        assert.equal(await exited, 0, `the process exits 0 after SIGTERM\n${server.output().slice(-3000)}`);
        assert.ok(signalledAt !== undefined);

        const inFlight = [...answers.entries()].filter(([, a]) => a.sentAt !== undefined && a.sentAt < signalledAt!);
        const after = [...answers.entries()].filter(([, a]) => !(a.sentAt !== undefined && a.sentAt < signalledAt!));
        const inFlightAtSignal = inFlight.filter(([, a]) => a.answeredAt! > signalledAt!);
        assert.ok(inFlightAtSignal.length > 0, 'some requests were in flight when the signal arrived');
        for (const [d, a] of inFlight) {
          assert.equal(
            a.status,
            200,
            `order ${d.orderId}, sent ${Math.round(signalledAt - a.sentAt!)} ms before the signal, got ` +
              `${a.status ?? a.error} ${Math.round(a.answeredAt! - signalledAt)} ms after it ${a.body}\n` +
              `${server.output().slice(-3000)}`,
          );
        }
        for (const [d, a] of after) {
          if (a.error) {
            assert.ok(['ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(a.error), `order ${d.orderId}: ${a.error}`);
          } else if (a.status !== 200) {
            assert.equal(a.status, 503, `order ${d.orderId}: ${a.status} ${a.body}`);
            const body = JSON.parse(a.body) as { error: { code: string; message: string } };
            assert.equal(typeof body.error.code, 'string', a.body);
            assert.equal(typeof body.error.message, 'string', a.body);
          }
        }

        const stored = await storedOrders(engine, { dataDir, url: scratch?.url });
        const acknowledged = [...answers.entries()].filter(([, a]) => a.status === 200).map(([d]) => d.orderId);
        for (const id of acknowledged) assert.equal(stored.get(id), 1, `order ${id} answered 200 is stored once`);
        console.log(
          `[${engine}] ${acknowledged.length} stored, ${inFlightAtSignal.length} in flight at the signal, ` +
            `${after.filter(([, a]) => a.error).length} refused, ` +
            `${after.filter(([, a]) => a.status === 503).length} answered 503`,
        );
      } finally {
        agent.destroy();
        await server.stop();
        await scratch?.drop();
      }
    },
  );
}
