/**
 * Tenant isolation on every user route, with objects made by the real pipeline (a signed Shopify
 * webhook, the worker, the offline generator), and the signed accept/dismiss links of Slack
 * messages and emails.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createActionToken, signActionLink } from '../../src/notify/actionLinks.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'test-shopify-secret';

interface Tenant {
  id: string;
  apiKey: string;
  shop: string;
  integrationId: string;
  /** Suggestions made from this tenant's products, oldest first, with the event each came from. */
  suggestions: Array<{ id: string; eventId: string; title: string }>;
}

/** The products/create fixture as another product (ids as text: they are above 2^53). */
function productBody(productId: string, title: string): Buffer {
  return Buffer.from(
    fixtureBody('products/create')
      .toString('utf8')
      .replaceAll('788032119674292922', productId)
      .replace('"Example T-Shirt"', JSON.stringify(title)),
  );
}

type Reply = Awaited<ReturnType<TestApp['call']>>;

function assertErrorBody(res: Reply, status: number, what: string): void {
  assert.equal(res.status, status, `${what}: ${res.status} ${res.text}`);
  assert.equal(typeof res.body?.error?.code, 'string', `${what}: error.code (${res.text})`);
  assert.equal(typeof res.body?.error?.message, 'string', `${what}: error.message`);
  assert.deepEqual(Object.keys(res.body), ['error'], `${what}: only {error}`);
}

/** An open SSE connection whose text so far is readable at any time. */
interface OpenStream {
  status: number;
  readonly text: string;
  close(): void;
}

async function openStream(url: string, key: string): Promise<OpenStream> {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: ac.signal });
  const stream = { status: res.status, text: '', close: () => ac.abort() };
  if (res.status !== 200) {
    stream.text = await res.text();
    return stream;
  }
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        stream.text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted
    }
  })();
  return stream;
}

