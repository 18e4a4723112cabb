/**
 * Poison payloads: validly signed deliveries whose bodies PostgreSQL's jsonb or timestamptz cannot
 * take as sent. Each is sent inside a burst of valid deliveries that share its group commits: no
 * valid delivery may fail because of it, and the poison one is stored (flagged, exact text kept)
 * or refused with a 4xx, never a 5xx; every 200 has its row.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parse as parseLossless } from 'lossless-json';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import {
  deliverShopify,
  deliverSupabase,
  isServerError,
  SHOPIFY_SECRET,
  shopOwner,
  supabaseInsert,
  supabaseOwner,
} from './support.js';

interface Poison {
  what: string;
  topic?: string;
  body: (id: number) => string;
  /** stored: 200 with the exact text kept; refused: this 4xx */
  expect: { stored: true; issues?: string[] } | { refused: number; code: string };
}

const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

const POISONS: Poison[] = [
  {
    what: 'a NUL character in a string',
    body: (id) => `{"id":${id},"note":"before\\u0000after","customer":{"email":"a@example.com"}}`,
    expect: { stored: true, issues: ['nul_character'] },
  },
  {
    what: 'a NUL character in a key',
    body: (id) => `{"id":${id},"\\u0000":"x"}`,
    expect: { stored: true, issues: ['nul_character'] },
  },
  {
    what: 'a lone surrogate',
    body: (id) => `{"id":${id},"note":"\\ud83d"}`,
    expect: { stored: true, issues: ['lone_surrogate'] },
  },
  {
    what: 'a number beyond numeric (1e999999)',
    body: (id) => `{"id":${id},"total_price":1e999999,"line_items":[{"id":18446744073709551615}]}`,
    expect: { stored: true, issues: ['number_out_of_range'] },
  },
  {
    what: 'updated_at in year 275760',
    topic: 'products/update',
    body: (id) =>
      `{"id":${id},"admin_graphql_api_id":"gid://shopify/Product/${id}","title":"Far ` +
      `future","updated_at":"+275760-09-13T00:00:00.000Z"}`,
    expect: { stored: true },
  },
  {
    what: 'updated_at in year 0',
    topic: 'products/update',
    body: (id) =>
      `{"id":${id},"admin_graphql_api_id":"gid://shopify/Product/${id}","title":"Year ` +
      `zero","updated_at":"0000-06-01T00:00:00Z"}`,
    expect: { stored: true },
  },
  {
    what: 'arrays nested 20,000 deep',
    body: (id) => `{"id":${id},"x":${deep(20_000)}}`,
    expect: { refused: 422, code: 'payload_too_deep' },
  },
];

const VALID_PER_BURST = 99;

