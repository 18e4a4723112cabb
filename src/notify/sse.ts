import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StreamBus, StreamMessage } from './bus.js';

/**
 * Server-Sent Events over the bus: `id:` is the message's stream id, `event:` its type and
 * `data:` one line of JSON `{id, type, data, createdAt}`. A client that reconnects with
 * Last-Event-ID (EventSource does so by itself) first gets what it missed, from the table; when
 * that is older than the retention, a `reset` event (data `{}`) comes first: reload the lists.
 */

export interface SseOptions {
  /** Comment line that keeps proxies from closing an idle stream. Default 15 s. */
  heartbeatMs?: number;
  /** Reconnection delay advised to EventSource. Default 2 s. */
  retryMs?: number;
  /** A client this far behind is disconnected; it resumes with Last-Event-ID. Default 1 MiB. */
  maxBufferedBytes?: number;
}

export interface StreamToClientOptions extends SseOptions {
  bus: StreamBus;
  userId: string;
  /** The Last-Event-ID header (or query); anything but digits is ignored. */
  lastEventId?: string;
}

const frames = new WeakMap<StreamMessage, string>();

/** One SSE frame per message, serialised once however many clients receive it. */
export function formatSse(message: StreamMessage): string {
  let frame = frames.get(message);
  if (frame === undefined) {
    const data = JSON.stringify({
      id: message.id,
      type: message.type,
      data: message.data,
      createdAt: message.createdAt,
    });
    frame = `id: ${message.streamId}\nevent: ${message.type}\ndata: ${data}\n\n`;
    frames.set(message, frame);
  }
  return frame;
}

const REPLAY_PAGE = 500;

/**
 * Streams the user's messages to a raw response until either side closes. Resolves once the
 * replay is written and live delivery runs; the returned function ends the stream.
 */
export async function streamToClient(
  req: IncomingMessage,
  res: ServerResponse,
  opts: StreamToClientOptions,
): Promise<() => void> {
  const maxBuffered = opts.maxBufferedBytes ?? 1024 * 1024;
  let closed = false;
  let buffer: StreamMessage[] | undefined = []; // live messages that arrive while replaying

  const write = (chunk: string) => {
    if (closed) return;
    res.write(chunk);
    // A client that does not read must not grow our memory: drop it, it will resume.
    if (res.writableLength > maxBuffered) end();
  };
  const unsubscribe = opts.bus.subscribe(opts.userId, (message) => {
    if (buffer) buffer.push(message);
    else write(formatSse(message));
  });
  const heartbeat = setInterval(() => write(': ping\n\n'), opts.heartbeatMs ?? 15_000);
  heartbeat.unref();

  function end(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
    if (!res.writableEnded) res.end();
    res.destroy();
  }
  req.on('close', end);
  res.on('close', end);
  res.on('error', end);

  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // nginx: do not buffer the stream
  });
  res.write(`retry: ${opts.retryMs ?? 2000}\n: connected\n\n`);

  try {
    const sent = new Set<string>();
    if (opts.lastEventId && /^\d{1,18}$/.test(opts.lastEventId)) {
      // Gone past the retention: say so, the dashboard reloads its lists instead of trusting the replay.
      if (await opts.bus.mayHavePruned(opts.lastEventId)) write('event: reset\ndata: {}\n\n');
      let after = opts.lastEventId;
      for (;;) {
        const page = await opts.bus.replay(opts.userId, after, REPLAY_PAGE);
        for (const m of page) {
          write(formatSse(m));
          sent.add(m.streamId);
        }
        if (page.length < REPLAY_PAGE || closed) break;
        after = page[page.length - 1]!.streamId;
      }
    }
    const pending = buffer;
    buffer = undefined;
    for (const m of pending) if (!sent.has(m.streamId)) write(formatSse(m));
  } catch {
    end();
  }
  return end;
}

export interface MountStreamOptions extends SseOptions {
  bus: StreamBus;
  /** Returns the user id of the request, or undefined to answer 401. */
  authenticate: (request: FastifyRequest) => Promise<string | undefined> | string | undefined;
  /** Default /api/stream. */
  path?: string;
}

/** Mounts GET {path} on a Fastify instance; open streams are ended when the instance closes. */
export function mountStream(app: FastifyInstance, opts: MountStreamOptions): void {
  const open = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  app.get(opts.path ?? '/api/stream', async (request: FastifyRequest, reply: FastifyReply) => {
    const userId = await opts.authenticate(request);
    if (!userId) {
      return reply.code(401).send({ error: { code: 'unauthorized', message: 'a valid API key is required' } });
    }
    // HEAD (which Fastify answers with this GET handler) gets the stream's headers, not a stream
    // that would hold the connection open with a response that can never end.
    if (request.method === 'HEAD')
      return reply.code(200).type('text/event-stream; charset=utf-8').header('cache-control', 'no-cache').send();
    const header = request.headers['last-event-id'];
    const query = (request.query ?? {}) as Record<string, unknown>;
    const lastEventId =
      typeof header === 'string' ? header : typeof query.lastEventId === 'string' ? query.lastEventId : undefined;
    reply.hijack();
    const end = await streamToClient(request.raw, reply.raw, { ...opts, userId, lastEventId });
    if (reply.raw.destroyed) return;
    open.add(end);
    reply.raw.on('close', () => open.delete(end));
  });
}
