import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { defineChannel } from './channelSpec.js';
import { postToUserUrl } from './http.js';
import { DeliveryError, type Notification, type NotificationChannel } from './types.js';

/**
 * Outbound webhooks signed per the Standard Webhooks spec (https://www.standardwebhooks.com):
 * headers webhook-id (the delivery id, the same on every retry), webhook-timestamp and
 * webhook-signature; receivers verify with any Standard Webhooks library and the `whsec_` secret.
 */

export interface WebhookTarget {
  url: string;
  /** Standard Webhooks secret: `whsec_` + base64. */
  secret: string;
}

export const WEBHOOK_EVENT_TYPE = 'suggestion.created';

export interface WebhookPayload {
  type: typeof WEBHOOK_EVENT_TYPE;
  timestamp: string;
  data: {
    suggestionId: string;
    eventId: string;
    eventType: string;
    title: string;
    body: string;
    createdAt: string;
    links: Notification['links'];
  };
}

/** A new signing secret to hand to the user once. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export function webhookPayload(n: Notification, now: Date): WebhookPayload {
  return {
    type: WEBHOOK_EVENT_TYPE,
    timestamp: now.toISOString(),
    data: {
      suggestionId: n.suggestionId,
      eventId: n.eventId,
      eventType: n.eventType,
      title: n.title,
      body: n.body,
      createdAt: n.createdAt.toISOString(),
      links: n.links,
    },
  };
}

export interface WebhookChannelOptions {
  allowPrivateUrls: boolean;
  timeoutMs?: number;
  clock?: () => Date;
}

export class WebhookChannel implements NotificationChannel<WebhookTarget> {
  readonly kind = 'webhook';
  constructor(private readonly opts: WebhookChannelOptions) {}

  async send(n: Notification, target: WebhookTarget): Promise<void> {
    const now = this.opts.clock?.() ?? new Date();
    const msgId = `msg_${n.deliveryId}`;
    const body = JSON.stringify(webhookPayload(n, now));
    let signature: string;
    try {
      signature = new Webhook(target.secret).sign(msgId, now, body);
    } catch (err) {
      throw new DeliveryError('invalid webhook secret: expected whsec_ followed by base64', {
        permanent: true,
        cause: err,
      });
    }
    await postToUserUrl(
      target.url,
      body,
      {
        'user-agent': 'Lookout-Webhooks/1',
        'webhook-id': msgId,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': signature,
      },
      { allowPrivate: this.opts.allowPrivateUrls, timeoutMs: this.opts.timeoutMs },
    );
  }
}

export const webhookChannel = defineChannel({
  kind: 'webhook',
  label: 'Signed webhook',
  settings: z.object({
    url: z.url({ protocol: /^https?$/ }).max(2000),
    secret: z
      .string()
      .max(200)
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'a whsec_ secret')
      .optional(),
  }),
  example: { url: 'https://example.com/hooks/lookout', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  fields: {
    url: { label: 'URL', input: 'url', placeholder: 'https://example.com/hooks/lookout', outboundUrl: true },
    secret: {
      label: 'Signing secret',
      input: 'password',
      note: 'whsec_…; leave empty to keep the current one',
      secret: {
        credentialKey: 'webhookSecret',
        shown: { as: 'flag', flag: 'secretConfigured' },
        generate: { create: generateWebhookSecret, revealAs: 'webhookSecret' },
      },
    },
  },
  target: (s): WebhookTarget | undefined => (s.secret ? { url: s.url, secret: s.secret } : undefined),
  createSender: ({ config }) => new WebhookChannel({ allowPrivateUrls: config.allowPrivateUrls }),
});
