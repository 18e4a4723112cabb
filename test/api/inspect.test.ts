/**
 * The event inspector, regeneration and the operator's replay of any event or delivery, with
 * events made by the real pipeline (signed webhooks, the worker, the offline generator) and
 * notifications delivered to a local receiver.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type HttpReceiver, startHttpReceiver } from '../fakes/receivers.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'test-shopify-secret';
const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

describeEachEngine('event inspector, regenerate, replay', (fx) => {
  let app: TestApp;
  let hook: HttpReceiver;
  let A: { id: string; apiKey: string };
  let B: { id: string; apiKey: string };
  const shop = `inspect-${fx.engine}.myshopify.com`;
  let productN = 0;

  /** A products/create webhook for a new product (its id above 2^53); returns its event id. */
  async function deliverProduct(title: string): Promise<string> {
    productN += 1;
    const id = `90071992547409${10 + productN}`;
    const body = Buffer.from(
      `{"id": ${id}, "admin_graphql_api_id": "gid://shopify/Product/${id}", "title": ` +
        `${JSON.stringify(title)}, "product_type": "Mugs"}`,
    );
    const res = await app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('products/create', shop, body, SECRET),
    });
    assert.equal(res.status, 200, res.text);
    const events = await app.call('GET', '/api/events?type=shopify.product.created&limit=50', { key: A.apiKey });
    const found = (events.body.items as Array<{ id: string; event_data: { id: unknown } }>).find((e) =>
      JSON.stringify(e.event_data).includes(id),
    );
    return found!.id;
  }

  const inspect = (eventId: string, key = A.apiKey) => app.call('GET', `/api/events/${eventId}/inspect`, { key });
  const processed = (eventId: string) =>
    waitFor(async () => {
      const r = await inspect(eventId);
      return r.body.event.status === 'processed' && (r.body.suggestion === null || r.body.deliveries.length > 0)
        ? r.body
        : undefined;
    }, `event ${eventId} processed`);

  before(async () => {
    hook = await startHttpReceiver();
    app = await startTestApp(fx.db, { LOOKOUT_ALLOW_PRIVATE_URLS: 'true' });
    A = await app.createUser();
    B = await app.createUser();
    await app.connectShop(A, shop);
    const prefs = await app.call('PUT', '/api/preferences', {
      key: A.apiKey,
      body: {
        flow: { batchWindowSeconds: 0, debounceSeconds: 0, maxPerTypePerHour: 1000 },
        vibe: { tone: 'friendly', emoji: 'none' },
        channels: { webhook: { url: `${hook.url}/lookout` } },
      },
    });
    assert.equal(prefs.status, 200, prefs.text);
  });
  after(async () => {
    await app.close();
    await hook.close();
  });

  test(
    'an event inspected: payload with every digit, outcome, suggestion, runs, deliveries; ' + 'only by its owner',
    async () => {
      const eventId = await deliverProduct('Harbor Mug');
      const seen = await processed(eventId);
      await waitFor(async () => (await inspect(eventId)).body.deliveries[0]?.status === 'delivered', 'delivered');
      const r = (await inspect(eventId)).body;
      assert.equal(r.event.id, eventId);
      assert.equal(r.event.status, 'processed');
      assert.equal(r.event.leased, false);
      assert.equal(r.event.attempts, 1);
      assert.match(r.payloadText, /9007199254740911/);
      assert.equal(r.suggestion.relation, 'produced');
      assert.equal(r.suggestion.eventId, eventId);
      assert.match(r.suggestion.title, /Harbor Mug/);
      assert.equal(r.agentRuns.length, 1);
      assert.equal(r.agentRuns[0].current, true);
      assert.equal(r.agentRuns[0].generator, 'offline');
      assert.deepEqual(
        r.deliveries.map((d: { channel: string; status: string; attempts: number }) => [
          d.channel,
          d.status,
          d.attempts,
        ]),
        [['webhook', 'delivered', 1]],
      );
      assert.equal(seen.suggestion.id, r.suggestion.id);

      // Another user, a wrong id, no key: nothing of A's.
      assert.equal((await inspect(eventId, B.apiKey)).status, 404);
      assert.equal((await inspect('not-a-uuid')).status, 404);
      assert.equal((await app.call('GET', `/api/events/${eventId}/inspect`)).status, 401);
      // The operator reads any user's event through the admin route; a user key is not an operator token.
      const admin = await app.call('GET', `/api/admin/events/${eventId}/inspect`, { key: ADMIN_TOKEN });
      assert.equal(admin.status, 200);
      assert.equal(admin.body.suggestion.id, r.suggestion.id);
      assert.equal((await app.call('GET', `/api/admin/events/${eventId}/inspect`, { key: A.apiKey })).status, 401);
    },
  );

  test('regenerate: in place with the current preferences; a retried request does not regenerate twice', async () => {
    const eventId = await deliverProduct('Tide Pool Bowl');
    const before = await processed(eventId);
    await hook.waitFor(2);
    const delivered = hook.requests.length;
    const s = before.suggestion;

    // The user changes their vibe; the suggestion is written again with it.
    const prefs = await app.call('PUT', '/api/preferences', {
      key: A.apiKey,
      body: { vibe: { tone: 'bold', emoji: 'lots', length: 'short' } },
    });
    assert.equal(prefs.status, 200, prefs.text);
    const first = await app.call('POST', `/api/suggestions/${s.id}/regenerate`, {
      key: A.apiKey,
      body: { basedOn: s.agentRunId },
    });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.regenerated, true);
    assert.equal(first.body.suggestion.id, s.id);
    assert.notEqual(first.body.suggestion.agentRunId, s.agentRunId);
    assert.notEqual(first.body.suggestion.body, s.body, 'written with the new vibe');

    // The same request again (a client retry): nothing changes.
    const retry = await app.call('POST', `/api/suggestions/${s.id}/regenerate`, {
      key: A.apiKey,
      body: { basedOn: s.agentRunId },
    });
    assert.equal(retry.status, 200);
    assert.equal(retry.body.regenerated, false);
    assert.equal(retry.body.suggestion.agentRunId, first.body.suggestion.agentRunId);

    // Two at once from the same view: one writes.
    const racing = await Promise.all(
      [1, 2].map(() =>
        app.call('POST', `/api/suggestions/${s.id}/regenerate`, {
          key: A.apiKey,
          body: { basedOn: first.body.suggestion.agentRunId },
        }),
      ),
    );
    assert.deepEqual(racing.map((x) => x.body.regenerated).sort(), [false, true]);

    // Without basedOn (and without a body): regenerates what is there.
    const plain = await app.call('POST', `/api/suggestions/${s.id}/regenerate`, { key: A.apiKey });
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.body.regenerated, true);

    const after = (await inspect(eventId)).body;
    assert.equal(after.agentRuns.length, 4);
    assert.equal(after.agentRuns.filter((x: { current: boolean }) => x.current).length, 1);
    const { rows } = await fx.db.query<{ n: number }>(
      'select count(*)::int as n from suggestions where event_id = $1',
      [eventId],
    );
    assert.equal(rows[0]!.n, 1, 'still one suggestion for the event');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(hook.requests.length, delivered, 'a regeneration is not notified again');

    // Another user's suggestion is not found; a bad body is a 400; an accepted one is kept.
    assert.equal(
      (await app.call('POST', `/api/suggestions/${s.id}/regenerate`, { key: B.apiKey, body: {} })).status,
      404,
    );
    const bad = await app.call('POST', `/api/suggestions/${s.id}/regenerate`, {
      key: A.apiKey,
      body: { basedOn: 'yesterday' },
    });
    assert.equal(bad.status, 400);
    assert.equal((await app.call('POST', `/api/suggestions/${s.id}/accept`, { key: A.apiKey })).status, 200);
    const refused = await app.call('POST', `/api/suggestions/${s.id}/regenerate`, { key: A.apiKey, body: {} });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'accepted');
    await app.call('PUT', '/api/preferences', { key: A.apiKey, body: { vibe: { tone: 'friendly', emoji: 'none' } } });
  });

  test(
    'the operator replays any event: dead and skipped go back in the queue, processed ' + 'regenerates, leased is 409',
    async () => {
      const replay = (id: string) => app.call('POST', `/api/admin/events/${id}/replay`, { key: ADMIN_TOKEN });

      // Processed with a suggestion: regenerated in place, never a second suggestion.
      const withSuggestion = await deliverProduct('Driftwood Vase');
      const made = await processed(withSuggestion);
      const regenerated = await replay(withSuggestion);
      assert.equal(regenerated.status, 200, regenerated.text);
      assert.equal(regenerated.body.action, 'regenerated');
      assert.equal(regenerated.body.suggestion.id, made.suggestion.id);
      assert.equal((await inspect(withSuggestion)).body.agentRuns.length, 2);

      // Processed without one (auto-suggest was off): decided again with the preferences of now.
      await app.call('PUT', '/api/preferences', { key: A.apiKey, body: { autoSuggest: false } });
      const skipped = await deliverProduct('Salt Cellar');
      const off = await processed(skipped);
      assert.equal(off.suggestion, null);
      assert.ok(off.event.outcome);
      await app.call('PUT', '/api/preferences', { key: A.apiKey, body: { autoSuggest: true } });
      const requeued = await replay(skipped);
      assert.equal(requeued.status, 200, requeued.text);
      assert.equal(requeued.body.action, 'requeued');
      const redone = await waitFor(async () => (await inspect(skipped)).body.suggestion, 'a suggestion after replay');
      assert.equal(redone.relation, 'produced');
      // Replayed once more: now it regenerates that suggestion.
      assert.equal((await replay(skipped)).body.action, 'regenerated');

      // Dead: back in the queue, processed.
      const dead = await deliverProduct('Kiln Plate');
      await processed(dead);
      await fx.db.query(
        `update background_events set status = 'dead', last_error = 'boom', suggestion_id = null where id = $1`,
        [dead],
      );
      await fx.db.query('delete from suggestions where event_id = $1', [dead]);
      assert.equal((await replay(dead)).body.action, 'requeued');
      assert.ok(await waitFor(async () => (await inspect(dead)).body.suggestion, 'the dead event processed'));

      // Leased by a worker: 409, and nothing changes; queued: 409.
      await fx.db.query(
        `update background_events set status = 'processing', locked_by = 'elsewhere',
       locked_until = now() + interval '1 hour',
         run_at = now() + interval '1 hour' where id = $1`,
        [skipped],
      );
      const leased = await replay(skipped);
      assert.equal(leased.status, 409);
      assert.equal(leased.body.error.code, 'leased');
      assert.equal((await inspect(skipped)).body.event.leased, true);
      await fx.db.query(`update background_events set status = 'pending', locked_until = null where id = $1`, [
        skipped,
      ]);
      const queued = await replay(skipped);
      assert.equal(queued.status, 409);
      assert.equal(queued.body.error.code, 'queued');
      await fx.db.query(`update background_events set status = 'processed', locked_by = null where id = $1`, [skipped]);

      assert.equal((await replay('00000000-0000-4000-8000-000000000000')).status, 404);
      assert.equal((await app.call('POST', `/api/admin/events/${dead}/replay`, { key: A.apiKey })).status, 401);
    },
  );

  test(
    'the operator replays any delivery, delivered ones too, with the same delivery id; one ' + 'being sent is 409',
    async () => {
      const eventId = await deliverProduct('Anchor Jug');
      await processed(eventId);
      const delivery = await waitFor(async () => {
        const d = (await inspect(eventId)).body.deliveries[0];
        return d?.status === 'delivered' ? d : undefined;
      }, 'delivered');
      const count = hook.requests.length;
      const first = hook.requests.find((r) => r.headers['webhook-id'] === `msg_${delivery.id}`);
      assert.ok(first, 'the first delivery reached the receiver');

      const again = await app.call('POST', `/api/admin/deliveries/${delivery.id}/replay`, { key: ADMIN_TOKEN });
      assert.equal(again.status, 200, again.text);
      const [, resent] = await waitFor(() => {
        const same = hook.requests.filter((r) => r.headers['webhook-id'] === `msg_${delivery.id}`);
        return same.length >= 2 ? same : undefined;
      }, 'the delivery sent again');
      assert.ok(resent);
      assert.ok(hook.requests.length >= count + 1);
      await waitFor(async () => (await inspect(eventId)).body.deliveries[0].status === 'delivered', 'delivered again');

      await fx.db.query(
        `update notification_deliveries set status = 'failed', locked_by = 'elsewhere',
       locked_until = now() + interval '1 hour'
       where id = $1`,
        [delivery.id],
      );
      const busy = await app.call('POST', `/api/admin/deliveries/${delivery.id}/replay`, { key: ADMIN_TOKEN });
      assert.equal(busy.status, 409);
      assert.equal(busy.body.error.code, 'leased');
      assert.equal(
        (
          await app.call('POST', '/api/admin/deliveries/00000000-0000-4000-8000-000000000000/replay', {
            key: ADMIN_TOKEN,
          })
        ).status,
        404,
      );
    },
  );

  test('the CLI replays any event and any delivery on the database (PostgreSQL: a second process)', async (t) => {
    if (!fx.url) return t.skip('the CLI opens PostgreSQL itself; the embedded folder is held by the test');
    const env = {
      ...process.env,
      DATABASE_URL: fx.url,
      LOOKOUT_SECRET_KEY: 'test-secret-key-0123456789-0123456789',
      LOG_LEVEL: 'silent',
    };
    const eventId = await deliverProduct('Buoy Cup');
    const made = await processed(eventId);
    const { stdout } = await run(process.execPath, [CLI, 'events', 'replay', eventId], { env });
    assert.equal(stdout.trim(), `regenerated suggestion ${made.suggestion.id} in place`);
    assert.equal((await inspect(eventId)).body.agentRuns.length, 2);

    const delivery = await waitFor(async () => {
      const d = (await inspect(eventId)).body.deliveries[0];
      return d?.status === 'delivered' && !d.leased ? d : undefined;
    }, 'delivered');
    const again = await run(process.execPath, [CLI, 'deliveries', 'replay', delivery.id], { env });
    assert.equal(again.stdout.trim(), 'replayed 1 delivery');
    await waitFor(
      () => hook.requests.filter((r) => r.headers['webhook-id'] === `msg_${delivery.id}`).length >= 2,
      'sent again',
    );
    const missing = await run(process.execPath, [CLI, 'events', 'replay', '00000000-0000-4000-8000-000000000000'], {
      env,
    }).catch((err: { stderr: string; code: number }) => err);
    assert.equal((missing as { code: number }).code, 1);
    assert.match((missing as { stderr: string }).stderr, /not found/);
  });
});