describeEachEngine('tenant isolation of the user API', (fx) => {
  let app: TestApp;
  let A: Tenant;
  let B: Tenant;
  let seq = 0;

  const deliverProduct = async (t: Tenant, title: string) => {
    seq += 1;
    const body = productBody(`90071992547409${String(seq).padStart(5, '0')}`, title);
    const res = await app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('products/create', t.shop, body, SECRET),
    });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.status, 'stored');
  };
  const suggestionFor = (t: Tenant, title: string) =>
    waitFor(
      async () => {
        const r = await app.call('GET', '/api/suggestions?limit=100', { key: t.apiKey });
        const s = (r.body.items as Array<{ id: string; eventId: string; title: string; body: string }>).find((x) =>
          `${x.title} ${x.body}`.includes(title),
        );
        return s ? { id: s.id, eventId: s.eventId, title: s.title } : undefined;
      },
      `the suggestion for ${title}`,
      20_000,
    );

  async function tenant(name: string): Promise<Tenant> {
    const user = await app.createUser(`${name}-${fx.engine}-${randomUUID()}@example.com`);
    const prefs = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { flow: { batchWindowSeconds: 0 } },
    });
    assert.equal(prefs.status, 200, prefs.text);
    const shop = `${name}-${fx.engine}.myshopify.com`;
    const created = await app.connectShop(user, shop);
    return { ...user, shop, integrationId: created.id, suggestions: [] };
  }

  before(async () => {
    app = await startTestApp(fx.db, {}, { role: 'all', worker: { backstopMs: 100 } });
    A = await tenant('alpha');
    B = await tenant('bravo');
    for (const t of [A, B]) {
      const name = t === A ? 'Alpha' : 'Bravo';
      for (const n of [1, 2, 3]) await deliverProduct(t, `${name} Hoodie ${n}`);
      for (const n of [1, 2, 3]) t.suggestions.push(await suggestionFor(t, `${name} Hoodie ${n}`));
    }
  });
  after(() => app.close());

  test('every user route without a key (or with a wrong one) is 401 with the error body', async () => {
    const s = A.suggestions[0]!.id;
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/events'],
      ['GET', `/api/events/${A.suggestions[0]!.eventId}`],
      ['GET', '/api/suggestions'],
      ['GET', `/api/suggestions/${s}`],
      ['POST', `/api/suggestions/${s}/accept`],
      ['POST', `/api/suggestions/${s}/dismiss`],
      ['POST', `/api/suggestions/${s}/regenerate`],
      ['GET', `/api/events/${A.suggestions[0]!.eventId}/inspect`],
      ['GET', '/api/integrations'],
      ['POST', '/api/integrations', { kind: 'shopify', shopDomain: 'intruder.myshopify.com' }],
      ['GET', `/api/integrations/${A.integrationId}`],
      ['DELETE', `/api/integrations/${A.integrationId}`],
      ['GET', '/api/preferences'],
      ['PUT', '/api/preferences', { autoSuggest: false }],
      ['GET', '/api/stats'],
      ['GET', '/api/loop'],
      ['POST', '/api/loop/start'],
      ['POST', '/api/loop/stop'],
      ['GET', '/api/stream'],
    ];
    for (const [method, path, body] of routes) {
      assertErrorBody(await app.call(method, path, { body }), 401, `${method} ${path} without a key`);
      assertErrorBody(
        await app.call(method, path, { body, key: 'lk_not_a_real_key_0123456789' }),
        401,
        `${method} ${path} with a wrong key`,
      );
      assertErrorBody(
        await app.call(method, path, {
          body,
          headers: { authorization: `Basic ${Buffer.from(`x:${A.apiKey}`).toString('base64')}` },
        }),
        401,
        `${method} ${path} with Basic auth`,
      );
    }
    // Authentication comes before validation: an anonymous caller learns nothing from a 400.
    const invalid: Array<[string, string, unknown?]> = [
      ['GET', '/api/events?limit=abc'],
      ['GET', '/api/suggestions?status=bogus'],
      ['POST', '/api/integrations', { kind: 'ftp' }],
      ['PUT', '/api/preferences', { autoSuggest: 'yes please' }],
    ];
    for (const [method, path, body] of invalid) {
      assertErrorBody(await app.call(method, path, { body }), 401, `${method} ${path} (invalid input) without a key`);
    }
    // Nothing changed.
    assert.equal((await app.call('GET', `/api/integrations/${A.integrationId}`, { key: A.apiKey })).status, 200);
    assert.equal((await app.call('GET', `/api/suggestions/${s}`, { key: A.apiKey })).body.status, 'new');
    assert.equal((await app.call('GET', '/api/preferences', { key: A.apiKey })).body.autoSuggest, true);
    assert.equal((await app.call('GET', '/api/loop', { key: A.apiKey })).body.running, true);
  });

  test("lists contain only the caller's objects", async () => {
    for (const [me, other] of [
      [A, B],
      [B, A],
    ] as const) {
      const events = await app.call('GET', '/api/events?limit=200', { key: me.apiKey });
      assert.equal(events.status, 200);
      assert.ok(events.body.items.length >= 3);
      for (const e of events.body.items) assert.equal(e.user_id, me.id);
      const eventIds = new Set(events.body.items.map((e: { id: string }) => e.id));
      for (const s of other.suggestions) assert.ok(!eventIds.has(s.eventId));
      assert.ok(
        !events.text.includes(other.shop) && !events.text.includes(other === A ? 'Alpha Hoodie' : 'Bravo Hoodie'),
      );

      const suggestions = await app.call('GET', '/api/suggestions?limit=200', { key: me.apiKey });
      assert.deepEqual(
        suggestions.body.items.map((s: { id: string }) => s.id).sort(),
        me.suggestions.map((s) => s.id).sort(),
      );

      const integrations = await app.call('GET', '/api/integrations', { key: me.apiKey });
      assert.deepEqual(
        integrations.body.items.map((i: { id: string }) => i.id),
        [me.integrationId],
      );

      for (const q of ['source=shopify', 'type=shopify.product.created', 'status=processed']) {
        const r = await app.call('GET', `/api/events?${q}`, { key: me.apiKey });
        for (const e of r.body.items) assert.equal(e.user_id, me.id, q);
      }
    }
  });

  test("another user's ids are 404 on every route that takes one, and nothing of theirs changes", async () => {
    const a = A.suggestions[0]!;
    const routes: Array<[string, string]> = [
      ['GET', `/api/events/${a.eventId}`],
      ['GET', `/api/suggestions/${a.id}`],
      ['POST', `/api/suggestions/${a.id}/accept`],
      ['POST', `/api/suggestions/${a.id}/dismiss`],
      ['POST', `/api/suggestions/${a.id}/regenerate`],
      ['GET', `/api/events/${a.eventId}/inspect`],
      ['GET', `/api/integrations/${A.integrationId}`],
      ['DELETE', `/api/integrations/${A.integrationId}`],
    ];
    for (const [method, path] of routes) {
      const res = await app.call(method, path, { key: B.apiKey });
      assertErrorBody(res, 404, `${method} ${path} as B`);
      assert.ok(!res.text.includes('Alpha'), `${method} ${path}: nothing of A in the error`);
      // The owner gets the object: the 404 is about ownership, not a broken route.
      if (method === 'GET') assert.equal((await app.call(method, path, { key: A.apiKey })).status, 200, `${path} as A`);
    }
    // Ids that exist nowhere, and malformed ones, are the same 404.
    for (const path of [
      `/api/events/${randomUUID()}`,
      '/api/events/not-a-uuid',
      `/api/suggestions/${randomUUID()}`,
      `/api/integrations/${randomUUID()}`,
    ]) {
      assertErrorBody(await app.call('GET', path, { key: B.apiKey }), 404, path);
    }
    const suggestion = await app.call('GET', `/api/suggestions/${a.id}`, { key: A.apiKey });
    assert.equal(suggestion.body.status, 'new');
    const event = await app.call('GET', `/api/events/${a.eventId}`, { key: A.apiKey });
    assert.equal(event.body.user_actioned, false);
    assert.equal(event.body.suggestion_id, a.id);
    const integrations = await app.call('GET', '/api/integrations', { key: A.apiKey });
    assert.deepEqual(
      integrations.body.items.map((i: { id: string }) => i.id),
      [A.integrationId],
    );
  });

  test('preferences and the loop switch are per user', async () => {
    const before = await app.call('GET', '/api/preferences', { key: A.apiKey });
    const put = await app.call('PUT', '/api/preferences', {
      key: B.apiKey,
      body: { autoSuggest: false, thresholds: { lowStock: 42 }, profile: { brand: 'Bravo Brand' } },
    });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.autoSuggest, false);
    const after = await app.call('GET', '/api/preferences', { key: A.apiKey });
    assert.deepEqual(after.body, before.body, "A's preferences untouched");
    assert.equal(after.body.autoSuggest, true);
    assert.notEqual(after.body.thresholds.lowStock, 42);
    const mine = await app.call('GET', '/api/preferences', { key: B.apiKey });
    assert.equal(mine.body.thresholds.lowStock, 42);
    assert.equal(mine.body.profile.brand, 'Bravo Brand');
    await app.call('PUT', '/api/preferences', { key: B.apiKey, body: { autoSuggest: true } });

    assert.deepEqual((await app.call('POST', '/api/loop/stop', { key: B.apiKey })).body, { running: false });
    assert.equal((await app.call('GET', '/api/loop', { key: B.apiKey })).body.running, false);
    assert.equal((await app.call('GET', '/api/loop', { key: A.apiKey })).body.running, true, "A's loop still on");
    assert.deepEqual((await app.call('POST', '/api/loop/start', { key: B.apiKey })).body, { running: true });
  });

  test("stats count only the caller's events and suggestions", async () => {
    for (const me of [A, B]) {
      const stats = await app.call('GET', '/api/stats?days=2', { key: me.apiKey });
      assert.equal(stats.status, 200, stats.text);
      const { rows } = await fx.db.query<{ n: number }>(
        'select count(*)::int as n from background_events where user_id = $1',
        [me.id],
      );
      assert.equal(stats.body.events.total, rows[0]!.n);
      const { rows: sugg } = await fx.db.query<{ n: number }>(
        'select count(*)::int as n from suggestions where user_id = $1',
        [me.id],
      );
      assert.equal(stats.body.suggestions.total, sugg[0]!.n);
    }
    const { rows: all } = await fx.db.query<{ n: number }>('select count(*)::int as n from background_events');
    const a = await app.call('GET', '/api/stats?days=2', { key: A.apiKey });
    assert.ok(a.body.events.total < all[0]!.n, 'not the instance-wide count');
  });

  test("GET /api/stream carries only the caller's messages", async () => {
    const marker = `Bravo Stream ${randomUUID().slice(0, 8)}`;
    const live = await openStream(`${app.url}/api/stream`, B.apiKey);
    assert.equal(live.status, 200);
    await waitFor(() => live.text.includes(': connected'), 'the stream to open');
    await deliverProduct(A, 'Alpha Stream Hoodie');
    await deliverProduct(B, marker);
    const [aS, bS] = await Promise.all([suggestionFor(A, 'Alpha Stream Hoodie'), suggestionFor(B, marker)]);
    await waitFor(
      () => live.text.includes(bS.id) && live.text.includes(bS.eventId),
      "B's own event and suggestion on its stream",
      5_000,
    );
    // A's messages were published at the same time: give a leak every chance to show.
    await new Promise((r) => setTimeout(r, 300));
    live.close();
    assert.match(live.text, /event: event/);
    assert.match(live.text, /event: suggestion/);
    assert.ok(!live.text.includes(aS.id) && !live.text.includes(aS.eventId), "never of A's");
    for (const s of A.suggestions) assert.ok(!live.text.includes(s.id) && !live.text.includes(s.eventId));

    // Resuming with Last-Event-ID replays only the caller's messages too.
    const replay = await openStream(`${app.url}/api/stream?lastEventId=0`, B.apiKey);
    await waitFor(() => replay.text.includes(bS.id), 'the replay', 5_000);
    await new Promise((r) => setTimeout(r, 200));
    replay.close();
    for (const s of B.suggestions) assert.ok(replay.text.includes(s.id), "B's earlier suggestions replayed");
    assert.ok(!replay.text.includes(aS.id) && !replay.text.includes(aS.eventId));
    for (const s of A.suggestions) assert.ok(!replay.text.includes(s.id) && !replay.text.includes(s.eventId));
    A.suggestions.push(aS);
    B.suggestions.push(bS);
  });

  test(
    'signed action links: the token accepts its own suggestion without a key; anything ' + 'else is refused',
    async () => {
      const key = app.lookout.ctx.actionLinks;
      const [s1, s2, s3] = A.suggestions;
      const link = new URL(
        signActionLink(key, { suggestionId: s1!.id, userId: A.id, action: 'accept', publicUrl: app.url }),
      );
      const path = `${link.pathname}${link.search}`;

      // GET (what a mail scanner or link preview fetches) shows a confirmation page and changes nothing.
      const page = await app.call('GET', path);
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.match(page.text, /<form method="post"/);
      assert.ok(page.text.includes(`/api/suggestions/${s1!.id}/accept?token=`));
      assert.equal(
        (await app.call('GET', `/api/suggestions/${s1!.id}`, { key: A.apiKey })).body.status,
        'new',
        'GET did not accept',
      );

      // The token of s1 on s2's URL, on the other action, or altered: 401.
      const token = link.searchParams.get('token')!;
      const q = `?token=${encodeURIComponent(token)}`;
      assertErrorBody(
        await app.call('POST', `/api/suggestions/${s2!.id}/accept${q}`),
        401,
        'token of another suggestion',
      );
      assertErrorBody(await app.call('POST', `/api/suggestions/${s1!.id}/dismiss${q}`), 401, 'token of another action');
      const sig = token.split('.')[2]!;
      const flipped = `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`;
      const tampered = token.replace(sig, flipped);
      assertErrorBody(
        await app.call('POST', `/api/suggestions/${s1!.id}/accept?token=${encodeURIComponent(tampered)}`),
        401,
        'tampered token',
      );
      const otherUser = token.replace(A.id, B.id);
      assertErrorBody(
        await app.call('POST', `/api/suggestions/${s1!.id}/accept?token=${encodeURIComponent(otherUser)}`),
        401,
        'token with another user id',
      );
      assertErrorBody(
        await app.call('POST', `/api/suggestions/${s1!.id}/accept?token=garbage`),
        401,
        'malformed token',
      );
      const expired = createActionToken(
        key,
        { suggestionId: s1!.id, userId: A.id, action: 'accept' },
        new Date(Date.now() - 1000),
      );
      assertErrorBody(
        await app.call('POST', `/api/suggestions/${s1!.id}/accept?token=${encodeURIComponent(expired)}`),
        401,
        'expired token',
      );
      // A validly signed token naming B for A's suggestion authenticates as B: still not A's to act on.
      const asB = createActionToken(
        key,
        { suggestionId: s1!.id, userId: B.id, action: 'accept' },
        new Date(Date.now() + 60_000),
      );
      assertErrorBody(
        await app.call('POST', `/api/suggestions/${s1!.id}/accept?token=${encodeURIComponent(asB)}`),
        404,
        "B's token for A's suggestion",
      );
      for (const s of [s1!, s2!])
        assert.equal((await app.call('GET', `/api/suggestions/${s.id}`, { key: A.apiKey })).body.status, 'new');

      // The genuine click: POST with the token and no bearer key.
      const accepted = await app.call('POST', path);
      assert.equal(accepted.status, 200, accepted.text);
      assert.match(accepted.text, /accepted/);
      const s = await app.call('GET', `/api/suggestions/${s1!.id}`, { key: A.apiKey });
      assert.equal(s.body.status, 'accepted');
      const event = await app.call('GET', `/api/events/${s1!.eventId}`, { key: A.apiKey });
      assert.equal(event.body.user_actioned, true);

      // With a key, the key decides: B's key with A's valid token is still B, so 404.
      assertErrorBody(
        await app.call(
          'POST',
          `/api/suggestions/${s3!.id}/dismiss?token=` +
            encodeURIComponent(
              createActionToken(
                key,
                { suggestionId: s3!.id, userId: A.id, action: 'dismiss' },
                new Date(Date.now() + 60_000),
              ),
            ),
          { key: B.apiKey },
        ),
        404,
        "B's key with A's token",
      );
      // The owner's own key works as usual.
      const dismissed = await app.call('POST', `/api/suggestions/${s2!.id}/dismiss`, { key: A.apiKey });
      assert.equal(dismissed.status, 200);
      assert.equal(dismissed.body.status, 'dismissed');
      assert.equal((await app.call('GET', `/api/events/${s2!.eventId}`, { key: A.apiKey })).body.user_actioned, true);
      // B's own suggestions are untouched by all of this.
      for (const b of B.suggestions)
        assert.equal((await app.call('GET', `/api/suggestions/${b.id}`, { key: B.apiKey })).body.status, 'new');
    },
  );

  test('B can delete only its own integration', async () => {
    assertErrorBody(
      await app.call('DELETE', `/api/integrations/${A.integrationId}`, { key: B.apiKey }),
      404,
      "B deleting A's",
    );
    assert.equal((await app.call('GET', `/api/integrations/${A.integrationId}`, { key: A.apiKey })).status, 200);
    assert.equal((await app.call('DELETE', `/api/integrations/${B.integrationId}`, { key: B.apiKey })).status, 204);
    assert.equal((await app.call('GET', `/api/integrations/${B.integrationId}`, { key: B.apiKey })).status, 404);
    assert.equal((await app.call('GET', `/api/integrations/${A.integrationId}`, { key: A.apiKey })).status, 200);
  });
});
