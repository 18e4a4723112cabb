/** shopify.product.created: three TikTok hooks, a caption with the product's own hashtags, and copy. */
import { productCopyParts } from '../../actions/parts.js';
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, numbered, section } from './markdown.js';
import { defineEventType } from './module.js';
import { allowedHashtags, hashtagsOf, type ProductBrief, productArgs, productBrief } from './productFacts.js';

export interface ProductCreatedFacts {
  product: ProductBrief;
  currency: string | null;
  /** From the product's tags, type and vendor, and the brand: the merchant's own words. */
  hashtags: string[];
}

export const productCreated = defineEventType<ProductCreatedFacts>({
  needs: [],
  customerFacing: true,
  facts: (input) => ({
    product: productBrief(input.eventData),
    currency: input.context?.currency ?? null,
    hashtags: hashtagsOf(productBrief(input.eventData), input.profile.brand),
  }),
  task:
    'Write three TikTok hooks, a caption (with a call to action and the given hashtags) and marketing copy ' +
    'that uses the price and any discount (compareAtPrice vs price, discountPercent). Never mention the audience ' +
    'description. content: {hooks: string[3], caption: string, hashtags: string[], copy: string}.',
  render(env, facts) {
    const { t, v } = env;
    const text = t.productCreated;
    const a = productArgs(env, facts.product, facts.currency ?? undefined);
    const hooks = text.hooks[v.tone](a).map((h, i) => `${emojiFor(v, EMOJI_SETS.launch, i)}${h}`);
    const hashtags = allowedHashtags(env, facts.hashtags, byLength(v, 3, 5, 8));
    const caption =
      `${emojiFor(v, EMOJI_SETS.love, 0)}${text.caption[v.tone](a)} ${t.common.cta[v.tone]}` +
      `${hashtags.length > 0 ? ` ${hashtags.join(' ')}` : ''}`;
    const copy = text.copy[v.tone](a, v.length);
    const long = v.length === 'long';
    const plan = long ? text.plan(a).map((s, i) => `${emojiFor(v, EMOJI_SETS.plan, i + 1)}${s}`) : undefined;
    const emailSubjects = long ? text.emailSubjects(a) : undefined;
    // What accepting can apply to the product (shown and confirmed first); not part of the text.
    const apply = productCopyParts(facts.product, copy, env.input.profile.brand);
    return {
      title: text.title(a),
      body: joinSections([
        section(text.headings.hooks, numbered(hooks)),
        section(text.headings.caption, caption),
        section(text.headings.copy, copy),
        plan && section(text.headings.plan, bullets(plan)),
        emailSubjects && section(text.headings.emailSubjects, bullets(emailSubjects)),
      ]),
      content: {
        product: { id: facts.product.id, title: facts.product.title, handle: facts.product.handle },
        hooks,
        caption,
        hashtags,
        copy,
        price: facts.product.price,
        compareAtPrice: facts.product.compareAtPrice,
        discountPercent: facts.product.discountPercent,
        ...(plan ? { plan } : {}),
        ...(emailSubjects ? { emailSubjects } : {}),
        ...(apply ? { apply } : {}),
      },
    };
  },
});
