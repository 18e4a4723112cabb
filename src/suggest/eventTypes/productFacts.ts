/**
 * A product as suggestions need it (facts), and as phrases need it (every figure formatted in the
 * user's locale). Shared by the product, collection, order, inventory and calendar types.
 */
import { compileAvoid, filterHashtags } from '../avoidWords.js';
import type { ProductPhraseArgs } from '../i18n/texts.js';
import { type ProductFacts, readProduct } from '../shopifyFacts.js';
import type { TemplateEnv } from './module.js';

export interface ProductBrief {
  id: string | null;
  title: string;
  /** False when the title is a stand-in built from the id. */
  named: boolean;
  handle: string | null;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  status: string | null;
  description: string | null;
  price: number | null;
  maxPrice: number | null;
  compareAtPrice: number | null;
  discountPercent: number | null;
  /** Variants disagree on the discount ("up to"). */
  discountVaries: boolean;
  options: string[];
  variantCount: number;
  totalInventory: number | null;
  createdAt: string | null;
}

export function brief(p: ProductFacts, createdAt?: string): ProductBrief {
  const options = [
    ...new Set(p.variants.map((v) => v.title).filter((t): t is string => t !== undefined && t !== '')),
  ].slice(0, 8);
  return {
    id: p.id ?? null,
    title: p.title,
    named: p.named,
    handle: p.handle ?? null,
    vendor: p.vendor ?? null,
    productType: p.productType ?? null,
    tags: p.tags,
    status: p.status ?? null,
    description: p.description ?? null,
    price: p.minPrice ?? null,
    maxPrice: p.maxPrice !== undefined && p.maxPrice !== p.minPrice ? p.maxPrice : null,
    compareAtPrice: p.compareAtPrice ?? null,
    discountPercent: p.discountPct ?? null,
    discountVaries: p.discountVaries,
    options,
    variantCount: p.variants.length,
    totalInventory: p.totalInventory ?? null,
    createdAt: createdAt ?? null,
  };
}

export function productBrief(value: unknown, fallbackId?: string): ProductBrief {
  const p = readProduct(value, fallbackId);
  const created = value && typeof value === 'object' ? (value as Record<string, unknown>).created_at : undefined;
  return brief(p, typeof created === 'string' ? created : undefined);
}

/** Shopify product types are often plural ("Shirts"); hooks say "your new favourite shirt". */
function singularKind(kind: string): string {
  return /[^s]s$/.test(kind) && !kind.includes(' ') ? kind.slice(0, -1) : kind;
}

export function productName(env: TemplateEnv, p: ProductBrief): string {
  return p.named ? p.title : env.t.common.unnamedProduct(p.id ?? undefined);
}

export function productArgs(env: TemplateEnv, p: ProductBrief, currency: string | undefined): ProductPhraseArgs {
  const { f } = env;
  return {
    title: productName(env, p),
    // Product types are the merchant's own words, usually English: only the English copy uses them.
    kind:
      p.productType && env.v.language === 'en' ? singularKind(p.productType.toLowerCase()) : env.t.common.genericKind,
    vendor: p.vendor ?? undefined,
    price: p.price !== null ? f.money(p.price, currency) : undefined,
    priceFrom: p.maxPrice !== null && p.price !== null && p.maxPrice > p.price,
    compareAt: p.compareAtPrice !== null ? f.money(p.compareAtPrice, currency) : undefined,
    off: p.discountPercent !== null ? f.percent(p.discountPercent) : undefined,
    upTo: p.discountVaries,
    options: p.options.length > 1 ? f.list(p.options) : undefined,
    description: p.description ?? undefined,
    inventory: p.totalInventory !== null ? f.integer(p.totalInventory) : undefined,
  };
}

function toHashtag(word: string): string | undefined {
  // Letters and digits of any script (#camiseta, #été); spaces, dashes and punctuation go.
  const body = word
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .toLowerCase();
  if (body.length < 2 || /^\p{N}+$/u.test(body)) return undefined;
  return `#${body}`;
}

/** Tags first (most specific), then product type, vendor and brand: the merchant's words. */
export function hashtagsOf(p: ProductBrief, brand: string | undefined): string[] {
  const out: string[] = [];
  for (const s of [...p.tags, p.productType, p.vendor, brand]) {
    if (!s) continue;
    const tag = toHashtag(s);
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

export function allowedHashtags(env: TemplateEnv, tags: string[], limit: number): string[] {
  return filterHashtags(tags, compileAvoid(env.v.avoidWords)).slice(0, limit);
}

/** Ends a quoted description with a full stop, so it reads as a sentence. */
export function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…:]$/.test(t) ? t : `${t}.`;
}
