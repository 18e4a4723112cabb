import { randomUUID } from 'node:crypto';
import type { Database, Queryable, Unlisten } from '../db/database.js';
import { type ActionLinkKey, signActionLink } from './actionLinks.js';
import {
  CHANNEL_KINDS,
  type ChannelKind,
  type Channels,
  type ChannelTargets,
  DeliveryError,
  type Notification,
  type NotificationChannel,
} from './channels/types.js';
import { type NotificationPreferences, parseNotificationPreferences } from './preferences.js';
import { quietHoursEnd } from './quietHours.js';

/**
 * Outbound notifications as a durable queue (notification_deliveries): the pipeline enqueues in
 * the transaction that creates the suggestion, a DeliveryWorker sends. Workers claim due rows with
 * FOR UPDATE SKIP LOCKED and a lease, so any number of them share the work, and a crashed one's
 * rows are taken over when the lease expires. The send itself runs outside any transaction.
 */

export const DELIVERY_WAKE_CHANNEL = 'lookout_deliveries';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'dead';

export interface EnqueueInput {
  userId: string;
  suggestionId: string;
  /** Restrict to these channels; default: every channel the user has configured. */
  channels?: readonly ChannelKind[];
  now?: Date;
}

export interface EnqueueResult {
  deliveryIds: string[];
  /** Set when the user's quiet hours hold the deliveries back. */
  deferredUntil: Date | null;
}

/**
 * Call inside the pipeline's transaction: the deliveries commit with the suggestion or not at all.
 * Idempotent per (suggestion, channel).
 */
export async function enqueueNotifications(tx: Queryable, input: EnqueueInput): Promise<EnqueueResult> {
  const now = input.now ?? new Date();
  const { rows } = await tx.query<{ preferences: unknown }>('select preferences from users where id = $1', [
    input.userId,
  ]);
  if (!rows[0]) return { deliveryIds: [], deferredUntil: null };
  const prefs = parseNotificationPreferences(rows[0].preferences);
  const wanted = input.channels ?? CHANNEL_KINDS;
  const channels = wanted.filter((c) => prefs.channels[c] !== undefined);
  if (channels.length === 0) return { deliveryIds: [], deferredUntil: null };
  const deferredUntil = quietHoursEnd(prefs.quietHours, now);
  const inserted = await tx.query<{ id: string }>(
    `insert into notification_deliveries (user_id, suggestion_id, channel, next_attempt_at)
     select $1, $2, c, $4 from unnest($3::text[]) as c
     on conflict (suggestion_id, channel) do nothing
     returning id`,
    [input.userId, input.suggestionId, channels, deferredUntil ?? now],
  );
  // Delivered with the commit: an idle worker wakes at once instead of at its next poll.
  if (inserted.rows.length > 0 && !deferredUntil) await tx.query(`select pg_notify($1, '')`, [DELIVERY_WAKE_CHANNEL]);
  return { deliveryIds: inserted.rows.map((r) => r.id), deferredUntil };
}

/** Finds the target of a channel for a user: override to decrypt secrets kept sealed in preferences. */
export type TargetResolver = <K extends ChannelKind>(
  userId: string,
  channel: K,
  preferences: NotificationPreferences,
  rawPreferences: unknown,
) => Promise<ChannelTargets[K] | undefined> | ChannelTargets[K] | undefined;

export const preferencesTargetResolver: TargetResolver = (_userId, channel, prefs) => prefs.channels[channel];

