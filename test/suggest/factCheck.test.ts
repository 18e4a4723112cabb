import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAgainstFacts, numbersIn } from '../../src/suggest/factCheck.js';

const facts = {
  name: 'Linen Shirt (M)',
  available: 4,
  sales: { units: 21, days: 7, from: '2026-04-13T10:00:00.000Z' },
  plan: { coverDays: 1.3333333, reorderQuantity: 149, targetStock: 153 },
  crossSell: [{ title: 'Canvas Tote', price: 24 }],
};
const draft = (body: string, content: Record<string, unknown> = {}) => ({
  title: 'Restock Linen Shirt (M)',
  body,
  content,
});

describe('fact check of a model answer', () => {
  it('accepts figures from the facts, rounded as written, and small counts of its own', () => {
    const r = checkAgainstFacts(
      draft(
        '21 sold in 7 days: 3 a day, about 1.3 days of cover (since Apr 13). Reorder **149 units**; 2 steps below.',
      ),
      facts,
      { language: 'en' },
    );
    assert.deepEqual(r, { ok: true, problems: [] });
  });

  it('reads figures the way the language writes them', () => {
    assert.deepEqual(
      numbersIn('1.234,5 € et 1,3 jours', 'comma').map((n) => n.value),
      [1234.5, 1.3],
    );
    assert.deepEqual(
      numbersIn('$1,234.50 and 1.3 days on 2026-04-13T10:00', 'dot').map((n) => n.value),
      [1234.5, 1.3, 2026, 4, 13, 10, 0],
    );
    assert.ok(
      checkAgainstFacts(draft('Environ 1,3 jours de stock ; commandez 149 unités.'), facts, { language: 'fr' }).ok,
    );
  });

  it('rejects a figure that is in no fact, and says which', () => {
    const r = checkAgainstFacts(draft('Reorder **186 units**: 21 sold in 7 days.'), facts, { language: 'en' });
    assert.equal(r.ok, false);
    assert.match(r.problems.join(), /numbers not in the facts: 186/);
  });

  it('rejects a product it names (in bold or as a recommendation) that the facts never mention', () => {
    const bold = checkAgainstFacts(draft('Pair it with the **Aurora Silk Scarf**.'), facts, { language: 'en' });
    assert.match(bold.problems.join(), /names not in the facts: Aurora Silk Scarf/);
    const content = checkAgainstFacts(
      draft('See below.', { crossSell: [{ title: 'Velvet Cap', reason: 'x' }] }),
      facts,
      {
        language: 'en',
      },
    );
    assert.match(content.problems.join(), /Velvet Cap/);
    // Labels in bold ("**Price**: ...") and names from the facts are fine.
    assert.ok(
      checkAgainstFacts(draft('**Price**: 24\n\n**Canvas Tote** goes well with it.'), facts, { language: 'en' }).ok,
    );
  });

  it('rejects an answer that repeats the internal audience description', () => {
    const r = checkAgainstFacts(draft('Made for consultants aged 30-45 who fly every week.'), facts, {
      language: 'en',
      audience: 'consultants aged 30-45 who fly every week and hate ironing',
    });
    assert.match(r.problems.join(), /internal audience description/);
  });
});
