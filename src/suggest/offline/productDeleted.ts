/**
 * shopify.product.deleted: a short cleanup checklist. The webhook carries only the id, so the name
 * comes from context.product (the pipeline's last known copy) when it has one.
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import { readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { checklist, joinSections, section } from './markdown.js';
import { productName } from './productArgs.js';
import type { Template } from './templateEnv.js';

export const productDeleted: Template = (env) => {
  const { t, v } = env;
  const fromPayload = readProduct(env.input.eventData);
  const known = env.input.context?.product;
  const p = known !== undefined ? readProduct(known, fromPayload.id) : fromPayload;
  const name = productName(env, p);
  const steps = t.deleted.steps(name, p.handle).slice(0, byLength(v, 3, 4, 5));
  return {
    title: `${emojiIfLots(v, EMOJI_SETS.alert, 1)}${t.deleted.title(name)}`,
    body: joinSections([section(t.headings.checklist, checklist(steps))]),
    content: { product: { id: fromPayload.id ?? p.id ?? null, title: p.title, handle: p.handle ?? null }, steps },
  };
};