export interface DeliveryLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface DeliveryWorkerOptions {
  db: Database;
  channels: Channels;
  /** Base of the links in messages (Config.publicUrl). */
  publicUrl: string;
  actionLinks: ActionLinkKey;
  /** The suggestion in the dashboard. Default `${publicUrl}/?suggestion=ID`. */
  suggestionUrl?: (suggestionId: string) => string;
  resolveTarget?: TargetResolver;
  /** Attempts before a delivery is dead. Default 8 (about 2 h of retries with the defaults). */
  maxAttempts?: number;
  /** First retry delay; doubles each attempt, with jitter. Default 30 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long a claimed delivery is reserved for this worker. Default 2 min. */
  leaseMs?: number;
  batchSize?: number;
  /** Polling for retries that come due. Default 5 s. */
  pollIntervalMs?: number;
  workerId?: string;
  clock?: () => Date;
  random?: () => number;
  logger?: DeliveryLogger;
  /** Called with every attempt's outcome (metrics). */
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

export interface DeliveryOutcome {
  id: string;
  channel: ChannelKind;
  status: DeliveryStatus | 'deferred';
  attempts: number;
  error?: string;
}

interface Claimed {
  id: string;
  user_id: string;
  suggestion_id: string;
  channel: ChannelKind;
  attempts: number;
  event_id: string;
  event_type: string;
  title: string;
  body: string;
  created_at: Date;
  preferences: unknown;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const delay = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(delay / 2 + (random() * delay) / 2);
}

export class DeliveryWorker {
  readonly #o: Required<Omit<DeliveryWorkerOptions, 'logger' | 'onOutcome'>> &
    Pick<DeliveryWorkerOptions, 'logger' | 'onOutcome'>;
  #timer?: NodeJS.Timeout;
  #unlisten?: Unlisten;
  #running?: Promise<void>;
  #again = false;
  #stopped = true;

  constructor(opts: DeliveryWorkerOptions) {
    this.#o = {
      resolveTarget: preferencesTargetResolver,
      maxAttempts: 8,
      baseDelayMs: 30_000,
      maxDelayMs: 6 * 3600_000,
      leaseMs: 120_000,
      batchSize: 20,
      pollIntervalMs: 5_000,
      workerId: `delivery-${randomUUID().slice(0, 8)}`,
      suggestionUrl: (id: string) => `${opts.publicUrl.replace(/\/$/, '')}/?suggestion=${encodeURIComponent(id)}`,
      clock: () => new Date(),
      random: Math.random,
      ...opts,
    };
  }

