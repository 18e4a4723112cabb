import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';
import { StreamBus, type StreamMessage } from '../../src/notify/bus.js';
import { notifyUser } from '../../src/notify/notifyUser.js';
import { describeEachEngine } from '../helpers/engines.js';
import { createSuggestion, createUser, waitFor } from './support.js';

describeEachEngine('stream bus', (fx) => {
  let bus: StreamBus;
  before(async () => {
    bus = new StreamBus(fx.db, { pruneIntervalMs: 0 });
    await bus.start();
  });
  after(() => bus.stop());

  it('delivers a published message to the user subscribers only, with increasing stream ids', async () => {
    const alice = await createUser(fx.db);
    const bob = await createUser(fx.db);
    const got: StreamMessage[] = [];
    const bobs: StreamMessage[] = [];
    const off = bus.subscribe(alice, (m) => got.push(m));
    const offBob = bus.subscribe(bob, (m) => bobs.push(m));
    const a = await bus.publish(alice, { type: 'event', id: 'e1', data: { eventType: 'shopify.product.created' } });
    const b = await bus.publish(alice, { type: 'suggestion', id: 's1', data: { title: 'Hook' } });
    off();
    offBob();
    await bus.publish(alice, { type: 'event', id: 'e2' });
    assert.deepEqual(
      got.map((m) => [m.type, m.id]),
      [
        ['event', 'e1'],
        ['suggestion', 's1'],
      ],
    );
    assert.ok(BigInt(b.streamId) > BigInt(a.streamId));
    assert.deepEqual(got[0]!.data, { eventType: 'shopify.product.created' });
    assert.equal(bobs.length, 0);
  });

  it('replays the messages after a stream id, oldest first', async () => {
    const user = await createUser(fx.db);
    const first = await bus.publish(user, { type: 'event', id: 'r1' });
    await bus.publish(user, { type: 'event', id: 'r2' });
    await bus.publish(user, { type: 'suggestion', id: 'r3' });
    assert.deepEqual(
      (await bus.replay(user, first.streamId)).map((m) => m.id),
      ['r2', 'r3'],
    );
    assert.deepEqual(
      (await bus.replay(user, '0')).map((m) => m.id),
      ['r1', 'r2', 'r3'],
    );
  });

  it('reaches another bus on the same database (another process) and skips its own echo', async () => {
    const other = new StreamBus(fx.db, { pruneIntervalMs: 0 });
    await other.start();
    try {
      const user = await createUser(fx.db);
      const mine: StreamMessage[] = [];
      const theirs: StreamMessage[] = [];
      bus.subscribe(user, (m) => mine.push(m));
      other.subscribe(user, (m) => theirs.push(m));
      const big = 'x'.repeat(9000); // over the NOTIFY limit: travels by id, fetched from the table
      await bus.publish(user, { type: 'notification', id: 'n1', data: { text: 'hi' } });
      await bus.publish(user, { type: 'notification', id: 'n2', data: { text: big } });
      await waitFor(() => (theirs.length >= 2 ? true : undefined), 3000, 'remote messages');
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(
        mine.map((m) => m.id),
        ['n1', 'n2'],
      );
      assert.deepEqual(
        theirs.map((m) => m.id),
        ['n1', 'n2'],
      );
      assert.equal(theirs[1]!.data.text, big);
      assert.deepEqual(
        theirs.map((m) => m.streamId),
        mine.map((m) => m.streamId),
      );
    } finally {
      await other.stop();
    }
  });

  it('crosses connection pools on PostgreSQL (LISTEN/NOTIFY between two Database handles)', {
    skip: fx.engine !== 'postgres',
  }, async () => {
    const second: Database = await openPostgres({ connectionString: fx.url!, max: 2 });
    const webBus = new StreamBus(second, { pruneIntervalMs: 0 });
    await webBus.start();
    try {
      const user = await createUser(fx.db);
      const received: StreamMessage[] = [];
      webBus.subscribe(user, (m) => received.push(m));
      const sent = await bus.publish(user, { type: 'event', id: 'from-worker', data: { n: 1 } });
      await waitFor(() => (received.length > 0 ? true : undefined), 3000, 'cross-pool message');
      assert.deepEqual(
        received.map((m) => [m.streamId, m.id, m.data]),
        [[sent.streamId, 'from-worker', { n: 1 }]],
      );
      // And the web side can replay what the worker side stored.
      assert.deepEqual(
        (await webBus.replay(user, '0')).map((m) => m.id),
        ['from-worker'],
      );
    } finally {
      await webBus.stop();
      await second.close();
    }
  });

  it('notifyUser publishes a suggestion message and a notification message', async () => {
    const user = await createUser(fx.db);
    const suggestionId = await createSuggestion(fx.db, user, 'TikTok hook');
    const got: StreamMessage[] = [];
    const off = bus.subscribe(user, (m) => got.push(m));
    await notifyUser(bus, {
      userId: user,
      suggestion: {
        id: suggestionId,
        eventId: 'ev',
        eventType: 'shopify.product.created',
        title: 'TikTok hook',
        body: 'b'.repeat(1000),
        createdAt: new Date('2026-01-01T00:00:00Z'),
      },
    });
    off();
    assert.deepEqual(
      got.map((m) => [m.type, m.id]),
      [
        ['suggestion', suggestionId],
        ['notification', suggestionId],
      ],
    );
    assert.equal(got[0]!.data.title, 'TikTok hook');
    assert.ok(String(got[1]!.data.text).length <= 280);
  });

  it('prunes messages past the retention', async () => {
    const user = await createUser(fx.db);
    await bus.publish(user, { type: 'event', id: 'old' });
    const removed = await new StreamBus(fx.db, { retentionMs: 1000 }).prune(new Date(Date.now() + 60_000));
    assert.ok(removed >= 1);
    assert.deepEqual(await bus.replay(user, '0'), []);
  });
});
