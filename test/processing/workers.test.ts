import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { insertEvents } from '../../src/db/queries/events.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import type { NewEvent } from '../../src/events.js';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { startFakeOpenAi } from '../helpers/fakeLlm.js';
import { startServerProcess } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const skip = !POSTGRES_AVAILABLE && 'needs PostgreSQL (several processes share one database)';

/** users x ordersPerUser order events, flow control off so each event earns its own suggestion. */
async function seed(url: string, users: number, ordersPerUser: number, opts: { holdEvents?: boolean } = {}) {
  const db = await openPostgres({ connectionString: url, max: 2 });
  await migrate(db);
  const prefs = JSON.stringify({ flow: { maxPerTypePerHour: 10_000, batchWindowSeconds: 0, debounceSeconds: 0 } });
  const events: NewEvent[] = [];
  for (let u = 0; u < users; u++) {
    const { id } = await createUserWithKey(db, { email: `w${u}-${randomUUID()}@example.com` });
    await db.query('update users set preferences = $2 where id = $1', [id, prefs]);
    for (let i = 0; i < ordersPerUser; i++) {
      const n = u * 1000 + i;
      events.push({
        userId: id,
        integrationId: null,
        source: 'shopify' as const,
        eventType: 'shopify.order.created' as const,
        eventDataJson:
          `{"id": ${9007199254740993000 + n}, "name": "#${n}", "total_price": "25.00", "line_items": ` +
          `[{"title": "Tee", "quantity": 1, "price": "25.00"}]}`,
        eventTimestamp: new Date(),
        dedupeKey: `order-${n}`,
        via: 'webhook' as const,
      });
    }
  }
  const insertAll = async () => {
    for (let i = 0; i < events.length; i += 500) await insertEvents(db, events.slice(i, i + 500));
    await db.notify('lookout_events', String(events.length));
  };
  if (!opts.holdEvents) await insertAll();
  return Object.assign(db, { insertAll });
}

function workerEnv(url: string, extra: Record<string, string> = {}) {
  return {
    DATABASE_URL: url,
    LOOKOUT_SECRET_KEY: 's'.repeat(40),
    LOOKOUT_ADMIN_TOKEN: 'worker-test-admin-token',
    LOOKOUT_DATA_DIR: mkdtempSync(join(tmpdir(), 'lookout-w-')),
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

test('two worker processes share 1,000 events: every event processed once, one suggestion and one run each', {
  skip,
}, async () => {
  const scratch = await createScratchDatabase();
  const db = await seed(scratch.url, 20, 50, { holdEvents: true });
  const env = workerEnv(scratch.url, { LOOKOUT_WORKER_BATCH_SIZE: '50' });
  const [a, b] = await Promise.all([
    startServerProcess(env, ['--role', 'all']),
    startServerProcess(env, ['--role', 'all']),
  ]);
  try {
    // Both are up and idle: the 1,000 events arrive at once and wake them (NOTIFY).
    await db.insertAll();
    await waitFor(
      async () => {
        const { rows } = await db.query<{ n: number }>(
          `select count(*)::int as n from background_events where status = 'processed'`,
        );
        return rows[0]!.n === 1000;
      },
      '1,000 processed events',
      90_000,
      200,
    );
    const { rows } = await db.query<{ suggestions: number; distinct_events: number; runs: number; workers: number }>(
      `select (select count(*)::int from suggestions) as suggestions,
              (select count(distinct event_id)::int from suggestions) as distinct_events,
              (select count(*)::int from agent_runs) as runs,
              (select count(distinct locked_by)::int from background_events) as workers`,
    );
    assert.equal(rows[0]!.suggestions, 1000);
    assert.equal(rows[0]!.distinct_events, 1000);
    assert.equal(rows[0]!.runs, 1000, 'no event was generated twice');
    const mismatched = await db.query<{ n: number }>(
      `select count(*)::int as n from background_events e join suggestions s on s.id = e.suggestion_id
       where s.event_id <> e.id`,
    );
    assert.equal(mismatched.rows[0]!.n, 0);
    const [ca, cb] = await Promise.all([a.stop(), b.stop()]);
    assert.equal(ca, 0);
    assert.equal(cb, 0);
    // both processes did part of the work (locked_by keeps the worker that completed each event)
    assert.equal(rows[0]!.workers, 2);
  } finally {
    await a.stop();
    await b.stop();
    await db.close();
    await scratch.drop();
  }
});

test('a worker killed with SIGKILL mid-batch loses nothing: its events complete after the lease', {
  skip,
}, async () => {
  const scratch = await createScratchDatabase();
  const db = await seed(scratch.url, 2, 10);
  // The first worker's model never answers: it is stuck inside its batch when it is killed.
  const llm = await startFakeOpenAi();
  llm.hang = true;
  const env = workerEnv(scratch.url, { LOOKOUT_WORKER_LEASE_S: '3', LOOKOUT_WORKER_BATCH_SIZE: '20' });
  const first = await startServerProcess({
    ...env,
    LOOKOUT_LLM_BASE_URL: llm.url,
    LOOKOUT_LLM_MODEL: 'stuck',
    LOOKOUT_LLM_TIMEOUT_MS: '600000',
  });
  try {
    await waitFor(async () => llm.requests > 0, 'the first worker to be inside its batch', 20_000);
    const held = await db.query<{ n: number }>(
      `select count(*)::int as n from background_events where status = 'processing'`,
    );
    assert.equal(held.rows[0]!.n, 20, 'the whole batch is leased to the first worker');
    first.child.kill('SIGKILL');
    await first.stop();
    const second = await startServerProcess(env);
    try {
      await waitFor(
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `select count(*)::int as n from background_events where status = 'processed'`,
          );
          return rows[0]!.n === 20;
        },
        "the killed worker's events to complete elsewhere",
        30_000,
        200,
      );
      const { rows } = await db.query<{ suggestions: number; attempts: number }>(
        `select (select count(*)::int from suggestions) as suggestions, (select max(attempts)::int
         from background_events) as attempts`,
      );
      assert.equal(rows[0]!.suggestions, 20);
      assert.equal(rows[0]!.attempts, 2, 'the lost claim counted as one attempt');
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
    await llm.close();
    await db.close();
    await scratch.drop();
  }
});
