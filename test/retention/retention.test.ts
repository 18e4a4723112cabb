import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import type { NewEvent } from '../../src/events.js';
import { EventStore } from '../../src/ingest/eventStore.js';
import { RetentionJob } from '../../src/retention/retention.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';

const DAY = 86_400_000;
const SECRET = 'test-shopify-secret';

let seq = 0;
function newEvent(userId: string, key = `retention:${++seq}:${randomUUID()}`): NewEvent {
  return {
    userId,
    integrationId: null,
    source: 'shopify',
    eventType: 'shopify.order.created',
    eventDataJson: `{"id": ${seq}}`,
    eventTimestamp: new Date(),
    dedupeKey: key,
    via: 'webhook',
  };
}

async function storeEvents(store: EventStore, userId: string, n: number): Promise<string[]> {
  const r = await store.store(Array.from({ length: n }, () => newEvent(userId)));
  return r.ids.map((id) => id!);
}

/** Moves rows into the past (relative to `now`) and sets their state, as if processed back then. */
async function age(db: Database, ids: string[], at: Date, status = 'processed'): Promise<void> {
  await db.query(
    `update background_events set received_at = $2, status = $3,
       processed_at = case when $3 = 'processed' then $2::timestamptz end where id = any($1::uuid[])`,
    [ids, at, status],
  );
}

async function addSuggestion(
  db: Database,
  userId: string,
  eventIds: string[],
  createdAt: Date,
  status: 'new' | 'accepted' | 'dismissed',
): Promise<{ id: string; runId: string }> {
  const runId = randomUUID();
  const id = randomUUID();
  await db.query(
    `insert into agent_runs (id, user_id, event_id, generator, prompt, status, created_at)
     values ($1, $2, $3, 'offline', 'p', 'succeeded', $4)`,
    [runId, userId, eventIds[0], createdAt],
  );
  await db.query(
    `insert into suggestions (id, user_id, event_id, event_type, agent_run_id, title, body, status, created_at,
     actioned_at)
     values ($1, $2, $3, 'shopify.order.created', $4, 't', 'b', $5, $6, case when $5 <> 'new'
       then $6::timestamptz end)`,
    [id, userId, eventIds[0], runId, status, createdAt],
  );
  await db.query(`update background_events set suggestion_id = $1 where id = any($2::uuid[])`, [id, eventIds]);
  return { id, runId };
}

async function ids(db: Database, sql: string, params: unknown[] = []): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(sql, params);
  return rows.map((r) => String(r.id)).sort();
}

test('LOOKOUT_RETENTION_DAYS is validated, with the accepted-suggestion period not below it', () => {
  assert.equal(loadConfig({}).retention.days, 30);
  assert.equal(loadConfig({}).retention.acceptedDays, 365);
  assert.equal(loadConfig({ LOOKOUT_RETENTION_DAYS: '7' }).retention.days, 7);
  for (const bad of ['0', '-1', '2.5', 'thirty']) {
    assert.throws(
      () => loadConfig({ LOOKOUT_RETENTION_DAYS: bad }),
      (e: unknown) => {
        return e instanceof ConfigError && e.message.includes('LOOKOUT_RETENTION_DAYS');
      },
    );
  }
  assert.throws(
    () => loadConfig({ LOOKOUT_RETENTION_DAYS: '90', LOOKOUT_RETENTION_ACCEPTED_DAYS: '60' }),
    /LOOKOUT_RETENTION_ACCEPTED_DAYS/,
  );
});

