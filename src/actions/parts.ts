/**
 * The parts of a suggestion that Lookout can apply for the user, stored with the suggestion as
 * `content.apply`. They are computed from the facts (never taken from a model's answer), so what
 * an action changes is what the templates derived from the store's own data.
 */
import { z } from 'zod';

export const ShopifyApplySchema = z.object({
  productId: z.string().min(1).max(100),
  productTitle: z.string().max(500).optional(),
  description: z.object({ html: z.string().min(1).max(20_000) }).optional(),
  seo: z.object({ title: z.string().min(1).max(70), description: z.string().min(1).max(320) }).optional(),
  tags: z.array(z.string().min(1).max(255)).max(250).optional(),
  discount: z
    .object({
      code: z.string().regex(/^[A-Z0-9]{3,40}$/),
      title: z.string().min(1).max(255),
      /** Shopify's percentage: 0.2 is 20% off. */
      percentage: z.number().gt(0).lte(1),
    })
    .optional(),
});
export type ShopifyApply = z.infer<typeof ShopifyApplySchema>;

export const ApplySchema = z.object({
  shopify: ShopifyApplySchema.optional(),
  /** COMMENT ON statements (checked again by commentStatements.ts before anything runs). */
  statements: z.array(z.string().max(12_000)).max(200).optional(),
});
export type ApplyParts = z.infer<typeof ApplySchema>;

/** The part names a request may choose, and the preference that switches each on. */
export const PART_NAMES = ['description', 'seo', 'tags', 'discount', 'comments'] as const;
export type PartName = (typeof PART_NAMES)[number];
export type ActionPreference = 'shopifyProductCopy' | 'shopifyDiscount' | 'supabaseComments';
export const PREFERENCE_OF: Record<PartName, ActionPreference> = {
  description: 'shopifyProductCopy',
  seo: 'shopifyProductCopy',
  tags: 'shopifyProductCopy',
  discount: 'shopifyDiscount',
  comments: 'supabaseComments',
};

/** Text inside an element: only &, < and > need escaping (no numeric entities, which read as figures). */
const escapeHtml = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/** Cuts at a word boundary and marks the cut. */
function clip(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (t.length <= max) return t;
  const cut = t.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!-]+$/, '')}…`;
}

interface ProductForApply {
  id: string | null;
  title: string;
  named: boolean;
  handle: string | null;
  vendor: string | null;
  productType: string | null;
  tags: string[];
  discountPercent: number | null;
}

/** A code customers can type: letters of the handle (or title) and the percentage, e.g. AURORAHOODIE20. */
export function discountCode(p: Pick<ProductForApply, 'handle' | 'title'>, percent: number): string {
  const letters = (p.handle ?? p.title)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .toUpperCase()
    .slice(0, 16);
  return `${letters || 'SAVE'}${Math.round(percent)}`;
}

function discountPart(p: ProductForApply): ShopifyApply['discount'] {
  const pct = p.discountPercent;
  if (pct === null || !(pct > 0) || pct >= 100) return undefined;
  return {
    code: discountCode(p, pct),
    title: clip(`${p.title}: ${Math.round(pct)}% off`, 255),
    percentage: Math.round(pct) / 100,
  };
}

/**
 * The product's copy as page description, SEO title and description, tags from the merchant's own
 * words (type, vendor, brand) that the product lacks, and the discount the copy states.
 */
export function productCopyParts(
  p: ProductForApply,
  copy: string,
  brand: string | undefined,
): { shopify: ShopifyApply } | undefined {
  if (!p.id || !p.named) return undefined;
  const text = copy.trim();
  const have = new Set(p.tags.map((t) => t.toLowerCase()));
  const extra = [...new Set([p.productType, p.vendor, brand].filter((t): t is string => Boolean(t?.trim())))]
    .map((t) => t.trim().slice(0, 255))
    .filter((t) => !have.has(t.toLowerCase()));
  const seoTitle = brand && `${p.title} | ${brand}`.length <= 70 ? `${p.title} | ${brand}` : clip(p.title, 70);
  const shopify: ShopifyApply = {
    productId: p.id,
    productTitle: p.title,
    ...(text ? { description: { html: `<p>${escapeHtml(text)}</p>` } } : {}),
    ...(text ? { seo: { title: seoTitle, description: clip(text, 320) } } : {}),
    ...(extra.length > 0 ? { tags: [...p.tags, ...extra].slice(0, 250) } : {}),
  };
  const discount = discountPart(p);
  if (discount) shopify.discount = discount;
  return { shopify };
}

/** A price drop's copy promises the discount: that part alone. */
export function discountOnlyParts(p: ProductForApply): { shopify: ShopifyApply } | undefined {
  if (!p.id || !p.named) return undefined;
  const discount = discountPart(p);
  return discount ? { shopify: { productId: p.id, productTitle: p.title, discount } } : undefined;
}

/** Reads `content.apply` of a stored suggestion; anything malformed means nothing to apply. */
export function readApplyParts(content: unknown): ApplyParts {
  const apply = (content as { apply?: unknown } | null)?.apply;
  const parsed = ApplySchema.safeParse(apply ?? {});
  return parsed.success ? parsed.data : {};
}
