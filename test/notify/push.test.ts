import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { channelTarget, switchOffGoneChannel } from '../../src/api/preferenceRoutes.js';
import { loadConfig } from '../../src/config.js';
import { getUser } from '../../src/db/queries/users.js';
import { SecretBox } from '../../src/lib/secretBox.js';
import { PUSH_PAYLOAD_MAX_BYTES, PUSH_TTL_S, vapidKeys } from '../../src/notify/channels/push.js';
import { CHANNELS, type ChannelKind, type ChannelTargets } from '../../src/notify/channels/registry.js';
import { DeliveryWorker, enqueueNotifications } from '../../src/notify/deliveries.js';
import { type FakePushService, startFakePushService } from '../fakes/pushService.js';
import { startTestApp, type TestApp, testConfig } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { createSuggestion } from './support.js';

/**
 * Web Push end to end: a subscription saved through the API (as the dashboard's Subscribe button
 * saves it), a delivery sent by the production sender to a local push service that verifies the
 * VAPID JWT and decrypts the payload with the browser's keys; expired subscriptions, rate limits
 * and quiet hours.
 */

describeEachEngine('web push channel', (fx) => {
  let app: TestApp;
  let push: FakePushService;
  const t0 = new Date('2030-05-06T12:00:00Z');
  let now = t0;

  before(async () => {
    push = await startFakePushService();
    // The push service is on loopback: this instance allows private URLs, as other channel tests do.
    // The web role only: the test drives its own delivery worker on an injected clock.
    app = await startTestApp(
      fx.db,
      { LOOKOUT_ALLOW_PRIVATE_URLS: 'true', LOOKOUT_VAPID_SUBJECT: 'mailto:ops@example.com' },
      { role: 'web' },
    );
  });
  after(async () => {
    await app?.close();
    await push?.close();
  });
  afterEach(() => {
    now = t0;
  });

  const ctx = () => app.lookout.ctx;
  const worker = () =>
    new DeliveryWorker({
      db: fx.db,
      channels: CHANNELS.createSenders({ config: ctx().config, secrets: ctx().secrets }),
      publicUrl: 'https://lookout.example.com',
      actionLinks: ctx().actionLinks,
      baseDelayMs: 1_000,
      maxDelayMs: 5_000,
      clock: () => now,
      // Wired as src/app.ts wires the server's worker.
      onTargetGone: switchOffGoneChannel(fx.db, ctx().secrets),
      resolveTarget: async <K extends ChannelKind>(userId: string, channel: K) => {
        const user = await getUser(fx.db, userId);
        return user ? (channelTarget(ctx().secrets, user, channel) as ChannelTargets[K]) : undefined;
      },
    });

  const subscribedUser = async (extra: { channels?: object; quietHours?: object } = {}) => {
    const user = await app.createUser();
    const subscription = push.subscribe();
    const res = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { ...extra, channels: { ...extra.channels, push: { subscription } } },
    });
    assert.equal(res.status, 200, res.text);
    return { user, subscription };
  };

  const delivery = async (id: string) =>
    (
      await fx.db.query<{ status: string; attempts: number; last_error: string | null; next_attempt_at: Date }>(
        'select status, attempts, last_error, next_attempt_at from notification_deliveries where id = $1',
        [id],
      )
    ).rows[0]!;

  test('the dashboard gets the VAPID public key; GET /api/preferences never shows the subscription', async () => {
    const { user, subscription } = await subscribedUser();
    const meta = await app.call('GET', '/api/meta/channels', { key: user.apiKey });
    const channel = meta.body.channels.find((c: { kind: string }) => c.kind === 'push');
    assert.equal(channel.available, true);
    assert.equal(channel.options.applicationServerKey, vapidKeys(ctx().config, ctx().secrets).publicKey);
    assert.match(channel.options.applicationServerKey, /^B[A-Za-z0-9_-]{86}$/);
    assert.equal(JSON.stringify(channel).includes(vapidKeys(ctx().config, ctx().secrets).privateKey), false);

    const got = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.deepEqual(got.body.channels.push, { subscribed: true });
    for (const secret of [subscription.endpoint, subscription.keys.p256dh, subscription.keys.auth])
      assert.equal(got.text.includes(secret), false, 'no part of the subscription is shown');
    const row = (await getUser(fx.db, user.id))!;
    assert.equal(JSON.stringify(row.preferences).includes(subscription.keys.auth), false, 'sealed, not in preferences');
    // Another user cannot see or change it.
    const other = await app.createUser();
    const theirs = await app.call('GET', '/api/preferences', { key: other.apiKey });
    assert.equal(theirs.body.channels.push, undefined);
  });

  test('a careless client: a malformed subscription is refused with 400, nothing stored', async () => {
    const user = await app.createUser();
    const good = push.subscribe();
    for (const subscription of [
      { ...good, keys: { ...good.keys, p256dh: 'short' } },
      { ...good, keys: { ...good.keys, auth: 'AAAA' } },
      { ...good, endpoint: 'ftp://push.example.com/x' },
      { ...good, extra: 1 },
      { endpoint: good.endpoint },
    ]) {
      const res = await app.call('PUT', '/api/preferences', {
        key: user.apiKey,
        body: { channels: { push: { subscription } } },
      });
      assert.equal(res.status, 400, JSON.stringify(subscription));
    }
    const got = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.equal(got.body.channels.push, undefined);
  });

  test('a delivery reaches the push service, VAPID-signed, and decrypts to the notification', async () => {
    const { user } = await subscribedUser();
    const suggestionId = await createSuggestion(fx.db, user.id, 'Restock the Cozy Mug');
    const { deliveryIds } = await enqueueNotifications(fx.db, { userId: user.id, suggestionId, now });
    assert.equal(deliveryIds.length, 1);
    const before = push.messages.length;
    const [outcome] = await worker().runOnce();
    assert.equal(outcome?.status, 'delivered', outcome?.error);
    const msg = push.messages[before]!;
    assert.deepEqual(push.rejected, []);
    assert.deepEqual(JSON.parse(msg.payload), {
      title: 'Restock the Cozy Mug',
      body: 'Only 3 left: reorder 40 units before Friday.',
      url: `https://lookout.example.com/?suggestion=${suggestionId}`,
      suggestionId,
      deliveryId: deliveryIds[0],
    });
    assert.equal(msg.vapidKey, vapidKeys(ctx().config, ctx().secrets).publicKey);
    assert.equal(msg.claims.sub, 'mailto:ops@example.com');
    assert.equal(msg.ttl, PUSH_TTL_S);
    assert.equal(msg.urgency, 'normal');
    assert.equal(msg.topic, deliveryIds[0]!.replace(/-/g, ''));
  });

  test('a long body is truncated so the encrypted payload fits the push service limit', async () => {
    const { user } = await subscribedUser();
    const { rows } = await fx.db.query<{ id: string }>(
      `insert into suggestions (user_id, event_id, event_type, title, body)
       values ($1, gen_random_uuid(), 'shopify.product.created', 'Long copy', $2) returning id`,
      [user.id, `${'Ünïcödé copy 🎉 '.repeat(800)}END`],
    );
    await enqueueNotifications(fx.db, { userId: user.id, suggestionId: rows[0]!.id, now });
    const before = push.messages.length;
    const [outcome] = await worker().runOnce();
    assert.equal(outcome?.status, 'delivered', outcome?.error);
    const msg = push.messages[before]!;
    assert.ok(msg.bodyBytes <= 4096, `${msg.bodyBytes} bytes`);
    assert.ok(Buffer.byteLength(msg.payload) <= PUSH_PAYLOAD_MAX_BYTES);
    const payload = JSON.parse(msg.payload) as { body: string };
    assert.ok(payload.body.endsWith('…'));
    assert.ok(payload.body.startsWith('Ünïcödé copy 🎉'));
    assert.ok(!payload.body.includes('\uFFFD'), 'never split inside a character');
  });

  test('410 Gone: the delivery is dead at once and the subscription is removed', async () => {
    // Another channel with a secret: it stays.
    const { user } = await subscribedUser({ channels: { webhook: { url: 'https://hooks.example.com/in' } } });
    const suggestionId = await createSuggestion(fx.db, user.id);
    const { deliveryIds } = await enqueueNotifications(fx.db, {
      userId: user.id,
      suggestionId,
      channels: ['push'],
      now,
    });
    push.answerNext({ status: 410 });
    const [outcome] = await worker().runOnce();
    assert.equal(outcome?.status, 'dead');
    const d = await delivery(deliveryIds[0]!);
    assert.equal(d.status, 'dead');
    assert.equal(d.attempts, 1);
    assert.match(d.last_error ?? '', /push subscription expired \(HTTP 410/);
    const got = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.equal(got.body.channels.push, undefined, 'the channel is off');
    assert.equal(got.body.channels.webhook.secretConfigured, true);
    const row = (await getUser(fx.db, user.id))!;
    const sealed = ctx().secrets.openJson<Record<string, unknown>>(row.channel_credentials!);
    assert.deepEqual(
      Object.keys(sealed),
      ['webhookSecret'],
      'the sealed subscription is gone, the webhook secret kept',
    );
    // Nothing more is queued for it, and a later run does not retry the dead one.
    const next = await createSuggestion(fx.db, user.id, 'Another');
    const later = await enqueueNotifications(fx.db, { userId: user.id, suggestionId: next, channels: ['push'], now });
    assert.deepEqual(later.deliveryIds, []);
    const attempts = push.attempts;
    now = new Date(t0.getTime() + 3600_000);
    assert.deepEqual(await worker().runOnce(), []);
    assert.equal(push.attempts, attempts);
  });

  test('404 on a subscription saved again meanwhile: the new subscription stays', async () => {
    const { user } = await subscribedUser();
    const suggestionId = await createSuggestion(fx.db, user.id);
    await enqueueNotifications(fx.db, { userId: user.id, suggestionId, now });
    const w = worker();
    // The user subscribes again (a new browser) between the claim and the push service's answer:
    // simulated by answering 404 and saving the new subscription before the worker records it.
    push.answerNext({ status: 404 });
    const fresh = push.subscribe();
    const original = fx.db.query.bind(fx.db);
    let resaved = false;
    (fx.db as { query: typeof fx.db.query }).query = (async (sql: string, params?: unknown[]) => {
      if (!resaved && /update users set preferences = jsonb_set/.test(sql)) {
        resaved = true;
        const res = await app.call('PUT', '/api/preferences', {
          key: user.apiKey,
          body: { channels: { push: { subscription: fresh } } },
        });
        assert.equal(res.status, 200);
      }
      return original(sql, params);
    }) as typeof fx.db.query;
    try {
      const [outcome] = await w.runOnce();
      assert.equal(outcome?.status, 'dead');
    } finally {
      (fx.db as { query: typeof fx.db.query }).query = original;
    }
    assert.ok(resaved);
    const got = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.deepEqual(got.body.channels.push, { subscribed: true });
    const row = (await getUser(fx.db, user.id))!;
    assert.equal((channelTarget(ctx().secrets, row, 'push') as { endpoint: string }).endpoint, fresh.endpoint);
  });

  test('429 with Retry-After: retried no sooner than asked, then delivered', async () => {
    const { user } = await subscribedUser();
    const suggestionId = await createSuggestion(fx.db, user.id, 'Rate limited');
    const { deliveryIds } = await enqueueNotifications(fx.db, { userId: user.id, suggestionId, now });
    push.answerNext({ status: 429, headers: { 'retry-after': '120' } });
    const w = worker();
    const [first] = await w.runOnce();
    assert.equal(first?.status, 'failed');
    const d = await delivery(deliveryIds[0]!);
    assert.equal(d.status, 'failed');
    assert.ok(d.next_attempt_at.getTime() >= t0.getTime() + 120_000, String(d.next_attempt_at));
    now = new Date(t0.getTime() + 60_000);
    assert.deepEqual(await w.runOnce(), [], 'not before Retry-After');
    const before = push.messages.length;
    now = new Date(d.next_attempt_at.getTime() + 1);
    const [second] = await w.runOnce();
    assert.equal(second?.status, 'delivered', second?.error);
    assert.equal(JSON.parse(push.messages[before]!.payload).title, 'Rate limited');
    const got = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.deepEqual(got.body.channels.push, { subscribed: true }, 'a rate limit keeps the subscription');
  });

  test('503: retried with backoff', async () => {
    const { user } = await subscribedUser();
    const suggestionId = await createSuggestion(fx.db, user.id, 'Unavailable');
    await enqueueNotifications(fx.db, { userId: user.id, suggestionId, now });
    push.answerNext({ status: 503 });
    const w = worker();
    assert.equal((await w.runOnce())[0]?.status, 'failed');
    now = new Date(t0.getTime() + 10_000);
    assert.equal((await w.runOnce())[0]?.status, 'delivered');
  });

  test('quiet hours hold the push until they end', async () => {
    const { user } = await subscribedUser({ quietHours: { start: '11:00', end: '13:30', timezone: 'UTC' } });
    const suggestionId = await createSuggestion(fx.db, user.id, 'After quiet hours');
    const { deferredUntil } = await enqueueNotifications(fx.db, { userId: user.id, suggestionId, now });
    assert.equal(deferredUntil?.toISOString(), '2030-05-06T13:30:00.000Z');
    const attempts = push.attempts;
    assert.deepEqual(await worker().runOnce(), []);
    assert.equal(push.attempts, attempts, 'nothing sent during quiet hours');
    now = new Date('2030-05-06T13:31:00Z');
    const before = push.messages.length;
    const [outcome] = await worker().runOnce();
    assert.equal(outcome?.status, 'delivered');
    assert.equal(JSON.parse(push.messages[before]!.payload).title, 'After quiet hours');
  });

  test('an endpoint into the operator network is refused when private URLs are not allowed', async () => {
    const strict = await startTestApp(fx.db, {}, { role: 'web' });
    try {
      const user = await strict.createUser();
      const res = await strict.call('PUT', '/api/preferences', {
        key: user.apiKey,
        body: { channels: { push: { subscription: push.subscribe() } } },
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.code, 'url_not_allowed');
    } finally {
      await strict.close();
    }
  });
});

