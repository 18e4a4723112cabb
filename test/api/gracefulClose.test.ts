import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { startTestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { orderDeliveries } from '../helpers/shopifyLoad.js';
import { waitFor } from '../helpers/wait.js';

const SHOP = 'drain.myshopify.com';

function rawConnection(url: string): Promise<{ socket: Socket; text: () => string; ended: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect(Number(port), hostname);
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (text += d));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, text: () => text, ended }));
  });
}

const refused = (url: string) =>
  fetch(`${url}/healthz`).then(
    () => false,
    () => true,
  );

describeEachEngine('closing the server', (fx) => {
  test(
    'a request in flight when the shutdown begins is answered normally; /readyz says shutting_down; new ' +
      'connections are refused',
    async () => {
      const app = await startTestApp(fx.db, { SHOPIFY_STORE_URL: SHOP });
      const [delivery] = orderDeliveries(SHOP, 'test-shopify-secret', 1, 424242);
      const head = Object.entries(delivery!.headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      // A: a webhook whose body is still arriving. B: a readiness probe whose headers are still arriving.
      const a = await rawConnection(app.url);
      a.socket.write(
        `POST /webhooks/shopify HTTP/1.1\r\nHost: lookout\r\n${head}Content-Length: ${delivery!.body.length}\r\n\r\n`,
      );
      a.socket.write(delivery!.body.subarray(0, 5));
      const b = await rawConnection(app.url);
      b.socket.write('GET /readyz HTTP/1.1\r\nHost: lookout\r\n');
      await new Promise((r) => setTimeout(r, 100));

      const closing = app.close();
      await waitFor(() => refused(app.url), 'new connections to be refused', 10_000);

      b.socket.write('\r\n');
      await b.ended;
      assert.match(b.text(), /^HTTP\/1\.1 503 /);
      assert.match(b.text(), /connection: close/i);
      const probe = JSON.parse(b.text().split('\r\n\r\n')[1]!) as { error: { code: string; message: string } };
      assert.equal(probe.error.code, 'shutting_down');

      a.socket.write(delivery!.body.subarray(5));
      await a.ended;
      assert.match(a.text(), /^HTTP\/1\.1 200 /, a.text());
      assert.match(a.text(), /"status":"stored"/);
      assert.match(a.text(), /connection: close/i, 'the answer closes its connection: nothing waits on keep-alive');
      await closing;

      const { rows } = await fx.db.query<{ n: number }>(
        `select count(*)::int as n from background_events where event_data->>'id' = '424242'`,
      );
      assert.equal(rows[0]!.n, 1, 'the request answered during the shutdown was stored');
    },
  );
});
