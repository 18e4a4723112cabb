import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local push service speaking the Web Push protocol as browsers' push services do (RFC 8030):
 * it hands out subscriptions made like a browser makes them (a P-256 key pair and a 16-byte auth
 * secret, the private half kept here as the browser keeps it), and for each POST to an endpoint
 * checks the VAPID authorization (RFC 8292: an ES256 JWT whose `aud` is the endpoint's origin,
 * `exp` at most 24 h ahead, signed by the key in `k`) and decrypts the aes128gcm payload (RFC
 * 8291), so tests read exactly what the browser's service worker would receive.
 */

export interface BrowserSubscription {
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

export interface PushedMessage {
  subscriptionId: string;
  /** The decrypted payload. */
  payload: string;
  ttl: number;
  urgency?: string;
  topic?: string;
  /** The application server key in `k` (base64url). */
  vapidKey: string;
  claims: { aud: string; exp: number; sub: string };
  /** The encrypted body's size: push services refuse more than 4096 bytes. */
  bodyBytes: number;
}

export interface PushReply {
  status: number;
  headers?: Record<string, string>;
}

export interface FakePushService {
  /** http://127.0.0.1:PORT */
  url: string;
  /** A new subscription, as `pushManager.subscribe()` then `toJSON()` gives it in a browser. */
  subscribe(): BrowserSubscription;
  /** Messages accepted (answered 201), in order. */
  messages: PushedMessage[];
  /** Requests refused as malformed or unauthorised, with the reason (a test expects none). */
  rejected: string[];
  /** Every POST received, accepted or not. */
  attempts: number;
  /** The next requests get these answers (e.g. 410, or 429 with retry-after), then 201 again. */
  answerNext(...replies: PushReply[]): void;
  waitFor(count: number, timeoutMs?: number): Promise<PushedMessage[]>;
  close(): Promise<void>;
}

interface Browser {
  ecdh: ECDH;
  auth: Buffer;
}

const MAX_BODY = 4096;

function base64urlJson<T>(part: string): T {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as T;
}

/** Verifies `vapid t=<JWT>, k=<key>` for this endpoint origin; returns the claims and key or throws. */
function verifyVapid(authorization: string | undefined, origin: string, nowS: number) {
  const m = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!m) throw new Error(`authorization is not "vapid t=…, k=…": ${authorization ?? '(none)'}`);
  const [, jwt, k] = m as unknown as [string, string, string];
  const [h, p, s] = jwt.split('.');
  if (!h || !p || !s) throw new Error('the JWT has not three parts');
  const header = base64urlJson<{ typ?: string; alg?: string }>(h);
  if (header.alg !== 'ES256') throw new Error(`JWT alg ${header.alg}, expected ES256`);
  const raw = Buffer.from(k, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
  const signed = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!signed) throw new Error('the JWT signature does not verify with k');
  const claims = base64urlJson<{ aud: string; exp: number; sub: string }>(p);
  if (claims.aud !== origin) throw new Error(`aud ${claims.aud}, expected ${origin}`);
  if (!(claims.exp > nowS && claims.exp <= nowS + 24 * 3600)) throw new Error(`exp ${claims.exp} not within 24 h`);
  if (!/^(mailto:|https:)/.test(claims.sub ?? '')) throw new Error(`sub ${claims.sub} is not mailto: or https:`);
  return { claims, vapidKey: k };
}

/** RFC 8291 with one aes128gcm record (RFC 8188), decrypted with the browser's keys. */
function decrypt(body: Buffer, browser: Browser): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const uaPublic = browser.ecdh.getPublicKey();
  const ecdhSecret = browser.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then any zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end).toString('utf8');
}

export async function startFakePushService(): Promise<FakePushService> {
  const browsers = new Map<string, Browser>();
  const messages: PushedMessage[] = [];
  const rejected: string[] = [];
  const replies: PushReply[] = [];
  let attempts = 0;
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      attempts++;
      const refuse = (status: number, reason: string) => {
        rejected.push(reason);
        res.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
      };
      const id = /^\/push\/([0-9a-f-]+)$/.exec(req.url ?? '')?.[1];
      const browser = id ? browsers.get(id) : undefined;
      if (req.method !== 'POST' || !id || !browser) return refuse(404, 'no such subscription');
      const reply = replies.shift();
      if (reply) {
        res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers }).end(`status ${reply.status}`);
        return;
      }
      const body = Buffer.concat(chunks);
      try {
        if (req.headers['content-encoding'] !== 'aes128gcm')
          throw new Error(`content-encoding ${req.headers['content-encoding']}`);
        const ttl = Number(req.headers.ttl);
        if (!req.headers.ttl || !Number.isInteger(ttl) || ttl < 0) throw new Error(`TTL ${req.headers.ttl}`);
        if (body.length > MAX_BODY) return refuse(413, `payload of ${body.length} bytes`);
        const { claims, vapidKey } = verifyVapid(req.headers.authorization, origin, Math.floor(Date.now() / 1000));
        const payload = decrypt(body, browser);
        messages.push({
          subscriptionId: id,
          payload,
          ttl,
          urgency: req.headers.urgency as string | undefined,
          topic: req.headers.topic as string | undefined,
          vapidKey,
          claims,
          bodyBytes: body.length,
        });
        res.writeHead(201, { location: `${origin}/message/${randomUUID()}` }).end();
      } catch (err) {
        refuse(400, err instanceof Error ? err.message : String(err));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: origin,
    messages,
    rejected,
    get attempts() {
      return attempts;
    },
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomUUID();
      browsers.set(id, { ecdh, auth });
      return {
        endpoint: `${origin}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    answerNext(...r) {
      replies.push(...r);
    },
    async waitFor(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline)
          throw new Error(`timed out waiting for ${count} push messages (rejected: ${rejected.join('; ') || 'none'})`);
        await new Promise((r) => setTimeout(r, 10));
      }
      return messages.slice(0, count);
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
