import { createECDH } from 'node:crypto';
import webpush from 'web-push';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { SecretBox } from '../../lib/secretBox.js';
import { defineChannel } from './channelSpec.js';
import { postToUserUrl } from './http.js';
import { truncate } from './slack.js';
import { DeliveryError, type Notification, type NotificationChannel } from './types.js';

/**
 * Web Push (RFC 8030, payloads encrypted per RFC 8291, VAPID per RFC 8292) to the browser the
 * user subscribed from the dashboard. `web-push` builds the request (encryption, VAPID JWT); the
 * request itself goes through the URL guard like every other outbound call.
 */

export interface VapidKeys {
  /** base64url, uncompressed P-256 point: the dashboard's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
}

/**
 * The operator's keys, or keys derived from the instance's secret key: stable across restarts
 * and the same in every process sharing the database (they share the key), never stored.
 */
export function vapidKeys(config: Config, secrets: SecretBox): VapidKeys {
  if (config.vapid.keys) return config.vapid.keys;
  for (let i = 0; ; i++) {
    const ecdh = createECDH('prime256v1');
    try {
      // A 32-byte value is a valid P-256 scalar unless it is 0 or >= n (odds about 2^-32).
      ecdh.setPrivateKey(Buffer.from(secrets.deriveSecret(`vapid-p256-${i}`), 'hex'));
    } catch {
      continue;
    }
    return {
      publicKey: ecdh.getPublicKey().toString('base64url'),
      privateKey: ecdh.getPrivateKey().toString('base64url'),
    };
  }
}

/** Who push services contact about this sender (RFC 8292 `sub`): an https URL or a mailto: address. */
export function vapidSubject(config: Config): string {
  if (config.vapid.subject) return config.vapid.subject;
  return config.publicUrl.startsWith('https://') ? config.publicUrl : 'mailto:lookout@localhost';
}

const base64url = (bytes: number) =>
  z
    .string()
    .max(200)
    .refine((v) => /^[A-Za-z0-9_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64url').length === bytes, {
      message: `${bytes} bytes in base64url`,
    });

/** What `PushSubscription.toJSON()` gives in the browser. */
export const PushSubscriptionSchema = z
  .object({
    endpoint: z.url({ protocol: /^https?$/ }).max(2000),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({ p256dh: base64url(65), auth: base64url(16) }).strict(),
  })
  .strict();
export type PushSubscriptionJson = z.infer<typeof PushSubscriptionSchema>;

/** What the service worker receives (src/web/public/sw.js). */
export interface PushPayload {
  title: string;
  body: string;
  url: string;
  suggestionId: string;
  deliveryId: string;
}

// Push services accept 4096 bytes of encrypted record; aes128gcm adds 86 bytes of header, a
// 16-byte tag and a padding delimiter. Stay well under that.
export const PUSH_PAYLOAD_MAX_BYTES = 3000;
const TITLE_MAX = 120;
/** A suggestion is worth showing for a day; after that the dashboard has it anyway. */
export const PUSH_TTL_S = 24 * 3600;

export function pushPayload(n: Notification): string {
  const payload: PushPayload = {
    title: truncate(n.title.replace(/\s+/g, ' ').trim() || 'New suggestion', TITLE_MAX),
    body: n.body.trim(),
    url: n.links.open,
    suggestionId: n.suggestionId,
    deliveryId: n.deliveryId,
  };
  let json = JSON.stringify(payload);
  // Shorten the body (by code point, so never mid-character) until the JSON fits.
  let keep = [...payload.body].length;
  while (Buffer.byteLength(json) > PUSH_PAYLOAD_MAX_BYTES && keep > 0) {
    keep = Math.max(0, keep - Math.max(16, Math.ceil((Buffer.byteLength(json) - PUSH_PAYLOAD_MAX_BYTES) / 2)));
    json = JSON.stringify({ ...payload, body: truncate(payload.body, Math.max(1, keep)) });
  }
  return json;
}

export interface PushChannelOptions {
  keys: VapidKeys;
  subject: string;
  allowPrivateUrls: boolean;
  timeoutMs?: number;
}

export class PushChannel implements NotificationChannel<PushSubscriptionJson> {
  readonly kind = 'push';
  constructor(private readonly opts: PushChannelOptions) {}

  async send(n: Notification, subscription: PushSubscriptionJson): Promise<void> {
    let request: ReturnType<typeof webpush.generateRequestDetails>;
    try {
      request = webpush.generateRequestDetails(subscription, pushPayload(n), {
        vapidDetails: { subject: this.opts.subject, ...this.opts.keys },
        TTL: PUSH_TTL_S,
        urgency: 'normal',
        // The same on every retry: a push service replaces an undelivered copy instead of adding one.
        topic: n.deliveryId.replace(/-/g, '').slice(0, 32),
      });
    } catch (err) {
      throw new DeliveryError(`invalid push subscription: ${err instanceof Error ? err.message : String(err)}`, {
        permanent: true,
        cause: err,
      });
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    try {
      await postToUserUrl(request.endpoint, request.body ?? new Uint8Array(), headers, {
        allowPrivate: this.opts.allowPrivateUrls,
        timeoutMs: this.opts.timeoutMs,
      });
    } catch (err) {
      // 404/410: the browser unsubscribed or the subscription expired (RFC 8030 section 7.3).
      if (err instanceof DeliveryError && (err.status === 404 || err.status === 410))
        throw new DeliveryError(`push subscription expired (${err.message}): removed`, {
          targetGone: true,
          status: err.status,
          cause: err,
        });
      throw err;
    }
  }
}

export const pushChannel = defineChannel({
  kind: 'push',
  label: 'Browser push',
  settings: z.object({ subscription: PushSubscriptionSchema }),
  example: {
    subscription: {
      endpoint: 'https://push.example.com/send/abcdef123456',
      expirationTime: null,
      keys: {
        p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
        auth: 'tBHItJI5svbpez7KI4CCXg',
      },
    },
  },
  fields: {
    subscription: {
      label: 'This browser',
      input: 'browser',
      client: 'push',
      note: 'Needs the dashboard on HTTPS (or localhost) and permission to show notifications',
      outboundUrl: (value) => (value as { endpoint?: unknown }).endpoint as string | undefined,
      // The endpoint is a capability: anyone holding it (and the keys) can push to the browser.
      secret: { credentialKey: 'pushSubscription', shown: { as: 'flag', flag: 'subscribed' } },
    },
  },
  target: (s): PushSubscriptionJson => s.subscription,
  createSender: ({ config, secrets }) =>
    new PushChannel({
      keys: vapidKeys(config, secrets),
      subject: vapidSubject(config),
      allowPrivateUrls: config.allowPrivateUrls,
    }),
  clientOptions: ({ config, secrets }) => ({ applicationServerKey: vapidKeys(config, secrets).publicKey }),
});
