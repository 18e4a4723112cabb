/**
 * Generated bad requests against every route of a running Lookout, on both engines. The routes
 * come from the server's own route table (listRoutes), so a route added later is fuzzed without
 * editing this file. Whatever arrives, the answer is never a 5xx, never a hang, always the
 * documented error body for an error, and never another user's data.
 *
 * LOOKOUT_FUZZ_RUNS (default 800 batches of 1-8 requests, about 3,500 requests) and LOOKOUT_FUZZ_SEED (to replay a
 * failure: fast-check prints the seed) tune the run.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { encodeCursor } from '../../src/api/pagination.js';
import { listRoutes } from '../../src/api/server.js';
import { createActionToken } from '../../src/notify/actionLinks.js';
import { signShopifyBody } from '../../src/sources/shopify/signature.js';
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { describeRequest, type FuzzWorld, nastyString, printable, requestFor } from '../helpers/fuzzRequests.js';
import { isErrorBody } from '../helpers/http.js';
import { type RawReply, type RawRequest, sendBytes, sendRaw } from '../helpers/rawHttp.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';

const SHOPIFY_SECRET = 'test-shopify-secret';
/** The quick set-up's store (SHOPIFY_STORE_URL): the operator attached it, so deliveries for it are routed. */
const QUICK_SHOP = `quick-${randomBytes(4).toString('hex')}.myshopify.com`;
const RUNS = Number(process.env.LOOKOUT_FUZZ_RUNS ?? 800);
const SEED = process.env.LOOKOUT_FUZZ_SEED === undefined ? undefined : Number(process.env.LOOKOUT_FUZZ_SEED);

