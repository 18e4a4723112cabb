import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'lossless-json';
import { assemblePrompt } from '../../src/suggest/prompt.js';
import { stableJson } from '../../src/suggest/stableJson.js';
import type { SuggestionInput } from '../../src/suggest/types.js';
import { allCases, inputFor, shopifyFixturePath } from './suggestFixtures.js';

const profile = { brand: 'Acme', niche: 'streetwear', audience: 'students', language: 'es' };
const vibe = { tone: 'playful', emoji: 'none' as const, length: 'short' as const, avoidWords: ['cheap', 'Amazing'] };

function reorderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (value && typeof value === 'object' && value.constructor === Object) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorderKeys(v)]),
    );
  }
  return value;
}

describe('assemblePrompt', () => {
  it('is byte-for-byte the same for the same input, for every event type', () => {
    for (const c of allCases()) {
      const a = assemblePrompt(inputFor(c, profile, vibe));
      const b = assemblePrompt(inputFor(c, { ...profile }, { ...vibe, avoidWords: [...vibe.avoidWords] }));
      assert.equal(a.system, b.system, c.name);
      assert.equal(a.user, b.user, c.name);
    }
  });

  it('does not depend on key order in the payload or the order of avoided words', () => {
    const c = allCases()[0]!;
    const a = assemblePrompt(inputFor(c, profile, vibe));
    const b = assemblePrompt({
      ...inputFor(c, profile, { ...vibe, avoidWords: ['Amazing', 'cheap'] }),
      eventData: reorderKeys(c.eventData),
    });
    assert.equal(a.system, b.system);
    assert.equal(a.user, b.user);
  });

  it('carries the profile and the vibe', () => {
    const { system } = assemblePrompt(inputFor(allCases()[0]!, profile, vibe));
    for (const text of [
      'Acme',
      'streetwear',
      'students',
      'Spanish (es)',
      'playful',
      'no emoji',
      'short',
      '"cheap"',
      '"Amazing"',
    ]) {
      assert.ok(system.includes(text), `missing ${text} in:\n${system}`);
    }
  });

  it('compacts the event: product facts in, storefront noise out; ids keep every digit', () => {
    const { user } = assemblePrompt(inputFor(allCases()[0]!));
    assert.match(user, /"title":"Example T-Shirt"/);
    assert.match(user, /"discountPercent":20/);
    assert.match(user, /"id":"788032119674292922"/);
    assert.ok(!user.includes('variant_gids'));
    assert.ok(!user.includes('admin_graphql_api_id'));
    assert.ok(user.length < 2_000, `user prompt is ${user.length} chars`);
  });

  it('keeps customer personal data other than the first name out of an order prompt', () => {
    const c = allCases().find((x) => x.eventType === 'shopify.order.created')!;
    const { user } = assemblePrompt(inputFor(c));
    assert.match(user, /"firstName":"John"/);
    for (const pii of ['Smith', 'john@example.com', '123 Elm', 'Ottawa', 'browser_ip'])
      assert.ok(!user.includes(pii), pii);
  });

  it('gives the model the computed reorder plan for low stock', () => {
    const c = allCases().find((x) => x.name === 'inventory low')!;
    const { user } = assemblePrompt(inputFor(c));
    assert.match(user, /"reorderQuantity":141/);
    assert.match(user, /"coverDays":4/);
  });

  it('reads LosslessNumber payloads and JSON.parse payloads alike', () => {
    const text = readFileSync(shopifyFixturePath('2026-04/products__create.json'), 'utf8');
    const base: Omit<SuggestionInput, 'eventData'> = {
      eventType: 'shopify.product.created',
      eventId: 'p',
      profile: {},
      vibe: {},
    };
    const lossless = assemblePrompt({ ...base, eventData: parse(text) });
    const plain = assemblePrompt({ ...base, eventData: JSON.parse(text) as unknown });
    // The gid keeps the exact id either way; JSON.parse only rounds the numeric `id`.
    assert.equal(lossless.user, plain.user);
  });
});

describe('stableJson', () => {
  it('sorts keys at every depth and prints big numbers exactly', () => {
    assert.equal(
      stableJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    assert.equal(stableJson(parse('{"id": 788032119674292922}')), '{"id":788032119674292922}');
    assert.equal(stableJson({ skip: undefined, n: 10n }), '{"n":10}');
  });
});
