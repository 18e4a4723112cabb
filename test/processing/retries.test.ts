import assert from 'node:assert/strict';
import { test } from 'node:test';
import { offlineGenerator } from '../../src/suggest/index.js';
import type { SuggestionGenerator } from '../../src/suggest/types.js';
import { ADMIN_TOKEN, startTestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

/** The offline generator, broken for payloads titled "Poison" until `fixed` is set. */
function flakyGenerator() {
  const state = { fixed: false, calls: 0 };
  const generator: SuggestionGenerator = {
    async generate(input) {
      state.calls++;
      const title = (input.eventData as { title?: string }).title ?? '';
      if (!state.fixed && title.includes('Poison')) throw new Error('model exploded on Poison');
      return offlineGenerator.generate(input);
    },
  };
  return Object.assign(state, { generator });
}

function metric(text: string, name: string, labels: string): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{${labels}}`) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describeEachEngine('retries, dead letters and replay', (fx) => {
  test(
    'an event that keeps failing goes dead with its error; replayed after the fix it yields one ' +
      'suggestion; metrics match',
    async () => {
      const flaky = flakyGenerator();
      const app = await startTestApp(
        fx.db,
        {},
        {
          role: 'all',
          generator: flaky.generator,
          worker: { maxAttempts: 3, baseBackoffMs: 20, maxBackoffMs: 50, backstopMs: 50 },
        },
      );
      try {
        const user = await app.createUser();
        const shop = `retry-${fx.engine}.myshopify.com`;
        await app.connectShop(user, shop);
        await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { flow: { batchWindowSeconds: 0 } } });
        const send = async (id: number, title: string) => {
          const body = Buffer.from(
            `{"id": ${id}, "admin_graphql_api_id": "gid://shopify/Product/${id}", "title": "` +
              `${title}", "product_type": "Soap"}`,
          );
          assert.equal(
            (
              await app.call('POST', '/webhooks/shopify', {
                raw: body,
                headers: shopifyHeaders('products/create', shop, body, 'test-shopify-secret'),
              })
            ).status,
            200,
          );
        };
        await send(1, 'Poison Soap');
        await send(2, 'Lavender Soap');
        await send(3, 'Rose Soap');

        const dead = await waitFor(
          async () => {
            const r = await app.call('GET', '/api/admin/dead', { key: ADMIN_TOKEN });
            return r.body.events.length === 1 ? r.body.events : undefined;
          },
          'the poison event to die',
          15_000,
        );
        assert.equal(dead[0].attempts, 3);
        assert.match(dead[0].lastError, /model exploded on Poison/);
        await waitFor(
          async () => (await app.call('GET', '/api/suggestions', { key: user.apiKey })).body.items.length === 2,
          'the healthy events',
        );

        assert.equal((await app.call('GET', '/api/admin/dead', {})).status, 401, 'operator only');
        assert.equal(
          (
            await app.call('POST', '/api/admin/dead/replay', {
              key: ADMIN_TOKEN,
              body: { ids: ['00000000-0000-4000-8000-000000000000'] },
            })
          ).status,
          400,
        );

        flaky.fixed = true;
        const replay = await app.call('POST', '/api/admin/dead/replay', {
          key: ADMIN_TOKEN,
          body: { ids: [dead[0].id] },
        });
        assert.equal(replay.status, 200);
        assert.equal(replay.body.replayed, 1);
        await waitFor(
          async () => (await app.call('GET', '/api/suggestions', { key: user.apiKey })).body.items.length === 3,
          'the replayed suggestion',
        );
        // replaying again does nothing: the event is no longer dead
        assert.equal(
          (await app.call('POST', '/api/admin/dead/replay', { key: ADMIN_TOKEN, body: { all: true } })).body.replayed,
          0,
        );
        await new Promise((r) => setTimeout(r, 300));
        const s = await fx.db.query<{ n: number }>('select count(*)::int as n from suggestions where user_id = $1', [
          user.id,
        ]);
        assert.equal(s.rows[0]!.n, 3, 'exactly one suggestion per event, the replayed one included');

        const status = await app.call('GET', '/api/admin/status', { key: ADMIN_TOKEN });
        assert.equal(status.body.queue.dead, 0);

        // The scrape agrees with what happened.
        const accepted = (await app.call('GET', '/api/suggestions', { key: user.apiKey })).body.items[0];
        await app.call('POST', `/api/suggestions/${accepted.id}/accept`, { key: user.apiKey });
        const m = (await app.call('GET', '/metrics')).text;
        assert.equal(
          metric(m, 'lookout_events_received_total', 'source="shopify",type="shopify.product.created",via="webhook"'),
          3,
        );
        assert.equal(metric(m, 'lookout_suggestions_generated_total', 'type="shopify.product.created"'), 3);
        assert.equal(
          metric(m, 'lookout_suggestions_actioned_total', 'type="shopify.product.created",action="accepted"'),
          1,
        );
        assert.equal(metric(m, 'lookout_event_failures_total', 'type="shopify.product.created",final="false"'), 2);
        assert.equal(metric(m, 'lookout_event_failures_total', 'type="shopify.product.created",final="true"'), 1);
        assert.equal(
          metric(m, 'lookout_events_processed_total', 'type="shopify.product.created",outcome="suggested"'),
          3,
        );
        assert.equal(metric(m, 'lookout_dead_events', ''), 0);
        assert.equal(metric(m, 'lookout_queue_depth', ''), 0);
        assert.match(m, /lookout_event_processing_latency_seconds_count\{source="shopify"\} 3/);
      } finally {
        await app.close();
      }
    },
  );
});
