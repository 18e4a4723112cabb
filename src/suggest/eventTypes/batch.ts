/**
 * One suggestion for many events (an import of 120 products, a burst of table changes): the
 * pipeline passes a thin summary of every batched event (batchItem), so the counts by product
 * type add up to the number of events; the highest-priced products are featured.
 */

import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { at, str } from '../payload.js';
import { readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, numbered, section, table } from './markdown.js';
import { defineEventType } from './module.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

export interface BatchItem {
  title: string;
  productType: string | null;
  price: number | null;
  maxPrice: number | null;
  discountPercent: number | null;
}

const PRODUCT_TYPES = new Set<EventType>(['shopify.product.created', 'shopify.product.updated']);

/** The thin summary of one batched event: all the batch template needs, a few dozen bytes. */
export function batchItem(type: EventType, payload: unknown): BatchItem {
  if (PRODUCT_TYPES.has(type)) {
    const p = readProduct(payload);
    return {
      title: p.title,
      productType: p.productType ?? null,
      price: p.minPrice ?? null,
      maxPrice: p.maxPrice ?? null,
      discountPercent: p.discountPct ?? null,
    };
  }
  const name =
    str(at(payload, 'title')) ??
    str(at(payload, 'name')) ??
    (typeof at(payload, 'table') === 'string'
      ? `${str(at(payload, 'schema')) ?? 'public'}.${str(at(payload, 'table'))}`
      : undefined) ??
    str(at(payload, 'summary')) ??
    '';
  return { title: name, productType: null, price: null, maxPrice: null, discountPercent: null };
}

export interface BatchFacts {
  eventType: EventType;
  count: number;
  updated: boolean;
  products: boolean;
  /** Every item counted once: the counts add up to `count`. */
  byType: Array<{ type: string | null; count: number }>;
  top: Array<{ title: string; price: number | null; discountPercent: number | null }>;
  names: string[];
}

function asItem(value: unknown): BatchItem {
  return {
    title: str(at(value, 'title')) ?? '',
    productType: str(at(value, 'productType')) ?? null,
    price: typeof at(value, 'price') === 'number' ? (at(value, 'price') as number) : null,
    maxPrice: typeof at(value, 'maxPrice') === 'number' ? (at(value, 'maxPrice') as number) : null,
    discountPercent: typeof at(value, 'discountPercent') === 'number' ? (at(value, 'discountPercent') as number) : null,
  };
}

export const batch = defineEventType<BatchFacts>({
  needs: [],
  customerFacing: false,
  facts(input) {
    const raw = input.batch?.items ?? [];
    // Items are thin summaries from the pipeline; full payloads (older callers) are summarised here.
    const items = raw.map((i) =>
      at(i, 'productType') !== undefined || at(i, 'maxPrice') !== undefined ? asItem(i) : batchItem(input.eventType, i),
    );
    const count = Math.max(input.batch?.count ?? 0, items.length);
    const byType = new Map<string | null, number>();
    for (const i of items) byType.set(i.productType, (byType.get(i.productType) ?? 0) + 1);
    const ranked = [...items].sort(
      (a, b) => (b.maxPrice ?? b.price ?? -1) - (a.maxPrice ?? a.price ?? -1) || a.title.localeCompare(b.title),
    );
    return {
      eventType: input.eventType,
      count,
      updated: input.eventType === 'shopify.product.updated',
      products: PRODUCT_TYPES.has(input.eventType),
      byType: [...byType.entries()]
        .map(([type, n]) => ({ type, count: n }))
        .sort((a, b) => b.count - a.count || (a.type ?? '~').localeCompare(b.type ?? '~')),
      top: ranked.slice(0, 10).map((p) => ({ title: p.title, price: p.price, discountPercent: p.discountPercent })),
      names: [...new Set(items.map((i) => i.title).filter(Boolean))].slice(0, 20),
    };
  },
  task:
    'Write one summary suggestion for the whole batch: how many, how they split by type (the counts given add ' +
    'up to count), which to feature first (top), and a plan. content: {count, byType: object, top: [{title}], ' +
    'steps: string[]}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text = t.batch;
    const count = f.integer(facts.count);
    if (!facts.products) {
      const shown = facts.names.slice(0, byLength(v, 5, 10, 20));
      return {
        title: text.genericTitle(
          count,
          shown[0],
          facts.names.length > 1 ? f.integer(facts.names.length - 1) : undefined,
        ),
        body: joinSections([
          text.genericIntro(count),
          shown.length > 0 && section(text.headings.included, bullets(shown)),
        ]),
        content: { count: facts.count, names: shown },
      };
    }
    const top = facts.top.slice(0, byLength(v, 3, 5, 10));
    const typed = facts.byType.filter((b) => b.type !== null);
    const largest = typed[0] ? { type: typed[0].type ?? '', count: f.integer(typed[0].count) } : undefined;
    const plan = text
      .plan(f.list(top.slice(0, 3).map((p) => p.title)), largest)
      .map((s, i) => `${emojiFor(v, EMOJI_SETS.plan, i)}${s}`);
    return {
      title: text.title(count, top[0]?.title ?? '', facts.updated),
      body: joinSections([
        text.intro(count, facts.updated),
        section(
          text.headings.top,
          table(
            [text.headings.product, text.headings.price, text.headings.discount],
            top.map((p) => [
              p.title,
              p.price !== null ? f.money(p.price, env.input.context?.currency) : '–',
              p.discountPercent ? f.percent(p.discountPercent) : '–',
            ]),
          ),
        ),
        facts.byType.length > 1 &&
          section(
            text.headings.byType,
            bullets(facts.byType.map((b) => `${b.type ?? text.noType}: ${f.integer(b.count)}`)),
          ),
        section(text.headings.plan, numbered(plan)),
      ]),
      content: {
        count: facts.count,
        top: top.map((p) => ({ title: p.title, price: p.price, discountPercent: p.discountPercent })),
        byType: Object.fromEntries(facts.byType.map((b) => [b.type ?? '', b.count])),
        steps: plan,
      },
    };
  },
});
