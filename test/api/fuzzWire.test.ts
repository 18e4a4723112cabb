/**
 * What arrives below the routes' validation: malformed HTTP on the wire, and webhook deliveries
 * that are unsigned, badly signed, or signed but poisoned, on both engines.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { signShopifyBody } from '../../src/sources/shopify/signature.js';
import { PUBLIC_DNS, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { describeRequest, nastyString, printable } from '../helpers/fuzzRequests.js';
import { checkReply, createTenant, FUZZ_SEED, parseJson, type Tenant } from '../helpers/fuzzTenants.js';
import { isErrorBody } from '../helpers/http.js';
import { type RawRequest, sendBytes, sendRaw } from '../helpers/rawHttp.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';

const SHOPIFY_SECRET = 'test-shopify-secret';
/** The quick set-up's store (SHOPIFY_STORE_URL): the operator attached it, so deliveries for it are routed. */
const QUICK_SHOP = `quick-${randomBytes(4).toString('hex')}.myshopify.com`;

describeEachEngine('fuzz: malformed HTTP and webhook deliveries', (fx) => {
  let app: TestApp;
  let base: URL;
  let agent: http.Agent;
  let A: Tenant;
  let B: Tenant;

  before(async () => {
    app = await startTestApp(
      fx.db,
      { SHOPIFY_API_SECRET: SHOPIFY_SECRET, SHOPIFY_STORE_URL: `https://${QUICK_SHOP}` },
      { role: 'web', resolveHost: PUBLIC_DNS },
    );
    base = new URL(app.url);
    agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    A = await createTenant(app, fx.db, 'alpha');
    B = await createTenant(app, fx.db, 'bravo');
  });
  after(async () => {
    agent?.destroy();
    await app?.close();
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
      { numRuns: 150, seed: FUZZ_SEED, endOnFailure: true },
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
      { numRuns: 400, seed: FUZZ_SEED, endOnFailure: true },
    );
    assert.equal(await count(), before, 'no unsigned delivery was stored');
  });

  test(
    'signed poison payloads among valid deliveries: each is stored or refused with a 4xx, never a 5xx, and the ' +
      'valid ones are stored',
    async () => {
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
          body:
            `{"type":"INSERT","table":"todos","schema":"public","record":{"id":${id},"${name}":` +
            `${value}},"old_record":null}`,
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
        { numRuns: 40, seed: FUZZ_SEED, endOnFailure: true },
      );
      assert.equal((await app.call('GET', '/healthz')).status, 200);
    },
  );
});
