import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  addressRefusal,
  assertPublicUrl,
  GuardedFetchError,
  guardedFetch,
  UrlNotAllowedError,
} from '../../src/lib/urlGuard.js';
import { type HttpReceiver, startHttpReceiver } from '../fakes/receivers.js';

const refused = (err: unknown) => err instanceof UrlNotAllowedError && err.code === 'url_not_allowed';

describe('urlGuard', () => {
  let receiver: HttpReceiver;
  before(async () => {
    receiver = await startHttpReceiver({ status: 200, body: 'hello' });
  });
  after(() => receiver.close());

  it('classifies addresses with ipaddr.js ranges', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
    ]) {
      assert.notEqual(addressRefusal(ip), null, ip);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(addressRefusal(ip), null, ip);
  });

  for (const url of [
    'http://127.0.0.1/',
    'http://10.0.0.5/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
    'http://localhost/',
  ]) {
    it(`refuses ${url}`, async () => {
      await assert.rejects(assertPublicUrl(url, { allowPrivate: false }), refused);
      await assert.rejects(
        guardedFetch(url, { method: 'POST', body: '{}' }, { allowPrivate: false, timeoutMs: 2000 }),
        refused,
      );
    });
  }

  it('refuses schemes other than http and https', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://x/', 'not a url']) {
      await assert.rejects(assertPublicUrl(url, { allowPrivate: true }), refused);
    }
  });

  it('never connects to a refused address', async () => {
    const before = receiver.requests.length;
    await assert.rejects(guardedFetch(`${receiver.url}/x`, {}, { allowPrivate: false }), refused);
    assert.equal(receiver.requests.length, before);
  });

  it('re-checks every redirect hop: a trusted host redirecting to loopback is refused', async () => {
    const port = new URL(receiver.url).port;
    receiver.redirect('/jump', `http://127.0.0.1:${port}/target`);
    const start = receiver.requests.length;
    await assert.rejects(
      guardedFetch(`http://localhost:${port}/jump`, {}, { allowPrivate: false, allowHosts: ['localhost'] }),
      refused,
    );
    assert.deepEqual(
      receiver.requests.slice(start).map((r) => r.path),
      ['/jump'],
    );
  });

  it('fetches loopback when private URLs are allowed, following redirects', async () => {
    receiver.redirect('/moved', '/final');
    const res = await guardedFetch(
      `${receiver.url}/moved`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' },
      { allowPrivate: true },
    );
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'hello');
    assert.equal(new URL(res.url).pathname, '/final');
    const last = receiver.requests.at(-1)!;
    assert.equal(last.method, 'GET'); // 302 after POST becomes GET, as fetch does
  });

  it('stops after maxRedirects', async () => {
    receiver.redirect('/loop', '/loop');
    await assert.rejects(
      guardedFetch(`${receiver.url}/loop`, {}, { allowPrivate: true, maxRedirects: 2 }),
      (err: unknown) => err instanceof GuardedFetchError && err.code === 'too_many_redirects',
    );
  });

  it('times out', async () => {
    const http = await import('node:http');
    const server = http.createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    try {
      await assert.rejects(
        guardedFetch(`http://127.0.0.1:${port}/`, {}, { allowPrivate: true, timeoutMs: 200 }),
        (err: unknown) => err instanceof GuardedFetchError && err.code === 'timeout',
      );
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
