import http from 'node:http';
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** Path and query exactly as sent (already percent-encoded). */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

export interface RawReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The response was an event stream, closed by us after its headers. */
  stream: boolean;
}

/**
 * One request with node:http, which (unlike fetch) sends any method token and any percent-encoded
 * path byte for byte. An event stream is closed once its headers arrive; no answer within
 * `timeoutMs` is an error (a hang is a failure, not a slow pass).
 */
export function sendRaw(base: URL, req: RawRequest, agent: http.Agent, timeoutMs = 15_000): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    // node:http sends a GET, DELETE or OPTIONS body without a length unless told: say it.
    const headers =
      req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
    const r = http.request({
      host: base.hostname,
      port: base.port,
      method: req.method,
      path: req.path,
      headers,
      agent,
    });
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`no answer within ${timeoutMs} ms`)));
      r.destroy();
    }, timeoutMs);
    r.on('error', (err) => settle(() => reject(err)));
    r.on('response', (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('text/event-stream')) {
        res.destroy();
        r.destroy();
        settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', stream: true }));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => settle(() => reject(err)));
      res.on('end', () =>
        settle(() =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            stream: false,
          }),
        ),
      );
    });
    r.end(req.body);
  });
}

/**
 * Writes bytes on a fresh TCP connection and reads until the server closes it (or `timeoutMs`):
 * for requests no HTTP client would send.
 */
export function sendBytes(base: URL, bytes: Buffer, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: base.hostname, port: Number(base.port) });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after ${timeoutMs} ms: ${Buffer.concat(chunks).toString('latin1')}`));
    }, timeoutMs);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => {
      // A reset after the answer is the server closing a connection it refused: read what came.
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/** Percent-encodes every byte of the UTF-8 form except unreserved characters. */
export function percentEncode(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
