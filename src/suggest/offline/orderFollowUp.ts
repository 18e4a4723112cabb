/**
 * shopify.order.created: a follow-up message and a cross-sell. The message may use the customer's
 * first name and nothing else personal: no surname, email, phone or address ever reaches a
 * suggestion, which is shown in dashboards and Slack channels. A cancelled order gets a win-back
 * message instead of a thank-you.
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import { money } from '../format.js';
import { list } from '../payload.js';
import { type LineItemFacts, type ProductFacts, readOrder, readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, joinSections, section } from './markdown.js';
import type { Template, TemplateEnv } from './templateEnv.js';
import type { OrderPhraseArgs } from './text/shopifyText.js';

interface CrossSell {
  title: string;
  price: number | null;
  reason: string;
}

function lineValue(li: LineItemFacts): number {
  return (li.price ?? 0) * li.quantity;
}

/** Catalogue products not in the order, ranked by what they share with what was bought. */
function rankCatalogue(env: TemplateEnv, items: LineItemFacts[], currency: string | undefined): CrossSell[] {
  const catalogue = list(env.input.context?.products).map((p) => readProduct(p));
  if (catalogue.length === 0) return [];
  const boughtIds = new Set(items.map((i) => i.productId).filter((id): id is string => id !== undefined));
  const boughtTitles = new Set(items.map((i) => i.title.toLowerCase()));
  const bought = catalogue.filter((p) => (p.id && boughtIds.has(p.id)) || boughtTitles.has(p.title.toLowerCase()));
  const types = new Set(bought.map((p) => p.productType?.toLowerCase()).filter(Boolean));
  const vendors = new Set([...bought.map((p) => p.vendor), ...items.map((i) => i.vendor)].filter(Boolean));
  const tags = new Set(bought.flatMap((p) => p.tags.map((t) => t.toLowerCase())));
  const t = env.t.order;

  const scored = catalogue
    .filter((p) => !bought.includes(p))
    .map((p: ProductFacts) => {
      const sharedTag = p.tags.find((tag) => tags.has(tag.toLowerCase()));
      let score = 0;
      let reason: string;
      if (p.productType && types.has(p.productType.toLowerCase())) {
        score = 3;
        reason = t.crossSellReason('type', p.productType);
      } else if (p.vendor && vendors.has(p.vendor)) {
        score = 2;
        reason = t.crossSellReason('vendor', p.vendor);
      } else if (sharedTag) {
        score = 1;
        reason = t.crossSellReason('tag', sharedTag);
      } else {
        reason = t.crossSellReason(
          'price',
          p.minPrice !== undefined ? money(p.minPrice, currency, env.v.language) : '–',
        );
      }
      return { p, score, reason };
    });
  // Best match first; among equals the cheaper one, since add-ons convert better than big tickets.
  scored.sort(
    (x, y) =>
      y.score - x.score ||
      (x.p.minPrice ?? Infinity) - (y.p.minPrice ?? Infinity) ||
      x.p.title.localeCompare(y.p.title),
  );
  return scored.map(({ p, reason }) => ({ title: p.title, price: p.minPrice ?? null, reason }));
}

export const orderFollowUp: Template = (env) => {
  const { t, v, input } = env;
  const o = readOrder(input.eventData);
  const currency = o.currency ?? input.context?.currency;
  const items = [...o.items].sort((x, y) => lineValue(y) - lineValue(x));
  const top = items[0]?.title ?? o.name;
  const picks = rankCatalogue(env, items, currency).slice(0, byLength(v, 1, 2, 3));
  const a: OrderPhraseArgs = {
    firstName: o.firstName,
    orderName: o.name,
    topItem: top,
    otherItems: Math.max(0, items.length - 1),
    cancelled: o.cancelled,
    pairing: picks[0]?.title,
    signOff: input.profile.brand,
  };
  const message = `${t.order.message(v.tone, a)}${v.emoji === 'none' ? '' : ` ${emojiFor(v, EMOJI_SETS.love, 0).trim()}`}`;
  const crossSellLines =
    picks.length > 0
      ? picks.map(
          (c) => `**${c.title}**${c.price !== null ? ` (${money(c.price, currency, v.language)})` : ''}: ${c.reason}`,
        )
      : t.order.crossSellGeneric(a).slice(0, byLength(v, 1, 2, 3));

  return {
    title: t.order.title(a),
    body: joinSections([
      section(
        t.order.messageHeading(a),
        message
          .split('\n')
          .map((l) => (l ? `> ${l}` : '>'))
          .join('\n'),
      ),
      section(t.headings.crossSell, bullets(crossSellLines)),
    ]),
    content: {
      order: { id: o.id ?? null, name: o.name, cancelled: o.cancelled },
      message,
      crossSell: picks.length > 0 ? picks : crossSellLines.map((line) => ({ title: null, price: null, reason: line })),
      items: items.map((i) => ({ title: i.title, quantity: i.quantity })),
    },
  };
};
