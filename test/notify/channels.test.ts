import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { EmailChannel } from '../../src/notify/channels/email.js';
import { type SlackBlock, SlackChannel, type SlackMessage } from '../../src/notify/channels/slack.js';
import { DeliveryError, type Notification } from '../../src/notify/channels/types.js';
import { generateWebhookSecret, WebhookChannel, type WebhookPayload } from '../../src/notify/channels/webhook.js';
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from '../fakes/receivers.js';

const notification: Notification = {
  deliveryId: '11111111-2222-4333-8444-555555555555',
  userId: '0b0c5a9e-2f4d-4f6e-8a1b-9c8d7e6f5a4b',
  suggestionId: '6f1c1d2e-7d1a-4a8e-9d7e-1b2c3d4e5f60',
  eventId: '7a7a7a7a-7d1a-4a8e-9d7e-1b2c3d4e5f60',
  eventType: 'shopify.product.created',
  title: 'TikTok hook for "Cozy <Mug> & Co"',
  body: 'Hook: *Your morning coffee deserves better* <script>alert(1)</script>\n\nCaption: try it & love it.',
  createdAt: new Date('2026-03-01T12:00:00Z'),
  links: {
    open: 'https://lookout.example.com/?suggestion=6f1c',
    accept: 'https://lookout.example.com/api/suggestions/6f1c/accept?token=a.b.c',
    dismiss: 'https://lookout.example.com/api/suggestions/6f1c/dismiss?token=a.b.d',
  },
};

function block<T extends SlackBlock['type']>(msg: SlackMessage, type: T): Extract<SlackBlock, { type: T }> {
  const found = msg.blocks.find((b): b is Extract<SlackBlock, { type: T }> => b.type === type);
  assert.ok(found, `no ${type} block`);
  return found;
}

describe('slack channel', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver();
  });
  after(() => receiver.close());

  it('posts a Block Kit message with header, escaped mrkdwn and accept/dismiss link buttons', async () => {
    await new SlackChannel({ allowPrivateUrls: true }).send(notification, {
      webhookUrl: `${receiver.url}/services/T/B/X`,
    });
    const [req] = await receiver.waitFor(1);
    assert.equal(req!.path, '/services/T/B/X');
    assert.match(String(req!.headers['content-type']), /application\/json/);
    const msg = JSON.parse(req!.body) as SlackMessage;
    assert.match(msg.text, /Cozy/);
    assert.deepEqual(
      msg.blocks.map((b) => b.type),
      ['header', 'section', 'context', 'actions'],
    );
    assert.equal(block(msg, 'header').text.text, notification.title);
    const section = block(msg, 'section').text;
    assert.equal(section.type, 'mrkdwn');
    assert.ok(section.text.includes('&lt;script&gt;') && !section.text.includes('<script>'));
    assert.deepEqual(
      block(msg, 'actions').elements.map((e) => [e.text.text, e.url]),
      [
        ['Accept', notification.links.accept],
        ['Dismiss', notification.links.dismiss],
      ],
    );
  });

  it('truncates to Block Kit limits', async () => {
    const long = { ...notification, title: 't'.repeat(400), body: 'b'.repeat(5000) };
    await new SlackChannel({ allowPrivateUrls: true }).send(long, { webhookUrl: `${receiver.url}/long` });
    const msg = JSON.parse(receiver.requests.at(-1)!.body) as SlackMessage;
    assert.ok([...block(msg, 'header').text.text].length <= 150);
    assert.ok([...block(msg, 'section').text.text].length <= 3000);
  });

  it(
    'classifies failures: 500 retryable, 404 permanent, loopback refused when private URLs ' + 'are not allowed',
    async () => {
      receiver.failNext(1, 500);
      await assert.rejects(
        new SlackChannel({ allowPrivateUrls: true }).send(notification, { webhookUrl: receiver.url }),
        (e: unknown) => e instanceof DeliveryError && !e.permanent && /HTTP 500/.test(e.message),
      );
      receiver.failNext(1, 404);
      await assert.rejects(
        new SlackChannel({ allowPrivateUrls: true }).send(notification, { webhookUrl: receiver.url }),
        (e: unknown) => e instanceof DeliveryError && e.permanent,
      );
      await assert.rejects(
        new SlackChannel({ allowPrivateUrls: false }).send(notification, { webhookUrl: receiver.url }),
        (e: unknown) => e instanceof DeliveryError && e.permanent && /url_not_allowed/.test(e.message),
      );
    },
  );
});

describe('webhook channel', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver({ status: 204 });
  });
  after(() => receiver.close());

  it('signs per Standard Webhooks: the receiver verifies with the standardwebhooks library', async () => {
    const secret = generateWebhookSecret();
    await new WebhookChannel({ allowPrivateUrls: true }).send(notification, {
      url: `${receiver.url}/hooks/lookout`,
      secret,
    });
    const [req] = await receiver.waitFor(1);
    const headers = {
      'webhook-id': String(req!.headers['webhook-id']),
      'webhook-timestamp': String(req!.headers['webhook-timestamp']),
      'webhook-signature': String(req!.headers['webhook-signature']),
    };
    assert.equal(headers['webhook-id'], `msg_${notification.deliveryId}`);
    const payload = new Webhook(secret).verify(req!.body, headers) as WebhookPayload;
    assert.equal(payload.type, 'suggestion.created');
    assert.equal(payload.data.suggestionId, notification.suggestionId);
    assert.equal(payload.data.links.accept, notification.links.accept);
    assert.throws(() => new Webhook(generateWebhookSecret()).verify(req!.body, headers));
  });

  it('refuses a malformed secret permanently', async () => {
    await assert.rejects(
      new WebhookChannel({ allowPrivateUrls: true }).send(notification, { url: receiver.url, secret: 'not base64!' }),
      (e: unknown) => e instanceof DeliveryError && e.permanent,
    );
  });
});

describe('email channel', () => {
  let smtp: SmtpReceiver;
  let channel: EmailChannel;
  before(async () => {
    smtp = await startSmtpReceiver();
    channel = new EmailChannel({
      transport: { host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true },
      from: 'Lookout <lookout@example.com>',
    });
  });
  after(async () => {
    channel.close();
    await smtp.close();
  });

  it('sends an escaped HTML body and a text body through a real SMTP server, subject from the title', async () => {
    await channel.send(notification, { to: 'merchant@example.com' });
    const [mail] = await smtp.waitFor(1);
    assert.deepEqual(mail!.to, ['merchant@example.com']);
    assert.equal(mail!.from, 'lookout@example.com');
    assert.equal(mail!.headers.subject, notification.title);
    assert.equal(mail!.headers['message-id'], `<${notification.deliveryId}@lookout.example.com>`);
    assert.ok(mail!.text!.includes('Your morning coffee deserves better'));
    assert.ok(mail!.text!.includes(`Accept:  ${notification.links.accept}`));
    assert.ok(mail!.html!.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!mail!.html!.includes('<script>'));
    assert.ok(mail!.html!.includes('Cozy &lt;Mug&gt; &amp; Co'));
    assert.ok(mail!.html!.includes(`href="${notification.links.dismiss}"`));
  });
});
