// The live feed. EventSource cannot send an Authorization header, so the stream is read with
// fetch() and parsed here; the key stays in a header, never in a URL. On a dropped connection it
// reconnects with Last-Event-ID (so nothing is missed) after a growing, jittered delay, and while
// the stream is down it polls the lists instead.

/** Parses an SSE byte stream into {id, event, data} messages (the WHATWG event-stream format). */
export class SseParser {
  constructor(onMessage, onRetry = () => {}) {
    this.onMessage = onMessage;
    this.onRetry = onRetry;
    this.decoder = new TextDecoder();
    this.buffer = '';
    this.reset();
  }

  reset() {
    this.event = '';
    this.data = [];
    this.id = undefined;
  }

  push(chunk) {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    for (let nl = this.buffer.search(/\r\n|\r|\n/); nl !== -1; nl = this.buffer.search(/\r\n|\r|\n/)) {
      const line = this.buffer.slice(0, nl);
      const sepLength = this.buffer.startsWith('\r\n', nl) ? 2 : 1;
      // A lone \r at the very end might be the first half of \r\n: wait for more.
      if (this.buffer[nl] === '\r' && sepLength === 1 && nl === this.buffer.length - 1) break;
      this.buffer = this.buffer.slice(nl + sepLength);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length > 0 || this.event) {
        this.onMessage({ id: this.id, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) return; // comment: heartbeat
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) this.onRetry(Number(value));
  }
}

const MAX_BACKOFF_MS = 30_000;
/** No byte for this long (the server sends a heartbeat every 15 s): the connection is dead. */
const IDLE_TIMEOUT_MS = 45_000;

/**
 * LiveFeed: connects, dispatches messages and falls back to polling.
 *   onMessage({type, id, data, streamId}) for event, suggestion and notification messages
 *   onReset() when the server says the replay is incomplete: reload the lists
 *   onStatus('connecting' | 'live' | 'polling' | 'offline')
 *   poll() refreshes the lists (the fallback); onUnauthorized() when the key is refused
 */
export class LiveFeed {
  constructor({ url = '/api/stream', getKey, onMessage, onReset, onStatus, poll, onUnauthorized, pollMs = 3000 }) {
    Object.assign(this, { url, getKey, onMessage, onReset, onStatus, poll, onUnauthorized, pollMs });
    this.lastEventId = undefined;
    this.failures = 0;
    this.retryMs = 1000;
    this.stopped = true;
    this.status = undefined;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
    clearTimeout(this.reconnectTimer);
    this.stopPolling();
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    this.onStatus?.(status);
  }

  async connect() {
    if (this.stopped) return;
    this.setStatus(this.failures === 0 ? 'connecting' : this.status);
    const controller = new AbortController();
    this.controller = controller;
    let idleTimer;
    const touch = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
    };
    let delivered = false;
    try {
      const headers = { accept: 'text/event-stream', authorization: `Bearer ${this.getKey()}` };
      if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
      touch();
      const res = await fetch(this.url, { headers, signal: controller.signal, cache: 'no-store' });
      if (res.status === 401) {
        this.stop();
        this.onUnauthorized?.();
        return;
      }
      const type = res.headers.get('content-type') ?? '';
      if (!res.ok || !res.body || !type.startsWith('text/event-stream'))
        throw new Error(`stream answered ${res.status}`);
      this.failures = 0;
      this.stopPolling();
      this.setStatus('live');
      // Whatever happened while we were away that a replay cannot carry: catch up once.
      if (this.hadStream) this.poll?.();
      this.hadStream = true;
      const parser = new SseParser(
        (m) => {
          delivered = true;
          this.dispatch(m);
        },
        (ms) => {
          this.retryMs = ms;
        },
      );
      const reader = res.body.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        touch();
        parser.push(value);
      }
    } catch {
      // fall through to reconnect
    } finally {
      clearTimeout(idleTimer);
    }
    if (this.stopped) return;
    this.failures = delivered ? 1 : this.failures + 1;
    this.setStatus('polling');
    this.startPolling();
    const backoff = Math.min(MAX_BACKOFF_MS, this.retryMs * 2 ** (this.failures - 1));
    const delay = backoff / 2 + Math.random() * (backoff / 2);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  dispatch(m) {
    if (m.id) this.lastEventId = m.id;
    if (m.event === 'reset') {
      this.onReset?.();
      return;
    }
    if (m.event !== 'event' && m.event !== 'suggestion' && m.event !== 'notification') return;
    let payload;
    try {
      payload = JSON.parse(m.data);
    } catch {
      return;
    }
    this.onMessage?.({
      type: m.event,
      id: payload.id,
      data: payload.data ?? {},
      createdAt: payload.createdAt,
      streamId: m.id,
    });
  }

  startPolling() {
    if (this.pollTimer || !this.poll) return;
    const tick = async () => {
      try {
        await this.poll();
        if (this.status === 'offline') this.setStatus('polling');
      } catch (err) {
        if (err?.status === 401) {
          this.stop();
          this.onUnauthorized?.();
          return;
        }
        this.setStatus('offline');
      }
      if (this.pollTimer) this.pollTimer = setTimeout(tick, this.pollMs);
    };
    this.pollTimer = setTimeout(tick, 0);
  }

  stopPolling() {
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
  }
}
