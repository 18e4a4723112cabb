/** The outbound channels a suggestion can be sent through, besides the live stream. */

export const CHANNEL_KINDS = ['slack', 'email', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface SlackTarget {
  /** https://hooks.slack.com/services/... (an incoming webhook) */
  webhookUrl: string;
}
export interface EmailTarget {
  to: string;
}
export interface WebhookTarget {
  url: string;
  /** Standard Webhooks secret: `whsec_` + base64. */
  secret: string;
}
export interface ChannelTargets {
  slack: SlackTarget;
  email: EmailTarget;
  webhook: WebhookTarget;
}

/** What every channel renders: one suggestion, with the links that act on it. */
export interface Notification {
  /** The delivery's id: stable across retries, so receivers can drop duplicates. */
  deliveryId: string;
  userId: string;
  suggestionId: string;
  eventId: string;
  eventType: string;
  title: string;
  body: string;
  createdAt: Date;
  links: {
    /** The suggestion in the dashboard. */
    open: string;
    /** Signed, expiring links that act without a bearer token (see actionLinks.ts). */
    accept: string;
    dismiss: string;
  };
}

export interface NotificationChannel<K extends ChannelKind = ChannelKind> {
  readonly kind: K;
  /** Resolves when the receiver accepted the message; throws a DeliveryError otherwise. */
  send(notification: Notification, target: ChannelTargets[K]): Promise<void>;
}

export type Channels = { [K in ChannelKind]?: NotificationChannel<K> };

/** A failed send. `permanent` means retrying cannot help (410 Gone, a refused URL, a bad address). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly permanent: boolean;
  /** The receiver asked to wait this long (Retry-After). */
  readonly retryAfterMs?: number;
  constructor(message: string, opts: { permanent?: boolean; retryAfterMs?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.permanent = opts.permanent ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}
