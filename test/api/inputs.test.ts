/**
 * Input validation at the API's boundary: whatever a caller sends, the answer is a 4xx with the
 * documented error body, never a 500 from the database refusing it. And list pages, which are
 * cut by a cursor, list every row once in order whatever the number of rows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { assertErrorBody } from '../helpers/http.js';

const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

async function seedEvents(db: Database, userId: string, count: number, eventType = 'shopify.product.created') {
  await db.query(
    `insert into background_events (user_id, event_type, source, event_data, event_timestamp, dedupe_key)
     select $1, $2, 'shopify', jsonb_build_object('n', g), now(), $2 || ':' || g || ':' || gen_random_uuid()
     from generate_series(1, $3::int) g`,
    [userId, eventType, count],
  );
}

async function seedSuggestions(db: Database, userId: string, count: number) {
  await db.query(
    `insert into suggestions (user_id, event_id, event_type, title, body)
     select $1, gen_random_uuid(), 'shopify.product.created', 'suggestion ' || g, 'body'
     from generate_series(1, $2::int) g`,
    [userId, count],
  );
}

describeEachEngine('API inputs', (fx) => {
  let app: TestApp;
  before(async () => {
    // web only: no worker changes events underneath the listings
    app = await startTestApp(fx.db, {}, { role: 'web' });
  });
  after(() => app.close());

  /** Every page of a list, following nextCursor to the end. */
  async function listAll(path: string, key: string, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10_000; page++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await app.call(
        'GET',
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key },
      );
      assert.equal(res.status, 200, res.text);
      ids.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error('the cursor never ended');
  }

  test('events past 9 rows are listed newest first by sequence, and cursor pages skip none', async () => {
    const user = await app.createUser();
    await seedEvents(fx.db, user.id, 120);
    const { rows } = await fx.db.query<{ id: string }>(
      'select id from background_events where user_id = $1 order by seq desc',
      [user.id],
    );
    assert.equal(rows.length, 120);
    const expected = rows.map((r) => r.id);
    for (const limit of [1, 7, 10, 50, 200]) {
      assert.deepEqual(await listAll('/api/events', user.apiKey, limit), expected, `limit ${limit}`);
    }
  });

  test('suggestions past 9 rows are listed newest first by sequence, and cursor pages skip none', async () => {
    const user = await app.createUser();
    await seedSuggestions(fx.db, user.id, 120);
    const { rows } = await fx.db.query<{ id: string }>(
      'select id from suggestions where user_id = $1 order by seq desc',
      [user.id],
    );
    const expected = rows.map((r) => r.id);
    for (const limit of [1, 7, 10, 50, 200]) {
      assert.deepEqual(await listAll('/api/suggestions', user.apiKey, limit), expected, `limit ${limit}`);
    }
  });

  test('a cursor out of the bigint range, or not one the API returned, is a 400 on both lists', async () => {
    const user = await app.createUser();
    for (const path of ['/api/events', '/api/suggestions']) {
      for (const cursor of [
        cursorOf('s:9999999999999999999'),
        cursorOf('s:9223372036854775808'),
        cursorOf('s:99999999999999999999999'),
        cursorOf('s:-1'),
        cursorOf('s:'),
        cursorOf('s:1 '),
        cursorOf('x:12'),
        `${cursorOf('s:12')}!!`,
        '',
        '%00',
        'zz',
      ]) {
        const res = await app.call('GET', `${path}?cursor=${encodeURIComponent(cursor)}`, { key: user.apiKey });
        assertErrorBody(res, 400, `${path} cursor ${JSON.stringify(cursor)}`);
        assert.match(res.body.error.message, /cursor/, `${path}: the message names the cursor`);
      }
      // The largest sequence number a cursor can hold is fine (and lists from the start).
      const max = await app.call('GET', `${path}?cursor=${cursorOf('s:9223372036854775807')}`, { key: user.apiKey });
      assert.equal(max.status, 200, max.text);
    }
  });

  test(
    'a NUL or a lone surrogate in any JSON body string is a 400 that names the field; ' + 'nothing is stored',
    async () => {
      const user = await app.createUser();
      const before = await app.call('GET', '/api/preferences', { key: user.apiKey });
      const cases: Array<[method: string, path: string, key: string, raw: string, field: string]> = [
        ['PUT', '/api/preferences', user.apiKey, '{"profile":{"brand":"a\\u0000b"}}', 'profile.brand'],
        ['PUT', '/api/preferences', user.apiKey, '{"profile":{"brand":"\\ud83d"}}', 'profile.brand'],
        ['PUT', '/api/preferences', user.apiKey, '{"profile":{"audience":"x\\udc00y"}}', 'profile.audience'],
        ['PUT', '/api/preferences', user.apiKey, '{"vibe":{"avoidWords":["ok","\\u0000"]}}', 'vibe.avoidWords.1'],
        ['PUT', '/api/preferences', user.apiKey, '{"flow":{"perType":{"a\\u0000":1}}}', 'flow.perType'],
        ['PUT', '/api/preferences', user.apiKey, '{"filters":{"tags":["\\ud800\\ud800"]}}', 'filters.tags.0'],
        [
          'POST',
          '/api/integrations',
          user.apiKey,
          '{"kind":"supabase","migrationsDir":"/tmp/\\u0000"}',
          'migrationsDir',
        ],
        ['POST', '/api/admin/users', ADMIN_TOKEN, '{"email":"nul@example.com","name":"a\\u0000"}', 'name'],
      ];
      for (const [method, path, key, raw, field] of cases) {
        const res = await app.call(method, path, { key, raw, headers: { 'content-type': 'application/json' } });
        assertErrorBody(res, 400, `${method} ${path} ${raw}`);
        assert.ok(
          res.body.error.message.includes(field),
          `${raw}: the message names ${field}: ${res.body.error.message}`,
        );
      }
      const after = await app.call('GET', '/api/preferences', { key: user.apiKey });
      assert.deepEqual(after.body, before.body);
      const integrations = await app.call('GET', '/api/integrations', { key: user.apiKey });
      assert.equal(integrations.body.items.length, 0);
      const stored = await fx.db.query('select 1 from users where email = $1', ['nul@example.com']);
      assert.equal(stored.rows.length, 0);
      // Characters that are fine, astral ones included, are stored and read back exactly.
      const brand = 'Café 🦊 \u00a0 \u2028 end';
      const ok = await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { profile: { brand } } });
      assert.equal(ok.status, 200, ok.text);
      assert.equal((await app.call('GET', '/api/preferences', { key: user.apiKey })).body.profile.brand, brand);
    },
  );

  test('a NUL or an invalid sequence in a query parameter is a 400 that names it', async () => {
    const user = await app.createUser();
    for (const [path, field] of [
      ['/api/events?type=%00', 'type'],
      ['/api/events?type=shopify.product.created%00', 'type'],
      ['/api/suggestions?type=a%00b', 'type'],
      ['/api/stats?tz=%00', 'tz'],
    ] as const) {
      const res = await app.call('GET', path, { key: user.apiKey });
      assertErrorBody(res, 400, path);
      assert.ok(
        res.body.error.message.includes(field),
        `${path}: the message names ${field}: ${res.body.error.message}`,
      );
    }
  });

  test('numbers that do not fit are a 400 that names the field', async () => {
    const user = await app.createUser();
    const queries: Array<[string, string]> = [
      ['/api/events?limit=1e30', 'limit'],
      ['/api/events?limit=99999999999999999999', 'limit'],
      ['/api/events?limit=-1', 'limit'],
      ['/api/events?limit=1.5', 'limit'],
      ['/api/events?limit=Infinity', 'limit'],
      ['/api/suggestions?limit=201', 'limit'],
      ['/api/stats?days=1e400', 'days'],
      ['/api/stats?days=-0', 'days'],
    ];
    for (const [path, field] of queries) {
      const res = await app.call('GET', path, { key: user.apiKey });
      assertErrorBody(res, 400, path);
      assert.ok(res.body.error.message.includes(field), `${path}: names ${field}: ${res.body.error.message}`);
    }
    const bodies: Array<[string, string]> = [
      ['{"flow":{"maxPerTypePerHour":1e999999}}', 'flow.maxPerTypePerHour'],
      ['{"flow":{"debounceSeconds":9007199254740993}}', 'flow.debounceSeconds'],
      ['{"flow":{"perType":{"a":-1e308}}}', 'flow.perType.a'],
      ['{"thresholds":{"lowStock":2147483648}}', 'thresholds.lowStock'],
      ['{"filters":{"minImportance":100.5}}', 'filters.minImportance'],
      ['{"calendar":{"leadTimesHours":[1e21]}}', 'calendar.leadTimesHours.0'],
    ];
    for (const [raw, field] of bodies) {
      const res = await app.call('PUT', '/api/preferences', {
        key: user.apiKey,
        raw,
        headers: { 'content-type': 'application/json' },
      });
      assertErrorBody(res, 400, raw);
      assert.ok(res.body.error.message.includes(field), `${raw}: names ${field}: ${res.body.error.message}`);
    }
  });

  test('strings and lists beyond their bounds are a 400 that names the field; nothing is stored', async () => {
    const user = await app.createUser();
    const before = await app.call('GET', '/api/preferences', { key: user.apiKey });
    const long = (n: number) => 'x'.repeat(n);
    const cases: Array<[unknown, string]> = [
      [{ filters: { tags: [long(256)] } }, 'filters.tags.0'],
      [{ filters: { includeEventTypes: [long(101)] } }, 'filters.includeEventTypes.0'],
      [{ filters: { schemas: ['public', long(64)] } }, 'filters.schemas.1'],
      [{ filters: { tables: Array.from({ length: 501 }, (_, i) => `t${i}`) } }, 'filters.tables'],
      [{ flow: { perType: { [long(101)]: 1 } } }, 'flow.perType'],
      [
        { flow: { perType: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`type.${i}`, 1])) } },
        'flow.perType',
      ],
      [{ quietHours: { start: '22:00', end: '07:00', timezone: long(65) } }, 'quietHours.timezone'],
      [{ channels: { email: { to: `${long(320)}@example.com` } } }, 'channels.email.to'],
      [{ channels: { webhook: { url: `https://example.com/${long(2000)}` } } }, 'channels.webhook.url'],
    ];
    for (const [body, field] of cases) {
      const res = await app.call('PUT', '/api/preferences', { key: user.apiKey, body });
      assertErrorBody(res, 400, JSON.stringify(body).slice(0, 80));
      assert.ok(res.body.error.message.includes(field), `names ${field}: ${res.body.error.message}`);
    }
    assert.deepEqual((await app.call('GET', '/api/preferences', { key: user.apiKey })).body, before.body);
    // At the bounds, it is stored.
    const ok = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { filters: { tags: [long(255)], schemas: [long(63)] }, flow: { perType: { [long(100)]: 3 } } },
    });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.filters.tags[0].length, 255);
  });

  test('ids that are not UUIDs are 404, whatever they hold; an over-long one is 414', async () => {
    const user = await app.createUser();
    for (const id of ['not-a-uuid', '%00', '00000000-0000-0000-0000-00000000000g', 'x'.repeat(100), '%F0%9F%A6%8A']) {
      for (const [method, path] of [
        ['GET', `/api/events/${id}`],
        ['GET', `/api/suggestions/${id}`],
        ['POST', `/api/suggestions/${id}/accept`],
        ['GET', `/api/integrations/${id}`],
        ['DELETE', `/api/integrations/${id}`],
      ] as const) {
        assertErrorBody(await app.call(method, path, { key: user.apiKey }), 404, `${method} ${path.slice(0, 80)}`);
      }
    }
    // The router refuses a path segment over 100 characters before any route runs.
    const long = await app.call('GET', `/api/events/${'x'.repeat(5000)}`, { key: user.apiKey });
    assertErrorBody(long, 414, 'a 5000-character id');
    assert.equal(long.body.error.code, 'uri_too_long');
    // A path that does not decode is a 400 in the same body.
    for (const path of ['/api/events/%E0%A4%A', '/api/events/%ED%A0%BD', '/api/suggestions/%FF/accept']) {
      const bad = await app.call('GET', path, { key: user.apiKey });
      assertErrorBody(bad, 400, path);
      assert.equal(bad.body.error.code, 'bad_url');
    }
  });

  test('HEAD /api/stream answers the stream headers and ends, instead of holding the connection', async () => {
    const user = await app.createUser();
    const res = await fetch(`${app.url}/api/stream`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${user.apiKey}` },
      signal: AbortSignal.timeout(5_000),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    // The connection is free again: the next request on it is answered.
    assert.equal((await app.call('GET', '/healthz')).status, 200);
    const anonymous = await fetch(`${app.url}/api/stream`, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    assert.equal(anonymous.status, 401);
  });
});