describeEachEngine('poison payloads inside a burst of valid deliveries', (fx) => {
  let app: TestApp;
  let user: { id: string; apiKey: string };
  const shop = `poison-${fx.engine}.myshopify.com`;
  let lastId = 1_000_000;
  const newId = () => ++lastId;

  before(async () => {
    app = await startTestApp(fx.db, { SHOPIFY_API_SECRET: SHOPIFY_SECRET }, { role: 'web' });
    user = await shopOwner(app, shop);
  });
  after(() => app.close());

  const storedIds = async (ids: number[]) => {
    const { rows } = await fx.db.query<{ id: string }>(
      `select event_data->>'id' as id from background_events where user_id = $1
       and event_data->>'id' = any($2::text[])`,
      [user.id, ids.map(String)],
    );
    return new Set(rows.map((r) => Number(r.id)));
  };

  for (const poison of POISONS) {
    test(
      `${poison.what}: the ${VALID_PER_BURST} others are stored; it is ` +
        `${'stored' in poison.expect ? 'stored, flagged, its text kept' : `refused with ${poison.expect.refused}`}`,
      async () => {
        const validIds = Array.from({ length: VALID_PER_BURST }, newId);
        const poisonId = newId();
        const poisonBody = poison.body(poisonId);
        const position = Math.floor(VALID_PER_BURST / 2);
        const sends = validIds.map((id) =>
          deliverShopify(app, shop, `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","name":"#${id}"}`),
        );
        sends.splice(position, 0, deliverShopify(app, shop, poisonBody, { topic: poison.topic }));
        const answers = await Promise.all(sends);
        const poisonAnswer = answers.splice(position, 1)[0]!;

        assert.deepEqual(
          answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.text}`),
          [],
          'every valid delivery is answered 200',
        );
        const stored = await storedIds(validIds);
        assert.deepEqual(
          validIds.filter((id) => !stored.has(id)),
          [],
          'every 200 has its row',
        );

        assert.ok(!isServerError(poisonAnswer.status), `poison answered ${poisonAnswer.status}: ${poisonAnswer.text}`);
        if ('refused' in poison.expect) {
          assert.equal(poisonAnswer.status, poison.expect.refused, poisonAnswer.text);
          assert.equal(poisonAnswer.body.error.code, poison.expect.code);
          assert.match(poisonAnswer.body.error.message, /deeper than 512 levels/);
          assert.equal((await storedIds([poisonId])).size, 0);
          return;
        }
        assert.equal(poisonAnswer.status, 200, poisonAnswer.text);
        assert.equal(poisonAnswer.body.status, 'stored');
        const { rows } = await fx.db.query<{ id: string; raw: string | null; issues: string[] | null }>(
          `select id, event_data_raw as raw, payload_issues as issues from background_events
         where user_id = $1 and event_data->>'id' = $2`,
          [user.id, String(poisonId)],
        );
        assert.equal(rows.length, 1, 'the poison delivery has its row');
        if (poison.expect.issues) {
          assert.deepEqual(rows[0]!.issues, poison.expect.issues);
          assert.deepEqual(poisonAnswer.body.payloadIssues, poison.expect.issues);
          assert.equal(rows[0]!.raw, poisonBody, 'the exact text received is kept');
        }
        // The API gives back the text as received, as JSON, every digit intact.
        const api = await app.call('GET', `/api/events/${rows[0]!.id}`, { key: user.apiKey });
        assert.equal(api.status, 200, api.text);
        const event = parseLossless(api.text) as { event_data: Record<string, unknown>; payload_issues: unknown };
        assert.equal(String(event.event_data.id), String(poisonId));
        if (poison.expect.issues) {
          assert.ok(api.text.includes(poisonBody), 'event_data is the received text, verbatim');
          assert.deepEqual(event.payload_issues, poison.expect.issues);
        }
      },
    );
  }

  test('the same poison delivery retried is a duplicate, not an error', async () => {
    const body = Buffer.from(`{"id":${newId()},"note":"\\u0000"}`);
    const headers = {
      'x-shopify-event-id': `retry-${fx.engine}`,
      'x-shopify-webhook-id': `retry-${fx.engine}`,
    };
    const first = await deliverShopify(app, shop, body, { headers });
    const again = await deliverShopify(app, shop, body, { headers });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.status, 'stored');
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.status, 'duplicate');
  });

  test('Supabase: a record holding 1e999999 is stored flagged, the other 99 rows stored', async () => {
    const owner = await supabaseOwner(app);
    const bodies = Array.from({ length: VALID_PER_BURST }, (_, i) =>
      supabaseInsert(`{"id":${i},"total":"${i}.00","note":"row ${i}"}`),
    );
    const poison = supabaseInsert('{"id":"poison","total":1e999999,"tiny":1e-999999}');
    const sends = bodies.map((b) => deliverSupabase(app, owner.secret, b));
    sends.splice(10, 0, deliverSupabase(app, owner.secret, poison));
    const answers = await Promise.all(sends);
    const poisonAnswer = answers.splice(10, 1)[0]!;
    assert.deepEqual(
      answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.text}`),
      [],
    );
    assert.equal(poisonAnswer.status, 200, poisonAnswer.text);
    assert.deepEqual(poisonAnswer.body.payloadIssues, ['number_out_of_range']);
    const { rows } = await fx.db.query<{ n: number; raw: string | null; total: string | null }>(
      `select count(*)::int as n, max(event_data_raw) as raw,
       max(event_data#>>'{record,total}') filter (where event_data#>>'{record,id}' = 'poison') as total
       from background_events where user_id = $1`,
      [owner.id],
    );
    assert.equal(rows[0]!.n, VALID_PER_BURST + 1);
    assert.equal(rows[0]!.raw, poison);
    assert.equal(rows[0]!.total, '1e999999', 'the sanitised copy keeps the number as its text');
    const list = await app.call('GET', '/api/events?source=supabase&limit=200', { key: owner.apiKey });
    assert.ok(list.text.includes(poison), 'the API returns the received text verbatim');
  });

  test('Supabase: a record nested past the limit is refused with 422, and the server answers at once', async () => {
    const owner = await supabaseOwner(app);
    const res = await deliverSupabase(app, owner.secret, supabaseInsert(`{"id":1,"x":${deep(9_000)}}`));
    assert.equal(res.status, 422, res.text);
    assert.equal(res.body.error.code, 'payload_too_deep');
    assert.equal((await app.call('GET', '/healthz')).status, 200);
  });
});