test('VAPID keys: stable for an instance key, distinct across keys, the operator pair wins', () => {
  const a = testConfig();
  const box = (k: string) => new SecretBox(k);
  const one = vapidKeys(a, box('instance-one-0123456789-0123456789'));
  assert.deepEqual(vapidKeys(a, box('instance-one-0123456789-0123456789')), one);
  assert.notEqual(vapidKeys(a, box('instance-two-0123456789-0123456789')).publicKey, one.publicKey);
  const operator = loadConfig({
    LOOKOUT_VAPID_PUBLIC_KEY: one.publicKey,
    LOOKOUT_VAPID_PRIVATE_KEY: one.privateKey,
    LOOKOUT_SECRET_KEY: 'x'.repeat(40),
  });
  assert.deepEqual(vapidKeys(operator, box('instance-two-0123456789-0123456789')), one);
  assert.throws(() => loadConfig({ LOOKOUT_VAPID_PUBLIC_KEY: one.publicKey }), /set both or neither/);
  const otherPublic = vapidKeys(a, box('instance-two-0123456789-0123456789')).publicKey;
  assert.throws(
    () => loadConfig({ LOOKOUT_VAPID_PUBLIC_KEY: otherPublic, LOOKOUT_VAPID_PRIVATE_KEY: one.privateKey }),
    /is not the public key/,
  );
  assert.throws(() => loadConfig({ LOOKOUT_VAPID_SUBJECT: 'ops@example.com' }), /LOOKOUT_VAPID_SUBJECT/);
});
