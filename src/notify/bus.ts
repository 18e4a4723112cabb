import { randomUUID } from 'node:crypto';
import type { Database, Unlisten } from '../db/database.js';

/**
 * The live-update bus behind GET /api/stream.
 *
 * publish() stores the message in stream_messages (its bigserial id is the SSE id, so a client
 * can resume with Last-Event-ID), hands it to this process' subscribers at once, and NOTIFYs
 * 'lookout_stream' so the other processes on the same PostgreSQL hand it to theirs. A NOTIFY
 * payload is limited to 8000 bytes: a message too large to travel inline is fetched by id.
 */

export const STREAM_CHANNEL = 'lookout_stream';
export const STREAM_TYPES = ['event', 'suggestion', 'notification'] as const;
export type StreamMessageType = (typeof STREAM_TYPES)[number];
export type JsonObject = { [key: string]: unknown };

/** What a publisher says: the kind of message, the id of the thing it is about, a small summary. */
export interface StreamInput {
  type: StreamMessageType;
  /** Id of the event or suggestion: a client fetches the full item by it when it needs more. */
  id: string;
  data?: JsonObject;
}

/** A stored message, as subscribers and the SSE stream see it. */
export interface StreamMessage {
  /** Monotonic per database (bigserial, as a string): the SSE `id:` and the resume point. */
  streamId: string;
  userId: string;
  type: StreamMessageType;
  id: string;
  data: JsonObject;
  createdAt: string;
}

export type StreamHandler = (message: StreamMessage) => void;

export interface Logger {
  warn(obj: object, msg?: string): void;
}

export interface StreamBusOptions {
  /** How long messages stay replayable. Default 24 h. */
  retentionMs?: number;
  /** How often this process prunes older rows (0: never). Default 1 h. */
  pruneIntervalMs?: number;
  logger?: Logger;
}

const NOTIFY_LIMIT = 7900; // PostgreSQL's limit is 8000 bytes; keep a margin.

/** The NOTIFY payload: short keys, since every byte counts against the limit. */
interface Wire {
  o: string; // origin bus: a process ignores its own echoes
  s: string;
  u: string;
  t: StreamMessageType;
  i: string;
  c: string;
  d?: JsonObject; // absent: too large to travel inline, read the row
}

interface Row {
  id: string;
  user_id: string;
  type: StreamMessageType;
  entity_id: string;
  data: JsonObject;
  created_at: Date;
}

const toMessage = (r: Row): StreamMessage => ({
  streamId: String(r.id),
  userId: r.user_id,
  type: r.type,
  id: r.entity_id,
  data: r.data,
  createdAt: r.created_at.toISOString(),
});

export class StreamBus {
  readonly #db: Database;
  readonly #origin = randomUUID();
  readonly #subscribers = new Map<string, Set<StreamHandler>>();
  readonly #retentionMs: number;
  readonly #pruneIntervalMs: number;
  readonly #logger?: Logger;
  #unlisten?: Unlisten;
  #pruneTimer?: NodeJS.Timeout;
  // Remote messages are handled one after another, so a fetched (large) one keeps its place.
  #remoteQueue: Promise<void> = Promise.resolve();

  constructor(db: Database, opts: StreamBusOptions = {}) {
    this.#db = db;
    this.#retentionMs = opts.retentionMs ?? 24 * 3600_000;
    this.#pruneIntervalMs = opts.pruneIntervalMs ?? 3600_000;
    this.#logger = opts.logger;
  }

