import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PreferencesUpdateSchema } from '../../src/preferences.js';
import { PreviewError, previewSuggestion } from '../../src/suggest/preview.js';
import { EMOJI, shopifyFixturePath } from './suggestFixtures.js';

describe('previewSuggestion (lookout suggest preview)', () => {
  it('renders the suggestion for a fixture file with the given vibe', async () => {
    const result = await previewSuggestion({
      eventType: 'shopify.product.created',
      fixturePath: shopifyFixturePath('2026-04/products__create.json'),
      profile: { language: 'es' },
      vibe: { emoji: 'none', tone: 'bold' },
    });
    assert.match(result.draft.title, /Example T-Shirt/);
    assert.match(result.draft.body, /Ganchos para TikTok/);
    assert.ok(!EMOJI.test(result.draft.body));
    assert.equal(result.run.status, 'succeeded');
    assert.equal((result.draft.content.product as { id: string }).id, '788032119674292922');
  });

  it('rejects an unknown event type and a missing file with a clear message', async () => {
    await assert.rejects(
      previewSuggestion({ eventType: 'shopify.nope', fixturePath: 'x.json' }),
      (e: unknown) => e instanceof PreviewError && /unknown event type/.test(e.message),
    );
    await assert.rejects(
      previewSuggestion({ eventType: 'shopify.product.created', fixturePath: '/nonexistent/x.json' }),
      PreviewError,
    );
  });
});

describe('suggest preview accepts exactly what the API accepts', () => {
  const fixturePath = shopifyFixturePath('2026-04/products__create.json');

  it('refuses vibe.language with a message saying it belongs in the profile, like PUT /api/preferences', async () => {
    await assert.rejects(
      previewSuggestion({ eventType: 'shopify.product.created', fixturePath, vibe: { language: 'fr' } }),
      (e: unknown) => e instanceof PreviewError && /vibe\.language: language is a profile setting/.test(e.message),
    );
    const api = PreferencesUpdateSchema.safeParse({ vibe: { language: 'fr' } });
    assert.equal(api.success, false);
    assert.match(JSON.stringify(api.error?.issues), /language is a profile setting/);
  });

  it('refuses what the API refuses (unknown keys, bad emoji level, a language that is not a code)', async () => {
    for (const [profile, vibe] of [
      [{}, { emoji: 'many' }],
      [{}, { colour: 'red' }],
      [{ language: 'French' }, {}],
    ] as const) {
      await assert.rejects(
        previewSuggestion({ eventType: 'shopify.product.created', fixturePath, profile, vibe }),
        PreviewError,
      );
      assert.equal(PreferencesUpdateSchema.safeParse({ profile, vibe }).success, false);
    }
  });

  it('writes French when profile.language is fr', async () => {
    const r = await previewSuggestion({
      eventType: 'shopify.product.created',
      fixturePath,
      profile: { language: 'fr' },
    });
    assert.match(r.draft.title, /^Contenu de lancement pour Example T-Shirt/);
  });
});
