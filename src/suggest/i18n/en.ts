/** English. The reference catalogue: every other language translates this file. */

import { sentence } from '../eventTypes/productFacts.js';
import type { Catalogue } from './catalogue.js';
import type { ProductPhraseArgs } from './texts.js';

const priceWord = (a: ProductPhraseArgs) => `${a.priceFrom ? 'from ' : ''}${a.price}`;
const off = (a: ProductPhraseArgs) => `${a.upTo ? 'up to ' : ''}${a.off} off`;
const by = (a: ProductPhraseArgs) => (a.vendor ? ` by ${a.vendor}` : '');
const plural = (n: string, one: string, many: string) => (n === '1' ? one : many);

export const en: Catalogue = {
  language: 'en',
  common: {
    cta: {
      friendly: 'Tap the link in bio to grab yours.',
      playful: 'Link in bio, go go go!',
      refined: 'Discover it through the link in our bio.',
      professional: 'Shop now via the link in our bio.',
      minimal: 'Link in bio.',
      bold: 'Link in bio. Go.',
    },
    genericKind: 'find',
    unnamedProduct: (id) => (id ? `product ${id}` : 'the product'),
    unapplied: {
      heading: 'Settings not applied',
      language: (requested, used) =>
        `Language: ${requested} is not available in the offline templates, so this was written in ${used}.`,
      tone: (requested, used, available) =>
        `Tone: "${requested}" is not one of the offline tones (${available}), so the ${used} tone was used.`,
      llm: 'Connect a language model (LOOKOUT_LLM_BASE_URL and LOOKOUT_LLM_MODEL) to write in any language and tone.',
    },
  },

  productCreated: {
    title: (a) => `Launch content for ${a.title}`,
    headings: {
      hooks: 'TikTok hooks',
      caption: 'Caption',
      copy: 'Product copy',
      plan: 'Posting plan',
      emailSubjects: 'Email subject lines',
    },
    hooks: {
      friendly: (a) => [
        `POV: you just found your new favourite ${a.kind}: ${a.title}.`,
        a.off
          ? `${a.title} is ${off(a)} right now. Here is why it is worth it.`
          : `3 reasons ${a.title} belongs in your cart.`,
        a.vendor
          ? `Made by ${a.vendor}, loved by us: say hi to ${a.title}.`
          : `Say hi to ${a.title}, our newest ${a.kind}.`,
      ],
      playful: (a) => [
        `Plot twist: your next favourite ${a.kind} just dropped. Say hi to ${a.title}!`,
        a.off ? `${off(a)}?! ${a.title} says treat yourself.` : `Warning: ${a.title} may cause compliments.`,
        `Tell me you need ${a.title} without telling me you need ${a.title}.`,
      ],
      refined: (a) => [
        `${a.title}: made to be kept.`,
        a.off && a.compareAt
          ? `${a.title}, now ${priceWord(a)} instead of ${a.compareAt}.`
          : `A closer look at ${a.title}.`,
        `The details behind ${a.title}.`,
      ],
      professional: (a) => [
        `Now available: ${a.title}${by(a)}.`,
        a.off
          ? `${a.title}, now ${priceWord(a)} (${off(a)}).`
          : a.price
            ? `${a.title}: considered design, ${a.priceFrom ? 'from' : 'at'} ${a.price}.`
            : `${a.title}: the details that matter.`,
        `Three details that set ${a.title} apart.`,
      ],
      minimal: (a) => [
        `${a.title}.`,
        a.price ? `${a.title}. ${priceWord(a)}.` : `${a.title}. Now in store.`,
        `New: ${a.title}.`,
      ],
      bold: (a) => [
        `Stop scrolling. ${a.title} is here.`,
        a.off
          ? `${off(a)} ${a.title}. No excuses.`
          : a.price
            ? `${a.title}. ${priceWord(a)}. Worth every cent.`
            : `${a.title}. Nothing else comes close.`,
        `The only ${a.kind} you need this season: ${a.title}.`,
      ],
    },
    caption: {
      friendly: (a) => `${a.title} is here${a.off ? `, and it is ${off(a)}` : ''}!`,
      playful: (a) => `New drop alert: ${a.title}${a.off ? ` (${off(a)}, you're welcome)` : ''}!`,
      refined: (a) => `${a.title}${a.price ? `, ${priceWord(a)}` : ''}.`,
      professional: (a) => `New: ${a.title}${a.price ? `, ${priceWord(a)}` : ''}${a.off ? ` (${off(a)})` : ''}.`,
      minimal: (a) => `${a.title}${a.price ? `. ${priceWord(a)}` : ''}.`,
      bold: (a) => `${a.title}. Out now${a.off ? `. ${off(a)}` : ''}.`,
    },
    copy: {
      friendly: (a, length) =>
        [
          `Say hello to ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Now ${priceWord(a)}, down from ${a.compareAt}: you save ${a.upTo ? 'up to ' : ''}${a.off}.`
            : a.price
              ? `Yours ${a.priceFrom ? 'from' : 'for'} ${a.price}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Choose from ${a.options}.` : '',
          length !== 'short' ? 'We think you will love it.' : '',
        ]
          .filter(Boolean)
          .join(' '),
      playful: (a, length) =>
        [
          `Meet ${a.title}, your new obsession.`,
          a.off && a.compareAt
            ? `It was ${a.compareAt}. Now it is ${priceWord(a)}. Math has never looked this good.`
            : a.price
              ? `All yours ${a.priceFrom ? 'from' : 'for'} ${a.price}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Pick your favourite: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      refined: (a, length) =>
        [
          `${a.title}${a.vendor ? `, by ${a.vendor}` : ''}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt
            ? `Now ${priceWord(a)}, previously ${a.compareAt}.`
            : a.price
              ? `${a.priceFrom ? 'From' : 'Priced at'} ${a.price}.`
              : '',
          length !== 'short' && a.options ? `Available in ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      professional: (a, length) =>
        [
          `Introducing ${a.title}${by(a)}.`,
          a.off && a.compareAt
            ? `Now ${priceWord(a)}, down from ${a.compareAt} (${off(a)}).`
            : a.price
              ? `Available ${a.priceFrom ? 'from' : 'for'} ${a.price}.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `In ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      minimal: (a, length) =>
        [
          `${a.title}.`,
          length !== 'short' && a.description ? sentence(a.description) : '',
          a.off && a.compareAt ? `${priceWord(a)} (was ${a.compareAt}).` : a.price ? `${priceWord(a)}.` : '',
          length !== 'short' && a.options ? `${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      bold: (a, length) =>
        [
          `${a.title} is here.`,
          a.off && a.compareAt
            ? `${priceWord(a)}. Was ${a.compareAt}. Move fast.`
            : a.price
              ? `${priceWord(a)}. That's it.`
              : '',
          length !== 'short' && a.description ? sentence(a.description) : '',
          length !== 'short' && a.options ? `Your call: ${a.options}.` : '',
        ]
          .filter(Boolean)
          .join(' '),
    },
    plan: (a) => [
      `Day 1: post hook 1 as a short video showing ${a.title} in use.`,
      `Day 2: post hook 2 with the price${a.off ? ' and the discount' : ''} on screen.`,
      'Day 3: post hook 3 and answer the most common comment in a reply video.',
      'Day 5: pin the best performer and reuse it as a Spark Ad.',
    ],
    emailSubjects: (a) => [
      `New: ${a.title}`,
      a.off ? `${a.title}, now ${off(a)}` : `${a.title} just landed`,
      `A closer look at ${a.title}`,
    ],
  },

  productUpdated: {
    title: (kind, a) =>
      ({
        priceDrop: `Price drop on ${a.title}: tell your audience`,
        priceRise: `${a.title} costs more now: refresh its copy`,
        backInStock: `${a.title} is back in stock: announce it`,
        soldOut: `${a.title} sold out: switch to a waitlist`,
        stockChange: `Stock changed for ${a.title}`,
        published: `${a.title} is live: time to promote it`,
        unpublished: `${a.title} is no longer active: pause its promotion`,
        details: `${a.title} was updated: refresh its copy`,
      })[kind],
    field: {
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
    },
    headings: { changes: 'What changed', notable: 'Where it stands', copy: 'Copy' },
    comparedWith: (basis, when, updates) =>
      basis === 'burst'
        ? `${updates} quick edits since ${when}: the first compared with the latest.`
        : `Compared with the version Lookout stored on ${when}${updates > 1 ? ` (${updates} updates since)` : ''}.`,
    firstSeen: (title) => `This is the first version of ${title} Lookout has seen, so there is nothing to compare yet.`,
    descriptionChanged: 'rewritten',
    copy: (kind, tone, a) => {
      const restrained = tone === 'refined' || tone === 'professional' || tone === 'minimal';
      const cta = {
        friendly: 'Tap the link in bio to grab yours.',
        playful: 'Link in bio, go go go!',
        refined: 'Discover it through the link in our bio.',
        professional: 'Shop now via the link in our bio.',
        minimal: 'Link in bio.',
        bold: 'Link in bio. Go.',
      }[tone];
      switch (kind) {
        case 'priceDrop':
          return restrained
            ? `${a.title} is now ${priceWord(a)}${a.compareAt ? `, previously ${a.compareAt}` : ''}. ${cta}`
            : `Price drop: ${a.title} is now ${priceWord(a)}${a.off ? ` (${off(a)})` : ''}. ${cta}`;
        case 'priceRise':
          return `${a.title}, now ${priceWord(a)}.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
        case 'backInStock':
          return `${a.title} is back in stock${a.inventory ? ` (${a.inventory} available)` : ''}. ${cta}`;
        case 'soldOut':
          return `${a.title} sold out. Join the waitlist to hear first when it is back.`;
        case 'stockChange':
          return `${a.title} is in stock and ready to ship. ${cta}`;
        case 'published':
          return `${a.title} is live${a.price ? ` at ${priceWord(a)}` : ''}. ${cta}`;
        case 'unpublished':
          return `Internal note: ${a.title} is no longer active. Pause ads and scheduled posts that link to it.`;
        default:
          return `${a.title}: fresh details.${a.description ? ` ${sentence(a.description)}` : ''} ${cta}`;
      }
    },
  },

  productDeleted: {
    title: (name) => `Clean up after deleting ${name}`,
    heading: 'Cleanup checklist',
    unknown: (id) => `Lookout never stored a version of product ${id}, so its name and page are unknown.`,
    steps: (name, handle) => [
      handle
        ? `Redirect /products/${handle} to a related collection (Online Store > Navigation > URL redirects) so old links and ads do not end on a "page not found".`
        : `Add a URL redirect from the old page of ${name} to a related collection so old links and ads do not end on a "page not found".`,
      `Pause ads and scheduled posts that link to ${name}.`,
      `Remove ${name} from email flows, bundles and discount rules.`,
      `Check collections, menus and blog posts that featured ${name}.`,
      'Tell back-in-stock subscribers and customers with open orders what to expect.',
    ],
  },

  collection: {
    title: (a, updated) =>
      updated ? `Refresh plan for the ${a.title} collection` : `Launch plan for the ${a.title} collection`,
    summary: (a) =>
      `${a.title} is ${a.published ? 'published' : 'not published yet'}${a.handle ? ` (/collections/${a.handle})` : ''}.`,
    headings: { plan: 'Plan', announcement: 'Announcement', members: 'Products' },
    memberBasis: {
      rule: (detail, count) =>
        `${count} stored ${plural(count, 'product matches', 'products match')} the collection's rule (${detail}):`,
      tag: (detail, count) => `${count} stored ${plural(count, 'product is', 'products are')} tagged "${detail}":`,
      recent: (_detail, count) =>
        `The collection's webhook lists no products; these ${count} were created just before it. Check they belong:`,
      admin: (_detail, count) =>
        `${count} ${plural(count, 'product', 'products')} in the collection (Shopify Admin API):`,
    },
    noMembers: (a) =>
      `Lookout has not seen any product for ${a.title} yet: add products before announcing it, or tag them "${a.handle ?? a.title}".`,
    steps: {
      announce: (a) => `Post the announcement below, pin it, and put ${a.title} on the home page banner.`,
      stories: (a) =>
        `Stories: one product a day from ${a.title}${a.highlights ? `, starting with ${a.highlights}` : ''}.`,
      socialProof: (a) => `Share the first reviews or customer photos from ${a.title}.`,
      recap: (a) => `Email a recap of the best sellers of ${a.title}; retarget visitors who did not buy.`,
      review: (a) => `Review sessions, conversion and best sellers of ${a.title}; decide what to restock or discount.`,
      prepare: (a) =>
        `Check every product in ${a.title} has photos, a description and a price; then set its SEO title.`,
      tease: (a) => `Tease ${a.title}: a short video of one piece with "coming soon" and the date.`,
      earlyAccess: (a) =>
        `Email subscribers early access to ${a.title}${a.highlights ? ` with a preview of ${a.highlights}` : ''}.`,
      publish: (a) => `Publish ${a.title}, post the announcement below and pin it.`,
      reorder: (a) => `Reorder ${a.title}: best sellers and new arrivals first; update its banner.`,
      whatsNew: (a) => `Post what is new in ${a.title}${a.highlights ? `: ${a.highlights}` : ''}.`,
      emailViewers: (a) => `Email subscribers who viewed ${a.title} about the update.`,
    },
    announcement: {
      friendly: (a, updated) =>
        updated
          ? `Fresh picks just landed in ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Tap the link in bio to see them.`
          : `Our new collection ${a.title} is here${a.highlights ? `, with ${a.highlights}${a.more ? ' among others' : ''}` : ''}. We think you will love it. Tap the link in bio.`,
      playful: (a, updated) =>
        updated
          ? `${a.title} got a glow-up${a.highlights ? `: say hi to ${a.highlights}` : ''}! Link in bio.`
          : `Fresh drop alert: ${a.title} just landed${a.highlights ? ` with ${a.highlights}` : ''}! Link in bio, go go go!`,
      refined: (a, updated) =>
        updated
          ? `New pieces join ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Discover them through the link in our bio.`
          : `Introducing ${a.title}${a.highlights ? `: ${a.highlights}` : ''}. Discover the collection through the link in our bio.`,
      professional: (a, updated) =>
        updated
          ? `${a.title} has been updated${a.highlights ? ` with ${a.highlights}` : ''}. Shop via the link in our bio.`
          : `Introducing ${a.title}, our new collection${a.highlights ? `, featuring ${a.highlights}` : ''}. Shop now via the link in our bio.`,
      minimal: (a, updated) =>
        updated ? `${a.title}: new pieces. Link in bio.` : `${a.title}. Now live. Link in bio.`,
      bold: (a, updated) =>
        updated
          ? `${a.title} just got better. Link in bio. Go.`
          : `${a.title}. The new collection. Out now. Link in bio. Go.`,
    },
  },

  inventoryLow: {
    title: (a) =>
      a.soldOut
        ? `${a.name} sold out: restock now`
        : a.cover
          ? `Restock ${a.name}: about ${a.cover} days of stock left`
          : `Restock ${a.name}: ${a.available} left`,
    headings: { stock: 'Stock', sales: 'Sales', reorder: 'Reorder', meanwhile: 'Meanwhile' },
    available: (a) =>
      a.soldOut
        ? `${a.name} is sold out: 0 available.`
        : `${a.available} ${plural(a.available, 'unit', 'units')} of ${a.name} available.`,
    previousAlert: (a) =>
      `Lookout alerted on ${a.previousAt}${a.previousAvailable ? ` at ${a.previousAvailable} ${plural(a.previousAvailable, 'unit', 'units')}` : ''}; ${a.soldOut ? 'it has now sold out' : 'stock is lower now'}.`,
    sources: { stored_orders: 'from the orders Lookout stored', admin_api: 'from the Shopify Admin API' },
    sales: (a) =>
      a.units
        ? `${a.units} ${plural(a.units, 'unit', 'units')} sold over the last ${a.days} ${plural(a.days ?? '', 'day', 'days')} (${a.orders} ${plural(a.orders ?? '', 'order', 'orders')}, ${a.source}): ${a.perDay} a day.`
        : `Recent sales: ${a.perDay} a day.`,
    noSales: (a) => `No sale of ${a.name} in the last ${a.days} ${plural(a.days ?? '', 'day', 'days')} (${a.source}).`,
    noData: (a) => `Lookout has no sales data for ${a.name} yet: connect the Admin API or wait for orders to arrive.`,
    cover: (a) => `At that pace the stock lasts about ${a.cover} days${a.runsOutOn ? `, until ${a.runsOutOn}` : ''}.`,
    order: (a) => `Reorder **${a.quantity} units** of ${a.name}.`,
    noOrderNeeded: (a) =>
      `No reorder needed yet for ${a.name}: stock covers the lead time, the next cycle and the safety stock.`,
    formula: (a) =>
      `How: ceil(${a.units} sold × (${a.leadTime} lead + ${a.cycle} cycle + ${a.safety} safety days) ÷ ${a.days} days) − ${a.available} on hand = ${a.target} − ${a.available} = ${a.quantity}.`,
    reorderPoint: (a) =>
      `Reorder point: ${a.reorderPoint} units (sales over the lead time plus the safety days); ${a.belowReorderPoint ? 'you are below it, so order now.' : 'you are still above it.'}`,
    assumptions: (a) =>
      `Assumptions: ${a.leadTime}-day supplier lead time, ${a.safety} days of safety stock, each reorder covers ${a.cycle} days of sales.`,
    zeroSalesAdvice: (a) =>
      `With no recent sales, the ${a.available} on hand is not running out: reorder only if you expect demand (a promotion, a season).`,
    meanwhile: {
      friendly: (a) =>
        a.soldOut
          ? `Post a friendly note: "${a.name} is sold out, back soon."`
          : `Post a friendly heads-up: "Only ${a.available} left of ${a.name}."`,
      playful: (a) =>
        a.soldOut
          ? `"${a.name} has left the building (for now)." Turn on a waitlist.`
          : `Turn scarcity into a game: "${a.name} is almost gone. Blink and you'll miss it."`,
      refined: (a) =>
        a.soldOut
          ? `Offer to reserve ${a.name} for clients who ask.`
          : `Mention discreetly on the page of ${a.name} that few remain.`,
      professional: (a) =>
        a.soldOut
          ? `Show "sold out" on the page of ${a.name} and collect back-in-stock requests.`
          : `Show a low-stock notice on the page of ${a.name} to set expectations.`,
      minimal: (a) => (a.soldOut ? `Mark ${a.name} sold out.` : `Note on the page: ${a.available} left.`),
      bold: (a) =>
        a.soldOut
          ? `Say it straight: "${a.name}: sold out. Back soon."`
          : `Say it straight: "${a.name}: last ${a.available}."`,
    },
    beforeDelivery: (a) =>
      `Stock runs out before a new delivery can arrive (${a.leadTime}-day lead time): pause ads for ${a.name} and turn on back-in-stock alerts.`,
    askSupplier: () => 'Ask the supplier whether part of the order can ship early.',
  },

  orderCreated: {
    title: {
      test: (a) => `Test order ${a.orderName}: check the checkout, no customer to message`,
      cancelled: (a) => `Order ${a.orderName} was cancelled: a short note to ${a.firstName ?? 'the customer'}`,
      firstTime: (a) => `First order from ${a.firstName ?? 'a new customer'} (${a.orderName}): welcome them`,
      repeat: (a) => `${a.firstName ?? 'A returning customer'} ordered again (${a.orderName}): thank them`,
      plain: (a) =>
        `Follow up on order ${a.orderName} (${a.topItem}${a.otherItems ? ` and ${a.otherItems} more` : ''})`,
    },
    headings: {
      message: (a) => `Message to ${a.firstName ?? 'the customer'}`,
      crossSell: 'Cross-sell',
      checks: 'Checks',
      customer: 'Customer',
    },
    message: {
      firstTime: {
        friendly: (a) =>
          `Hi${a.firstName ? ` ${a.firstName}` : ' there'},\n\nWelcome, and thank you for your first order (${a.orderName})! Your ${a.topItem}${a.otherItems ? ` and the rest of your order are` : ' is'} being packed with care. Any question, just reply to this message.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ' there'}!\n\nFirst order, and you picked ${a.topItem}. Great taste! Order ${a.orderName} is in the works. Questions? Hit reply.`,
        refined: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nThank you for your first order, ${a.orderName}. Your ${a.topItem} is being prepared with the utmost care. Should you need anything, simply reply to this message.`,
        professional: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nThank you for your first order (${a.orderName}). We are preparing your ${a.topItem} and will let you know as soon as it ships. Reply to this message if there is anything we can do.`,
        minimal: (a) =>
          `Hi${a.firstName ? ` ${a.firstName}` : ''},\n\nThanks for your first order, ${a.orderName}. We'll be in touch when it ships.`,
        bold: (a) =>
          `${a.firstName ?? 'Hi'},\n\nWelcome aboard. Order ${a.orderName} confirmed: your ${a.topItem} ships soon. Questions? Reply here.`,
      },
      repeat: {
        friendly: (a) =>
          `Hi${a.firstName ? ` ${a.firstName}` : ' there'},\n\nSo good to see you again! Thank you for order ${a.orderName}: your ${a.topItem} is being packed with care. Any question, just reply.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ''}, you're back!\n\nOrder ${a.orderName} (hello, ${a.topItem}) is in the works. We might be a little bit thrilled.`,
        refined: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nIt is a pleasure to welcome you back. Your order ${a.orderName} is being prepared with care. Should you need anything, simply reply.`,
        professional: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nThank you for ordering with us again (${a.orderName}). We are preparing your ${a.topItem} and will confirm when it ships.`,
        minimal: (a) =>
          `Hi${a.firstName ? ` ${a.firstName}` : ''},\n\nThanks for ordering again: ${a.orderName} is on its way soon.`,
        bold: (a) => `${a.firstName ?? 'Hi'},\n\nBack for more. Respect. Order ${a.orderName} ships soon.`,
      },
      cancelled: {
        friendly: (a) =>
          `Hi${a.firstName ? ` ${a.firstName}` : ' there'},\n\nWe saw that order ${a.orderName} was cancelled. If something was not right, just reply and tell us: we would love to help. ${a.topItem} will be here whenever you are ready.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ''},\n\nOrder ${a.orderName} got cancelled, and ${a.topItem} is a little heartbroken. Changed your mind? Something went wrong? Hit reply.`,
        refined: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nYour order ${a.orderName} has been cancelled. Should anything have fallen short of your expectations, we would be grateful to hear from you.`,
        professional: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nWe have processed the cancellation of order ${a.orderName}. If anything about your experience fell short, please reply: your feedback helps us improve.`,
        minimal: (a) =>
          `Hi${a.firstName ? ` ${a.firstName}` : ''},\n\nOrder ${a.orderName} is cancelled. If we can help, reply here.`,
        bold: (a) =>
          `${a.firstName ?? 'Hi'},\n\nOrder ${a.orderName} was cancelled. If we got something wrong, tell us straight.`,
      },
      plain: {
        friendly: (a) =>
          `Hi${a.firstName ? ` ${a.firstName}` : ' there'},\n\nThanks so much for your order ${a.orderName}! Your ${a.topItem} is being packed with care. Any question, just reply.`,
        playful: (a) =>
          `Hey${a.firstName ? ` ${a.firstName}` : ' there'}!\n\nYour ${a.topItem} just got great news: it's coming home with you! Order ${a.orderName} is in the works.`,
        refined: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nThank you for your order, ${a.orderName}. Your ${a.topItem} is being prepared with care.`,
        professional: (a) =>
          `Dear ${a.firstName ?? 'customer'},\n\nThank you for your order ${a.orderName}. We are preparing your ${a.topItem} and will let you know as soon as it ships.`,
        minimal: (a) => `Hi${a.firstName ? ` ${a.firstName}` : ''},\n\nThanks for order ${a.orderName}.`,
        bold: (a) => `${a.firstName ?? 'Hi'},\n\nOrder ${a.orderName} confirmed. Your ${a.topItem} ships soon.`,
      },
    },
    ps: (a) =>
      a.pairingBoughtTogether
        ? `P.S. Customers who bought the ${a.topItem} often add the ${a.pairing}.`
        : `P.S. The ${a.pairing} goes well with your ${a.topItem}.`,
    signOff: (a) => a.brand ?? 'The team',
    customerNote: {
      firstTime: (a) =>
        `First order from ${a.firstName ?? 'this customer'}: a warm welcome now makes the second order likelier.`,
      repeat: (a) =>
        `Returning customer: ${a.previousOrders} earlier ${plural(a.previousOrders ?? '', 'order', 'orders')}${a.lastOrderOn ? `, the last one on ${a.lastOrderOn}` : ''}.`,
      unknown: 'Guest checkout: Lookout cannot tell whether this customer ordered before.',
    },
    testNote: (a, cancelled) =>
      `${a.orderName} is a test order${cancelled ? ' (and it was cancelled)' : ''}: there is no customer to message.`,
    testSteps: (a) => [
      `Check that the order confirmation email for ${a.orderName} arrived and reads well.`,
      'Check taxes, shipping rates and the discount code on the order.',
      'Check that stock was reserved (and released if the order was cancelled).',
      `Archive ${a.orderName} so it stays out of your sales reports.`,
      'Switch the payment provider back out of test mode before launch.',
    ],
    cancelledNote: (a) =>
      `${a.orderName} was cancelled${a.total ? ` (${a.total})` : ''}. The note below asks why, without promising anything about delivery.`,
    crossSellReason: {
      boughtTogether: (item, orders) => `bought with ${item} in ${orders} ${plural(orders, 'order', 'orders')}`,
      type: (detail) => `same product type (${detail})`,
      vendor: (detail) => `also by ${detail}`,
      tag: (detail) => `shares the tag "${detail}"`,
    },
    noCrossSell: 'No cross-sell yet: no other order or catalogue product relates to these items.',
  },

  batch: {
    title: (count, first, updated) =>
      updated ? `${count} products updated, including ${first}` : `${count} new products: start with ${first}`,
    intro: (count, updated) =>
      updated
        ? `${count} products changed at once (an import or a bulk edit). The highest-priced ones are listed first.`
        : `${count} products arrived at once (an import or a bulk edit). Promote a few well rather than all of them at once.`,
    headings: {
      top: 'Feature these first',
      byType: 'By product type',
      plan: 'Plan',
      product: 'Product',
      price: 'Price',
      discount: 'Discount',
      included: 'Included',
    },
    noType: 'No product type',
    plan: (top, largest) => [
      `This week: post TikTok hooks for ${top}.`,
      ...(largest
        ? [
            `Group the largest product type (${largest.type}, ${largest.count} products) into a collection and announce it.`,
          ]
        : []),
      'Schedule the rest at one or two products a day rather than one big post.',
      'Before promoting, check that every product has an image, a description and a price.',
    ],
    genericTitle: (count, first, more) =>
      `${count} changes${first ? `: ${first}${more ? ` and ${more} more` : ''}` : ''}`,
    genericIntro: (count) =>
      `${count} events of this kind arrived together and are summarised here instead of one suggestion each.`,
  },

  tableDocs: {
    title: {
      table: (q) => `Document the new table ${q}`,
      added: (q, column) => `Document new column ${q}.${column}`,
      renamed: (q, from, to) => `Column renamed: ${q}.${from} → ${to}`,
      retyped: (q, column, from, to) => `Column retyped: ${q}.${column} (${from} → ${to})`,
    },
    intro: {
      renamed: (from, to) => `${from} is now ${to}.`,
      retyped: (column, from, to) => `${column} changed type from ${from} to ${to}.`,
      nullability: (column, nowNotNull) => `${column} is now ${nowNotNull ? 'NOT NULL' : 'nullable'}.`,
    },
    headings: {
      columns: 'Columns',
      constraints: 'Keys and constraints',
      indexes: 'Indexes',
      security: 'Row level security',
      advice: 'Advice',
      comments: 'Suggested comments',
      followUps: 'Follow-ups',
    },
    columnHeader: ['Column', 'Type', 'Nullable', 'Default', 'Key'],
    yes: 'yes',
    no: 'no',
    key: { primary: 'PK', unique: 'unique', references: (target) => `FK → ${target}` },
    primaryKey: (columns) => `Primary key: ${columns}`,
    noPrimaryKey: 'No primary key.',
    foreignKey: (name, columns, target, actions) =>
      `Foreign key${name ? ` ${name}` : ''}: ${columns} → ${target}${actions ? `, ${actions}` : ''}`,
    unique: (columns) => `Unique: ${columns}`,
    check: (name, definition) => `Check ${name}: ${definition}`,
    index: (name, definition) => `${name}: ${definition}`,
    noIndexes: 'No indexes.',
    indexesUnknown: 'The event did not list the indexes; the next schema snapshot will.',
    rls: {
      on: (q) => `Enabled on ${q}: only rows your policies allow are visible through the API.`,
      off: (q) => `Disabled on ${q}.`,
      unknown: (q) => `Unknown for ${q}.`,
    },
    advice: {
      rlsOff: (q, statement) =>
        `Row level security is off on ${q}, a table the Supabase API exposes: anyone with the anon key can read and write every row. Run ${statement} and add policies for the access you intend.`,
      fkWithoutIndex: (columns, target, statement) =>
        `The foreign key on ${columns} (to ${target}) has no index: joins and every delete or update on the referenced table scan this table. Run ${statement}.`,
      noPrimaryKey: (q) =>
        `${q} has no primary key: add one, or row updates through the API and logical replication will not work.`,
      notNullWithoutDefault: (column) =>
        `${column} is NOT NULL without a default: inserts that do not set it now fail. Update the code that inserts rows, or add a default.`,
      becameNotNull: (column) =>
        `${column} became NOT NULL without a default: inserts that do not set it now fail. Update the code that inserts rows, or add a default.`,
      renamed: (from) => [
        `Views, indexes and RLS policies follow the rename (PostgreSQL tracks them by column, not by name).`,
        `Code, SQL functions and API queries that still say ${from} break: search for it and update them.`,
      ],
      retyped: (column, from, to, rewrite) => [
        `Code that reads ${column} now receives ${to} values instead of ${from}: check parsing and validation.`,
        rewrite
          ? `${from} → ${to} rewrites the whole table under an exclusive lock: on a large table, run such a change in a quiet moment.`
          : `${from} → ${to} needs no table rewrite: existing rows were kept as they were.`,
      ],
      bigintInJs: (column) =>
        `bigint values above Number.MAX_SAFE_INTEGER lose precision in JavaScript: read ${column} as a string if it can grow that large.`,
    },
    followUps: {
      types: (command) => `Regenerate client types: ${command}.`,
      migration: (create, push) => `Keep the comments in a migration: ${create}, paste the SQL, then ${push}.`,
    },
    noColumns: 'No column list was available for this table yet.',
    describe: {
      references: (target) => `References ${target}.`,
      primaryKey: (table) => `Primary key of ${table}.`,
      relatedId: (words) => `Identifier of the related ${words}.`,
      createdAt: 'When the row was created.',
      updatedAt: 'When the row was last updated.',
      deletedAt: 'When the row was soft-deleted; null while it is active.',
      flag: (entity, words) => `True when the ${entity} ${words}.`,
      email: 'Email address.',
      status: (entity) => `Lifecycle status of the ${entity}.`,
      money: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)}, as a monetary amount.`,
      count: (words) => `${words.charAt(0).toUpperCase()}${words.slice(1)}: a count.`,
      when: (entity, words) => `When the ${entity} was ${words}.`,
      generic: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)} of the ${entity}.`,
      table: (words, entity) => `${words.charAt(0).toUpperCase()}${words.slice(1)}: one row per ${entity}.`,
    },
  },

  schemaChangelog: {
    title: (subject, verb) =>
      `Changelog entry: ${verb === 'dropTable' ? 'dropped table ' : verb === 'dropColumn' ? 'dropped column on ' : ''}${subject}`,
    databaseSchema: 'the database schema',
    andMore: (first, more) => `${first} and ${more} more`,
    unreleased: 'Unreleased',
    categories: { added: 'Added', changed: 'Changed', removed: 'Removed' },
    headings: { changelog: 'Changelog', followUps: 'Follow-ups' },
    entry: {
      tableRenamed: (before, after) => `Table ${before} renamed to ${after}`,
      tableComment: (table, comment) => `Comment on table ${table} ${comment ? `set to "${comment}"` : 'removed'}`,
      rlsEnabled: (table) => `Row level security enabled on ${table}`,
      rlsDisabled: (table) =>
        `Row level security disabled on ${table}: every role with table privileges (anon included) can read and write all rows`,
      nullability: (column, notNull) => `Column ${column} is now ${notNull ? 'NOT NULL' : 'nullable'}`,
      default: (column, before, after) => `Column ${column} default ${before} → ${after}`,
      none: 'none',
      columnComment: (column) => `Comment on column ${column} changed`,
      constraint: (name, table, detail) => `Constraint ${name}${table ? ` on ${table}` : ''}${detail}`,
      constraintRenamedFrom: (before) => ` (renamed from ${before})`,
      constraintWas: (before) => ` (was ${before})`,
      columnRenamed: (before, after) => `Column ${before} renamed to ${after}`,
      columnRetyped: (column, before, after) => `Column ${column} type ${before} → ${after}`,
      column: (column, type) => `Column ${column}${type ? ` (${type})` : ''}`,
      table: (table, columns) => `Table ${table}${columns ? ` (${columns} columns)` : ''}`,
      ddl: (tag, type, object) => `${tag}${type ? ` (${type})` : ''}${object ? ` ${object}` : ''}`,
      noDetails: 'Schema changed (no details in the event)',
    },
    followUps: {
      reEnableRls: (table, statement) =>
        `Re-enable row level security unless ${table} is meant to be public: ${statement}`,
      searchRemoved: 'Search the code, views, functions and RLS policies for what was removed before the next deploy.',
      types: (command) => `Regenerate client types: ${command}.`,
      captureMigration: (command) => `If this change was made in the dashboard, capture it as a migration: ${command}.`,
    },
  },

  migrationPending: {
    title: {
      missing: (version, dir) => `Migration ${version} is applied but missing from ${dir}`,
      outOfOrder: (subject) => `Apply out-of-order migration ${subject}`,
      pending: (subject, one) => `Apply ${one ? 'pending migration ' : ''}${subject}`,
    },
    subject: {
      none: 'pending migrations',
      many: (count, first, last) => `${count} pending migrations (${first} … ${last})`,
    },
    headings: {
      pending: 'Pending',
      missing: 'Missing locally',
      why: 'Why',
      resync: 'Bring the history back in sync',
      applyLinked: 'Apply (linked project)',
      applyLocal: 'Apply (local database)',
    },
    file: (path, version) => `${path}${version ? ` (version ${version})` : ''}`,
    version: (version) => `version ${version}`,
    noFiles: 'The event listed no file names; run the first command below to see them.',
    why: {
      listRemote: () => 'Shows local and remote versions side by side.',
      listLocal: () => 'Compares local files and applied migrations.',
      fetch: () => 'Downloads the applied migrations that are missing from the local folder (commit them).',
      repair: () => 'Only if the migration was removed on purpose: marks it as not applied in the remote history.',
      pushDryRunAll: (latest) =>
        `Previews the run: this file is older than the last applied version${latest ? ` (${latest})` : ''}, so a plain push skips it.`,
      pushAll: () => 'Applies it; check first that it does not depend on being run before the newer ones.',
      up: () => 'Applies the pending ones to the local database.',
      pushDryRun: () => 'Previews what would run, without applying.',
      push: () => 'Applies them to the linked project.',
    },
  },

  calendar: {
    launch: {
      title: (name, summary, when) =>
        `Launch countdown${name ? ` for ${name}` : ''}: ${summary}${when ? ` on ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` starts ${when}` : ''}${location ? ` (${location})` : ''}.`,
      product: (a) =>
        `${a.name}${a.price ? `: ${a.price}${a.compareAt ? ` (was ${a.compareAt}, ${a.off} off)` : ''}` : ''}${a.inventory ? `, ${a.inventory} in stock` : ''}${a.notActive ? `. It is ${a.status} in Shopify: publish it before the launch` : ''}.`,
      heading: 'Countdown',
      steps: {
        teaser: (a) => `Teaser post for ${a.name}: "3 days to go".`,
        reminder: (a) => `Email and SMS subscribers a reminder with early access to ${a.name}.`,
        goLive: (a) =>
          `Go-live check: ${a.name} ${a.notActive ? 'published' : 'is active'}, ${a.inventory ? `${a.inventory} in stock` : 'stock set'}, ${a.price ? `price ${a.price}` : 'price set'}, discount codes tested, links working.`,
        launch: (a) => `Launch post and stories for ${a.name}; pin the post.`,
        followUp: (a) => `Thank early buyers and share the first reactions to ${a.name}.`,
      },
    },
    meeting: {
      title: (summary, when) => `Prep for "${summary}"${when ? ` on ${when}` : ''}`,
      intro: (summary, when, location) =>
        `${summary}${when ? ` starts ${when}` : ''}${location ? ` (${location})` : ''}.`,
      headings: { agenda: 'Agenda', recap: 'Since last time', questions: 'Questions to bring' },
      sinceLastMeeting: (date) => `Since the last meeting on ${date}:`,
      lastDays: (days) => `Over the last ${days} days:`,
      orders: (count, units, revenue) =>
        `${count} ${plural(count, 'order', 'orders')} (${units} ${plural(units, 'item', 'items')}${revenue ? `, ${revenue}` : ''}).`,
      noOrders: 'No orders.',
      bestSellers: (list) => `Best sellers: ${list}.`,
      cancelled: (count) => `${count} ${plural(count, 'order was', 'orders were')} cancelled.`,
      lowStock: (list) => `Low stock: ${list}.`,
      stockItem: (name, available) => `${name}${available !== undefined ? ` (${available} left)` : ''}`,
      productsCreated: (list) => `New products: ${list}.`,
      collectionsCreated: (list) => `New collections: ${list}.`,
      schemaChanges: (list) => `Database: ${list}.`,
      schemaChange: (kind, table, column) => {
        const t = table ?? 'the schema';
        switch (kind) {
          case 'table.created':
            return `table ${t} created`;
          case 'table.dropped':
            return `table ${t} dropped`;
          case 'column.added':
            return `column ${column ?? '?'} added to ${t}`;
          case 'column.dropped':
            return `column ${column ?? '?'} dropped from ${t}`;
          case 'column.renamed':
            return `column ${column ?? '?'} renamed in ${t}`;
          case 'column.retyped':
            return `column ${column ?? '?'} retyped in ${t}`;
          case 'constraint.changed':
            return `constraints changed on ${t}`;
          default:
            return `${t} changed`;
        }
      },
      migrations: (list) => `Migrations not applied yet: ${list}.`,
      quiet: 'Nothing happened in the store or the database.',
      questions: {
        restock: (item) => `Restock ${item}: order now or let it sell out?`,
        cancelled: (count) => `${count} cancelled ${plural(count, 'order', 'orders')}: what went wrong?`,
        schema: (table) => `Who reviews the change to ${table}, and is the app updated for it?`,
        migration: (file) => `Who applies ${file}, and when?`,
        launch: (product) => `${product}: which launch content goes out first?`,
      },
    },
  },

  signedEvent: {
    title: (type) => (type ? `Webhook: ${type}` : 'A signed webhook arrived'),
    summary: (type, count) =>
      `${type ? `The sender reported ${type}` : 'A sender posted an event without a type'}, with ${count} ${count === '1' ? 'field' : 'fields'}.`,
    heading: 'What it says',
    more: (count) => `…and ${count} more`,
    empty: 'The body carried no fields.',
  },

  minorEvents: {
    row: {
      title: (verb, table, id) =>
        `Row ${{ inserted: 'inserted into', updated: 'updated in', deleted: 'deleted from' }[verb]} ${table}${id ? ` (id ${id})` : ''}`,
      body: (verb, table, id) =>
        `A row was ${{ inserted: 'inserted into', updated: 'updated in', deleted: 'deleted from' }[verb]} ${table}${id ? ` (id ${id})` : ''}.`,
      changed: (columns) => `Changed columns: ${columns}.`,
      advice: 'Row events rarely need action. To stop these notes, filter this table out in your preferences.',
    },
    uninstalled: {
      title: (shop) => `${shop ?? 'A store'} uninstalled the app`,
      lines: [
        'Webhooks and polling for this store stop; stored events stay until the shop/redact request (48 hours after uninstall).',
        'If this was not intended, reinstall the app from the Shopify admin.',
      ],
    },
    dataRequest: {
      title: (shop, orders) => `Customer data request for ${shop ?? 'your store'} (${orders} orders)`,
      intro: 'A customer asked for their data (GDPR/CCPA). Shopify expects the store to respond within 30 days.',
      steps: (orders) => [
        `Collect what Lookout stores about the ${orders} orders listed in the request.`,
        'Send it to the customer through your usual support channel.',
      ],
    },
    redact: {
      title: (shop, orders) => `Redact customer data for ${shop ?? 'your store'} (${orders} orders)`,
      body: (orders) =>
        `Erase the customer's personal data from events and suggestions about ${orders} orders within 30 days; keep only what the law requires.`,
    },
    shopRedact: {
      title: (shop) => `Erase all data of ${shop ?? 'the store'}`,
      body: 'The store uninstalled the app 48 hours ago; Shopify asks for all of its data to be erased.',
    },
    inventoryUpdated: {
      title: (name, available) =>
        `Inventory of ${name} updated${available !== undefined ? `: ${available} available` : ''}`,
      level: (name, available, location) =>
        `Stock of ${name} is now ${available}${location ? ` at location ${location}` : ''}. No action needed while it stays above your low-stock threshold.`,
      settings: 'Stock settings changed (tracking, cost or origin). No action needed unless stock is now low.',
    },
    unknown: () => 'No template exists for this event type yet.',
  },
};