  /** Starts receiving other processes' messages and pruning old rows. */
  async start(): Promise<void> {
    if (this.#unlisten) return;
    this.#unlisten = await this.#db.listen(STREAM_CHANNEL, (payload) => this.#onNotify(payload));
    if (this.#pruneIntervalMs > 0) {
      this.#pruneTimer = setInterval(() => {
        this.prune().catch((err: unknown) => this.#logger?.warn({ err }, 'stream prune failed'));
      }, this.#pruneIntervalMs);
      this.#pruneTimer.unref();
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#pruneTimer);
    this.#pruneTimer = undefined;
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
    await this.#remoteQueue;
  }

  /** Stores, delivers locally, and announces to other processes. Call after the data is committed. */
  async publish(userId: string, input: StreamInput): Promise<StreamMessage> {
    const [message] = await this.publishMany([{ userId, input }]);
    return message!;
  }

  /**
   * publish() for many messages in two round trips (one INSERT, one batch of NOTIFYs) however
   * many there are: ingest and the worker publish per batch, not per event.
   */
  async publishMany(items: ReadonlyArray<{ userId: string; input: StreamInput }>): Promise<StreamMessage[]> {
    if (items.length === 0) return [];
    const { rows } = await this.#db.query<Row>(
      `insert into stream_messages (user_id, type, entity_id, data)
       select u, t, e, d::jsonb from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) with ordinality
         as x(u, t, e, d, ord)
       order by ord
       returning id, user_id, type, entity_id, data, created_at`,
      [
        items.map((i) => i.userId),
        items.map((i) => i.input.type),
        items.map((i) => i.input.id),
        items.map((i) => JSON.stringify(i.input.data ?? {})),
      ],
    );
    const messages = rows.map(toMessage);
    await this.announce(messages);
    return messages;
  }

  /**
   * Hands messages already stored in stream_messages (by publishMany, or by a statement that
   * wrote them together with the data they announce) to this process' subscribers and, in one
   * round of NOTIFYs, to the other processes'.
   */
  async announce(stored: StreamMessage[]): Promise<void> {
    if (stored.length === 0) return;
    const messages = [...stored].sort((a, b) => (BigInt(a.streamId) < BigInt(b.streamId) ? -1 : 1));
    for (const message of messages) this.#deliver(message);
    const payloads = messages.map((message) => {
      const wire: Wire = {
        o: this.#origin,
        s: message.streamId,
        u: message.userId,
        t: message.type,
        i: message.id,
        c: message.createdAt,
        d: message.data,
      };
      let payload = JSON.stringify(wire);
      if (Buffer.byteLength(payload) > NOTIFY_LIMIT) {
        delete wire.d;
        payload = JSON.stringify(wire);
      }
      return payload;
    });
    try {
      await this.#db.query('select pg_notify($1, p) from unnest($2::text[]) as p', [STREAM_CHANNEL, payloads]);
    } catch (err) {
      // Stored already: other processes' clients get it when they resume.
      this.#logger?.warn({ err, count: messages.length }, 'stream notify failed');
    }
  }

  /** Calls handler with every message for this user from now on; returns the unsubscribe. */
  subscribe(userId: string, handler: StreamHandler): () => void {
    let set = this.#subscribers.get(userId);
    if (!set) {
      set = new Set();
      this.#subscribers.set(userId, set);
    }
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.#subscribers.get(userId) === set) this.#subscribers.delete(userId);
    };
  }

  subscriberCount(userId?: string): number {
    if (userId !== undefined) return this.#subscribers.get(userId)?.size ?? 0;
    let n = 0;
    for (const set of this.#subscribers.values()) n += set.size;
    return n;
  }

  /** The user's stored messages after a stream id, oldest first (Last-Event-ID resume). */
  async replay(userId: string, afterStreamId: string, limit = 1000): Promise<StreamMessage[]> {
    const { rows } = await this.#db.query<Row>(
      `select id, user_id, type, entity_id, data, created_at from stream_messages
       where user_id = $1 and id > $2::bigint order by id limit $3`,
      [userId, afterStreamId, limit],
    );
    return rows.map(toMessage);
  }

  /**
   * True when messages after this stream id may have been pruned already: the client missed more
   * than a replay can give and should reload its lists.
   */
  async mayHavePruned(afterStreamId: string): Promise<boolean> {
    const { rows } = await this.#db.query<{ oldest: string | null }>(
      'select min(id)::text as oldest from stream_messages',
    );
    const oldest = rows[0]?.oldest;
    // An empty table after a non-zero id means everything was pruned (or the id is from elsewhere).
    if (oldest === null || oldest === undefined) return BigInt(afterStreamId) > 0n;
    return BigInt(oldest) > BigInt(afterStreamId) + 1n;
  }

  /** Deletes messages older than the retention; returns how many. */
  async prune(now: Date = new Date()): Promise<number> {
    const { rowCount } = await this.#db.query(`delete from stream_messages where created_at < $1`, [
      new Date(now.getTime() - this.#retentionMs),
    ]);
    return rowCount;
  }

  #deliver(message: StreamMessage): void {
    const set = this.#subscribers.get(message.userId);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        handler(message);
      } catch (err) {
        this.#logger?.warn({ err }, 'stream subscriber threw');
      }
    }
  }

  #onNotify(payload: string): void {
    let wire: Wire;
    try {
      wire = JSON.parse(payload) as Wire;
    } catch {
      return;
    }
    if (wire.o === this.#origin || !this.#subscribers.has(wire.u)) return;
    this.#remoteQueue = this.#remoteQueue.then(async () => {
      try {
        if (wire.d) {
          this.#deliver({
            streamId: wire.s,
            userId: wire.u,
            type: wire.t,
            id: wire.i,
            data: wire.d,
            createdAt: wire.c,
          });
          return;
        }
        const { rows } = await this.#db.query<Row>(
          'select id, user_id, type, entity_id, data, created_at from stream_messages where id = $1::bigint',
          [wire.s],
        );
        if (rows[0]) this.#deliver(toMessage(rows[0]));
      } catch (err) {
        this.#logger?.warn({ err, streamId: wire.s }, 'stream message fetch failed');
      }
    });
  }
}