describeEachEngine('retention', (fx) => {
  let store: EventStore;
  before(() => {
    store = new EventStore(fx.db, undefined, { liveFeed: true });
  });

  test(
    'removes exactly the old rows it should, in batches, and keeps dead events and ' + 'accepted suggestions',
    async () => {
      const now = new Date(Date.now() + 400 * DAY);
      const old = new Date(now.getTime() - 40 * DAY);
      const recent = new Date(now.getTime() - 5 * DAY);
      const user = await createUserWithKey(fx.db, { email: `exact-${fx.engine}@example.com` });
      const other = await createUserWithKey(fx.db, { email: `exact-other-${fx.engine}@example.com` });

      const oldProcessed = await storeEvents(store, user.id, 7);
      const otherOld = await storeEvents(store, other.id, 3);
      const recentProcessed = await storeEvents(store, user.id, 2);
      const oldDead = await storeEvents(store, user.id, 2);
      const oldPending = await storeEvents(store, user.id, 1);
      const acceptedEvents = await storeEvents(store, user.id, 2);
      const dismissedEvents = await storeEvents(store, user.id, 2);
      const undeliveredEvents = await storeEvents(store, user.id, 1);
      await age(
        fx.db,
        [...oldProcessed, ...otherOld, ...acceptedEvents, ...dismissedEvents, ...undeliveredEvents],
        old,
      );
      await age(fx.db, recentProcessed, recent);
      await age(fx.db, oldDead, old, 'dead');
      await age(fx.db, oldPending, old, 'pending');

      const accepted = await addSuggestion(fx.db, user.id, acceptedEvents, old, 'accepted');
      const dismissed = await addSuggestion(fx.db, user.id, dismissedEvents, old, 'dismissed');
      const undelivered = await addSuggestion(fx.db, user.id, undeliveredEvents, old, 'new');
      const recentSuggestion = await addSuggestion(fx.db, user.id, recentProcessed, recent, 'new');
      const orphanRun = randomUUID();
      await fx.db.query(
        `insert into agent_runs (id, user_id, generator, prompt, status, created_at)
       values ($1, $2, 'offline', 'p', 'failed', $3)`,
        [orphanRun, user.id, old],
      );
      // Deliveries: one delivered long ago (removed), one dead (kept, with its suggestion), one recent.
      await fx.db.query(
        `insert into notification_deliveries (user_id, suggestion_id, channel, status, delivered_at, created_at)
       values ($1, $2, 'slack', 'delivered', $4, $4), ($1, $3, 'slack', 'dead', null, $4),
              ($1, $5, 'slack', 'delivered', $6, $6)`,
        [user.id, dismissed.id, undelivered.id, old, recentSuggestion.id, recent],
      );
      // Live messages: those of the old processed events are old, every other one recent.
      await fx.db.query('update stream_messages set created_at = $1', [recent]);
      await fx.db.query('update stream_messages set created_at = $1 where entity_id = any($2::text[])', [
        old,
        oldProcessed,
      ]);
      const streamBefore = (await fx.db.query<{ n: number }>('select count(*)::int as n from stream_messages')).rows[0]!
        .n;

      const job = new RetentionJob(fx.db, {
        retentionDays: 30,
        acceptedDays: 365,
        batchSize: 3,
        intervalMs: 0,
        pauseMs: 0,
        now: () => now,
      });
      const report = await job.runOnce();

      const removedEvents = [...oldProcessed, ...otherOld, ...dismissedEvents, ...undeliveredEvents];
      assert.equal(report.events, removedEvents.length);
      assert.deepEqual(
        await ids(fx.db, 'select id from background_events where user_id = any($1::uuid[])', [[user.id, other.id]]),
        [...recentProcessed, ...oldDead, ...oldPending, ...acceptedEvents].sort(),
      );
      assert.deepEqual(
        await ids(fx.db, 'select id from suggestions where user_id = $1', [user.id]),
        [accepted.id, undelivered.id, recentSuggestion.id].sort(),
      );
      assert.deepEqual(
        await ids(fx.db, 'select id from agent_runs where user_id = $1', [user.id]),
        [accepted.runId, undelivered.runId, recentSuggestion.runId].sort(),
      );
      assert.deepEqual(
        (
          await fx.db.query<{ status: string }>(
            'select status from notification_deliveries where user_id = $1 order by status',
            [user.id],
          )
        ).rows.map((r) => r.status),
        ['dead', 'delivered'],
      );
      assert.equal(report.streamMessages, oldProcessed.length);
      const streamAfter = (await fx.db.query<{ n: number }>('select count(*)::int as n from stream_messages')).rows[0]!
        .n;
      assert.equal(streamAfter, streamBefore - oldProcessed.length);
      // 13 events in batches of 3: five statements (the last one short), not one big delete.
      assert.ok(report.batches >= 5 + 1 + 1 + 1 + 1 + 1, `batches: ${report.batches}`);
      // Received 40 days before `now`: far past any redelivery, so no tombstone is kept.
      assert.equal(report.tombstonesWritten, 0);

      // A second run finds nothing more; accepted suggestions go once their own period is over.
      assert.equal((await job.runOnce()).events, 0);
      const later = new RetentionJob(fx.db, {
        retentionDays: 30,
        acceptedDays: 365,
        intervalMs: 0,
        now: () => new Date(now.getTime() + 400 * DAY),
      });
      const laterReport = await later.runOnce();
      assert.ok(laterReport.events >= acceptedEvents.length + recentProcessed.length);
      assert.deepEqual(
        await ids(fx.db, 'select id from background_events where user_id = $1', [user.id]),
        [...oldDead, ...oldPending].sort(),
      );
      assert.deepEqual(await ids(fx.db, 'select id from suggestions where user_id = $1', [user.id]), [undelivered.id]);
    },
  );

  test('runs in small batches while ingest goes on: every new event is stored, only old ones removed', async () => {
    const now = new Date(Date.now() + 800 * DAY);
    const user = await createUserWithKey(fx.db, { email: `concurrent-${fx.engine}@example.com` });
    const oldIds: string[] = [];
    for (let i = 0; i < 6; i++) oldIds.push(...(await storeEvents(store, user.id, 50)));
    await age(fx.db, oldIds, new Date(now.getTime() - 60 * DAY));

    const job = new RetentionJob(fx.db, {
      retentionDays: 30,
      acceptedDays: 365,
      batchSize: 7,
      intervalMs: 0,
      pauseMs: 0,
      now: () => now,
    });
    let ingesting = true;
    const stored: string[] = [];
    const ingest = (async () => {
      while (ingesting) {
        stored.push(...(await storeEvents(store, user.id, 5)));
        // As deliveries do, arrive from the event loop (PGlite answers in microtasks: a tight loop
        // would never let a timer run).
        await new Promise((r) => setImmediate(r));
      }
    })();
    // Ingest keeps storing while retention works: both finish, neither waits for the other.
    const report = await job.runOnce();
    ingesting = false;
    await ingest;
    assert.equal(report.events, oldIds.length);
    assert.ok(report.batches >= Math.ceil(oldIds.length / 7));
    assert.ok(stored.length > 0);
    assert.deepEqual(await ids(fx.db, 'select id from background_events where user_id = $1', [user.id]), stored.sort());
  });

  describeWebhooks(fx);
});

