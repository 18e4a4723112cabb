import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startHttpReceiver, startSmtpReceiver } from '../fakes/receivers.js';
import { startTestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { shopifyHeaders } from '../helpers/shopify.js';

describeEachEngine('notifications end to end', (fx) => {
  test('a suggestion reaches Slack, email and a signed webhook; the Slack button accepts it', async () => {
    const slack = await startHttpReceiver();
    const hook = await startHttpReceiver();
    const smtp = await startSmtpReceiver();
    // Receivers are on loopback: the operator allows private URLs for this instance.
    const app = await startTestApp(fx.db, {
      LOOKOUT_ALLOW_PRIVATE_URLS: 'true',
      LOOKOUT_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      LOOKOUT_SMTP_FROM: 'Lookout <lookout@example.com>',
    });
    try {
      const user = await app.createUser();
      const shop = `notify-${fx.engine}.myshopify.com`;
      await app.connectShop(user, shop);
      const prefs = await app.call('PUT', '/api/preferences', {
        key: user.apiKey,
        body: {
          flow: { batchWindowSeconds: 0 },
          channels: {
            slack: { webhookUrl: `${slack.url}/services/T/B/secret` },
            email: { to: 'merchant@example.com' },
            webhook: { url: `${hook.url}/lookout` },
          },
        },
      });
      assert.equal(prefs.status, 200, prefs.text);
      const signingSecret = prefs.body.webhookSecret as string;
      const body = Buffer.from(
        '{"id": 4242, "admin_graphql_api_id": "gid://shopify/Product/4242", "title": "Harbor Jacket", ' +
          '"product_type": "Jackets"}',
      );
      await app.call('POST', '/webhooks/shopify', {
        raw: body,
        headers: shopifyHeaders('products/create', shop, body, 'test-shopify-secret'),
      });

      const [slackMsg] = await slack.waitFor(1, 15_000);
      const blocks = JSON.parse(slackMsg!.body) as {
        blocks: Array<{ type: string; elements?: Array<{ url?: string }> }>;
      };
      assert.match(slackMsg!.body, /Harbor Jacket/);
      const [webhookMsg] = await hook.waitFor(1, 15_000);
      const verified = new Webhook(signingSecret).verify(
        webhookMsg!.body,
        webhookMsg!.headers as Record<string, string>,
      ) as { data: { title: string } };
      assert.match(verified.data.title, /Harbor Jacket/);
      const [mail] = await smtp.waitFor(1, 15_000);
      assert.deepEqual(mail!.to, ['merchant@example.com']);
      assert.match(mail!.text ?? '', /Harbor Jacket/);
      assert.match(mail!.html ?? '', /Harbor Jacket/);

      // The Accept button is a signed link: it opens a confirmation page, and the page's POST acts.
      const accept = blocks.blocks
        .flatMap((b) => b.elements ?? [])
        .map((e) => e.url)
        .find((u) => u && /\/accept\?token=/.test(u));
      assert.ok(accept, 'an accept link');
      const path = new URL(accept!).pathname + new URL(accept!).search;
      const page = await app.call('GET', path);
      assert.equal(page.status, 200);
      assert.match(page.text, /<form method="post"/);
      const before = await app.call('GET', '/api/suggestions', { key: user.apiKey });
      assert.equal(before.body.items[0].status, 'new', 'opening the link changes nothing');
      const done = await app.call('POST', path);
      assert.equal(done.status, 200);
      const after = await app.call('GET', '/api/suggestions', { key: user.apiKey });
      assert.equal(after.body.items[0].status, 'accepted');
      const tampered = await app.call(
        'POST',
        path.replace(/token=([^&]*)/, (_m, t: string) => `token=${t.slice(0, -2)}xx`),
      );
      assert.equal(tampered.status, 401);

      const { rows } = await fx.db.query<{ channel: string; status: string }>(
        'select channel, status from notification_deliveries order by channel',
      );
      assert.deepEqual(rows, [
        { channel: 'email', status: 'delivered' },
        { channel: 'slack', status: 'delivered' },
        { channel: 'webhook', status: 'delivered' },
      ]);
      const metrics = (await app.call('GET', '/metrics')).text;
      for (const channel of ['slack', 'email', 'webhook']) {
        assert.match(
          metrics,
          new RegExp(`lookout_notifications_total\\{channel="${channel}",outcome="delivered"\\} 1`),
        );
      }
    } finally {
      await app.close();
      await slack.close();
      await hook.close();
      await smtp.close();
    }
  });
});
