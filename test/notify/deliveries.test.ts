import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { ActionLinkKey, verifyActionLink } from '../../src/notify/actionLinks.js';
import { EmailChannel } from '../../src/notify/channels/email.js';
import { SlackChannel, type SlackMessage } from '../../src/notify/channels/slack.js';
import { generateWebhookSecret, WebhookChannel } from '../../src/notify/channels/webhook.js';
import { DeliveryWorker, type DeliveryWorkerOptions, enqueueNotifications } from '../../src/notify/deliveries.js';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '../fakes/receivers.js';
import { describeEachEngine } from '../helpers/engines.js';
import { createSuggestion, createUser, waitFor } from './support.js';

interface DeliveryRow {
  channel: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  delivered_at: Date | null;
}

describeEachEngine('notification deliveries', (fx) => {
  let slack: HttpReceiver;
  let hook: HttpReceiver;
  let smtp: SmtpReceiver;
  let email: EmailChannel;
  const key = new ActionLinkKey('s'.repeat(48));
  const secret = generateWebhookSecret();

  before(async () => {
    [slack, hook, smtp] = await Promise.all([
      startHttpReceiver(),
      startHttpReceiver({ status: 204 }),
      startSmtpReceiver(),
    ]);
    email = new EmailChannel({
      transport: { host: '127.0.0.1', port: smtp.port, ignoreTLS: true },
      from: 'lookout@example.com',
    });
  });
  after(async () => {
    email.close();
    await Promise.all([slack.close(), hook.close(), smtp.close()]);
  });

  const worker = (over: Partial<DeliveryWorkerOptions> = {}) =>
    new DeliveryWorker({
      db: fx.db,
      channels: {
        slack: new SlackChannel({ allowPrivateUrls: true }),
        webhook: new WebhookChannel({ allowPrivateUrls: true }),
        email,
      },
      publicUrl: 'http://lookout.test',
      actionLinks: key,
      baseDelayMs: 1,
      maxDelayMs: 5,
      ...over,
    });
  const deliveries = async (suggestionId: string) =>
    (
      await fx.db.query<DeliveryRow>(
        'select * from notification_deliveries where suggestion_id = $1 order by channel',
        [suggestionId],
      )
    ).rows;
  const drain = async (w: DeliveryWorker, suggestionId: string) =>
    waitFor(
      async () => {
        await w.runOnce();
        const rows = await deliveries(suggestionId);
        return rows.every((r) => r.status === 'delivered' || r.status === 'dead') ? rows : undefined;
      },
      5000,
      'deliveries to settle',
    );

  it('enqueues one delivery per configured channel, once, inside the caller transaction', async () => {
    const userId = await createUser(fx.db, {
      channels: { slack: { webhookUrl: `${slack.url}/a` }, email: { to: 'm@example.com' } },
    });
    const suggestionId = await createSuggestion(fx.db, userId);
    const first = await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId }));
    const again = await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId }));
    assert.equal(first.deliveryIds.length, 2);
    assert.equal(again.deliveryIds.length, 0);
    await assert.rejects(
      fx.db.transaction(async (tx) => {
        const other = await createSuggestion(tx, userId);
        await enqueueNotifications(tx, { userId, suggestionId: other });
        throw new Error('pipeline failed');
      }),
    );
    const { rows } = await fx.db.query<{ n: number }>(
      'select count(*)::int as n from notification_deliveries where user_id = $1',
      [userId],
    );
    assert.equal(rows[0]!.n, 2);
    await fx.db.query('delete from notification_deliveries where user_id = $1', [userId]);
  });

  it('delivers to Slack, email and a signed webhook', async () => {
    const userId = await createUser(fx.db, {
      channels: {
        slack: { webhookUrl: `${slack.url}/all` },
        email: { to: 'merchant@example.com' },
        webhook: { url: `${hook.url}/in`, secret },
      },
    });
    const suggestionId = await createSuggestion(fx.db, userId, 'Restock <Cozy Mug>');
    await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId }));
    const rows = await drain(worker(), suggestionId);
    assert.deepEqual(
      rows.map((r) => [r.channel, r.status, r.attempts]),
      [
        ['email', 'delivered', 1],
        ['slack', 'delivered', 1],
        ['webhook', 'delivered', 1],
      ],
    );

    const slackReq = slack.requests.find((r) => r.path === '/all')!;
    const msg = JSON.parse(slackReq.body) as SlackMessage;
    const actions = msg.blocks.find((b) => b.type === 'actions');
    assert.ok(actions?.type === 'actions');
    const accept = new URL(actions.elements[0]!.url);
    assert.equal(accept.pathname, `/api/suggestions/${suggestionId}/accept`);
    assert.deepEqual(
      verifyActionLink(key, { token: accept.searchParams.get('token')!, suggestionId, action: 'accept' }).ok,
      true,
    );

    const hookReq = hook.requests.find((r) => r.path === '/in')!;
    const verified = new Webhook(secret).verify(hookReq.body, {
      'webhook-id': String(hookReq.headers['webhook-id']),
      'webhook-timestamp': String(hookReq.headers['webhook-timestamp']),
      'webhook-signature': String(hookReq.headers['webhook-signature']),
    }) as { data: { suggestionId: string; title: string } };
    assert.deepEqual([verified.data.suggestionId, verified.data.title], [suggestionId, 'Restock <Cozy Mug>']);

    const mail = smtp.messages.find((m) => m.to.includes('merchant@example.com'))!;
    assert.equal(mail.headers.subject, 'Restock <Cozy Mug>');
    assert.ok(mail.html!.includes('Restock &lt;Cozy Mug&gt;') && mail.text!.includes('Only 3 left'));
  });

  it('retries a receiver that fails twice: 3 attempts, delivered', async () => {
    const userId = await createUser(fx.db, { channels: { webhook: { url: `${hook.url}/flaky`, secret } } });
    const suggestionId = await createSuggestion(fx.db, userId);
    await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId }));
    hook.failNext(2, 503);
    const [row] = await drain(worker(), suggestionId);
    assert.equal(row!.status, 'delivered');
    assert.equal(row!.attempts, 3);
    assert.equal(row!.last_error, null);
    const seen = hook.requests.filter((r) => r.path === '/flaky');
    assert.equal(seen.length, 3);
    // The same webhook-id on every attempt: the receiver can deduplicate.
    assert.equal(new Set(seen.map((r) => r.headers['webhook-id'])).size, 1);
  });

  it('gives up after maxAttempts: dead, with the last error', async () => {
    const failing = await startHttpReceiver();
    failing.failAlways(500);
    try {
      const userId = await createUser(fx.db, { channels: { slack: { webhookUrl: `${failing.url}/down` } } });
      const suggestionId = await createSuggestion(fx.db, userId);
      await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId }));
      const [row] = await drain(worker({ maxAttempts: 4 }), suggestionId);
      assert.equal(row!.status, 'dead');
      assert.equal(row!.attempts, 4);
      assert.match(row!.last_error!, /HTTP 500/);
      assert.equal(failing.requests.length, 4);
    } finally {
      await failing.close();
    }
  });

  it('does not retry what cannot succeed: a refused private URL is dead at once', async () => {
    const userId = await createUser(fx.db, { channels: { slack: { webhookUrl: 'http://169.254.169.254/latest' } } });
    const suggestionId = await createSuggestion(fx.db, userId);
    await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId }));
    const [row] = await drain(
      worker({ channels: { slack: new SlackChannel({ allowPrivateUrls: false }) } }),
      suggestionId,
    );
    assert.deepEqual([row!.status, row!.attempts], ['dead', 1]);
    assert.match(row!.last_error!, /url_not_allowed/);
  });

  it('defers deliveries to the end of quiet hours', async () => {
    const night = new Date('2026-01-15T23:30:00Z'); // 00:30 in Paris
    const morning = new Date('2026-01-16T06:00:00Z'); // 07:00 in Paris
    const userId = await createUser(fx.db, {
      channels: { webhook: { url: `${hook.url}/quiet`, secret } },
      quietHours: { start: '22:00', end: '07:00', timezone: 'Europe/Paris' },
    });
    const suggestionId = await createSuggestion(fx.db, userId);
    const result = await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId, now: night }));
    assert.deepEqual(result.deferredUntil, morning);

    let clock = night;
    const w = worker({ clock: () => clock });
    assert.deepEqual(await w.runOnce(), []);
    clock = new Date(morning.getTime() - 1000);
    assert.deepEqual(await w.runOnce(), []);
    assert.equal(hook.requests.filter((r) => r.path === '/quiet').length, 0);
    clock = morning;
    const outcomes = await w.runOnce();
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['delivered'],
    );
  });

  it('holds back a retry that falls into quiet hours without counting an attempt', async () => {
    const userId = await createUser(fx.db, { channels: { webhook: { url: `${hook.url}/late`, secret } } });
    const suggestionId = await createSuggestion(fx.db, userId);
    await fx.db.transaction((tx) =>
      enqueueNotifications(tx, { userId, suggestionId, now: new Date('2026-01-15T20:00:00Z') }),
    );
    await fx.db.query(
      `update users set preferences = preferences ||
       '{"quietHours":{"start":"22:00","end":"07:00","timezone":"UTC"}}'::jsonb where id = $1`,
      [userId],
    );
    const outcomes = await worker({ clock: () => new Date('2026-01-15T23:00:00Z') }).runOnce();
    assert.deepEqual(
      outcomes.map((o) => [o.status, o.attempts]),
      [['deferred', 0]],
    );
    const [row] = await deliveries(suggestionId);
    assert.deepEqual(row!.next_attempt_at, new Date('2026-01-16T07:00:00Z'));
  });

  it('shares work between workers without sending twice (SKIP LOCKED and a lease)', async () => {
    const userId = await createUser(fx.db, { channels: { webhook: { url: `${hook.url}/shared`, secret } } });
    const ids = await Promise.all(Array.from({ length: 12 }, () => createSuggestion(fx.db, userId)));
    await fx.db.transaction(async (tx) => {
      for (const suggestionId of ids) await enqueueNotifications(tx, { userId, suggestionId });
    });
    const workers = [worker({ batchSize: 3 }), worker({ batchSize: 3 }), worker({ batchSize: 3 })];
    await waitFor(async () => {
      await Promise.all(workers.map((w) => w.runOnce()));
      const { rows } = await fx.db.query<{ n: number }>(
        `select count(*)::int as n from notification_deliveries where user_id = $1 and status <> 'delivered'`,
        [userId],
      );
      return rows[0]!.n === 0 ? true : undefined;
    });
    const sent = hook.requests.filter((r) => r.path === '/shared');
    assert.equal(sent.length, 12);
    assert.equal(new Set(sent.map((r) => r.headers['webhook-id'])).size, 12);
  });

  it('wakes a started worker on enqueue (NOTIFY) without waiting for its poll', async () => {
    const userId = await createUser(fx.db, { channels: { webhook: { url: `${hook.url}/wake`, secret } } });
    const suggestionId = await createSuggestion(fx.db, userId);
    // Its poll would come after ten minutes: only the wake-up can deliver within the test.
    const w = worker({ pollIntervalMs: 600_000 });
    await w.start();
    try {
      await new Promise((r) => setTimeout(r, 50));
      await fx.db.transaction((tx) => enqueueNotifications(tx, { userId, suggestionId }));
      await hook.waitFor(hook.requests.length + 1, 60_000);
      await waitFor(async () => ((await deliveries(suggestionId))[0]?.status === 'delivered' ? true : undefined));
    } finally {
      await w.stop();
    }
  });
});
