import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { parse } from 'yaml';
import type { Database } from '../../src/db/database.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import { createLogger } from '../../src/lib/logger.js';
import { generateWebhookSecret } from '../../src/notify/channels/webhook.js';
import { AlertSender } from '../../src/ops/alertNotices.js';
import { ALERT_RULES } from '../../src/ops/alertRules.js';
import { AlertEvaluator, listAlerts, listOpenAlerts } from '../../src/ops/alerts.js';
import { prometheusRules } from '../../src/ops/prometheusRules.js';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '../fakes/receivers.js';
import { ADMIN_TOKEN, startTestApp, type TestApp, testConfig } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const log = createLogger('silent');
const MINUTE = 60_000;

describeEachEngine('operator alerts', (fx) => {
  let slack: HttpReceiver;
  let hook: HttpReceiver;
  let smtp: SmtpReceiver;
  const secret = generateWebhookSecret();
  let userId: string;
  let env: Record<string, string>;
  let now: Date;
  const evaluators: AlertEvaluator[] = [];

  /** An evaluator as a worker process builds it, on `db`, with the test's clock. */
  function evaluator(db: Database = fx.db, extra: Record<string, string> = {}): AlertEvaluator {
    const config = testConfig({ ...env, ...extra });
    const e = new AlertEvaluator({
      db,
      config: config.alerts,
      sender: new AlertSender({ channels: config.alerts.channels, smtp: config.smtp }),
      log,
      statusUrl: 'http://127.0.0.1:1/api/admin/status',
      clock: () => now,
    });
    evaluators.push(e);
    return e;
  }

  async function addDeadEvents(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      await fx.db.query(
        `insert into background_events (user_id, event_type, source, event_data, event_timestamp, dedupe_key, status,
           attempts, last_error)
         values ($1, 'shopify.order.created', 'shopify', '{}', now(), $2, 'dead', 8, 'boom')`,
        [userId, randomUUID()],
      );
    }
  }

  const slackHeaders = () => slack.requests.map((r) => JSON.parse(r.body).blocks[0].text.text as string);

  before(async () => {
    slack = await startHttpReceiver();
    hook = await startHttpReceiver();
    smtp = await startSmtpReceiver();
    env = {
      LOOKOUT_ALERT_SLACK_URL: `${slack.url}/services/T0/B0/x`,
      LOOKOUT_ALERT_WEBHOOK_URL: `${hook.url}/alerts`,
      LOOKOUT_ALERT_WEBHOOK_SECRET: secret,
      LOOKOUT_ALERT_EMAIL: 'ops@example.com',
      LOOKOUT_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      LOOKOUT_ALERT_DEAD_EVENTS: '2',
      LOOKOUT_ALERT_COOLDOWN_S: '600',
      LOOKOUT_ALERT_INTERVAL_S: '3600',
    };
    userId = (await createUserWithKey(fx.db, { email: `ops-${fx.engine}@example.com` })).id;
    now = new Date();
  });

  after(async () => {
    for (const e of evaluators) await e.stop();
    await slack.close();
    await hook.close();
    await smtp.close();
  });

  test('a condition raises one alert, a cool-down suppresses repeats, the alert resolves', async () => {
    const a = evaluator();
    await addDeadEvents(1);
    let round = await a.evaluateOnce();
    assert.equal(round.evaluated, true);
    assert.deepEqual(round.opened, [], 'one dead event is below the threshold of 2');
    assert.equal(slack.requests.length, 0);

    await addDeadEvents(1);
    now = new Date(now.getTime() + MINUTE);
    round = await a.evaluateOnce();
    assert.deepEqual(round.opened, ['dead_events']);
    assert.deepEqual(
      round.sent.map((s) => s.kind),
      ['firing'],
    );

    // Slack: a Block Kit message; the webhook: Standard Webhooks, verifiable with the secret; an email.
    await slack.waitFor(1);
    assert.deepEqual(slackHeaders(), ['[Lookout] FIRING: Dead events']);
    assert.match(JSON.parse(slack.requests[0]!.body).blocks[1].text.text, /2 events exhausted their attempts/);
    const [first] = await hook.waitFor(1);
    const payload = new Webhook(secret).verify(first!.body, first!.headers as Record<string, string>) as {
      type: string;
      data: { rule: string; status: string; value: number; threshold: number };
    };
    assert.equal(payload.type, 'operator_alert.firing');
    assert.deepEqual(
      { rule: payload.data.rule, status: payload.data.status, value: payload.data.value },
      { rule: 'dead_events', status: 'firing', value: 2 },
    );
    const [mail] = await smtp.waitFor(1);
    assert.deepEqual(mail!.to, ['ops@example.com']);
    assert.equal(mail!.headers.subject, '[Lookout] FIRING: Dead events');

    // Still firing within the cool-down, from two evaluators at once (two worker processes): nothing new.
    const other = fx.url ? await openPostgres({ connectionString: fx.url, max: 2 }) : fx.db;
    try {
      now = new Date(now.getTime() + 5 * MINUTE);
      await addDeadEvents(1);
      const rounds = await Promise.all([a.evaluateOnce(), evaluator(other).evaluateOnce()]);
      assert.deepEqual(
        rounds.flatMap((r) => r.sent),
        [],
      );
      assert.equal((await listOpenAlerts(fx.db)).length, 1);
      assert.equal((await listOpenAlerts(fx.db))[0]!.value, 3, 'the open alert follows the measured value');
    } finally {
      if (other !== fx.db) await other.close();
    }
    assert.equal(slack.requests.length, 1);
    assert.equal(hook.requests.length, 1);

    // The operator status shows the open alert.
    const app = await startTestApp(fx.db, {}, { role: 'web' });
    try {
      const status = await app.call('GET', '/api/admin/status', { key: ADMIN_TOKEN });
      assert.equal(status.status, 200);
      assert.deepEqual(
        status.body.alerts.map((x: { rule: string }) => x.rule),
        ['dead_events'],
      );
    } finally {
      await app.close();
    }

    // `lookout status` on the same database lists it (PostgreSQL: the CLI opens the database itself).
    if (fx.url) {
      const { stdout } = await run(process.execPath, [CLI, 'status'], {
        env: { ...process.env, DATABASE_URL: fx.url, LOG_LEVEL: 'silent' },
      });
      assert.match(stdout, /alerts\s+1 open/);
      assert.match(stdout, /dead_events\s+since .*3 events exhausted their attempts/);
    }

    // Past the cool-down, still firing: one reminder, with a new webhook-id.
    now = new Date(now.getTime() + 6 * MINUTE);
    round = await a.evaluateOnce();
    assert.deepEqual(
      round.sent.map((s) => s.kind),
      ['reminder'],
    );
    await slack.waitFor(2);
    assert.equal(slackHeaders()[1], '[Lookout] STILL FIRING: Dead events');
    const [, second] = await hook.waitFor(2);
    assert.notEqual(second!.headers['webhook-id'], first!.headers['webhook-id']);

    // Cleared (the dead events are replayed): resolved, one "resolved" message, nothing open.
    await fx.db.query(`update background_events set status = 'processed' where status = 'dead'`);
    now = new Date(now.getTime() + MINUTE);
    round = await a.evaluateOnce();
    assert.deepEqual(round.resolved, ['dead_events']);
    await slack.waitFor(3);
    assert.equal(slackHeaders()[2], '[Lookout] RESOLVED: Dead events');
    const resolved = (await hook.waitFor(3))[2]!;
    const resolvedPayload = new Webhook(secret).verify(resolved.body, resolved.headers as Record<string, string>) as {
      type: string;
      data: { status: string; resolvedAt: string };
    };
    assert.equal(resolvedPayload.type, 'operator_alert.resolved');
    assert.equal(resolvedPayload.data.resolvedAt, now.toISOString());
    await smtp.waitFor(3);
    assert.deepEqual((await listOpenAlerts(fx.db)).length, 0);
    const history = await listAlerts(fx.db);
    assert.equal(history.length, 1);
    assert.equal(history[0]!.noticesSent, 3);

    // Quiet afterwards: no more messages.
    now = new Date(now.getTime() + 30 * MINUTE);
    round = await a.evaluateOnce();
    assert.deepEqual(round.sent, []);
    assert.equal(slack.requests.length, 3);
  });

  test('a message that fails is retried later with the same ids; the failure shows in status', async () => {
    const a = evaluator();
    await fx.db.query(`update integrations set poll_failures = 0`);
    const before = { slack: slack.requests.length, hook: hook.requests.length };
    hook.failNext(1, 503);
    await fx.db.query(
      `insert into integrations (user_id, kind, config, poll_failures, last_poll_error)
       values ($1, 'calendar', '{}', 7, 'HTTP 500 from the feed')`,
      [userId],
    );
    now = new Date(now.getTime() + MINUTE);
    let round = await a.evaluateOnce();
    assert.deepEqual(round.opened, ['integrations_failing']);
    assert.equal(round.failed.length, 1);
    assert.match(round.failed[0]!.error, /webhook: HTTP 503/);
    const [open] = await listOpenAlerts(fx.db);
    assert.match(open!.lastNoticeError ?? '', /HTTP 503/);
    assert.equal(open!.noticesSent, 0);

    // Before the retry delay: nothing; after it: the same notice again, with the same webhook-id.
    now = new Date(now.getTime() + 10_000);
    round = await a.evaluateOnce();
    assert.deepEqual(round.sent, []);
    now = new Date(now.getTime() + MINUTE);
    round = await a.evaluateOnce();
    assert.deepEqual(
      round.sent.map((s) => s.kind),
      ['firing'],
    );
    const sent = hook.requests.slice(before.hook);
    assert.equal(sent.length, 2);
    assert.equal(sent[0]!.headers['webhook-id'], sent[1]!.headers['webhook-id']);
    assert.equal((await listOpenAlerts(fx.db))[0]!.lastNoticeError, null);
    await fx.db.query(`update integrations set poll_failures = 0`);
    now = new Date(now.getTime() + MINUTE);
    assert.deepEqual((await a.evaluateOnce()).resolved, ['integrations_failing']);
  });

  test('queue age: measured at the clock, so an unprocessed event past the threshold fires', async () => {
    const a = evaluator();
    await fx.db.query(
      `insert into background_events (user_id, event_type, source, event_data, event_timestamp, received_at, run_at,
         dedupe_key)
       values ($1, 'shopify.order.created', 'shopify', '{}', $2, $2, $2, $3)`,
      [userId, now, randomUUID()],
    );
    now = new Date(now.getTime() + 60_000);
    assert.deepEqual((await a.evaluateOnce()).opened, []);
    now = new Date(now.getTime() + 5 * MINUTE);
    const round = await a.evaluateOnce();
    assert.deepEqual(round.opened, ['queue_age']);
    assert.ok((round.measurements?.queueAgeS ?? 0) >= 360);
    await fx.db.query(`update background_events set status = 'processed' where status = 'pending'`);
    now = new Date(now.getTime() + MINUTE);
    assert.deepEqual((await a.evaluateOnce()).resolved, ['queue_age']);
  });

  test(
    "webhook rejections of a web process reach the worker's rule; /metrics has every " + 'metric the rules read',
    async () => {
      const app: TestApp = await startTestApp(fx.db, { LOOKOUT_ALERT_REJECTIONS: '3' }, { role: 'web' });
      try {
        for (let i = 0; i < 3; i++) {
          const res = await app.call('POST', '/webhooks/shopify', {
            raw: '{}',
            headers: {
              'content-type': 'application/json',
              'x-shopify-topic': 'orders/create',
              'x-shopify-shop-domain': 'nobody.myshopify.com',
              'x-shopify-hmac-sha256': 'bm90LWEtc2lnbmF0dXJl',
            },
          });
          assert.equal(res.status, 401);
        }
        assert.equal(await app.lookout.rejectionLedger!.flush(), 3);
        now = new Date();
        const round = await evaluator(fx.db, { LOOKOUT_ALERT_REJECTIONS: '3' }).evaluateOnce();
        assert.ok(round.opened.includes('webhook_rejections'), JSON.stringify(round));
        assert.equal(round.measurements?.rejections, 3);

        // The Prometheus rules: valid YAML, the configured thresholds, and only metrics /metrics exports.
        const scraped = await app.call('GET', '/metrics');
        const exported = new Set([...scraped.text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
        const config = testConfig({ ...env, LOOKOUT_ALERT_REJECTIONS: '3' });
        const doc = parse(prometheusRules(config.alerts.thresholds)) as {
          groups: Array<{ name: string; rules: Array<{ alert: string; expr: string; for: string }> }>;
        };
        const rules = doc.groups[0]!.rules;
        assert.equal(rules.length, ALERT_RULES.length);
        for (const rule of rules) {
          const names = [...rule.expr.matchAll(/\blookout_[a-z_]+/g)].map((m) => m[0]);
          assert.ok(names.length > 0, rule.expr);
          for (const name of names) assert.ok(exported.has(name), `${rule.alert} reads ${name}, not exported`);
        }
        assert.ok(rules.some((r) => r.expr === 'sum(increase(lookout_webhook_rejected_total[300s])) >= 3'));
        assert.ok(rules.some((r) => r.expr === 'max(lookout_dead_events) >= 2'));
      } finally {
        await app.close();
      }
    },
  );

  test('the worker role evaluates on its own, every LOOKOUT_ALERT_INTERVAL_S', async () => {
    await fx.db.query(`delete from operator_alerts`);
    await addDeadEvents(2);
    const count = slack.requests.length;
    now = new Date();
    const worker = await startTestApp(
      fx.db,
      { ...env, LOOKOUT_ALERT_INTERVAL_S: '1' },
      { role: 'worker', clock: () => new Date() },
    );
    try {
      await waitFor(
        () => slackHeaders().slice(count).includes('[Lookout] FIRING: Dead events'),
        'a firing message from the worker',
      );
    } finally {
      await worker.close();
      await fx.db.query(`update background_events set status = 'processed' where status = 'dead'`);
    }
  });
});

test('lookout alerts prometheus prints the rules with the configured thresholds', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'alerts', 'prometheus'], {
    env: { ...process.env, LOOKOUT_ALERT_QUEUE_AGE_S: '120', LOOKOUT_ALERT_DEAD_DELIVERIES: '0', LOG_LEVEL: 'silent' },
  });
  const doc = parse(stdout) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  const rules = doc.groups[0]!.rules;
  assert.ok(rules.some((r) => r.expr === 'max(lookout_queue_oldest_pending_age_seconds) >= 120'));
  assert.ok(!rules.some((r) => r.alert === 'LookoutDeadDeliveries'), 'a threshold of 0 turns the rule off');
});

test('alert settings are validated', async () => {
  assert.throws(
    () => testConfig({ LOOKOUT_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/x' }),
    /LOOKOUT_ALERT_WEBHOOK_SECRET/,
  );
  assert.throws(
    () => testConfig({ LOOKOUT_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9/x', LOOKOUT_ALERT_WEBHOOK_SECRET: 'plain' }),
    /whsec_/,
  );
  assert.throws(() => testConfig({ LOOKOUT_ALERT_EMAIL: 'ops@example.com' }), /LOOKOUT_SMTP_URL/);
  assert.throws(() => testConfig({ LOOKOUT_ALERT_COOLDOWN_S: '5' }), /LOOKOUT_ALERT_COOLDOWN_S/);
  assert.throws(() => testConfig({ LOOKOUT_ALERT_SLACK_URL: 'ftp://x' }), /LOOKOUT_ALERT_SLACK_URL/);
  assert.equal(testConfig().alerts.thresholds.queueAgeS, 300);
});
