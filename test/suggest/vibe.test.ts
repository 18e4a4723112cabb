import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderOffline } from '../../src/suggest/offline/renderOffline.js';
import { allCases, allText, EMOJI, inputFor } from './suggestFixtures.js';

describe('vibe: emoji', () => {
  it('"none" leaves no emoji anywhere in any suggestion, even when the product title has one', () => {
    for (const c of allCases()) {
      for (const language of ['en', 'es']) {
        const text = allText(renderOffline(inputFor(c, { language }, { emoji: 'none', length: 'long' })));
        assert.ok(!EMOJI.test(text), `${c.name} (${language}) has an emoji: ${text.match(EMOJI)?.[0]}`);
      }
    }
    const withEmoji = renderOffline({
      eventType: 'shopify.product.created',
      eventId: 'e',
      profile: {},
      vibe: { emoji: 'none' },
      eventData: { title: 'Sunny Tee ☀️🔥', tags: 'summer', variants: [{ price: '10.00' }] },
    });
    assert.ok(!EMOJI.test(allText(withEmoji)));
    assert.match(withEmoji.title, /Sunny Tee/);
  });

  it('"lots" decorates marketing text generously, "some" sparingly', () => {
    const c = allCases()[0]!;
    const count = (emoji: 'some' | 'lots'): number =>
      [...allText(renderOffline(inputFor(c, {}, { emoji, length: 'long' }))).matchAll(/\p{Extended_Pictographic}/gu)]
        .length;
    assert.ok(count('some') > 0);
    assert.ok(count('lots') > count('some'), `${count('lots')} vs ${count('some')}`);
    for (const h of renderOffline(inputFor(c, {}, { emoji: 'lots' })).content.hooks as string[]) assert.match(h, EMOJI);
  });
});

describe('vibe: words to avoid', () => {
  it('never emits an avoided word, in prose or hashtags, whatever its case', () => {
    const avoidWords = ['Example', 'favourite', 'link'];
    for (const c of allCases()) {
      const text = allText(renderOffline(inputFor(c, {}, { avoidWords, tone: 'friendly', length: 'long' })));
      for (const w of avoidWords) assert.ok(!new RegExp(`\\b${w}\\b`, 'i').test(text), `${c.name} says "${w}"`);
    }
  });

  it('drops hashtags that merely contain an avoided word', () => {
    const d = renderOffline(inputFor(allCases()[0]!, {}, { avoidWords: ['shirt'] }));
    assert.ok(!(d.content.hashtags as string[]).some((h) => h.includes('shirt')));
    assert.ok(!/#\w*shirt/i.test(d.body));
  });

  it('keeps whole words only: avoiding "art" leaves "start" alone', () => {
    const c = allCases().find((x) => x.name === 'collection created')!;
    const plain = renderOffline(inputFor(c, {}, { length: 'long' }));
    const avoided = renderOffline(inputFor(c, {}, { length: 'long', avoidWords: ['art'] }));
    assert.equal(avoided.body, plain.body);
  });
});

describe('vibe: language', () => {
  it('writes the Shopify templates in Spanish when the profile says es', () => {
    const byName = (n: string) => allCases().find((x) => x.name === n)!;
    const created = renderOffline(inputFor(byName('product created'), { language: 'es' }));
    assert.match(created.title, /^Contenido de lanzamiento para Example T-Shirt/);
    assert.match(created.body, /Ganchos para TikTok/);
    assert.match(created.content.copy as string, /19,99/);
    assert.match(created.content.copy as string, /ahorras un 20\s%/);
    assert.match(
      renderOffline(inputFor(byName('inventory low'), { language: 'es-MX' })).body,
      /Pide \*\*141 unidades\*\*/,
    );
    assert.match(
      renderOffline({
        ...inputFor(byName('order created'), { language: 'es' }),
        eventData: { ...(byName('order created').eventData as object), test: false },
      }).content.message as string,
      /¡Hola, John!/,
    );
    assert.match(
      renderOffline(inputFor(byName('collection created'), { language: 'es' })).title,
      /Plan de lanzamiento de la colección My New Collection/,
    );
    assert.match(
      renderOffline(inputFor(byName('product deleted (known product)'), { language: 'es' })).title,
      /Limpieza tras eliminar Example T-Shirt/,
    );
  });

  it('falls back to English for languages without templates, and says so', () => {
    const d = renderOffline(inputFor(allCases()[0]!, { language: 'ja' }));
    assert.match(d.title, /^Launch content for Example T-Shirt/);
    assert.match(
      d.body,
      /## Settings not applied\n\nLanguage: Japanese \(ja\) is not available in the offline templates/,
    );
    assert.deepEqual(d.content.unappliedSettings, [{ setting: 'language', requested: 'ja', used: 'en' }]);
  });
});
