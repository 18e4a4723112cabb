import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { StreamBus } from '../../src/notify/bus.js';
import { mountStream } from '../../src/notify/sse.js';
import { describeEachEngine } from '../helpers/engines.js';
import { createUser, waitFor } from './support.js';

interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
}

/** A minimal EventSource over node:http: records frames and comments. */
function connect(url: string, headers: Record<string, string> = {}) {
  const frames: SseFrame[] = [];
  const comments: string[] = [];
  let status = 0;
  let contentType = '';
  let buf = '';
  const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } });
  const ready = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type']);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const frame: SseFrame = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) frame.id = line.slice(4);
            else if (line.startsWith('event: ')) frame.event = line.slice(7);
            else if (line.startsWith('data: ')) frame.data = line.slice(6);
          }
          if (frame.data !== undefined) frames.push(frame);
        }
        resolve();
      });
      res.on('error', () => {});
      if (status !== 200) resolve();
    });
  });
  return {
    frames,
    comments,
    ready,
    get status() {
      return status;
    },
    get contentType() {
      return contentType;
    },
    close: () => req.destroy(),
  };
}

describeEachEngine('SSE stream', (fx) => {
  let app: FastifyInstance;
  let bus: StreamBus;
  let base: string;
  const keys = new Map<string, string>();

  before(async () => {
    bus = new StreamBus(fx.db, { pruneIntervalMs: 0 });
    await bus.start();
    app = Fastify();
    mountStream(app, {
      bus,
      heartbeatMs: 100,
      authenticate: (req) => {
        const auth = req.headers.authorization;
        return auth?.startsWith('Bearer ') ? keys.get(auth.slice(7)) : undefined;
      },
    });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app.close();
    await bus.stop();
  });

  it('refuses a request without a valid key', async () => {
    const client = connect(`${base}/api/stream`, { authorization: 'Bearer nope' });
    await client.ready;
    assert.equal(client.status, 401);
    client.close();
  });

  it(
    'streams messages live, sends heartbeats, and resumes with Last-Event-ID with exactly the ' + 'missed messages',
    async () => {
      const userId = await createUser(fx.db);
      const otherId = await createUser(fx.db);
      keys.set('key-a', userId);
      const auth = { authorization: 'Bearer key-a' };

      const first = connect(`${base}/api/stream`, auth);
      await first.ready;
      assert.equal(first.status, 200);
      assert.match(first.contentType, /^text\/event-stream/);
      await waitFor(() => (bus.subscriberCount(userId) === 1 ? true : undefined));

      await bus.publish(userId, { type: 'event', id: 'e1', data: { eventType: 'shopify.product.created' } });
      await bus.publish(otherId, { type: 'event', id: 'not-yours' });
      await bus.publish(userId, { type: 'suggestion', id: 's1', data: { title: 'Hook' } });
      await waitFor(() => (first.frames.length >= 2 ? true : undefined), 3000, 'live frames');
      await waitFor(() => (first.comments.includes('ping') ? true : undefined), 3000, 'heartbeat');
      assert.deepEqual(
        first.frames.map((f) => f.event),
        ['event', 'suggestion'],
      );
      assert.deepEqual(JSON.parse(first.frames[1]!.data!), {
        id: 's1',
        type: 'suggestion',
        data: { title: 'Hook' },
        createdAt: JSON.parse(first.frames[1]!.data!).createdAt,
      });
      const lastSeen = first.frames.at(-1)!.id!;

      first.close();
      await waitFor(() => (bus.subscriberCount(userId) === 0 ? true : undefined), 3000, 'server-side cleanup');

      // Published while the client is away.
      const missed = [
        await bus.publish(userId, { type: 'event', id: 'e2' }),
        await bus.publish(userId, { type: 'notification', id: 's2', data: { title: 'Restock' } }),
        await bus.publish(userId, { type: 'suggestion', id: 's2' }),
      ];

      const second = connect(`${base}/api/stream`, { ...auth, 'last-event-id': lastSeen });
      await waitFor(() => (second.frames.length >= 3 ? true : undefined), 3000, 'replayed frames');
      await waitFor(() => (bus.subscriberCount(userId) === 1 ? true : undefined));
      const live = await bus.publish(userId, { type: 'event', id: 'e3' });
      await waitFor(() => (second.frames.length >= 4 ? true : undefined), 3000, 'live frame after replay');
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(
        second.frames.map((f) => f.id),
        [...missed.map((m) => m.streamId), live.streamId],
      );
      assert.deepEqual(
        second.frames.map((f) => JSON.parse(f.data!).id),
        ['e2', 's2', 's2', 'e3'],
      );
      second.close();
    },
  );

  it('ends open streams when the server closes', async () => {
    const userId = await createUser(fx.db);
    keys.set('key-c', userId);
    const probe = Fastify();
    mountStream(probe, { bus, authenticate: () => userId });
    const url = await probe.listen({ port: 0, host: '127.0.0.1' });
    const client = connect(`${url}/api/stream`);
    await client.ready;
    await waitFor(() => (bus.subscriberCount(userId) === 1 ? true : undefined));
    await probe.close();
    assert.equal(bus.subscriberCount(userId), 0);
    client.close();
  });

  it('tells a client whose Last-Event-ID is past the retention to reload (reset), then streams on', async () => {
    const userId = await createUser(fx.db);
    keys.set('key-r', userId);
    const old = await bus.publish(userId, { type: 'event', id: 'old-1' });
    await bus.publish(userId, { type: 'event', id: 'old-2' });
    await new StreamBus(fx.db, { retentionMs: 0 }).prune(new Date(Date.now() + 1000));
    const kept = await bus.publish(userId, { type: 'event', id: 'new-1' });
    const client = connect(`${base}/api/stream`, { authorization: 'Bearer key-r', 'last-event-id': old.streamId });
    await waitFor(() => (client.frames.length >= 2 ? true : undefined), 3000, 'reset and replay');
    assert.deepEqual(
      client.frames.map((f) => [f.event, f.id]),
      [
        ['reset', undefined],
        ['event', kept.streamId],
      ],
    );
    client.close();
  });
});
