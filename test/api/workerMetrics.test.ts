import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createLookout, type Lookout } from '../../src/app.js';
import { ConfigError } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { insertEvents } from '../../src/db/queries/events.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import { startTestApp, type TestApp, testConfig } from '../helpers/app.js';
import { createScratchDatabase, describeEachEngine, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { freePort, startServerProcess } from '../helpers/processes.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

/** The value of one sample in Prometheus text format (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  return res.text();
}

const FLOW_OFF = { flow: { batchWindowSeconds: 0, maxPerTypePerHour: 10_000 } };

describeEachEngine('roles apart: the worker serves its own metrics on LOOKOUT_METRICS_PORT', (fx) => {
  let web: TestApp;
  let worker: Lookout;
  before(async () => {
    web = await startTestApp(fx.db, {}, { role: 'web' });
    worker = await createLookout(testConfig({ LOOKOUT_METRICS_PORT: '0' }), {
      db: fx.db,
      role: 'worker',
      worker: { backstopMs: 50 },
    });
    await worker.listen();
  });
  after(async () => {
    await web?.close();
    await worker?.close();
  });

  test(
    'a product delivered to the web role: processing and suggestion counters are scraped ' + 'from the worker',
    async () => {
      assert.ok(worker.metricsUrl, 'the worker listens on its metrics port');
      assert.equal(worker.server, undefined, 'and serves no API');
      const user = await web.createUser();
      const shop = `metrics-${randomUUID().slice(0, 8)}.myshopify.com`;
      await web.connectShop(user, shop);
      assert.equal((await web.call('PUT', '/api/preferences', { key: user.apiKey, body: FLOW_OFF })).status, 200);
      const body = fixtureBody('products/create');
      const res = await web.call('POST', '/webhooks/shopify', {
        raw: body,
        headers: shopifyHeaders('products/create', shop, body, 'test-shopify-secret'),
      });
      assert.equal(res.status, 200, res.text);
      await waitFor(async () => {
        const { rows } = await fx.db.query('select 1 from suggestions where user_id = $1', [user.id]);
        return rows.length === 1;
      }, 'the suggestion');

      const fromWorker = await waitFor(async () => {
        const text = await scrape(worker.metricsUrl!);
        return sample(text, 'lookout_suggestions_generated_total', { type: 'shopify.product.created' }) === 1
          ? text
          : undefined;
      }, 'the suggestion counter on the worker');
      assert.equal(
        sample(fromWorker, 'lookout_events_processed_total', { type: 'shopify.product.created', outcome: 'suggested' }),
        1,
      );
      assert.ok((sample(fromWorker, 'lookout_event_processing_latency_seconds_count') ?? 0) >= 1);
      assert.equal(sample(fromWorker, 'lookout_queue_depth'), 0, 'database gauges are read at scrape time');
      assert.ok(sample(fromWorker, 'lookout_process_resident_memory_bytes'), 'and the process metrics of the worker');

      const fromWeb = await scrape(web.url);
      assert.equal(sample(fromWeb, 'lookout_events_received_total', { source: 'shopify', via: 'webhook' }), 1);
      assert.equal(
        sample(fromWeb, 'lookout_events_processed_total', { outcome: 'suggested' }),
        undefined,
        'the web role processes nothing, so it has no processing samples',
      );
      assert.equal(sample(fromWeb, 'lookout_queue_depth'), 0, 'the queue gauges are on the web role too');

      // The dashboard's insights read the database, not a process's counters: served by the web
      // role, they show what the worker made.
      const stats = await web.call('GET', '/api/stats', { key: user.apiKey });
      assert.equal(stats.status, 200, stats.text);
      assert.equal(stats.body.suggestions.total, 1, JSON.stringify(stats.body));
      assert.equal(stats.body.events.bySource.shopify, 1);
    },
  );

  test('the metrics port serves health and readiness and nothing else', async () => {
    const health = await fetch(`${worker.metricsUrl}/healthz`);
    const body = (await health.json()) as { status: string; role: string; pid: number };
    assert.deepEqual(body, { status: 'ok', role: 'worker', pid: body.pid });
    assert.ok(Number.isInteger(body.pid) && body.pid > 0, 'the answering process names itself');
    const ready = await fetch(`${worker.metricsUrl}/readyz`);
    assert.equal(ready.status, 200);
    const api = await fetch(`${worker.metricsUrl}/api/events`);
    assert.equal(api.status, 404);
    const err = (await api.json()) as { error: { code: string; message: string } };
    assert.equal(err.error.code, 'not_found');
    assert.match(err.error.message, /\/metrics, \/healthz and \/readyz/);
  });

  test('unset, a worker opens no port; on a web role it must differ from PORT', async () => {
    const quiet = await createLookout(testConfig(), { db: fx.db, role: 'worker' });
    try {
      await quiet.listen();
      assert.equal(quiet.metricsServer, undefined);
      assert.equal(quiet.metricsUrl, undefined);
    } finally {
      await quiet.close();
    }
    await assert.rejects(
      createLookout(testConfig({ PORT: '3999', LOOKOUT_METRICS_PORT: '3999' }), { db: fx.db, role: 'web' }),
      (e: unknown) => e instanceof ConfigError && /LOOKOUT_METRICS_PORT: must differ from PORT/.test(e.message),
    );
  });
});

test('`lookout start --role worker` with LOOKOUT_METRICS_PORT: its processing is scraped over HTTP', {
  skip: !POSTGRES_AVAILABLE && 'needs PostgreSQL (the worker process and the test share the database)',
}, async () => {
  const scratch = await createScratchDatabase();
  const db = await openPostgres({ connectionString: scratch.url, max: 2 });
  try {
    await migrate(db);
    const { id: userId } = await createUserWithKey(db, { email: `cli-metrics-${randomUUID()}@example.com` });
    await db.query('update users set preferences = $2 where id = $1', [userId, JSON.stringify(FLOW_OFF)]);
    await insertEvents(
      db,
      Array.from({ length: 5 }, (_, i) => ({
        userId,
        integrationId: null,
        source: 'shopify' as const,
        eventType: 'shopify.order.created' as const,
        eventDataJson: `{"id": ${9007199254740993000 + i}, "name": "#${1000 + i}", "total_price": "25.00"}`,
        eventTimestamp: new Date(),
        dedupeKey: `cli-metrics-${i}`,
        via: 'webhook' as const,
      })),
    );
    const port = await freePort();
    // The helper waits for /readyz on PORT: a worker answers it on its metrics port.
    const proc = await startServerProcess(
      {
        DATABASE_URL: scratch.url,
        LOOKOUT_SECRET_KEY: 's'.repeat(40),
        LOOKOUT_ADMIN_TOKEN: 'metrics-test-admin-token',
        LOOKOUT_DATA_DIR: mkdtempSync(join(tmpdir(), 'lookout-metrics-')),
        LOOKOUT_METRICS_PORT: String(port),
        PORT: String(port),
      },
      ['--role', 'worker'],
    );
    try {
      const text = await waitFor(async () => {
        const t = await scrape(proc.url);
        return sample(t, 'lookout_events_processed_total', {
          type: 'shopify.order.created',
          outcome: 'suggested',
        }) === 5
          ? t
          : undefined;
      }, 'five processed orders on the worker process');
      assert.equal(sample(text, 'lookout_suggestions_generated_total', { type: 'shopify.order.created' }), 5);
      assert.match(proc.output(), /"metricsUrl":"http:\/\/127\.0\.0\.1:\d+\/metrics"/, 'the start line says where');
    } finally {
      assert.equal(await proc.stop(), 0);
    }
  } finally {
    await db.close();
    await scratch.drop();
  }
});
