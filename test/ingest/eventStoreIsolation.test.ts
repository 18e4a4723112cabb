/**
 * The store's safety net: when the database refuses a group commit for a reason one row can cause
 * and the boundary checks did not foresee, the group is split until the culprit is alone; the
 * others commit. The refusals here are real ones (constraints the test adds to the table), and the
 * culprit sits in the middle of one group commit of 99 events (one store in flight at a time: the
 * first call commits alone, the next 99 queue and go together).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createUserWithKey } from '../../src/db/queries/users.js';
import type { NewEvent } from '../../src/events.js';
import { EventStore } from '../../src/ingest/eventStore.js';
import { StorageError } from '../../src/ingest/storeErrors.js';
import { Metrics } from '../../src/metrics.js';
import { describeEachEngine } from '../helpers/engines.js';

describeEachEngine('group commit isolates the event the database refuses', (fx) => {
  const event = (userId: string, key: string, json: string): NewEvent => ({
    userId,
    integrationId: null,
    source: 'shopify',
    eventType: 'shopify.order.created',
    eventDataJson: json,
    eventTimestamp: new Date(),
    dedupeKey: key,
    via: 'webhook',
  });

  /** 100 concurrent store() calls, the culprit at index 50; returns their settled results. */
  async function burst(store: EventStore, userId: string, tag: string, culprit: NewEvent) {
    const calls = Array.from({ length: 100 }, (_, i) =>
      i === 50 ? store.store([culprit]) : store.store([event(userId, `${tag}-${i}`, `{"id":${i},"tag":"${tag}"}`)]),
    );
    return Promise.allSettled(calls);
  }

  const countTagged = async (userId: string, tag: string) =>
    (
      await fx.db.query<{ n: number }>(
        `select count(*)::int as n from background_events where user_id = $1 and event_data->>'tag' = $2`,
        [userId, tag],
      )
    ).rows[0]!.n;

  test(
    'a payload refused by a constraint is stored as raw text with an empty jsonb copy; the ' + 'other 99 commit',
    async () => {
      const user = await createUserWithKey(fx.db, { email: `iso-payload-${fx.engine}@example.com` });
      const metrics = new Metrics();
      const store = new EventStore(fx.db, metrics, { maxInflight: 1 });
      await fx.db.exec(
        `alter table background_events add constraint no_test_poison check (event_data->>'test_poison' is null) not
       valid`,
      );
      try {
        const poison = '{"id":"culprit","test_poison":"yes"}';
        const results = await burst(store, user.id, 'payload', event(user.id, 'payload-culprit', poison));
        assert.deepEqual(
          results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
          [],
        );
        assert.equal(await countTagged(user.id, 'payload'), 99);
        const culprit = results[50] as PromiseFulfilledResult<Awaited<ReturnType<EventStore['store']>>>;
        assert.equal(culprit.value.inserted, 1);
        assert.deepEqual(culprit.value.issues, [['rejected_by_database']]);
        const { rows } = await fx.db.query<{ data: string; raw: string; issues: string[] }>(
          `select event_data::text as data, event_data_raw as raw, payload_issues as issues from background_events
         where dedupe_key = 'payload-culprit'`,
        );
        assert.deepEqual(rows, [{ data: '{}', raw: poison, issues: ['rejected_by_database'] }]);
        const batches = await metrics.registry.getSingleMetricAsString('lookout_store_batch_size');
        assert.match(
          batches,
          /lookout_store_batch_size_count 2\b/,
          'the culprit shared one group commit with 98 others',
        );
      } finally {
        await fx.db.exec('alter table background_events drop constraint no_test_poison');
      }
    },
  );

  test('a row refused whatever its payload fails alone with a StorageError (503); the other 99 commit', async () => {
    const user = await createUserWithKey(fx.db, { email: `iso-row-${fx.engine}@example.com` });
    const store = new EventStore(fx.db, undefined, { maxInflight: 1 });
    await fx.db.exec(
      `alter table background_events add constraint no_refused_rows check (dedupe_key not like '%refuse-row%') not
       valid`,
    );
    try {
      const results = await burst(store, user.id, 'row', event(user.id, 'refuse-row-1', '{"id":"culprit"}'));
      const rejected = results.flatMap((r, i) => (r.status === 'rejected' ? [{ i, reason: r.reason as unknown }] : []));
      assert.deepEqual(
        rejected.map((r) => r.i),
        [50],
      );
      assert.ok(rejected[0]!.reason instanceof StorageError);
      assert.equal((rejected[0]!.reason as StorageError).code, '23514');
      assert.equal(await countTagged(user.id, 'row'), 99);
    } finally {
      await fx.db.exec('alter table background_events drop constraint no_refused_rows');
    }
  });
});
