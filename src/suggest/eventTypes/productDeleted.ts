/**
 * shopify.product.deleted: a cleanup checklist. The webhook carries only the id, so the name and
 * handle come from the last version Lookout stored (context.product).
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import { readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { checklist, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';
import { type ProductBrief, productBrief, productName } from './productFacts.js';

export interface ProductDeletedFacts {
  product: ProductBrief;
  /** True when the name comes from a stored version. */
  known: boolean;
}

export const productDeleted = defineEventType<ProductDeletedFacts>({
  needs: ['product'],
  customerFacing: false,
  facts(input) {
    const fromPayload = readProduct(input.eventData);
    const known = input.context?.product;
    return {
      product: known !== undefined ? productBrief(known, fromPayload.id) : productBrief(input.eventData),
      known: known !== undefined,
    };
  },
  task:
    'Write a short cleanup checklist for the deleted product (redirect its URL, ads, email flows, ' +
    'collections). content: {steps: string[]}.',
  render(env, facts) {
    const { t, v } = env;
    const text = t.productDeleted;
    const name = productName(env, facts.product);
    const steps = text.steps(name, facts.product.handle ?? undefined).slice(0, byLength(v, 3, 4, 5));
    return {
      title: `${emojiIfLots(v, EMOJI_SETS.alert, 1)}${text.title(name)}`,
      body: joinSections([
        !facts.known && facts.product.id ? text.unknown(facts.product.id) : undefined,
        section(text.heading, checklist(steps)),
      ]),
      content: {
        product: { id: facts.product.id, title: facts.product.title, handle: facts.product.handle },
        steps,
      },
    };
  },
});
