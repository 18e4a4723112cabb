/** English phrases of the Shopify templates. */
import type { Tone } from '../../vibe.js';
import type { ProductPhraseArgs, ShopifyText } from './shopifyText.js';

function sentence(text: string): string {
  const t = text.trim();
  return /[.!?…:]$/.test(t) ? t : `${t}.`;
}

const CTA: Record<Tone, string> = {
  friendly: 'Tap the link in bio to grab yours.',
  professional: 'Shop now via the link in our bio.',
  playful: 'Link in bio, go go go!',
  bold: 'Link in bio. Go.',
};

function off(a: ProductPhraseArgs): string {
  return `${a.upTo ? 'up to ' : ''}${a.pct}% off`;
}

function priceWord(a: ProductPhraseArgs): string {
  return `${a.priceFrom ? 'from ' : ''}${a.price}`;
}

export const en: ShopifyText = {
  cta: (tone) => CTA[tone],
  genericKind: 'find',
  unnamedProduct: (id) => (id ? `product ${id}` : 'the product'),
  and: 'and',
  headings: {
    hooks: 'TikTok hooks',
    caption: 'Caption',
    copy: 'Marketing copy',
    plan: 'Posting plan',
    emailSubjects: 'Email subject lines',
    changes: 'What changed',
    notable: 'Notable fields',
    checklist: 'Cleanup checklist',
    launchPlan: 'Launch plan',
    announcement: 'Announcement',
    featured: 'Feature first',
    stock: 'Stock',
    reorder: 'Reorder',
    meanwhile: 'Meanwhile',
    crossSell: 'Cross-sell',
    topProducts: 'Feature these first',
    byType: 'By product type',
    nextSteps: 'Plan',
    product: 'Product',
    price: 'Price',
    discount: 'Discount',
  },
  created: {
    title: (a) => `Launch content for ${a.title}`,
    hooks(tone, a) {
      switch (tone) {
        case 'professional':
          return [
            `Introducing ${a.title}: ${a.kind} made for ${a.audience ?? 'everyday use'}.`,
            a.pct
              ? `${a.title}, now ${priceWord(a)} (${off(a)}).`
              : a.price
                ? `${a.title}: considered design at ${priceWord(a)}.`
                : `${a.title}: the details that matter.`,
            `Three details that set ${a.title} apart.`,
          ];
        case 'playful':
          return [
            `Plot twist: your next favourite ${a.kind} just dropped. Say hi to ${a.title}!`,
            a.pct ? `${a.pct}% off?! ${a.title} says treat yourself.` : `Warning: ${a.title} may cause compliments.`,
            `Tell me you need ${a.title} without telling me you need ${a.title}.`,
          ];
        case 'bold':
          return [
            `Stop scrolling. ${a.title} is here.`,
            a.pct
              ? `${off(a)} ${a.title}. No excuses.`
              : a.price
                ? `${a.title}. ${priceWord(a)}. Worth every cent.`
                : `${a.title}. Nothing else comes close.`,
            `The only ${a.kind} you need this season: ${a.title}.`,
          ];
        default:
          return [
            `POV: you just found your new favourite ${a.kind}: ${a.title}.`,
            a.pct
              ? `${a.upTo ? 'Up to ' : ''}${a.pct}% off ${a.title}? Here's why it won't last long.`
              : `3 reasons ${a.title} belongs in your cart.`,
            a.audience
              ? `Made for ${a.audience}: meet ${a.title}.`
              : `Meet ${a.title}${a.vendor ? ` by ${a.vendor}` : ''}: here's what makes it special.`,
          ];
      }
    },
    caption(tone, a) {
      switch (tone) {
        case 'professional':
          return `New: ${a.title}${a.price ? `, ${priceWord(a)}` : ''}${a.pct ? ` (${off(a)})` : ''}. ${CTA[tone]}`;
        case 'playful':
          return `New drop alert: ${a.title}${a.pct ? ` (${off(a)}, you're welcome)` : ''}! ${CTA[tone]}`;
        case 'bold':
          return `${a.title}. Out now${a.pct ? `. ${off(a)}` : ''}. ${CTA[tone]}`;
        default:
          return `${a.title} is here${a.pct ? `, and it's ${off(a)}` : ''}! ${CTA[tone]}`;
      }
    },
    copy(tone, a, length) {
      const opener: Record<Tone, string> = {
        friendly: `Say hello to ${a.title}${a.vendor ? ` by ${a.vendor}` : ''}.`,
        professional: `Introducing ${a.title}${a.vendor ? ` by ${a.vendor}` : ''}.`,
        playful: `Meet ${a.title}, your new obsession.`,
        bold: `${a.title} is here.`,
      };
      const price =
        a.pct && a.compareAt && a.price
          ? `Now ${priceWord(a)}, down from ${a.compareAt}: save ${a.upTo ? 'up to ' : ''}${a.pct}%.`
          : a.price
            ? `Available ${a.priceFrom ? 'from' : 'for'} ${a.price}.`
            : '';
      const parts = [opener[tone], price];
      if (length !== 'short') {
        if (a.description) parts.push(sentence(a.description));
        if (a.options.length > 1)
          parts.push(`Choose from ${a.options.slice(0, -1).join(', ')} and ${a.options[a.options.length - 1]}.`);
        if (a.audience) parts.push(`Made for ${a.audience}${a.niche ? ` who love ${a.niche}` : ''}.`);
        else if (a.niche) parts.push(`A must-have for anyone into ${a.niche}.`);
      }
      parts.push(CTA[tone]);
      return parts.filter(Boolean).join(' ');
    },
    plan: (a) => [
      `Day 1: post hook 1 as a 15-second video showing ${a.title} in use.`,
      `Day 2: post hook 2 with the price${a.pct ? ' and the discount' : ''} on screen.`,
      'Day 3: post hook 3 and answer the most common comment in a reply video.',
      'Day 5: pin the best performer and reuse it as a Spark Ad.',
    ],
    emailSubjects: (a) => [
      `New: ${a.title}`,
      a.pct ? `${a.title}: ${off(a)} while it lasts` : `${a.title} just landed`,
      `Why everyone is talking about ${a.title}`,
    ],
  },
  updated: {
    title(kind, a) {
      switch (kind) {
        case 'priceDrop':
          return `Price drop on ${a.title}: tell your audience`;
        case 'priceRise':
          return `${a.title} costs more now: refresh its copy`;
        case 'backInStock':
          return `${a.title} is back in stock: announce it`;
        case 'soldOut':
          return `${a.title} sold out: switch to a waitlist`;
        case 'stockChange':
          return `Stock changed for ${a.title}`;
        case 'published':
          return `${a.title} is live: time to promote it`;
        case 'unpublished':
          return `${a.title} is no longer active: pause its promotion`;
        default:
          return `${a.title} was updated: refresh its copy`;
      }
    },
    field: (f) =>
      ({
        title: 'Title',
        price: 'Price',
        compareAt: 'Compare-at price',
        discount: 'Discount',
        status: 'Status',
        tags: 'Tags',
        productType: 'Product type',
        vendor: 'Vendor',
        description: 'Description',
        inventory: 'Inventory',
        variants: 'Variants',
      })[f],
    noPrevious: 'No earlier version was available to compare, so here are the fields that matter now:',
    descriptionChanged: 'rewritten',
    copy(tone, kind, a) {
      const cta = CTA[tone];
      switch (kind) {
        case 'priceDrop':
          return `Price drop: ${a.title} is now ${priceWord(a)}${a.pct ? ` (${off(a)})` : ''}. ${cta}`;
        case 'priceRise':
          return `${a.title}, now ${priceWord(a)}: ${a.description ? sentence(a.description) : 'made to last, and still worth it.'} ${cta}`;
        case 'backInStock':
          return `${a.title} is back in stock${a.inventory !== undefined ? ` (${a.inventory} available)` : ''}. Don't miss it this time. ${cta}`;
        case 'soldOut':
          return `${a.title} sold out. Join the waitlist to hear first when it's back.`;
        case 'stockChange':
          return a.inventory !== undefined && a.inventory <= 20
            ? `Only ${a.inventory} left of ${a.title}. ${cta}`
            : `${a.title} is in stock and ready to ship. ${cta}`;
        case 'published':
          return `${a.title} is live${a.price ? ` at ${priceWord(a)}` : ''}. ${cta}`;
        case 'unpublished':
          return `Internal note: ${a.title} is no longer active. Pause ads and scheduled posts that link to it.`;
        default:
          return `${a.title}: fresh details, same favourite ${a.kind}.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
      }
    },
  },
  deleted: {
    title: (name) => `Clean up after deleting ${name}`,
    steps: (name, handle) => [
      handle
        ? `Redirect /products/${handle} to a related collection (Online Store > Navigation > URL redirects) so old links and ads don't hit a 404.`
        : `Add a URL redirect from the old page of ${name} to a related collection so old links and ads don't hit a 404.`,
      `Pause ads and scheduled posts that link to ${name}.`,
      `Remove ${name} from email flows, bundles and discount rules.`,
      `Check collections, menus and blog posts that featured ${name}.`,
      `Tell back-in-stock subscribers and customers with open orders what to expect.`,
    ],
  },
  collection: {
    title: (a, updated) =>
      updated ? `Refresh plan for the ${a.title} collection` : `Launch plan for the ${a.title} collection`,
    summary: (a) =>
      `${a.title} is ${a.published ? (a.scope === 'global' ? 'published on all sales channels' : 'published on the online store') : 'not published yet'}${a.handle ? ` (/collections/${a.handle})` : ''}.`,
    launchSteps: (a) => [
      { when: 'Day -3', action: `Tease ${a.title}: a 10-second video of one piece with "coming soon" and the date.` },
      {
        when: 'Day -1',
        action: `Email and SMS subscribers: early access to ${a.title} with a preview of three pieces.`,
      },
      { when: 'Day 0', action: `Post the announcement below, pin it, and put ${a.title} on the home page banner.` },
      { when: 'Day +3', action: `Share the first reviews or customer photos from ${a.title}.` },
      { when: 'Day +7', action: `Recap the best sellers of ${a.title} and retarget visitors who didn't buy.` },
      {
        when: 'Day +14',
        action: `Review sessions, conversion and best sellers of ${a.title}; decide what to restock or discount.`,
      },
    ],
    refreshSteps: (a) => [
      { when: 'Today', action: `Reorder ${a.title}: best sellers and new arrivals first.` },
      { when: 'Today', action: `Update the banner and description of ${a.title} to match the change.` },
      { when: 'This week', action: `Post "what's new in ${a.title}" featuring the three newest products.` },
      { when: 'Next week', action: `Email subscribers who viewed ${a.title} about the update.` },
    ],
    announcement(tone, a, updated) {
      const cta = CTA[tone];
      if (updated) return `Fresh picks just landed in ${a.title}. ${cta}`;
      switch (tone) {
        case 'professional':
          return `Introducing ${a.title}, our new collection. ${cta}`;
        case 'playful':
          return `Fresh drop alert: the ${a.title} collection just landed! ${cta}`;
        case 'bold':
          return `${a.title}. The new collection. Out now. ${cta}`;
        default:
          return `Our new collection ${a.title} is here, and we think you'll love it. ${cta}`;
      }
    },
  },
  inventory: {
    title: (a) =>
      a.coverDays !== undefined
        ? `Restock ${a.name}: ${a.coverDays} days of stock left`
        : `Restock ${a.name}: stock is low`,
    facts: (a) => [
      a.available !== undefined
        ? `Available: ${a.available} units${a.location ? ` at location ${a.location}` : ''}.`
        : 'Available: unknown (the event carried no count), so the figures below assume 0.',
      a.unitsPerDay !== undefined
        ? `Recent sales: ${a.unitsPerDay} units/day${a.windowDays ? ` over the last ${a.windowDays} days` : ''}.`
        : 'Recent sales: unknown, so days of cover cannot be computed yet.',
      ...(a.coverDays !== undefined
        ? [`Days of cover: ${a.coverDays}${a.runsOutOn ? ` (runs out around ${a.runsOutOn})` : ''}.`]
        : []),
    ],
    order: (a) =>
      a.quantityValue > 0
        ? `Reorder **${a.quantity} units** of ${a.name}.`
        : `No reorder needed yet for ${a.name}: stock covers the lead time, the next cycle and the safety stock.`,
    needVelocity: (a) =>
      `To size the reorder of ${a.name}, Lookout needs its recent daily sales; the rule it will apply is below.`,
    formula: (a) =>
      `Formula: reorder quantity = ceil(daily sales × (lead time + reorder cycle + safety days)) − available = ${a.worked}.`,
    reorderPoint: (a) =>
      `Reorder point: ${a.reorderPoint} units (daily sales × (lead time + safety days)); ${a.belowReorderPoint ? 'you are below it, so order now.' : 'you are still above it.'}`,
    assumptions: (a) =>
      `Assumptions: ${a.leadTimeDays}-day supplier lead time, ${a.safetyStockDays} days of safety stock, each reorder covers ${a.cycleDays} days of sales.`,
    meanwhile(tone, a) {
      const urgency: Record<Tone, string> = {
        friendly: `Post a friendly heads-up: "Only ${a.available ?? 'a few'} left of ${a.name}."`,
        professional: `Show a low-stock notice on the page of ${a.name} to set expectations.`,
        playful: `Turn scarcity into a game: "${a.name} is almost gone. Blink and you'll miss it."`,
        bold: `Say it straight: "${a.name}: last ${a.available ?? 'few'} units."`,
      };
      const steps = [urgency[tone]];
      if (a.runsOutBeforeDelivery) {
        steps.push(
          `Stock runs out before a new delivery can arrive (${a.leadTimeDays}-day lead time): pause ads for ${a.name} and turn on back-in-stock alerts.`,
        );
      }
      steps.push(`Ask the supplier whether part of the order can ship early.`);
      return steps;
    },
  },
  order: {
    title: (a) =>
      a.cancelled
        ? `Win back the customer of cancelled order ${a.orderName} (${a.topItem})`
        : `Follow up on order ${a.orderName} (${a.topItem}${a.otherItems > 0 ? ` and ${a.otherItems} more` : ''})`,
    messageHeading: (a) => `Message to ${a.firstName ?? 'the customer'}`,
    message(tone, a) {
      const name = a.firstName;
      const more = a.otherItems > 0 ? ` and ${a.otherItems} other item${a.otherItems > 1 ? 's' : ''}` : '';
      const greeting: Record<Tone, string> = {
        friendly: name ? `Hi ${name},` : 'Hi there,',
        professional: name ? `Dear ${name},` : 'Hello,',
        playful: name ? `Hey ${name}!` : 'Hey there!',
        bold: name ? `${name},` : 'Hi,',
      };
      const body: Record<Tone, string> = a.cancelled
        ? {
            friendly: `we noticed order ${a.orderName} was cancelled. If something wasn't right, just reply and tell us: we'd love to make it right. Your ${a.topItem} will be here when you're ready.`,
            professional: `we have processed the cancellation of order ${a.orderName}. If anything about your experience fell short, please reply: your feedback helps us improve. ${a.topItem} remains available whenever you need it.`,
            playful: `order ${a.orderName} got cancelled, and honestly, your ${a.topItem} is a little heartbroken. Changed your mind? It's still here. Something went wrong? Hit reply.`,
            bold: `order ${a.orderName} was cancelled. If we got something wrong, tell us. ${a.topItem} is still here when you're ready.`,
          }
        : {
            friendly: `thanks so much for your order ${a.orderName}! Your ${a.topItem}${more} is being packed with care. Any questions? Just reply to this message: we're happy to help.`,
            professional: `thank you for your order ${a.orderName}. We are preparing your ${a.topItem}${more} and will let you know as soon as it ships. Reply to this message if there is anything we can do.`,
            playful: `your ${a.topItem}${more} just got great news: it's coming home with you! Order ${a.orderName} is in the works. Questions? Hit reply.`,
            bold: `order ${a.orderName} confirmed. Your ${a.topItem}${more} ships soon. Questions? Reply here.`,
          };
      const ps = a.pairing && !a.cancelled ? `\n\nP.S. ${a.pairing} pairs well with your ${a.topItem}.` : '';
      return `${greeting[tone]}\n\n${body[tone]}${ps}\n\n${a.signOff ?? 'The team'}`;
    },
    crossSellReason: (kind, detail) =>
      ({
        type: `same product type (${detail})`,
        vendor: `also by ${detail}`,
        tag: `shares the tag "${detail}"`,
        price: `a best-value add-on at ${detail}`,
      })[kind],
    crossSellGeneric: (a) => [
      `Offer a bundle: ${a.topItem} plus a matching accessory at 10% off for the next 14 days.`,
      `Add a "complete the look" block with products from the collection of ${a.topItem} to the shipping confirmation email.`,
      'Add a cart upsell for the most common add-on to this product, so the next customer sees it before paying.',
    ],
  },
  batch: {
    title: (count, first, updated) =>
      updated ? `${count} products updated, including ${first}` : `${count} new products: start with ${first}`,
    intro: (count, updated) =>
      updated
        ? `${count} products changed at once (an import or a bulk edit). The highest-priced ones are listed first.`
        : `${count} products arrived at once (an import or a bulk edit). Promote a few well instead of all of them at once.`,
    plan: (top, largest) => [
      `This week: post TikTok hooks for ${top.slice(0, 3).join(', ')}.`,
      ...(largest
        ? [
            `Group the largest product type (${largest.type}, ${largest.count} products) into a collection and announce it.`,
          ]
        : []),
      'Schedule the rest at one or two products a day rather than one big post.',
      'Before promoting, check that every product has an image, a description and a price.',
    ],
  },
};
