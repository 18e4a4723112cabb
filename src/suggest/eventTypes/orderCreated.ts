/**
 * shopify.order.created: a message to the customer (first name only: no surname, email, phone or
 * address ever reaches a suggestion) and a cross-sell from what other customers bought with these
 * items, else from the catalogue. Test orders get a checkout check instead of a message, cancelled
 * ones a win-back note that promises nothing about shipping; first-time and returning customers
 * are told apart from the orders Lookout stored.
 */
import { EMOJI_SETS, emojiFor } from '../emoji.js';
import type { OrderKind, OrderPhraseArgs } from '../i18n/texts.js';
import { at, bool, list } from '../payload.js';
import { type LineItemFacts, readOrder, readProduct } from '../shopifyFacts.js';
import { byLength } from '../vibe.js';
import { bullets, checklist, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';

interface CrossSell {
  title: string;
  price: number | null;
  reason: 'boughtTogether' | 'type' | 'vendor' | 'tag';
  /** The bought item, the shared type, vendor or tag. */
  detail: string;
  /** For boughtTogether: in how many orders. */
  orders: number | null;
}

export interface OrderCreatedFacts {
  order: {
    id: string | null;
    name: string;
    test: boolean;
    cancelled: boolean;
    financialStatus: string | null;
    currency: string | null;
    total: number | null;
    items: Array<{ title: string; variant: string | null; quantity: number; price: number | null }>;
  };
  kind: OrderKind;
  customer: { firstName: string | null; previousOrders: number | null; lastOrderAt: string | null };
  crossSell: CrossSell[];
}

function lineValue(li: LineItemFacts): number {
  return (li.price ?? 0) * li.quantity;
}

function crossSellOf(
  items: LineItemFacts[],
  boughtTogether: Array<{ productId: string; title: string; orders: number; price?: number }>,
  catalogue: unknown[],
): CrossSell[] {
  const boughtIds = new Set(items.map((i) => i.productId).filter((id): id is string => id !== undefined));
  const boughtTitles = new Set(items.map((i) => i.title.toLowerCase()));
  const out: CrossSell[] = [];
  const seen = new Set<string>();
  const top = items[0]?.title ?? '';
  for (const b of [...boughtTogether].sort((x, y) => y.orders - x.orders || x.title.localeCompare(y.title))) {
    if (boughtIds.has(b.productId) || seen.has(b.title.toLowerCase())) continue;
    seen.add(b.title.toLowerCase());
    out.push({ title: b.title, price: b.price ?? null, reason: 'boughtTogether', detail: top, orders: b.orders });
  }
  const products = catalogue.map((p) => readProduct(p));
  const bought = products.filter((p) => (p.id && boughtIds.has(p.id)) || boughtTitles.has(p.title.toLowerCase()));
  const types = new Set(bought.map((p) => p.productType?.toLowerCase()).filter(Boolean));
  const vendors = new Set(bought.map((p) => p.vendor).filter(Boolean));
  const tags = new Set(bought.flatMap((p) => p.tags.map((t) => t.toLowerCase())));
  const scored = products
    .filter(
      (p) => !bought.includes(p) && p.named && !seen.has(p.title.toLowerCase()) && (p.status ?? 'active') === 'active',
    )
    .flatMap((p): Array<CrossSell & { score: number }> => {
      const sharedTag = p.tags.find((tag) => tags.has(tag.toLowerCase()));
      const base = { title: p.title, price: p.minPrice ?? null, orders: null };
      if (sharedTag) return [{ ...base, reason: 'tag', detail: sharedTag, score: 3 }];
      if (p.productType && types.has(p.productType.toLowerCase()))
        return [{ ...base, reason: 'type', detail: p.productType, score: 2 }];
      if (p.vendor && vendors.has(p.vendor) && vendors.size > 0 && products.some((x) => x.vendor !== p.vendor))
        return [{ ...base, reason: 'vendor', detail: p.vendor, score: 1 }];
      return [];
    })
    // Best match first; among equals the cheaper one: add-ons convert better than big tickets.
    .sort(
      (x, y) => y.score - x.score || (x.price ?? Infinity) - (y.price ?? Infinity) || x.title.localeCompare(y.title),
    );
  for (const { score: _score, ...c } of scored) out.push(c);
  return out.slice(0, 5);
}

export const orderCreated = defineEventType<OrderCreatedFacts>({
  needs: ['customer', 'boughtTogether', 'catalogue'],
  customerFacing: true,
  facts(input) {
    const o = readOrder(input.eventData);
    const ctx = input.context;
    const items = [...o.items].sort((x, y) => lineValue(y) - lineValue(x));
    const test = bool(at(input.eventData, 'test')) === true;
    const customer = ctx?.customer;
    const kind: OrderKind = test
      ? 'test'
      : o.cancelled
        ? 'cancelled'
        : customer
          ? customer.previousOrders > 0
            ? 'repeat'
            : 'firstTime'
          : 'plain';
    return {
      order: {
        id: o.id ?? null,
        name: o.name,
        test,
        cancelled: o.cancelled,
        financialStatus: o.financialStatus ?? null,
        currency: o.currency ?? ctx?.currency ?? null,
        total: o.totalPrice ?? null,
        items: items.slice(0, 20).map((i) => ({
          title: i.title,
          variant: i.variantTitle ?? null,
          quantity: i.quantity,
          price: i.price ?? null,
        })),
      },
      kind,
      customer: {
        firstName: o.firstName ?? null,
        previousOrders: customer ? customer.previousOrders : null,
        lastOrderAt: customer?.lastOrderAt ?? null,
      },
      crossSell: test ? [] : crossSellOf(items, ctx?.boughtTogether ?? [], list(ctx?.products)),
    };
  },
  task:
    'kind says what the order is. test: no customer message; a short checklist to verify the checkout. ' +
    'cancelled: a short win-back message that does not mention shipping. firstTime / repeat / plain: a thank-you ' +
    'message (first name only, no other personal data; a returning customer is thanked for coming back). Then a ' +
    'cross-sell naming only products from crossSell, with their reason. content: {message: string | null, ' +
    'crossSell: [{title, reason}], steps?: string[]}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text = t.orderCreated;
    const o = facts.order;
    const top = o.items[0]?.title ?? o.name;
    const picks = facts.crossSell.slice(0, byLength(v, 1, 2, 3));
    const currency = o.currency ?? undefined;
    const a: OrderPhraseArgs = {
      firstName: facts.customer.firstName ?? undefined,
      orderName: o.name,
      topItem: top,
      otherItems: o.items.length > 1 ? f.integer(o.items.length - 1) : undefined,
      otherCount: Math.max(0, o.items.length - 1),
      total: o.total !== null ? f.money(o.total, currency) : undefined,
      pairing: picks[0]?.title,
      pairingBoughtTogether: picks[0]?.reason === 'boughtTogether',
      previousOrders: facts.customer.previousOrders !== null ? f.integer(facts.customer.previousOrders) : undefined,
      lastOrderOn: facts.customer.lastOrderAt ? f.longDate(facts.customer.lastOrderAt) : undefined,
      brand: env.input.profile.brand?.trim() || undefined,
    };
    const crossSellLines = picks.map((c) => {
      const reason =
        c.reason === 'boughtTogether'
          ? text.crossSellReason.boughtTogether(c.detail, f.integer(c.orders ?? 0))
          : text.crossSellReason[c.reason](c.detail);
      return `**${c.title}**${c.price !== null ? ` (${f.money(c.price, currency)})` : ''}: ${reason}`;
    });
    const content = {
      order: { id: o.id, name: o.name, test: o.test, cancelled: o.cancelled },
      kind: facts.kind,
      crossSell: picks.map((c) => ({ title: c.title, price: c.price, reason: c.reason, orders: c.orders })),
      items: o.items.map((i) => ({ title: i.title, quantity: i.quantity })),
    };

    if (facts.kind === 'test') {
      const steps = text.testSteps(a).slice(0, byLength(v, 3, 4, 5));
      return {
        title: text.title.test(a),
        body: joinSections([text.testNote(a, o.cancelled), section(text.headings.checks, checklist(steps))]),
        content: { ...content, message: null, steps },
      };
    }
    const ps = picks[0] && facts.kind !== 'cancelled' ? `\n\n${text.ps(a)}` : '';
    const emoji = emojiFor(v, EMOJI_SETS.love, 0).trim();
    const message = `${text.message[facts.kind][v.tone](a)}${ps}\n\n${text.signOff(a)}${emoji ? ` ${emoji}` : ''}`;
    const note =
      facts.kind === 'cancelled'
        ? text.cancelledNote(a)
        : facts.kind === 'repeat'
          ? text.customerNote.repeat(a)
          : facts.kind === 'firstTime'
            ? text.customerNote.firstTime(a)
            : text.customerNote.unknown;
    return {
      title: text.title[facts.kind](a),
      body: joinSections([
        note,
        section(
          text.headings.message(a),
          message
            .split('\n')
            .map((l) => (l ? `> ${l}` : '>'))
            .join('\n'),
        ),
        facts.kind !== 'cancelled' &&
          section(text.headings.crossSell, crossSellLines.length > 0 ? bullets(crossSellLines) : text.noCrossSell),
      ]),
      content: { ...content, message },
    };
  },
});
