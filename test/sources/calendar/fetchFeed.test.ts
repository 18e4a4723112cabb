import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CalendarFeedError, fetchFeed, normalizeFeedUrl } from '../../../src/sources/calendar/index.js';
import { IcsServer } from '../../fakes/icsServer.js';
import { fixtureText } from './support.js';

const failsWith = (code: string, check?: (err: CalendarFeedError) => void) => (err: unknown) => {
  assert.ok(err instanceof CalendarFeedError, `expected CalendarFeedError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  check?.(err);
  return true;
};

describe('fetchFeed', () => {
  let server: IcsServer;
  const ics = fixtureText('weekly-meeting.ics');
  before(async () => {
    server = await IcsServer.start();
  });
  after(() => server.close());

  it('downloads a feed and returns its validators', async () => {
    server.setFeed('/basic.ics', ics);
    const res = await fetchFeed({ url: server.url('/basic.ics'), allowPrivate: true });
    assert.equal(res.notModified, false);
    assert.ok(!res.notModified && res.body.startsWith('BEGIN:VCALENDAR'));
    assert.match(res.etag ?? '', /^"[0-9a-f]{16}"$/);
    assert.ok(res.lastModified);
  });

  it('answers notModified when the ETag still matches, and fetches again once the feed changes', async () => {
    server.setFeed('/etag.ics', ics);
    const first = await fetchFeed({ url: server.url('/etag.ics'), allowPrivate: true });
    const second = await fetchFeed({ url: server.url('/etag.ics'), allowPrivate: true, etag: first.etag });
    assert.equal(second.notModified, true);
    assert.equal(second.etag, first.etag);
    const [, conditional] = server.requestsTo('/etag.ics');
    assert.equal(conditional?.ifNoneMatch, first.etag);
    assert.equal(conditional?.status, 304);

    server.setFeed('/etag.ics', ics.replace('Weekly marketing sync', 'Weekly growth sync'));
    const third = await fetchFeed({ url: server.url('/etag.ics'), allowPrivate: true, etag: first.etag });
    assert.equal(third.notModified, false);
    assert.ok(!third.notModified && third.body.includes('Weekly growth sync'));
    assert.notEqual(third.etag, first.etag);
  });

  it('falls back to Last-Modified when the server sends no ETag', async () => {
    server.setFeed('/lm.ics', ics, { etag: false, lastModified: new Date('2026-10-01T08:00:00Z') });
    const first = await fetchFeed({ url: server.url('/lm.ics'), allowPrivate: true });
    assert.equal(first.etag, null);
    assert.equal(first.lastModified, 'Thu, 01 Oct 2026 08:00:00 GMT');
    const second = await fetchFeed({
      url: server.url('/lm.ics'),
      allowPrivate: true,
      lastModified: first.lastModified,
    });
    assert.equal(second.notModified, true);
    assert.equal(server.requestsTo('/lm.ics')[1]?.ifModifiedSince, 'Thu, 01 Oct 2026 08:00:00 GMT');
  });

  it('turns webcal:// into https:// and refuses other schemes', () => {
    assert.equal(
      normalizeFeedUrl('webcal://p01-calendars.icloud.com/published/2/abc'),
      'https://p01-calendars.icloud.com/published/2/abc',
    );
    assert.equal(normalizeFeedUrl(' WEBCALS://example.com/cal.ics '), 'https://example.com/cal.ics');
    assert.throws(() => normalizeFeedUrl('ftp://example.com/cal.ics'), failsWith('invalid_url'));
    assert.throws(() => normalizeFeedUrl('not a url'), failsWith('invalid_url'));
  });

  it('refuses a loopback feed unless private addresses are allowed, without connecting', async () => {
    server.setFeed('/private.ics', ics);
    await assert.rejects(
      fetchFeed({ url: server.url('/private.ics'), allowPrivate: false }),
      failsWith('url_not_allowed', (e) => assert.equal(e.retryable, false)),
    );
    assert.equal(server.requestsTo('/private.ics').length, 0);
  });

  it('refuses a redirect to a private address (each hop is checked by urlGuard)', async () => {
    // The first hop is trusted by name, as an operator's allowHosts would; its redirect is not.
    server.setFeed('/target.ics', ics);
    server.setRoute('/moved', { status: 302, headers: { location: `http://localhost:${server.port}/target.ics` } });
    await assert.rejects(
      fetchFeed({ url: server.url('/moved'), allowPrivate: false, allowHosts: ['127.0.0.1'] }),
      failsWith('url_not_allowed', (e) => assert.match(e.message, /localhost/)),
    );
    assert.equal(server.requestsTo('/moved').length, 1);
    assert.equal(server.requestsTo('/target.ics').length, 0);
    // The same redirect is followed when private addresses are allowed.
    const ok = await fetchFeed({ url: server.url('/moved'), allowPrivate: true });
    assert.equal(ok.notModified, false);
    assert.match(ok.url, /\/target\.ics$/);
  });

  it('refuses a body over the size limit', async () => {
    const huge =
      `BEGIN:VCALENDAR\r\n` +
      `${'X-FILLER:0123456789012345678901234567890123456789012345678901234567890\r\n'.repeat(90_000)}END:VCALENDAR\r\n`;
    assert.ok(huge.length > 5 * 1024 * 1024);
    server.setFeed('/huge.ics', huge);
    await assert.rejects(
      fetchFeed({ url: server.url('/huge.ics'), allowPrivate: true }),
      failsWith('too_large', (e) => assert.match(e.message, /5242880 bytes/)),
    );
    server.setFeed('/small-limit.ics', ics);
    await assert.rejects(
      fetchFeed({ url: server.url('/small-limit.ics'), allowPrivate: true, maxBytes: 100 }),
      failsWith('too_large'),
    );
  });

  it('says clearly when the answer is not an iCalendar feed', async () => {
    server.setRoute('/login', {
      status: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: '<!doctype html><html><title>Sign in</title></html>',
    });
    await assert.rejects(
      fetchFeed({ url: server.url('/login'), allowPrivate: true }),
      failsWith('not_ics', (e) => {
        assert.match(e.message, /did not return an iCalendar feed \(got text\/html/);
        assert.equal(e.retryable, false);
      }),
    );
    server.setRoute('/json', { status: 200, headers: { 'content-type': 'text/calendar' }, body: '{"events": []}' });
    await assert.rejects(fetchFeed({ url: server.url('/json'), allowPrivate: true }), failsWith('not_ics'));
  });

  it('reports HTTP errors with their status; only server errors are retryable', async () => {
    await assert.rejects(
      fetchFeed({ url: server.url('/nowhere.ics'), allowPrivate: true }),
      failsWith('http_status', (e) => {
        assert.equal(e.status, 404);
        assert.equal(e.retryable, false);
        assert.match(e.message, /has no feed at that address/);
      }),
    );
    server.setRoute('/busy.ics', { status: 503, body: 'try later' });
    await assert.rejects(
      fetchFeed({ url: server.url('/busy.ics'), allowPrivate: true }),
      failsWith('http_status', (e) => assert.equal(e.retryable, true)),
    );
    server.setRoute('/revoked.ics', { status: 403, body: 'forbidden' });
    await assert.rejects(
      fetchFeed({ url: server.url('/revoked.ics'), allowPrivate: true }),
      failsWith('http_status', (e) => assert.match(e.message, /private feed address may have been reset/)),
    );
  });

  it('gives up on a feed that does not answer in time', async () => {
    server.setRoute('/slow.ics', { status: 200, body: ics, delayMs: 3000 });
    await assert.rejects(
      fetchFeed({ url: server.url('/slow.ics'), allowPrivate: true, timeoutMs: 200 }),
      failsWith('timeout', (e) => assert.equal(e.retryable, true)),
    );
  });
});
