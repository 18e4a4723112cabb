/**
 * One suggestion for many events (an import of 200 products, a burst the pipeline debounced):
 * the highest-priced items to feature, how the batch splits by type, and a plan. Items may be full
 * payloads or thin summaries.
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { money } from '../format.js';
import { at, str } from '../payload.js';
import { readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, numbered, section, table } from './markdown.js';
import type { Template, TemplateEnv } from './templateEnv.js';

function productBatch(env: TemplateEnv): ReturnType<Template> {
  const { t, v, input } = env;
  const batch = input.batch ?? { count: 0, items: [] };
  const updated = input.eventType === 'shopify.product.updated';
  const products = batch.items.map((i) => readProduct(i));
  const count = Math.max(batch.count, products.length);
  const ranked = [...products].sort(
    (a, b) => (b.maxPrice ?? -1) - (a.maxPrice ?? -1) || a.title.localeCompare(b.title),
  );
  const top = ranked.slice(0, byLength(v, 3, 5, 10));
  const byType = new Map<string, number>();
  for (const p of products) if (p.productType) byType.set(p.productType, (byType.get(p.productType) ?? 0) + 1);
  const types = [...byType.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const largest = types[0] ? { type: types[0][0], count: types[0][1] } : undefined;
  const cur = input.context?.currency;
  const first = top[0]?.title ?? 'products';
  const plan = t.batch
    .plan(
      top.map((p) => p.title),
      largest,
    )
    .map((s, i) => `${emojiFor(v, EMOJI_SETS.plan, i)}${s}`);

  return {
    title: t.batch.title(count, first, updated),
    body: joinSections([
      t.batch.intro(count, updated),
      section(
        t.headings.topProducts,
        table(
          [t.headings.product, t.headings.price, t.headings.discount],
          top.map((p) => [
            p.title,
            p.minPrice !== undefined ? money(p.minPrice, cur, v.language) : '–',
            p.discountPct ? `${p.discountPct}%` : '–',
          ]),
        ),
      ),
      types.length > 1 &&
        v.length !== 'short' &&
        section(t.headings.byType, bullets(types.slice(0, 8).map(([type, n]) => `${type}: ${n}`))),
      section(t.headings.nextSteps, numbered(plan)),
    ]),
    content: {
      count,
      top: top.map((p) => ({
        id: p.id ?? null,
        title: p.title,
        price: p.minPrice ?? null,
        discountPercent: p.discountPct ?? null,
      })),
      byType: Object.fromEntries(types),
      steps: plan,
    },
  };
}

/** Any other batched type: a count and the names, so the user knows what the burst was. */
function genericBatch(env: TemplateEnv): ReturnType<Template> {
  const { input, v } = env;
  const batch = input.batch ?? { count: 0, items: [] };
  const names = batch.items
    .map((i) => str(at(i, 'title')) ?? str(at(i, 'name')) ?? str(at(i, 'table')) ?? str(at(i, 'summary')))
    .filter((n): n is string => n !== undefined);
  const unique = [...new Set(names)];
  const shown = unique.slice(0, byLength(v, 5, 10, 20));
  const count = Math.max(batch.count, batch.items.length);
  return {
    title: `${count} × ${input.eventType}${shown[0] ? `: ${shown[0]}${unique.length > 1 ? ` and ${unique.length - 1} more` : ''}` : ''}`,
    body: joinSections([
      `${count} ${input.eventType} events arrived together and are summarised here instead of one suggestion each.`,
      shown.length > 0 && section('Included', bullets(shown)),
    ]),
    content: { count, names: shown },
  };
}

export const batchSummary: Template = (env) =>
  env.input.eventType === 'shopify.product.created' || env.input.eventType === 'shopify.product.updated'
    ? productBatch(env)
    : genericBatch(env);