function describeWebhooks(fx: { db: Database; engine: string }): void {
  let app: TestApp;
  const shop = `retention-${randomUUID().slice(0, 8)}.myshopify.com`;
  let user: { id: string; apiKey: string };
  before(async () => {
    // Web only: nothing processes the events; the test marks them processed as a worker would.
    app = await startTestApp(fx.db, {}, { role: 'web' });
    user = await app.createUser();
    await app.connectShop(user, shop);
  });
  after(() => app.close());

  const deliver = (eventId: string, orderId: number) => {
    const body = Buffer.from(`{"id": ${orderId}, "admin_graphql_api_id": "gid://shopify/Order/${orderId}"}`);
    return app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('orders/create', shop, body, SECRET, { 'x-shopify-event-id': eventId }),
    });
  };

  test('a redelivery of a pruned event within the retry horizon is answered duplicate and not stored', async () => {
    const eventId = randomUUID();
    const first = await deliver(eventId, 4101);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.status, 'stored');
    await fx.db.query(`update background_events set status = 'processed', processed_at = now() where user_id = $1`, [
      user.id,
    ]);

    // One-day retention, 36 h later: the event is removed, its key is kept as a tombstone.
    const at = new Date(Date.now() + 1.5 * DAY);
    const report = await new RetentionJob(fx.db, {
      retentionDays: 1,
      acceptedDays: 1,
      intervalMs: 0,
      now: () => at,
    }).runOnce();
    assert.equal(report.events, 1);
    assert.equal(report.tombstonesWritten, 1);
    const count = async () =>
      (
        await fx.db.query<{ n: number }>('select count(*)::int as n from background_events where user_id = $1', [
          user.id,
        ])
      ).rows[0]!.n;
    assert.equal(await count(), 0);

    const again = await deliver(eventId, 4101);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.status, 'duplicate');
    assert.equal(await count(), 0);
    // A new delivery of another order is stored as usual.
    const other = await deliver(randomUUID(), 4102);
    assert.equal(other.body.status, 'stored');
    assert.equal(await count(), 1);

    // Seven days after receipt the tombstone is pruned too: the horizon is over.
    const muchLater = new Date(Date.now() + 8 * DAY);
    const pruned = await new RetentionJob(fx.db, {
      retentionDays: 30,
      acceptedDays: 30,
      intervalMs: 0,
      now: () => muchLater,
    }).runOnce();
    assert.equal(pruned.tombstonesPruned, 1);
    const { rows } = await fx.db.query<{ n: number }>(
      'select count(*)::int as n from dedupe_tombstones where user_id = $1',
      [user.id],
    );
    assert.equal(rows[0]!.n, 0);
  });
}