interface Tenant {
  id: string;
  apiKey: string;
  /** A string in every object of this tenant: it must never reach anyone else. */
  marker: string;
  shop: string;
  supabaseSecret: string;
  supabaseIntegrationId: string;
  ids: string[];
  suggestionIds: string[];
  seqs: string[];
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** What a reply must be, whatever the request: the fuzz test's invariants. */
function checkReply(req: RawRequest & { caller: string }, reply: RawReply, victim: Tenant): void {
  const what = () => `\n--- request\n${describeRequest(req)}\n--- reply ${reply.status}\n${reply.text.slice(0, 500)}`;
  assert.ok(reply.status < 500, `a ${reply.status}${what()}`);
  assert.ok(reply.status >= 200, `status ${reply.status}${what()}`);
  if (reply.status >= 400 && req.method !== 'HEAD') {
    assert.match(String(reply.headers['content-type']), /^application\/json/, `error content type${what()}`);
    assert.ok(isErrorBody(parseJson(reply.text)), `not the documented error body${what()}`);
  }
  if (req.caller !== 'admin')
    assert.ok(!reply.text.includes(victim.marker), `another user's data in the reply${what()}`);
}

describeEachEngine('fuzz: generated bad requests on every route', (fx) => {
  let app: TestApp;
  let base: URL;
  let agent: http.Agent;
  let A: Tenant;
  let B: Tenant;

  async function tenant(name: string): Promise<Tenant> {
    const marker = `${name}${randomBytes(6).toString('hex')}`;
    const user = await app.createUser(`${marker}@example.com`);
    const call = (method: string, path: string, body?: unknown) =>
      app.call(method, path, { key: user.apiKey, body }).then((r) => {
        assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${r.text}`);
        return r.body;
      });
    await call('PUT', '/api/preferences', { profile: { brand: marker }, vibe: { avoidWords: [marker] } });
    const shop = `${marker}.myshopify.com`;
    const shopify = await call('POST', '/api/integrations', { kind: 'shopify', shopDomain: shop });
    const supabase = await call('POST', '/api/integrations', { kind: 'supabase', projectUrl: `https://${marker}.co` });
    const calendar = await call('POST', '/api/integrations', {
      kind: 'calendar',
      icsUrl: `https://calendar.example.com/${marker}.ics`,
    });
    const events = await fx.db.query<{ id: string; seq: string }>(
      `insert into background_events (user_id, integration_id, event_type, source, event_data, event_timestamp, dedupe_key, status, last_error)
       select $1, $2, 'shopify.product.created', 'shopify', jsonb_build_object('title', $3::text || ' ' || g, 'id', g),
              now(), $3::text || g, case when g % 3 = 0 then 'dead' else 'processed' end,
              case when g % 3 = 0 then 'failed for ' || $3::text end
       from generate_series(1, 6) g returning id, seq::text as seq`,
      [user.id, shopify.id, marker],
    );
    const suggestions = await fx.db.query<{ id: string }>(
      `insert into suggestions (user_id, event_id, event_type, title, body, content)
       select $1, e.id, 'shopify.product.created', 'Hooks for ' || $2::text, 'Post about ' || $2::text, jsonb_build_object('m', $2::text)
       from background_events e where e.user_id = $1 and e.status = 'processed' returning id`,
      [user.id, marker],
    );
    await fx.db.query(
      `update background_events e set suggestion_id = s.id, suggestion_generated = true
       from suggestions s where s.event_id = e.id and e.user_id = $1`,
      [user.id],
    );
    const requests = await fx.db.query<{ id: string }>(
      `insert into data_requests (integration_id, user_id, shop_domain, customer_id, customer_email, orders_requested)
       values ($1, $2, $3, '42', $4, '{"1001"}') returning id`,
      [shopify.id, user.id, shop, `${marker}@customer.example`],
    );
    const deliveries = await fx.db.query<{ id: string }>(
      `insert into notification_deliveries (user_id, suggestion_id, channel, status, attempts, last_error)
       select $1, s.id, 'webhook', 'dead', 8, 'refused by ' || $2::text from suggestions s where s.user_id = $1 returning id`,
      [user.id, marker],
    );
    return {
      ...user,
      marker,
      shop,
      supabaseSecret: supabase.webhookSecret,
      supabaseIntegrationId: supabase.id,
      ids: [
        user.id,
        shopify.id,
        supabase.id,
        calendar.id,
        ...events.rows.map((r) => r.id),
        ...suggestions.rows.map((r) => r.id),
        ...requests.rows.map((r) => r.id),
        ...deliveries.rows.map((r) => r.id),
      ],
      suggestionIds: suggestions.rows.map((r) => r.id),
      seqs: events.rows.map((r) => r.seq),
    };
  }

  /** What the victim owns, as it must stay: the fuzz acts as the caller, the operator and strangers. */
  async function snapshot(t: Tenant) {
    const q = async (sql: string) => (await fx.db.query(sql, [t.id])).rows;
    return {
      user: await q(
        'select email, name, profile, vibe, preferences, auto_suggest, loop_enabled from users where id = $1',
      ),
      integrations: await q(
        'select id, kind, status, shop_domain, config, credentials from integrations where user_id = $1 order by id',
      ),
      events: await q(
        'select id, event_type, event_data::text, suggestion_id, user_actioned from background_events where user_id = $1 order by id',
      ),
      suggestions: await q('select id, status, title from suggestions where user_id = $1 order by id'),
      apiKeys: await q('select key_hash from api_keys where user_id = $1 order by key_hash'),
    };
  }

  before(async () => {
    // web: the routes, with no worker or poll loop changing rows underneath the checks
    app = await startTestApp(
      fx.db,
      { SHOPIFY_API_SECRET: SHOPIFY_SECRET, SHOPIFY_STORE_URL: `https://${QUICK_SHOP}` },
      { role: 'web' },
    );
    base = new URL(app.url);
    agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    A = await tenant('alpha');
    B = await tenant('bravo');
  });
  after(async () => {
    agent?.destroy();
    await app?.close();
  });

  function world(): FuzzWorld {
    const key = app.lookout.ctx.actionLinks;
    const inAWeek = new Date(Date.now() + 7 * 86_400_000);
    return {
      ownIds: A.ids,
      otherIds: B.ids,
      auth: { user: `Bearer ${A.apiKey}`, admin: `Bearer ${ADMIN_TOKEN}` },
      cursor: fc.oneof(
        fc.constantFrom(...[...A.seqs, ...B.seqs].map((seq) => encodeCursor(seq)!)),
        fc.bigInt({ min: -1n, max: 2n ** 80n }).map((n) => encodeCursor(String(n))!),
        fc
          .constantFrom('9223372036854775807', '9223372036854775808', '18446744073709551616')
          .map((n) => encodeCursor(n)!),
        fc.string({ maxLength: 30 }).map((text) => Buffer.from(text).toString('base64url')),
      ),
      // The caller's own signed links; none for the victim's suggestions (those would be the victim acting).
      actionTokens: A.suggestionIds.flatMap((suggestionId) =>
        (['accept', 'dismiss'] as const).map((action) =>
          createActionToken(key, { suggestionId, userId: A.id, action }, inAWeek),
        ),
      ),
    };
  }

  test('every route answers generated bad requests with 2xx/3xx/4xx, the error body, no hang and nothing of another user', async () => {
    const routes = listRoutes(app.lookout.server!);
    const table = new Set(routes.map((r) => `${r.method} ${r.url}`));
    // The table is the server's: spot-check that it is whole, so the fuzz cannot pass on nothing.
    for (const route of [
      'GET /api/events',
      'GET /api/events/:id',
      'PUT /api/preferences',
      'POST /api/integrations',
      'POST /api/admin/dead/replay',
      'POST /webhooks/shopify',
      'POST /webhooks/supabase',
      'GET /api/stream',
      'GET /healthz',
    ])
      assert.ok(table.has(route), `${route} is in the route table`);

    const victimBefore = await snapshot(B);
    const seen = new Map<string, Map<number, number>>();
    const started = Date.now();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(requestFor(routes, world()), { minLength: 1, maxLength: 8 }), async (requests) => {
        const replies = await Promise.all(
          requests.map(async (req) => {
            try {
              return { req, reply: await sendRaw(base, req, agent) };
            } catch (err) {
              throw new Error(`no answer (${(err as Error).message})\n--- request\n${describeRequest(req)}`);
            }
          }),
        );
        for (const { req, reply } of replies) {
          sent += 1;
          const byStatus = seen.get(req.route) ?? new Map<number, number>();
          byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
          seen.set(req.route, byStatus);
          checkReply(req, reply, B);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`# fuzz [${fx.engine}]: ${sent} requests on ${routes.length} routes in ${seconds.toFixed(1)} s`);

    // Every route was reached, and the fuzz got past authentication and validation somewhere.
    for (const route of table) assert.ok((seen.get(route)?.size ?? 0) > 0, `${route} was fuzzed`);
    const statuses = new Set([...seen.values()].flatMap((m) => [...m.keys()]));
    for (const status of [200, 400, 401, 404]) assert.ok(statuses.has(status), `some request got ${status}`);

    // The server is whole and the victim's rows are as they were.
    assert.equal((await app.call('GET', '/readyz')).status, 200);
    assert.deepEqual(await snapshot(B), victimBefore);
  });

  test('malformed HTTP on the wire is answered with a 4xx in the documented body', async () => {
    const head = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    const wire = fc.oneof(
      fc.constantFrom(
        head(['GET /api/events HTTP/1.1', 'Host: x', `X-Big: ${'a'.repeat(20_000)}`]),
        head(['GET /api/events HTTP/1.1', 'Host: x', ...Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`)]),
        head(['GET /api/events HTTP/9.9', 'Host: x']),
        head(['GET  /api/events HTTP/1.1', 'Host: x']),
        head(['GET /api/\u0000 HTTP/1.1', 'Host: x']),
        head(['G\u00c9T /api/events HTTP/1.1', 'Host: x']),
        head(['GET /api/events HTTP/1.1', 'Host: x', 'Bad Header: v']),
        head(['GET /api/events HTTP/1.1', 'Host: x', 'X: a\u0000b']),
        head(['POST /api/integrations HTTP/1.1', 'Host: x', 'Content-Length: -1']),
        head(['POST /api/integrations HTTP/1.1', 'Host: x', 'Content-Length: 1', 'Content-Length: 2']),
        head(['POST /api/integrations HTTP/1.1', 'Host: x', 'Transfer-Encoding: chunked', 'Content-Length: 5']),
        Buffer.from(
          'POST /webhooks/shopify HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n',
        ),
      ),
      fc
        .tuple(nastyString, nastyString)
        .map(([line, header]) => Buffer.from(`${line.slice(0, 200)}\r\nHost: x\r\nX: ${header.slice(0, 200)}\r\n\r\n`)),
      fc
        .uint8Array({ minLength: 1, maxLength: 200 })
        .map((b) => Buffer.concat([Buffer.from(b), Buffer.from('\r\n\r\n')])),
    );
    await fc.assert(
      fc.asyncProperty(wire, async (bytes) => {
        // (a Buffer prints byte by byte: the failure message below shows it as text)
        const text = await sendBytes(base, bytes);
        const what = `\n--- sent\n${bytes.toString('latin1').slice(0, 300)}\n--- got\n${text.slice(0, 500)}`;
        // Some garbage is a request after all (a path with spaces...): any answer but a 5xx is fine;
        // the server may also close a connection that never formed a request.
        if (text === '') return;
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1]);
        assert.ok(status >= 200 && status < 500, `status ${status}${what}`);
        if (status >= 400) {
          const body = text.slice(text.indexOf('\r\n\r\n') + 4);
          assert.ok(isErrorBody(parseJson(body)), `not the documented error body${what}`);
        }
      }),
      { numRuns: 150, seed: SEED, endOnFailure: true },
    );
    assert.equal((await app.call('GET', '/healthz')).status, 200);
  });

  test('webhook deliveries without a valid signature are refused and store nothing', async () => {
    const count = async () =>
      Number((await fx.db.query<{ n: string }>('select count(*)::text as n from background_events')).rows[0]!.n);
    const before = await count();
    const product = fixtureBody('products/create');
    const shops = fc.constantFrom(A.shop, B.shop, 'nobody.myshopify.com', '', 'A.MYSHOPIFY.COM', `${A.shop}\u00ff`);
    const shopify = fc
      .record({
        shop: shops,
        topic: fc.constantFrom('products/create', 'orders/create', 'app/uninstalled', 'shop/redact', 'x/y', ''),
        body: fc.oneof(
          fc.constant(product),
          fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
          fc.uint8Array({ maxLength: 100 }).map((b) => Buffer.from(b)),
        ),
        signature: fc.oneof(
          fc.constant(undefined),
          fc.constantFrom('', 'abc', '====', 'x'.repeat(5000)),
          fc.base64String({ minLength: 44, maxLength: 44 }),
          // right body, wrong secret; right secret, another body
          fc.constant(signShopifyBody(product, 'not-the-secret')),
          fc.constant(signShopifyBody(Buffer.from('{}'), SHOPIFY_SECRET)),
          fc.constant(signShopifyBody(product, SHOPIFY_SECRET).toLowerCase()),
        ),
      })
      .map(({ shop, topic, body, signature }): RawRequest => {
        const headers = shopifyHeaders(topic, shop, product, SHOPIFY_SECRET);
        if (signature === undefined) delete headers['x-shopify-hmac-sha256'];
        else headers['x-shopify-hmac-sha256'] = signature;
        return printable({ method: 'POST', path: '/webhooks/shopify', headers, body });
      });
    const signer = new Webhook(A.supabaseSecret);
    const supabaseBody = JSON.stringify({
      type: 'INSERT',
      table: 'todos',
      schema: 'public',
      record: { id: 1 },
      old_record: null,
    });
    const supabase = fc
      .record({
        integration: fc.constantFrom(A.supabaseIntegrationId, B.supabaseIntegrationId, randomUUID(), 'nope', ''),
        auth: fc.oneof(
          fc.constant(undefined),
          fc.constantFrom(
            `Bearer ${A.supabaseSecret}x`,
            `Bearer ${B.supabaseSecret.slice(0, -2)}`,
            'Bearer',
            'Basic x',
          ),
        ),
        signature: fc.oneof(
          fc.constant(undefined),
          fc.constantFrom('v1,AAAA', 'v1a,xyz', '', 'v1,'),
          // signed by A's secret for another message id, or for another body
          fc.constant(signer.sign('msg_1', new Date(), '{}')),
        ),
        timestamp: fc.constantFrom(
          String(Math.floor(Date.now() / 1000)),
          '0',
          '99999999999999999999',
          '-1',
          'now',
          String(Math.floor(Date.now() / 1000) - 3600),
        ),
      })
      .map(({ integration, auth, signature, timestamp }): RawRequest => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (auth !== undefined) headers.authorization = auth;
        if (signature !== undefined) {
          headers['webhook-id'] = 'msg_2';
          headers['webhook-timestamp'] = timestamp;
          headers['webhook-signature'] = signature;
        }
        return printable({
          method: 'POST',
          path: `/webhooks/supabase${integration ? `?integration=${encodeURIComponent(integration)}` : ''}`,
          headers,
          body: supabaseBody,
        });
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(shopify, supabase), async (req) => {
        const reply = await sendRaw(base, req, agent);
        checkReply({ ...req, caller: 'forged' }, reply, B);
        assert.ok(
          [400, 401, 413, 415].includes(reply.status),
          `${reply.status} for an unsigned delivery\n${describeRequest(req)}\n${reply.text}`,
        );
      }),
      { numRuns: 400, seed: SEED, endOnFailure: true },
    );
    assert.equal(await count(), before, 'no unsigned delivery was stored');
  });

  test('signed poison payloads among valid deliveries: each is stored or refused with a 4xx, never a 5xx, and the valid ones are stored', {
    todo: 'signed poison payloads: enabled when the ingest isolation lands',
  }, async () => {
    // The quick set-up's store: attached by the operator, so its deliveries are routed.
    const owner = (await fx.db.query<{ id: string }>("select id from users where email = 'owner@lookout.local'"))
      .rows[0]!.id;
    const countOf = async (userId: string) =>
      Number(
        (
          await fx.db.query<{ n: string }>('select count(*)::text as n from background_events where user_id = $1', [
            userId,
          ])
        ).rows[0]!.n,
      );
    const poisonValue = fc.constantFrom(
      '"\\u0000"',
      '"a\\u0000b"',
      '"\\ud83d"',
      '"\\udc00\\ud83d"',
      '1e999999',
      '-1e999999',
      '123456789012345678901234567890123456789',
      '"275760-09-13T00:00:00.000Z"',
      '"-271821-04-20T00:00:00Z"',
      `${'['.repeat(1000)}${']'.repeat(1000)}`,
      `"${'z'.repeat(200_000)}"`,
    );
    const field = fc.constantFrom('title', 'body_html', 'vendor', 'updated_at', 'created_at', 'id', 'tags');
    const productWith = (id: number, name: string, valueText: string): Buffer => {
      const fixture = JSON.parse(fixtureBody('products/create').toString('utf8')) as Record<string, unknown>;
      fixture.id = id;
      fixture.admin_graphql_api_id = `gid://shopify/Product/${id}`;
      fixture[name] = '__VALUE__';
      return Buffer.from(JSON.stringify(fixture).replace('"__VALUE__"', valueText));
    };
    // The products/create fixture with one field replaced by poison, signed with the app secret.
    const shopifyPoison = fc
      .tuple(field, poisonValue, fc.integer({ min: 1, max: 1e9 }))
      .map(([name, value, id]): RawRequest => {
        const body = productWith(id, name, value);
        return {
          method: 'POST',
          path: '/webhooks/shopify',
          headers: shopifyHeaders('products/create', QUICK_SHOP, body, SHOPIFY_SECRET),
          body,
        };
      });
    // A Supabase row holding poison, with the integration's bearer secret.
    const supabasePoison = fc.tuple(field, poisonValue, fc.integer({ min: 1, max: 1e9 })).map(
      ([name, value, id]): RawRequest => ({
        method: 'POST',
        path: '/webhooks/supabase',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${A.supabaseSecret}` },
        body: `{"type":"INSERT","table":"todos","schema":"public","record":{"id":${id},"${name}":${value}},"old_record":null}`,
      }),
    );
    let neighbour = 0;
    const validDelivery = (): RawRequest => {
      neighbour += 1;
      const body = productWith(2_000_000_000 + neighbour, 'title', JSON.stringify(`Valid neighbour ${neighbour}`));
      return {
        method: 'POST',
        path: '/webhooks/shopify',
        headers: shopifyHeaders('products/create', QUICK_SHOP, body, SHOPIFY_SECRET),
        body,
      };
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(shopifyPoison, supabasePoison), { minLength: 1, maxLength: 4 }),
        async (poison) => {
          const requests = [...poison, ...Array.from({ length: 6 }, validDelivery)];
          const before = (await countOf(owner)) + (await countOf(A.id));
          const replies = await Promise.all(requests.map((r) => sendRaw(base, r, agent)));
          let stored = 0;
          for (const [i, reply] of replies.entries()) {
            const req = requests[i]!;
            checkReply({ ...req, caller: 'user' }, reply, B);
            const body = parseJson(reply.text) as { status?: string; stored?: number } | undefined;
            if (i >= poison.length)
              assert.equal(body?.status, 'stored', `a valid neighbour: ${reply.status} ${reply.text}`);
            if (reply.status === 200) stored += body?.stored ?? 0;
          }
          // Never a 200 for something not stored.
          const after = (await countOf(owner)) + (await countOf(A.id));
          assert.equal(after, before + stored, 'every 200 "stored" is a stored row');
        },
      ),
      { numRuns: 40, seed: SEED, endOnFailure: true },
    );
    assert.equal((await app.call('GET', '/healthz')).status, 200);
  });
});
