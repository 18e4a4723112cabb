import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { openPglite } from '../../src/db/pglite.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

/** What a raw connection received before the server closed it, and whether it did. */
interface RawConnection {
  socket: Socket;
  received: () => string;
  /** Resolves when the server closes the connection; rejects after `limitMs` (a test-level limit). */
  closed: (limitMs: number) => Promise<void>;
}

function open(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let received = '';
    let isClosed = false;
    const waiting: Array<() => void> = [];
    const socket = connect(Number(port), hostname, () =>
      resolve({
        socket,
        received: () => received,
        closed: (limitMs) =>
          new Promise<void>((res, rej) => {
            if (isClosed) return res();
            const timer = setTimeout(
              () => rej(new Error(`the server kept the connection open for ${limitMs} ms`)),
              limitMs,
            );
            waiting.push(() => {
              clearTimeout(timer);
              res();
            });
          }),
      }),
    );
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      isClosed = true;
      for (const w of waiting) w();
    });
    socket.once('error', reject);
  });
}

/** Writes one byte at a time, every `everyMs`, until the socket closes: a slowloris client. */
function trickle(c: RawConnection, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (c.socket.destroyed || c.socket.writableEnded) return clearInterval(timer);
    c.socket.write(text[i % text.length]!);
    i++;
  }, everyMs);
  c.socket.on('close', () => clearInterval(timer));
}

// Generous on purpose: the assertion is that the server closes the connection, not how fast.
const CLOSES_WITHIN_MS = 20_000;

describe('slow clients are cut off (HTTP header, request and keep-alive timeouts)', () => {
  let db: Database;
  let app: TestApp;
  before(async () => {
    db = await openPglite();
    app = await startTestApp(db, {
      LOOKOUT_HTTP_HEADERS_TIMEOUT_MS: '500',
      LOOKOUT_HTTP_REQUEST_TIMEOUT_MS: '1000',
      LOOKOUT_HTTP_KEEP_ALIVE_TIMEOUT_MS: '500',
    });
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  test(
    'headers that never finish (a trickle of header bytes) get 408 in the documented shape, then the ' +
      'connection closes',
    async () => {
      const c = await open(app.url);
      c.socket.write('POST /webhooks/shopify HTTP/1.1\r\nHost: lookout\r\nX-Slow: ');
      trickle(c, 'abcdefgh', 100);
      await c.closed(CLOSES_WITHIN_MS);
      assert.match(c.received(), /^HTTP\/1\.1 408 /);
      const body = JSON.parse(c.received().split('\r\n\r\n')[1]!) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'request_timeout');
      assert.ok(body.error.message.length > 0);
    },
  );

  test('a body that never finishes (headers whole, body trickled) gets 408, then the connection closes', async () => {
    const c = await open(app.url);
    c.socket.write(
      'POST /webhooks/shopify HTTP/1.1\r\nHost: lookout\r\nContent-Type: application/json\r\nContent-Length: ' +
        '100000\r\n\r\n{"id": ',
    );
    trickle(c, '1234567890', 100);
    await c.closed(CLOSES_WITHIN_MS);
    assert.match(c.received(), /^HTTP\/1\.1 408 /);
    assert.match(c.received(), /"code":"request_timeout"/);
  });

  test('a connection that opens and sends nothing is closed', async () => {
    const c = await open(app.url);
    await c.closed(CLOSES_WITHIN_MS);
  });

  test('an idle keep-alive connection is closed after its request was answered', async () => {
    const c = await open(app.url);
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: lookout\r\nConnection: keep-alive\r\n\r\n');
    await c.closed(CLOSES_WITHIN_MS);
    assert.match(c.received(), /^HTTP\/1\.1 200 /, 'the request itself was answered');
  });

  test('a normal request on the same server is unaffected', async () => {
    const res = await app.call('GET', '/healthz');
    assert.equal(res.status, 200);
  });
});