  /** Sends due deliveries until stopped: woken by enqueues (NOTIFY) and by a poll for retries. */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unlisten = await this.#o.db.listen(DELIVERY_WAKE_CHANNEL, () => this.wake());
    this.#timer = setInterval(() => this.wake(), this.#o.pollIntervalMs);
    this.#timer.unref();
    this.wake();
  }

  /** Stops polling and waits for the sends in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#unlisten?.();
    this.#unlisten = undefined;
    await this.#running;
  }

  /** Runs a drain now (or right after the current one). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        try {
          while (!this.#stopped && (await this.runOnce()).length === this.#o.batchSize);
        } catch (err) {
          this.#o.logger?.warn({ err }, 'delivery worker run failed');
        }
      } while (this.#again && !this.#stopped);
    })().finally(() => {
      this.#running = undefined;
    });
  }

  /** Claims one batch of due deliveries and sends them; returns what happened to each. */
  async runOnce(): Promise<DeliveryOutcome[]> {
    const now = this.#o.clock();
    const claimed = await this.#claim(now);
    const outcomes = await Promise.all(claimed.map((d) => this.#deliver(d)));
    for (const o of outcomes) this.#o.onOutcome?.(o);
    return outcomes;
  }

  async #claim(now: Date): Promise<Claimed[]> {
    const { rows } = await this.#o.db.query<Claimed>(
      `with due as (
         select id from notification_deliveries
         where status in ('pending', 'failed') and next_attempt_at <= $1
           and (locked_until is null or locked_until < $1)
         order by next_attempt_at
         limit $2
         for update skip locked
       ), claimed as (
         update notification_deliveries d set locked_by = $3, locked_until = $4, updated_at = $1
         from due where d.id = due.id
         returning d.id, d.user_id, d.suggestion_id, d.channel, d.attempts
       )
       select c.id, c.user_id, c.suggestion_id, c.channel, c.attempts,
              s.event_id, s.event_type, s.title, s.body, s.created_at, u.preferences
       from claimed c
       join suggestions s on s.id = c.suggestion_id
       join users u on u.id = c.user_id`,
      [now, this.#o.batchSize, this.#o.workerId, new Date(now.getTime() + this.#o.leaseMs)],
    );
    return rows;
  }

  async #deliver(d: Claimed): Promise<DeliveryOutcome> {
    const now = this.#o.clock();
    const prefs = parseNotificationPreferences(d.preferences);
    // Quiet hours may have begun since the enqueue, or a retry may land in them.
    const quietUntil = quietHoursEnd(prefs.quietHours, now);
    if (quietUntil) {
      await this.#release(d.id, quietUntil);
      return { id: d.id, channel: d.channel, status: 'deferred', attempts: d.attempts };
    }
    const channel = this.#o.channels[d.channel] as NotificationChannel<typeof d.channel> | undefined;
    let target: ChannelTargets[typeof d.channel] | undefined;
    try {
      target = await this.#o.resolveTarget(d.user_id, d.channel, prefs, d.preferences);
    } catch (err) {
      return this.#recordFailure(
        d,
        new DeliveryError(`cannot read channel settings: ${String(err)}`, { cause: err }),
        now,
      );
    }
    if (!channel)
      return this.#recordFailure(
        d,
        new DeliveryError(`${d.channel} is not enabled on this server`, { permanent: true }),
        now,
      );
    if (!target)
      return this.#recordFailure(
        d,
        new DeliveryError(`${d.channel} is no longer configured for this user`, { permanent: true }),
        now,
      );

    try {
      await channel.send(this.#notification(d, now), target);
    } catch (err) {
      const failure =
        err instanceof DeliveryError
          ? err
          : new DeliveryError(err instanceof Error ? err.message : String(err), { cause: err });
      return this.#recordFailure(d, failure, now);
    }
    const done = this.#o.clock();
    await this.#o.db.query(
      `update notification_deliveries set status = 'delivered', attempts = attempts + 1, delivered_at = $2, updated_at = $2,
         last_error = null, locked_by = null, locked_until = null
       where id = $1 and locked_by = $3`,
      [d.id, done, this.#o.workerId],
    );
    this.#o.logger?.info({ deliveryId: d.id, channel: d.channel, attempts: d.attempts + 1 }, 'notification delivered');
    return { id: d.id, channel: d.channel, status: 'delivered', attempts: d.attempts + 1 };
  }

  async #recordFailure(d: Claimed, err: DeliveryError, now: Date): Promise<DeliveryOutcome> {
    const attempts = d.attempts + 1;
    const dead = err.permanent || attempts >= this.#o.maxAttempts;
    const delay = Math.max(
      backoffMs(attempts, this.#o.baseDelayMs, this.#o.maxDelayMs, this.#o.random),
      err.retryAfterMs ?? 0,
    );
    const status: DeliveryStatus = dead ? 'dead' : 'failed';
    const message = err.message.slice(0, 1000);
    await this.#o.db.query(
      `update notification_deliveries set status = $2, attempts = $3, last_error = $4, next_attempt_at = $5, updated_at = $6,
         locked_by = null, locked_until = null
       where id = $1 and locked_by = $7`,
      [d.id, status, attempts, message, dead ? now : new Date(now.getTime() + delay), now, this.#o.workerId],
    );
    this.#o.logger?.warn(
      { deliveryId: d.id, channel: d.channel, attempts, status, error: message },
      'notification delivery failed',
    );
    return { id: d.id, channel: d.channel, status, attempts, error: message };
  }

  async #release(id: string, at: Date): Promise<void> {
    await this.#o.db.query(
      `update notification_deliveries set next_attempt_at = $2, locked_by = null, locked_until = null where id = $1 and locked_by = $3`,
      [id, at, this.#o.workerId],
    );
  }

  #notification(d: Claimed, now: Date): Notification {
    const link = (action: 'accept' | 'dismiss') =>
      signActionLink(this.#o.actionLinks, {
        publicUrl: this.#o.publicUrl,
        suggestionId: d.suggestion_id,
        userId: d.user_id,
        action,
        now,
      });
    return {
      deliveryId: d.id,
      userId: d.user_id,
      suggestionId: d.suggestion_id,
      eventId: d.event_id,
      eventType: d.event_type,
      title: d.title,
      body: d.body,
      createdAt: d.created_at,
      links: {
        open: this.#o.suggestionUrl(d.suggestion_id),
        accept: link('accept'),
        dismiss: link('dismiss'),
      },
    };
  }
}
