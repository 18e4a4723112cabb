/** shopify.product.created: three TikTok hooks, a caption with hashtags, and copy using price and discount. */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, numbered, section } from './markdown.js';
import { hashtagsFor, productArgs } from './productArgs.js';
import type { Template } from './templateEnv.js';

export const productCreated: Template = (env) => {
  const { t, v } = env;
  const p = readProduct(env.input.eventData);
  const a = productArgs(env, p);
  const hooks = t.created.hooks(v.tone, a).map((h, i) => `${emojiFor(v, EMOJI_SETS.launch, i)}${h}`);
  const hashtags = hashtagsFor(env, p, byLength(v, 3, 5, 8));
  const caption = `${emojiFor(v, EMOJI_SETS.love, 0)}${t.created.caption(v.tone, a)}${hashtags.length > 0 ? ` ${hashtags.join(' ')}` : ''}`;
  const copy = t.created.copy(v.tone, a, v.length);
  const long = v.length === 'long';
  const plan = long ? t.created.plan(a).map((s, i) => `${emojiFor(v, EMOJI_SETS.plan, i + 1)}${s}`) : undefined;
  const emailSubjects = long ? t.created.emailSubjects(a) : undefined;

  return {
    title: t.created.title(a),
    body: joinSections([
      section(t.headings.hooks, numbered(hooks)),
      section(t.headings.caption, caption),
      section(t.headings.copy, copy),
      plan && section(t.headings.plan, bullets(plan)),
      emailSubjects && section(t.headings.emailSubjects, bullets(emailSubjects)),
    ]),
    content: {
      product: { id: p.id ?? null, title: p.title, handle: p.handle ?? null },
      hooks,
      caption,
      hashtags,
      copy,
      price: p.minPrice ?? null,
      compareAtPrice: p.compareAtPrice ?? null,
      discountPercent: p.discountPct ?? null,
      ...(plan ? { plan } : {}),
      ...(emailSubjects ? { emailSubjects } : {}),
    },
  };
};
