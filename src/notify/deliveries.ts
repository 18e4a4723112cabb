import { randomUUID } from 'node:crypto';
import type { Database, Queryable, Unlisten } from '../db/database.js';
import { DELIVERY_QUEUE } from '../db/leasedQueue.js';
import { backoffMs } from '../lib/backoff.js';
import { type ActionLinkKey, signActionLink } from './actionLinks.js';
import { CHANNEL_KINDS, CHANNELS, type ChannelKind, type Channels, type ChannelTargets } from './channels/registry.js';
import { DeliveryError, type Notification, type NotificationChannel } from './channels/types.js';
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

/** The default: settings written inline in the preferences (secrets included), as tests and scripts do. */
export const preferencesTargetResolver: TargetResolver = <K extends ChannelKind>(
  _userId: string,
  channel: K,
  prefs: NotificationPreferences,
) => CHANNELS.targetOf(channel, prefs.channels[channel]) as ChannelTargets[K] | undefined;

/**
 * Switches a channel off for a user whose target is gone (an expired push subscription), unless
 * users.channel_credentials changed since `credentials` was read with the claim (a subscription
 * saved meanwhile is a new target). Resolves true when it switched it off.
 */
export type TargetGoneHandler = (userId: string, channel: ChannelKind, credentials: string | null) => Promise<boolean>;

/**
 * The default: removes the channel from the preferences. Sealed secrets cannot be edited here;
 * they are dropped at the next save (a switched-off channel keeps none). The server passes a
 * handler that removes them too (switchOffGoneChannel in src/api/preferenceRoutes.ts).
 */
export function preferencesTargetGone(db: Queryable): TargetGoneHandler {
  return async (userId, channel, credentials) => {
    const { rowCount } = await db.query(
      `update users set preferences = jsonb_set(preferences, '{channels}', (preferences -> 'channels') - $2::text)
       where id = $1 and preferences ? 'channels' and channel_credentials is not distinct from $3`,
      [userId, channel, credentials],
    );
    return rowCount > 0;
  };
}

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
  onTargetGone?: TargetGoneHandler;
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
  channel_credentials: string | null;
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
      onTargetGone: preferencesTargetGone(opts.db),
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
    return DELIVERY_QUEUE.claim<Claimed>(this.#o.db, {
      limit: this.#o.batchSize,
      workerId: this.#o.workerId,
      leaseMs: this.#o.leaseMs,
      now,
      returning: 'q.id, q.user_id, q.suggestion_id, q.channel, q.attempts',
      // What a message needs, read with the claim.
      select: `select c.id, c.user_id, c.suggestion_id, c.channel, c.attempts,
                      s.event_id, s.event_type, s.title, s.body, s.created_at, u.preferences,
                      u.channel_credentials
               from claimed c
               join suggestions s on s.id = c.suggestion_id
               join users u on u.id = c.user_id`,
    });
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
    const channel = this.#o.channels[d.channel] as NotificationChannel<ChannelTargets[typeof d.channel]> | undefined;
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
    await DELIVERY_QUEUE.complete(this.#o.db, {
      id: d.id,
      workerId: this.#o.workerId,
      status: 'delivered',
      set: 'attempts = attempts + 1, delivered_at = $4, updated_at = $4, locked_by = null',
      params: [done],
    });
    this.#o.logger?.info({ deliveryId: d.id, channel: d.channel, attempts: d.attempts + 1 }, 'notification delivered');
    return { id: d.id, channel: d.channel, status: 'delivered', attempts: d.attempts + 1 };
  }

  async #recordFailure(d: Claimed, err: DeliveryError, now: Date): Promise<DeliveryOutcome> {
    const attempts = d.attempts + 1;
    const message = err.message.slice(0, 1000);
    const outcome = await DELIVERY_QUEUE.fail(this.#o.db, {
      id: d.id,
      workerId: this.#o.workerId,
      attempts,
      maxAttempts: this.#o.maxAttempts,
      permanent: err.permanent,
      error: message,
      // The receiver may ask for longer (Retry-After).
      retryInMs: Math.max(
        backoffMs(attempts, this.#o.baseDelayMs, this.#o.maxDelayMs, this.#o.random),
        err.retryAfterMs ?? 0,
      ),
      now,
      set: 'updated_at = $5',
    });
    const status: DeliveryStatus = outcome === 'dead' ? 'dead' : 'failed';
    if (err.targetGone) await this.#switchOff(d);
    this.#o.logger?.warn(
      { deliveryId: d.id, channel: d.channel, attempts, status, error: message },
      'notification delivery failed',
    );
    return { id: d.id, channel: d.channel, status, attempts, error: message };
  }

  /** The target is gone: nothing more is queued for this channel (see TargetGoneHandler). */
  async #switchOff(d: Claimed): Promise<void> {
    try {
      if (await this.#o.onTargetGone(d.user_id, d.channel, d.channel_credentials))
        this.#o.logger?.info({ userId: d.user_id, channel: d.channel }, 'channel target gone: switched off');
    } catch (err) {
      // The delivery is recorded as dead either way; the next one finds the target gone again.
      this.#o.logger?.warn({ err, userId: d.user_id, channel: d.channel }, 'could not switch off a gone target');
    }
  }

  async #release(id: string, at: Date): Promise<void> {
    await DELIVERY_QUEUE.release(this.#o.db, { id, workerId: this.#o.workerId, at });
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
