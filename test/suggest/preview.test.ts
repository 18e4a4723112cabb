import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
