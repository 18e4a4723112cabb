import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileAvoid, scrubText } from '../../src/suggest/avoidWords.js';

describe('scrubText', () => {
  const m = compileAvoid(['link', 'game changer', 'cheap']);

  it('removes whole words and phrases case-insensitively and tidies the gap', () => {
    assert.equal(scrubText('A Game Changer, and cheap too!', m), 'A, and too!');
    assert.equal(scrubText('Link in bio. Go!', m), 'In bio. Go!');
    assert.equal(scrubText('Treat yourself! link in bio', m), 'Treat yourself! In bio');
  });

  it('leaves words that merely contain an avoided word, but drops such hashtags', () => {
    assert.equal(scrubText('Linking cheaply', m), 'Linking cheaply');
    assert.equal(scrubText('Go #cheapshirts #tee', m), 'Go #tee');
  });

  it('returns the text untouched when nothing is avoided', () => {
    const text = 'Nothing  to   change here';
    assert.equal(scrubText(text, m), text);
    assert.equal(scrubText(text, compileAvoid([])), text);
  });
});
