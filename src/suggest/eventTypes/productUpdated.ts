/**
 * shopify.product.updated: what changed, and copy to match. The earlier version comes from the
 * pipeline (the last version stored before this update, or the first of a burst of quick edits);
 * without one, Shopify's own old_inventory_quantity still tells stock moves, and otherwise the
 * notable fields are listed with an honest "first version seen".
 */
import { discountOnlyParts } from '../../actions/parts.js';
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import type { ChangeField, UpdateKind } from '../i18n/texts.js';
import { readProduct } from '../shopifyFacts.js';
import type { PreviousVersion } from '../types.js';
import { bullets, joinSections, section } from './markdown.js';
import { defineEventType, type TemplateEnv } from './module.js';
import { allowedHashtags, brief, hashtagsOf, type ProductBrief, productArgs, productBrief } from './productFacts.js';

export interface Change {
  field: ChangeField;
  before: string | number | null;
  after: string | number | null;
}

export interface ProductUpdatedFacts {
  product: ProductBrief;
  previous: ProductBrief | null;
  comparedWith: PreviousVersion | null;
  changes: Change[];
  kind: UpdateKind;
  currency: string | null;
  hashtags: string[];
}

function diff(before: ProductBrief, after: ProductBrief): Change[] {
  const changes: Change[] = [];
  const add = (field: ChangeField, b: string | number | null, a: string | number | null): void => {
    if ((b ?? '') !== (a ?? '')) changes.push({ field, before: b, after: a });
  };
  add('title', before.named ? before.title : null, after.named ? after.title : null);
  add('price', before.price, after.price);
  add('compareAt', before.compareAtPrice, after.compareAtPrice);
  add('discount', before.discountPercent, after.discountPercent);
  add('status', before.status, after.status);
  add('tags', before.tags.join(', ') || null, after.tags.join(', ') || null);
  add('productType', before.productType, after.productType);
  add('vendor', before.vendor, after.vendor);
  if ((before.description ?? '') !== (after.description ?? ''))
    changes.push({ field: 'description', before: null, after: null });
  add('inventory', before.totalInventory, after.totalInventory);
  add('variants', before.variantCount || null, after.variantCount || null);
  return changes;
}

function kindOf(before: ProductBrief | null, after: ProductBrief, oldStock: number | undefined): UpdateKind {
  const previousStock = before?.totalInventory ?? oldStock;
  const newStock = after.totalInventory;
  if (before?.status && after.status && before.status !== after.status) {
    return after.status === 'active' ? 'published' : 'unpublished';
  }
  if (previousStock !== undefined && previousStock !== null && newStock !== null) {
    if (previousStock <= 0 && newStock > 0) return 'backInStock';
    if (previousStock > 0 && newStock <= 0) return 'soldOut';
  }
  if (before) {
    if (before.price !== null && after.price !== null && after.price < before.price) return 'priceDrop';
    if ((after.discountPercent ?? 0) > (before.discountPercent ?? 0)) return 'priceDrop';
    if (before.price !== null && after.price !== null && after.price > before.price) return 'priceRise';
  }
  if (previousStock !== undefined && previousStock !== null && newStock !== null && previousStock !== newStock)
    return 'stockChange';
  return 'details';
}

function shown(env: TemplateEnv, c: Change, currency: string | undefined, side: 'before' | 'after'): string {
  const value = c[side];
  if (c.field === 'description') return side === 'after' ? env.t.productUpdated.descriptionChanged : '…';
  if (value === null || value === '') return '–';
  if (typeof value === 'number') {
    if (c.field === 'price' || c.field === 'compareAt') return env.f.money(value, currency);
    if (c.field === 'discount') return env.f.percent(value);
    return env.f.integer(value);
  }
  return value;
}

export const productUpdated = defineEventType<ProductUpdatedFacts>({
  needs: ['previousVersion', 'product'],
  customerFacing: false,
  facts(input) {
    const current = readProduct(input.eventData);
    const ctx = input.context;
    // A thin update (id only) is named from the product the pipeline found.
    const product =
      current.named || ctx?.product === undefined ? brief(current) : productBrief(ctx.product, current.id);
    const previous = ctx?.previous !== undefined ? productBrief(ctx.previous, current.id) : null;
    const oldStock = current.totalOldInventory;
    const changes = previous
      ? diff(previous, product)
      : oldStock !== undefined && current.totalInventory !== undefined && oldStock !== current.totalInventory
        ? [{ field: 'inventory' as const, before: oldStock, after: current.totalInventory }]
        : [];
    return {
      product,
      previous,
      comparedWith: previous ? (ctx?.previousVersion ?? null) : null,
      changes,
      kind: kindOf(previous, product, oldStock),
      currency: ctx?.currency ?? null,
      hashtags: hashtagsOf(product, input.profile.brand),
    };
  },
  task:
    'Say what changed (use the changes given; compare previous with product when they are given) and write ' +
    'copy to match the kind of change. content: {kind: string, changes: [{field, before, after}], copy: string}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text = t.productUpdated;
    const currency = facts.currency ?? undefined;
    const a = productArgs(env, facts.product, currency);
    const changeLines = facts.changes.map(
      (c) => `**${text.field[c.field]}**: ${shown(env, c, currency, 'before')} → ${shown(env, c, currency, 'after')}`,
    );
    const p = facts.product;
    const notable = [
      p.price !== null
        ? `**${text.field.price}**: ${f.money(p.price, currency)}` +
          `${p.compareAtPrice !== null ? ` (${text.field.compareAt}: ${f.money(p.compareAtPrice, currency)})` : ''}`
        : undefined,
      p.discountPercent !== null ? `**${text.field.discount}**: ${f.percent(p.discountPercent)}` : undefined,
      p.status ? `**${text.field.status}**: ${p.status}` : undefined,
      p.totalInventory !== null ? `**${text.field.inventory}**: ${f.integer(p.totalInventory)}` : undefined,
      p.tags.length > 0 ? `**${text.field.tags}**: ${p.tags.join(', ')}` : undefined,
    ].filter((l): l is string => l !== undefined);
    const copy =
      `${emojiFor(v, facts.kind === 'priceDrop' ? EMOJI_SETS.money : EMOJI_SETS.launch, 0)}` +
      `${text.copy(facts.kind, v.tone, a)}`;
    const hashtags =
      facts.kind === 'unpublished' || v.length === 'short'
        ? []
        : allowedHashtags(env, facts.hashtags, v.length === 'long' ? 6 : 4);
    const apply = facts.kind === 'priceDrop' ? discountOnlyParts(p) : undefined;
    const basis = facts.comparedWith
      ? text.comparedWith(facts.comparedWith.basis, f.dayTime(facts.comparedWith.at), facts.comparedWith.updates)
      : undefined;
    return {
      title: text.title(facts.kind, a),
      body: joinSections([
        facts.changes.length > 0
          ? section(text.headings.changes, `${basis ? `${basis}\n\n` : ''}${bullets(changeLines)}`)
          : section(
              text.headings.notable,
              `${facts.previous ? (basis ?? '') : text.firstSeen(a.title)}\n\n${bullets(notable)}`.trim(),
            ),
        section(text.headings.copy, hashtags.length > 0 ? `${copy} ${hashtags.join(' ')}` : copy),
      ]),
      content: {
        product: { id: p.id, title: p.title, handle: p.handle },
        kind: facts.kind,
        changes: facts.changes,
        comparedWith: facts.comparedWith,
        copy,
        hashtags,
        // A price drop's copy states the discount: accepting can create it as a code.
        ...(apply ? { apply } : {}),
      },
    };
  },
});
