import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate } from '../../eval/evaluate.js';
import { scenarios } from '../../eval/scenarios.js';

// The evaluation suite (`npm run eval`) as a test: every scenario through the real pipeline on
// PGlite, with the offline generator and with the LLM path against the fake model server (a
// faithful answer must be used, an inventing one refused). A real model is never called here.
describe('evaluation scenarios: the machine checks pass', () => {
  it('has at least 30 scenarios covering every event type that warrants a suggestion', () => {
    const all = scenarios();
    assert.ok(all.length >= 30, `${all.length} scenarios`);
    const covered = new Set(all.map((s) => s.eventType));
    for (const type of [
      'shopify.product.created',
      'shopify.product.updated',
      'shopify.product.deleted',
      'shopify.collection.created',
      'shopify.inventory.low',
      'shopify.order.created',
      'supabase.schema.changed',
      'supabase.table.created',
      'supabase.table.dropped',
      'supabase.column.added',
      'supabase.column.dropped',
      'supabase.column.renamed',
      'supabase.column.retyped',
      'supabase.constraint.changed',
      'supabase.migration.pending',
      'calendar.event.upcoming',
    ] as const)
      assert.ok(covered.has(type), `no scenario for ${type}`);
    assert.deepEqual(new Set(all.map((s) => s.expect.language)), new Set(['en', 'es', 'fr', 'de']));
  });

  it('every scenario passes every check, offline and through the LLM path', async () => {
    const results = await evaluate({ env: {} });
    const failures = results.flatMap((r) =>
      r.checks.filter((c) => !c.ok).map((c) => `${r.scenario.id} [${r.generator}] ${c.name}: ${c.detail ?? ''}`),
    );
    assert.deepEqual(failures, []);
    assert.ok(
      results.some((r) => r.generator === 'llm-inventing'),
      'the inventing answers ran',
    );
  });
});
