import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { insertEvents } from '../../src/db/queries/events.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachEngine, type EngineFixture } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';

async function storeOne(fx: EngineFixture, userId: string): Promise<string> {
  // Flow control off: the event is decided at its first claim, not after a batch window.
  await fx.db.query(
    `update users set preferences = '{"flow": {"batchWindowSeconds": 0, "debounceSeconds": 0}}' where id = $1`,
    [userId],
  );
  const [row] = await insertEvents(fx.db, [
    {
      userId,
      integrationId: null,
      source: 'shopify',
      eventType: 'shopify.order.created',
      eventDataJson: `{"id": 1, "admin_graphql_api_id": "gid://shopify/Order/${Date.now()}"}`,
      eventTimestamp: new Date(),
      dedupeKey: `priority:${randomUUID()}`,
      via: 'webhook',
    },
  ]);
  return row!.id;
}

const statusOf = async (fx: EngineFixture, id: string) =>
  (await fx.db.query<{ status: string }>('select status from background_events where id = $1', [id])).rows[0]!.status;

describeEachEngine('ingest priority', (fx) => {
  test('claim loops wait while ingest is busy, and claim again once it is not', async () => {
    let busy = true;
    const app = await startTestApp(
      fx.db,
      {},
      { role: 'worker', worker: { yieldWhile: () => busy, maxYieldMs: 60_000 } },
    );
    try {
      const user = await app.createUser();
      const id = await storeOne(fx, user.id);
      const worker = app.lookout.worker!;
      // Every claim loop is waiting for ingest: the event is not claimed meanwhile.
      await waitFor(() => worker.yielded >= 10, 'the claim loops to yield');
      assert.equal(await statusOf(fx, id), 'pending');
      busy = false;
      await waitFor(
        async () => (await statusOf(fx, id)) === 'processed',
        'the event to be processed once ingest is idle',
      );
    } finally {
      await app.close();
    }
  });

  test('busy ingest never stops processing: a loop waits at most maxYieldMs per batch', async () => {
    const app = await startTestApp(fx.db, {}, { role: 'worker', worker: { yieldWhile: () => true, maxYieldMs: 50 } });
    try {
      const user = await app.createUser();
      const id = await storeOne(fx, user.id);
      await waitFor(
        async () => (await statusOf(fx, id)) === 'processed',
        'the event to be processed under busy ingest',
      );
      assert.ok(app.lookout.worker!.yielded > 0);
    } finally {
      await app.close();
    }
  });
});
