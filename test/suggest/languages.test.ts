import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { franc } from 'franc-min';
import { generateOffline } from '../../src/suggest/offline/offlineGenerator.js';
import { renderOffline } from '../../src/suggest/offline/renderOffline.js';
import type { SuggestionInput } from '../../src/suggest/types.js';
import { LANGUAGES, resolveTone, resolveVibe, TONES } from '../../src/suggest/vibe.js';
import { allCases, EMOJI, inputFor } from './suggestFixtures.js';

const ISO3 = { en: 'eng', es: 'spa', fr: 'fra', de: 'deu' } as const;

/** Prose as a reader reads it: no code, tables, identifiers or hashtags. */
function prose(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .split('\n')
    .filter((l) => !l.trim().startsWith('|'))
    .join('\n')
    .replace(/`[^`]*`/g, ' ')
    .replace(/#[\p{L}\p{N}_]+/gu, ' ');
}

const product = (lang: string, tone: string): SuggestionInput => ({
  eventType: 'shopify.product.created',
  eventId: `p-${lang}-${tone}`,
  eventData: {
    id: 1,
    title: 'Bougie Ambre Noir',
    body_html: '<p>Hand-poured rapeseed wax.</p>',
    product_type: 'Candles',
    tags: 'candle, luxury',
    variants: [{ price: '48.00', compare_at_price: '64.00' }],
  },
  context: { currency: 'EUR' },
  profile: { brand: 'Atelier Nuit', language: lang },
  vibe: { tone },
});

describe('languages and tones of the offline catalogue', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: every tone writes its own copy, in ${lang}`, () => {
      const hooks = new Set<string>();
      for (const tone of TONES) {
        const d = renderOffline(product(lang, tone));
        hooks.add(JSON.stringify(d.content.hooks));
        const text = prose(`${d.title}\n${d.body}`);
        assert.equal(
          franc(text, { only: Object.values(ISO3) }),
          ISO3[lang],
          `${lang}/${tone} reads as another language:\n${text}`,
        );
        assert.equal(d.content.unappliedSettings, undefined, `${lang}/${tone} should need no fallback`);
        if (tone === 'refined' || tone === 'minimal') {
          assert.doesNotMatch(`${d.title}\n${d.body}`, /[!¡]/, `${lang}/${tone} shouts`);
          assert.ok(!EMOJI.test(d.body), `${lang}/${tone} uses emoji by default`);
        }
      }
      assert.equal(hooks.size, TONES.length, `${lang}: some tones write the same hooks`);
    });

    it(`${lang}: every event type renders without failing and without placeholders`, () => {
      for (const c of allCases()) {
        const { draft, run } = generateOffline(inputFor(c, { language: lang }));
        assert.equal(run.status, 'succeeded', `${lang} ${c.name}: ${run.error}`);
        assert.ok(draft.title.length > 0 && draft.body.length > 0);
        assert.doesNotMatch(`${draft.title}\n${draft.body}`, /undefined|\[object Object\]|NaN/, `${lang} ${c.name}`);
      }
    });
  }

  it('writes the refined tone discreetly: old and new price, no percentage shouted, no urgency', () => {
    const d = renderOffline(product('en', 'luxury'));
    assert.match(d.content.copy as string, /Now €48\.00, previously €64\.00\./);
    assert.doesNotMatch(`${d.title}\n${d.body}`, /won't last|hurry|% off\?/i);
  });

  it('maps what users write to the tones: luxury is refined, minimalist is minimal, unknown is reported', () => {
    assert.equal(resolveTone('Luxury'), 'refined');
    assert.equal(resolveTone('minimalist'), 'minimal');
    assert.equal(resolveTone('sarcastic'), undefined);
    const v = resolveVibe({ language: 'pt-BR' }, { tone: 'sarcastic' });
    assert.deepEqual(v.unapplied, [
      { setting: 'language', requested: 'pt-BR', used: 'en' },
      { setting: 'tone', requested: 'sarcastic', used: 'friendly' },
    ]);
    const d = renderOffline({ ...product('pt-BR', 'sarcastic') });
    assert.match(d.body, /Settings not applied/);
    assert.match(
      d.body,
      /Tone: "sarcastic" is not one of the offline tones \(friendly, playful, refined, professional, minimal, bold\)/,
    );
    assert.match(d.body, /LOOKOUT_LLM_BASE_URL/);
  });

  it('says in the user language when only the tone could not be applied', () => {
    const d = renderOffline(product('de', 'sarkastisch'));
    assert.match(d.body, /## Nicht angewendete Einstellungen/);
    assert.match(d.body, /Ton: „sarkastisch“ gehört nicht zu den Offline-Tönen/);
  });

  it('formats money, decimals and dates for the user region', () => {
    const mx = renderOffline({ ...product('es-MX', 'friendly'), context: { currency: 'MXN' } });
    assert.match(mx.content.copy as string, /\$48\.00/);
    const es = renderOffline({ ...product('es', 'friendly'), context: { currency: 'EUR' } });
    assert.match(es.content.copy as string, /48,00\s€/);
  });

  it('never puts the internal audience description into copy', () => {
    for (const lang of LANGUAGES) {
      const input = product(lang, 'friendly');
      const d = renderOffline({
        ...input,
        profile: { ...input.profile, audience: 'night-shift nurses who read on the bus' },
      });
      assert.ok(!JSON.stringify(d).includes('night-shift nurses'), lang);
    }
  });
});
