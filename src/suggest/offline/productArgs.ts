/**
 * Turns product facts into the formatted arguments the phrase tables take, and derives hashtags
 * from the product's own tags and type (the merchant's words, not invented ones).
 */
import { compileAvoid, filterHashtags } from '../avoidWords.js';
import { money } from '../format.js';
import type { ProductFacts } from '../shopifyFacts.js';
import type { TemplateEnv } from './templateEnv.js';
import type { ProductPhraseArgs } from './text/shopifyText.js';

/** Shopify product types are often plural ("Shirts"); hooks say "your new favourite shirt". */
function singularKind(kind: string): string {
  return /[^s]s$/.test(kind) && !kind.includes(' ') ? kind.slice(0, -1) : kind;
}

/** The name a suggestion uses: the title, or a localised stand-in built from the id. */
export function productName(env: TemplateEnv, p: ProductFacts): string {
  return p.named ? p.title : env.t.unnamedProduct(p.id);
}

export function productArgs(env: TemplateEnv, p: ProductFacts, currency?: string): ProductPhraseArgs {
  const lang = env.v.language;
  const cur = currency ?? env.input.context?.currency;
  const options = p.variants.map((v) => v.title).filter((t): t is string => t !== undefined);
  return {
    title: productName(env, p),
    kind: p.productType ? singularKind(p.productType.toLowerCase()) : env.t.genericKind,
    vendor: p.vendor,
    price: p.minPrice !== undefined ? money(p.minPrice, cur, lang) : undefined,
    priceFrom: p.minPrice !== undefined && p.maxPrice !== undefined && p.maxPrice > p.minPrice,
    compareAt: p.compareAtPrice !== undefined ? money(p.compareAtPrice, cur, lang) : undefined,
    pct: p.discountPct,
    upTo: p.discountVaries,
    audience: env.input.profile.audience?.trim() || undefined,
    niche: env.input.profile.niche?.trim() || undefined,
    options: [...new Set(options)].slice(0, 6),
    description: p.description,
    inventory: p.totalInventory,
  };
}

function toHashtag(word: string): string | undefined {
  // Keep letters and digits of any script (#camiseta, #été); drop spaces, dashes and punctuation.
  const body = word
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}]+/gu, '')
    .toLowerCase();
  if (body.length < 2 || /^\p{N}+$/u.test(body)) return undefined;
  return `#${body}`;
}

/** Tags first (most specific), then product type, vendor, the user's niche and brand. */
export function hashtagsFor(env: TemplateEnv, p: ProductFacts, limit: number): string[] {
  const sources = [...p.tags, p.productType, p.vendor, env.input.profile.niche, env.input.profile.brand];
  const out: string[] = [];
  for (const s of sources) {
    if (!s) continue;
    const tag = toHashtag(s);
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return filterHashtags(out, compileAvoid(env.v.avoidWords)).slice(0, limit);
}
