/**
 * For any JSON a sender signs (strings with any UTF-16 unit, escaped or raw; numbers of any size;
 * nesting around the limit), a delivery is either stored, and the API gives its payload back with
 * nothing lost, or refused with a 4xx that says why (422 nested too deep, 413 over 1 MiB). Never
 * a 5xx.
 *
 * "Nothing lost": a flagged event (one whose payload jsonb could not hold) comes back as the exact
 * text received; any other comes back as jsonb's rendering of the same value: every string the
 * same, every number the same decimal with all its digits, the same keys (whitespace, key order
 * and number spelling such as 1E2 for 100 are jsonb's).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { isLosslessNumber, parse as parseLossless } from 'lossless-json';
import { MAX_BODY_BYTES } from '../../src/api/server.js';
import { orderCreatedKey } from '../../src/sources/shopify/dedupeKeys.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { jsonValueText } from '../helpers/jsonText.js';
import { type Answer, deliverShopify, deliverSupabase, SHOPIFY_SECRET, shopOwner, supabaseOwner } from './support.js';

/** A JSON number's value as text: sign, significant digits, exponent (so 1E2 and 100 are equal). */
function canonicalNumber(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return `not a number: ${text}`;
  let digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+/, '');
  let exponent = BigInt(m[4] ?? '0') - BigInt((m[3] ?? '').length);
  if (digits === '') return '0';
  // A loop, not /0+$/: that regex is quadratic on a long run of digits ending in non-zero.
  let trailing = 0;
  while (digits[digits.length - 1 - trailing] === '0') trailing++;
  digits = digits.slice(0, digits.length - trailing);
  exponent += BigInt(trailing);
  return `${m[1]}${digits}e${exponent}`;
}

function sameJson(a: unknown, b: unknown, path = '$'): void {
  if (isLosslessNumber(a) || isLosslessNumber(b)) {
    assert.ok(isLosslessNumber(a) && isLosslessNumber(b), `${path}: a number on one side only`);
    assert.equal(canonicalNumber(a.value), canonicalNumber(b.value), `${path}: numbers differ`);
  } else if (Array.isArray(a)) {
    assert.ok(Array.isArray(b), `${path}: an array on one side only`);
    assert.equal(a.length, b.length, `${path}: lengths differ`);
    for (const [i, v] of a.entries()) sameJson(v, b[i], `${path}[${i}]`);
  } else if (typeof a === 'object' && a !== null) {
    assert.ok(typeof b === 'object' && b !== null && !Array.isArray(b), `${path}: an object on one side only`);
    const ka = Object.keys(a).sort();
    assert.deepEqual(ka, Object.keys(b).sort(), `${path}: keys differ`);
    for (const k of ka) sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  } else {
    assert.equal(a, b, `${path}: values differ`);
  }
}

describeEachEngine('any signed JSON is stored retrievably or refused with a 4xx', (fx) => {
  let app: TestApp;
  let owner: { id: string; apiKey: string };
  const shop = `property-${fx.engine}.myshopify.com`;
  let n = 0;

  before(async () => {
    app = await startTestApp(fx.db, { SHOPIFY_API_SECRET: SHOPIFY_SECRET }, { role: 'web' });
    owner = await shopOwner(app, shop);
  });
  after(() => app.close());

  /** Checks the answer to `body` and, when stored, what the API gives back for it. */
  async function checkDelivery(answer: Answer, body: string, dedupeKey: string, apiKey: string) {
    assert.ok(answer.status < 500, `${answer.status} ${answer.text}`);
    const { rows } = await fx.db.query<{ id: string; issues: string[] | null }>(
      'select id, payload_issues as issues from background_events where dedupe_key = $1',
      [dedupeKey],
    );
    if (answer.status !== 200) {
      // The two refusals a valid JSON body can meet: too large (several 131,072-digit numbers in
      // one value pass 1 MiB) or nested too deep. Both say why.
      if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
        assert.equal(answer.status, 413, answer.text);
        assert.equal(answer.body.error.code, 'payload_too_large');
      } else {
        assert.equal(answer.status, 422, answer.text);
        assert.equal(answer.body.error.code, 'payload_too_deep');
      }
      assert.equal(rows.length, 0, 'refused, so not stored');
      return;
    }
    assert.equal(answer.body.status, 'stored', answer.text);
    assert.equal(rows.length, 1, 'a 200 has its row');
    const api = await app.call('GET', `/api/events/${rows[0]!.id}`, { key: apiKey });
    assert.equal(api.status, 200, api.text);
    const eventData = (parseLossless(api.text) as { event_data: unknown }).event_data;
    if (rows[0]!.issues) assert.ok(api.text.includes(body), 'a flagged payload comes back as the exact text received');
    sameJson(eventData, parseLossless(body));
  }

  // Each run sends a few deliveries at once: they share group commits, as real bursts do.
  const values = fc.array(jsonValueText, { minLength: 1, maxLength: 6 });

  test('Shopify deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(values, async (batch) => {
        await Promise.all(
          batch.map(async (value) => {
            const id = ++n;
            const eventId = `prop-${id}`;
            const body = `{"id":${id},"v":${value}}`;
            const answer = await deliverShopify(app, shop, body, { headers: { 'x-shopify-event-id': eventId } });
            // orders/create is stored under the order's creation (the key the poll of orders shares).
            await checkDelivery(answer, body, orderCreatedKey(shop, String(id)), owner.apiKey);
          }),
        );
      }),
      { numRuns: 60 },
    );
  });

  test('Supabase deliveries', async () => {
    const supa = await supabaseOwner(app);
    const { rows } = await fx.db.query<{ id: string }>(
      `select id from integrations where user_id = $1 and kind = 'supabase'`,
      [supa.id],
    );
    const integrationId = rows[0]!.id;
    await fc.assert(
      fc.asyncProperty(values, async (batch) => {
        await Promise.all(
          batch.map(async (value) => {
            const body =
              `{"type":"INSERT","table":"t","schema":"public","record":{"n":${++n},"v":` +
              `${value}},"old_record":null}`;
            const answer = await deliverSupabase(app, supa.secret, body);
            // Supabase sends no event id: the key is the integration and a digest of the body.
            const key = `${integrationId}:row:${createHash('sha256').update(body, 'utf8').digest('hex')}`;
            await checkDelivery(answer, body, key, supa.apiKey);
          }),
        );
      }),
      { numRuns: 30 },
    );
  });
});
