import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** Local stand-ins for the outside world: an HTTP receiver (Slack, webhooks) and an SMTP server. */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface ReceiverReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface HttpReceiver {
  /** http://127.0.0.1:PORT */
  url: string;
  requests: RecordedRequest[];
  /** The next n requests get this status (default 500). */
  failNext(n: number, status?: number): void;
  /** Every request from now on gets this status. */
  failAlways(status?: number): void;
  /** Answers this path with a redirect. */
  redirect(path: string, location: string, status?: number): void;
  waitFor(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

async function waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function startHttpReceiver(okReply: ReceiverReply = { status: 200, body: 'ok' }): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  const redirects = new Map<string, { location: string; status: number }>();
  let failures = 0;
  let failStatus = 500;
  let always = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const redirect = redirects.get(path);
      if (redirect) {
        res.writeHead(redirect.status, { location: redirect.location }).end();
      } else if (always || failures > 0) {
        if (failures > 0) failures--;
        res.writeHead(failStatus, { 'content-type': 'text/plain' }).end(`failure ${failStatus}`);
      } else {
        res.writeHead(okReply.status, { 'content-type': 'text/plain', ...okReply.headers }).end(okReply.body ?? '');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    failNext(n, status = 500) {
      failures = n;
      failStatus = status;
    },
    failAlways(status = 500) {
      always = true;
      failStatus = status;
    },
    redirect(path, location, status = 302) {
      redirects.set(path, { location, status });
    },
    waitFor(count, timeoutMs = 5000) {
      return waitUntil(() => (requests.length >= count ? requests : undefined), timeoutMs, `${count} requests`);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  headers: Record<string, string>;
  /** Decoded bodies of the text/plain and text/html parts. */
  text?: string;
  html?: string;
}

export interface SmtpReceiver {
  port: number;
  messages: ReceivedMail[];
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => `%${hex}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, '%25'));
}

/** RFC 2047 encoded words (=?UTF-8?Q?...?= and =?UTF-8?B?...?=) in a header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

/** Enough MIME for tests: top-level headers, and the text/plain and text/html parts of a multipart body. */
export function parseMail(raw: string): Pick<ReceivedMail, 'headers' | 'text' | 'html'> {
  const split = (part: string) => {
    const at = part.search(/\r?\n\r?\n/);
    const head = part.slice(0, at).replace(/\r?\n[ \t]+/g, ' ');
    const headers: Record<string, string> = {};
    for (const line of head.split(/\r?\n/)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = decodeHeader(line.slice(i + 1).trim());
    }
    return { headers, body: part.slice(at).replace(/^\r?\n\r?\n/, '') };
  };
  const top = split(raw);
  const result: Pick<ReceivedMail, 'headers' | 'text' | 'html'> = { headers: top.headers };
  const visit = (headers: Record<string, string>, body: string) => {
    const type = headers['content-type'] ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const piece of body.split(`--${boundary}`).slice(1)) {
        if (piece.startsWith('--')) break;
        const p = split(piece.replace(/^\r?\n/, ''));
        visit(p.headers, p.body);
      }
      return;
    }
    const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
    const decoded =
      encoding === 'quoted-printable'
        ? decodeQuotedPrintable(body)
        : encoding === 'base64'
          ? Buffer.from(body, 'base64').toString('utf8')
          : body;
    if (type.startsWith('text/html')) result.html = decoded.trimEnd();
    else if (type.startsWith('text/plain')) result.text = decoded.trimEnd();
  };
  visit(top.headers, top.body);
  return result;
}

export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        messages.push({ from, to: session.envelope.rcptTo.map((r) => r.address), raw, ...parseMail(raw) });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    messages,
    waitFor(count, timeoutMs = 5000) {
      return waitUntil(() => (messages.length >= count ? messages : undefined), timeoutMs, `${count} mails`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
