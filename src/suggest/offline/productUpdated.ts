/**
 * shopify.product.updated: what changed and copy to match. A real diff needs the earlier version
 * (context.previous); without it, Shopify's own old_inventory_quantity still tells stock moves,
 * and otherwise the notable fields are listed so the user sees what the copy is based on.
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { money } from '../format.js';
import { type ProductFacts, readProduct } from '../shopifyFacts.js';
import { bullets, joinSections, section } from './markdown.js';
import { hashtagsFor, productArgs } from './productArgs.js';
import type { Template, TemplateEnv } from './templateEnv.js';
import type { ChangeField, UpdateKind } from './text/shopifyText.js';

interface Change {
  field: ChangeField;
  before: string;
  after: string;
}

function fmtMoney(env: TemplateEnv, n: number | undefined): string {
  return n === undefined ? '–' : money(n, env.input.context?.currency, env.v.language);
}

function diff(env: TemplateEnv, before: ProductFacts, after: ProductFacts): Change[] {
  const changes: Change[] = [];
  const add = (field: ChangeField, b: string | undefined, a: string | undefined): void => {
    if ((b ?? '') !== (a ?? '')) changes.push({ field, before: b ?? '–', after: a ?? '–' });
  };
  add('title', before.named ? before.title : undefined, after.named ? after.title : undefined);
  add(
    'price',
    before.minPrice === undefined ? undefined : fmtMoney(env, before.minPrice),
    after.minPrice === undefined ? undefined : fmtMoney(env, after.minPrice),
  );
  add(
    'compareAt',
    before.compareAtPrice === undefined ? undefined : fmtMoney(env, before.compareAtPrice),
    after.compareAtPrice === undefined ? undefined : fmtMoney(env, after.compareAtPrice),
  );
  add(
    'discount',
    before.discountPct === undefined ? undefined : `${before.discountPct}%`,
    after.discountPct === undefined ? undefined : `${after.discountPct}%`,
  );
  add('status', before.status, after.status);
  add('tags', before.tags.join(', ') || undefined, after.tags.join(', ') || undefined);
  add('productType', before.productType, after.productType);
  add('vendor', before.vendor, after.vendor);
  if ((before.description ?? '') !== (after.description ?? '')) {
    changes.push({ field: 'description', before: '…', after: env.t.updated.descriptionChanged });
  }
  add('inventory', before.totalInventory?.toString(), after.totalInventory?.toString());
  add('variants', before.variants.length.toString(), after.variants.length.toString());
  return changes;
}

/** Stock moves Shopify reports inside the payload itself (old_inventory_quantity). */
function inventoryMove(p: ProductFacts): Change[] {
  if (p.totalOldInventory === undefined || p.totalInventory === undefined || p.totalOldInventory === p.totalInventory)
    return [];
  return [{ field: 'inventory', before: String(p.totalOldInventory), after: String(p.totalInventory) }];
}

function kindOf(before: ProductFacts | undefined, after: ProductFacts): UpdateKind {
  const oldStock = before?.totalInventory ?? after.totalOldInventory;
  const newStock = after.totalInventory;
  if (before?.status && after.status && before.status !== after.status) {
    return after.status === 'active' ? 'published' : 'unpublished';
  }
  if (oldStock !== undefined && newStock !== undefined) {
    if (oldStock <= 0 && newStock > 0) return 'backInStock';
    if (oldStock > 0 && newStock <= 0) return 'soldOut';
  }
  if (before) {
    if (before.minPrice !== undefined && after.minPrice !== undefined && after.minPrice < before.minPrice)
      return 'priceDrop';
    if ((after.discountPct ?? 0) > (before.discountPct ?? 0)) return 'priceDrop';
    if (before.minPrice !== undefined && after.minPrice !== undefined && after.minPrice > before.minPrice)
      return 'priceRise';
  }
  if (oldStock !== undefined && newStock !== undefined && oldStock !== newStock) return 'stockChange';
  if (!before && newStock !== undefined && newStock <= 0 && after.variants.length > 0) return 'soldOut';
  return 'details';
}

function notable(env: TemplateEnv, p: ProductFacts): string[] {
  const f = env.t.updated.field;
  const lines: string[] = [];
  if (p.minPrice !== undefined) {
    lines.push(
      `**${f('price')}**: ${fmtMoney(env, p.minPrice)}${p.compareAtPrice !== undefined ? ` (${f('compareAt')}: ${fmtMoney(env, p.compareAtPrice)})` : ''}`,
    );
  }
  if (p.discountPct !== undefined) lines.push(`**${f('discount')}**: ${p.discountPct}%`);
  if (p.status) lines.push(`**${f('status')}**: ${p.status}`);
  if (p.totalInventory !== undefined) lines.push(`**${f('inventory')}**: ${p.totalInventory}`);
  if (p.tags.length > 0) lines.push(`**${f('tags')}**: ${p.tags.join(', ')}`);
  if (p.variants.length > 0) lines.push(`**${f('variants')}**: ${p.variants.length}`);
  return lines;
}

export const productUpdated: Template = (env) => {
  const { t, v } = env;
  const current = readProduct(env.input.eventData);
  const previousValue = env.input.context?.previous;
  const previous = previousValue !== undefined ? readProduct(previousValue, current.id) : undefined;
  // A thin update (id only) is named from the product the pipeline fetched.
  const product =
    current.named || !env.input.context?.product ? current : readProduct(env.input.context.product, current.id);
  const changes = previous ? diff(env, previous, product) : inventoryMove(product);
  const kind = kindOf(previous, product);
  const a = productArgs(env, product);
  const changeLines = changes.map((c) => `**${t.updated.field(c.field)}**: ${c.before} → ${c.after}`);
  const copy = `${emojiFor(v, kind === 'priceDrop' ? EMOJI_SETS.money : EMOJI_SETS.launch, 0)}${t.updated.copy(v.tone, kind, a)}`;
  const hashtags =
    kind === 'unpublished' || v.length === 'short' ? [] : hashtagsFor(env, product, v.length === 'long' ? 6 : 4);

  return {
    title: t.updated.title(kind, a),
    body: joinSections([
      changes.length > 0
        ? section(t.headings.changes, bullets(changeLines))
        : section(
            t.headings.notable,
            `${previous ? '' : `${t.updated.noPrevious}\n\n`}${bullets(notable(env, product))}`,
          ),
      section(t.headings.copy, hashtags.length > 0 ? `${copy} ${hashtags.join(' ')}` : copy),
    ]),
    content: {
      product: { id: product.id ?? null, title: product.title, handle: product.handle ?? null },
      kind,
      changes,
      copy,
      hashtags,
    },
  };
};
