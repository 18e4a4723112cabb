/**
 * What every outbound channel shares: the notification it renders, the sender interface and its
 * error. A leaf module: the channels import it; the list of channels is registry.ts.
 */

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

/** A sender for one channel; T is its send target (a URL, an address, a browser subscription). */
export interface NotificationChannel<T = unknown> {
  readonly kind: string;
  /** Resolves when the receiver accepted the message; throws a DeliveryError otherwise. */
  send(notification: Notification, target: T): Promise<void>;
  /** Releases what the sender holds open (an SMTP pool). */
  close?(): void;
}

/** A failed send. `permanent` means retrying cannot help (410 Gone, a refused URL, a bad address). */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly permanent: boolean;
  /** The receiver asked to wait this long (Retry-After). */
  readonly retryAfterMs?: number;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  /**
   * The target no longer exists (an expired push subscription): the delivery worker switches the
   * channel off for the user, so nothing more is queued for it. Implies permanent.
   */
  readonly targetGone: boolean;
  constructor(
    message: string,
    opts: { permanent?: boolean; retryAfterMs?: number; status?: number; targetGone?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: opts.cause });
    this.targetGone = opts.targetGone ?? false;
    this.permanent = this.targetGone || (opts.permanent ?? false);
    this.retryAfterMs = opts.retryAfterMs;
    this.status = opts.status;
  }
}
