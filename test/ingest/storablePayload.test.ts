/**
 * The boundary check against the real thing: what toStorableJson and numericHolds say PostgreSQL's
 * jsonb accepts is what PostgreSQL (and PGlite) actually accept, for generated JSON text.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  MAX_PAYLOAD_DEPTH,
  nestingExceeds,
  numericHolds,
  timestampHolds,
  toStorableJson,
} from '../../src/ingest/storablePayload.js';
import { describeEachEngine } from '../helpers/engines.js';
import { jsonNumberText, jsonStringText, jsonValueText } from '../helpers/jsonText.js';

describe('storable payloads: what jsonb cannot hold', () => {
  test('NUL and lone surrogate escapes become U+FFFD; pairs, other escapes and raw text are kept', () => {
    assert.deepEqual(toStorableJson('{"a":"x\\u0000y"}'), { json: '{"a":"x\\ufffdy"}', issues: ['nul_character'] });
    assert.deepEqual(toStorableJson('{"\\u0000":1}'), { json: '{"\\ufffd":1}', issues: ['nul_character'] });
    assert.deepEqual(toStorableJson('["\\ud83d"]'), { json: '["\\ufffd"]', issues: ['lone_surrogate'] });
    assert.deepEqual(toStorableJson('["\\uDE00\\uD83D"]'), { json: '["\\ufffd\\ufffd"]', issues: ['lone_surrogate'] });
    assert.deepEqual(toStorableJson('["\\ud83d\\ud83d\\ude00"]'), {
      json: '["\\ufffd\\ud83d\\ude00"]',
      issues: ['lone_surrogate'],
    });
    for (const fine of ['["\\ud83d\\ude00"]', '["\\\\u0000"]', '["😀 \\n \\" \\u0001"]', '{"a":[1,2,{"b":null}]}'])
      assert.deepEqual(toStorableJson(fine), { json: fine, issues: [] }, fine);
  });

  test('numbers numeric cannot hold become strings of their exact text; the rest is untouched', () => {
    assert.deepEqual(toStorableJson('{"n":1e999999,"m":2}'), {
      json: '{"n":"1e999999","m":2}',
      issues: ['number_out_of_range'],
    });
    assert.deepEqual(toStorableJson('[-1.5e-16383]'), { json: '["-1.5e-16383"]', issues: ['number_out_of_range'] });
    for (const n of ['1e131071', '0e999999', '1e-16383', '9007199254740993123', '-0', '0.1e131072'])
      assert.ok(numericHolds(n), n);
    for (const n of ['1e131072', '1e-16384', '0e-16384', '1.5e-16383', '0.1e131073', '1e99999999999', '0e1073741823'])
      assert.ok(!numericHolds(n), n);
  });

  test('containers past the depth limit become one marker string', () => {
    const deep = `{"a":${'['.repeat(MAX_PAYLOAD_DEPTH)}1${']'.repeat(MAX_PAYLOAD_DEPTH)},"b":2}`;
    const { json, issues } = toStorableJson(deep);
    assert.deepEqual(issues, ['too_deep']);
    assert.ok(!nestingExceeds(json));
    const parsed = JSON.parse(json);
    assert.equal(parsed.b, 2);
    let inner = parsed.a;
    for (let d = 2; d < MAX_PAYLOAD_DEPTH; d++) inner = inner[0];
    assert.match(inner[0], /nested deeper than 512 levels/);
    const atLimit = `${'['.repeat(MAX_PAYLOAD_DEPTH)}${']'.repeat(MAX_PAYLOAD_DEPTH)}`;
    assert.deepEqual(toStorableJson(atLimit), { json: atLimit, issues: [] });
  });

  test('the depth scan counts nesting, not brackets inside strings, on bytes and on text', () => {
    const nestedValue = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'medium' },
        fc.string(),
        fc.integer(),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    const depthOf = (v: unknown): number =>
      typeof v !== 'object' || v === null
        ? 0
        : 1 + Math.max(0, ...(Array.isArray(v) ? v : Object.values(v as object)).map(depthOf));
    fc.assert(
      fc.property(nestedValue, fc.integer({ min: 0, max: 8 }), (v, max) => {
        const text = JSON.stringify(v);
        const expected = depthOf(v) > max;
        assert.equal(nestingExceeds(text, max), expected);
        assert.equal(nestingExceeds(Buffer.from(text), max), expected);
      }),
      { numRuns: 500 },
    );
  });

  test('timestamps: years 0001 to 9999 only', () => {
    assert.ok(timestampHolds(new Date('0001-01-01T00:00:00.000Z')));
    assert.ok(timestampHolds(new Date('9999-12-31T23:59:59.999Z')));
    assert.ok(!timestampHolds(new Date('0000-12-31T23:59:59.999Z')));
    assert.ok(!timestampHolds(new Date('+010000-01-01T00:00:00.000Z')));
    assert.ok(!timestampHolds(new Date('+275760-09-13T00:00:00.000Z')));
    assert.ok(!timestampHolds(new Date('not a date')));
  });
});

describeEachEngine('storable payloads agree with the database', (fx) => {
  const accepted = async (json: string): Promise<boolean> => {
    try {
      await fx.db.query('select $1::jsonb', [json]);
      return true;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      assert.match(code, /^(22|54)/, `an unexpected refusal: ${String(err)}`);
      return false;
    }
  };

  test('numericHolds(n) is true exactly when jsonb accepts the number n', async () => {
    await fc.assert(
      fc.asyncProperty(jsonNumberText, async (n) => {
        const holds = numericHolds(n);
        const ok = await accepted(n);
        // The one deliberate difference: PostgreSQL 18 (PGlite) accepts a zero with an exponent of
        // exactly 1073741823, which PostgreSQL 15 refuses; numericHolds follows the stricter one.
        if (!holds && ok)
          assert.match(n, /[eE]\+?1073741823$/, `${n.slice(0, 60)} refused by us, accepted by ${fx.engine}`);
        else assert.equal(holds, ok, `${n.length > 60 ? `${n.slice(0, 60)}…` : n}: numericHolds ${holds}, jsonb ${ok}`);
      }),
      { numRuns: 400 },
    );
  });

  test('a string is left unchanged exactly when jsonb accepts it', async () => {
    await fc.assert(
      fc.asyncProperty(jsonStringText, async ({ text }) => {
        const { issues } = toStorableJson(`[${text}]`);
        assert.equal(issues.length === 0, await accepted(text), text);
      }),
      { numRuns: 400 },
    );
  });

  test(
    'whatever the JSON text, its storable form is accepted by jsonb and unchanged when it ' + 'needs no change',
    async () => {
      await fc.assert(
        fc.asyncProperty(jsonValueText, async (text) => {
          const { json, issues } = toStorableJson(text);
          if (issues.length === 0) assert.equal(json, text);
          JSON.parse(json);
          // Past the depth limit PGlite's parser must not even be tried (that is the limit's point).
          if (nestingExceeds(text)) assert.ok(issues.includes('too_deep'));
          else assert.equal(await accepted(text), issues.length === 0, text.slice(0, 200));
          assert.ok(await accepted(json), json.slice(0, 200));
        }),
        { numRuns: 300 },
      );
    },
  );
});
