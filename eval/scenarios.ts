/**
 * The evaluation scenarios: realistic stores and databases, each with what is already stored
 * (history), the events that arrive, the user's settings, and what a professional would expect
 * the suggestion to say. Expected figures are recomputed here from the scenario's own data with
 * plain arithmetic, never with Lookout's code, so a wrong formula in Lookout fails the eval.
 */
import type { EventType, Source } from '../src/events.js';
import {
  at,
  collectionPayload,
  column,
  constraint,
  diffEvent,
  index,
  inventoryLevelPayload,
  type LineSpec,
  orderPayload,
  type ProductSpec,
  polledLowStockPayload,
  productPayload,
} from './build.js';

export type Language = 'en' | 'es' | 'fr' | 'de';

export interface StoredEvent {
  type: EventType;
  source: Source;
  payload: Record<string, unknown>;
  /** When it was received (and happened). */
  at: string;
  /** History only: how processing ended (default 'suggested' for alerts, 'not_warranted' otherwise). */
  outcome?: string;
  /** Scenario events: processing passes run in order (default 1). */
  pass?: number;
}

export interface Scenario {
  id: string;
  /** What a reviewer should look for. */
  about: string;
  /** The suggestion type expected. */
  eventType: EventType;
  integration: { kind: 'shopify' | 'supabase' | 'calendar'; createdAt: string };
  /** Stored before the scenario starts (processed). */
  history: StoredEvent[];
  /** What arrives now, processed by the real pipeline. */
  events: StoredEvent[];
  /** A stored schema snapshot of the Supabase integration (column events read the table from it). */
  schemaTables?: unknown[];
  profile: Record<string, unknown>;
  vibe: Record<string, unknown>;
  prefs?: Record<string, unknown>;
  expect: {
    language: Language;
    /** Suggestions the pipeline must make (default 1). */
    suggestions?: number;
    /** Facts that must appear in the title or body (case-insensitive). */
    mustSay: string[];
    /** Figures recomputed from the scenario's data, as they must be written. */
    numbers?: Array<{ what: string; text: string }>;
    mustNotSay?: string[];
    /** Copy a customer reads (marketing, customer messages): stricter leak and tone checks. */
    customerFacing: boolean;
  };
  /** The LLM run also gets an answer that invents a figure: it must fall back to the offline draft. */
  inventingCheck?: boolean;
}

const SHOP = 'maison-verte.myshopify.com';
const shopify = (
  type: EventType,
  payload: Record<string, unknown>,
  when: string,
  extra: Partial<StoredEvent> = {},
) => ({
  type,
  source: 'shopify' as const,
  payload,
  at: when,
  ...extra,
});

// ------------------------------------------------------------------ the store's catalogue

const LINEN_SHIRT: ProductSpec = {
  id: 8001,
  title: 'Linen Shirt',
  type: 'Shirts',
  tags: 'linen, summer',
  description: 'Breathable washed linen with mother-of-pearl buttons.',
  variants: [
    { id: 80011, title: 'M', price: '49.00', compareAt: '59.00', inventory: 4, inventoryItemId: 180011 },
    { id: 80012, title: 'L', price: '49.00', compareAt: '59.00', inventory: 18, inventoryItemId: 180012 },
  ],
  createdAt: at({ days: -40 }),
};
const CANVAS_TOTE: ProductSpec = {
  id: 8002,
  title: 'Canvas Tote',
  type: 'Bags',
  tags: 'bags, canvas',
  variants: [{ id: 80021, price: '24.00', inventory: 60, inventoryItemId: 180021 }],
  createdAt: at({ days: -40 }),
};
const LINEN_TROUSERS: ProductSpec = {
  id: 8003,
  title: 'Linen Trousers',
  type: 'Trousers',
  tags: 'linen, summer',
  variants: [{ id: 80031, price: '69.00', inventory: 25, inventoryItemId: 180031 }],
  createdAt: at({ days: -40 }),
};
const STRAW_HAT: ProductSpec = {
  id: 8004,
  title: 'Straw Hat',
  type: 'Hats',
  tags: 'summer, accessories',
  variants: [{ id: 80041, price: '35.00', inventory: 3, inventoryItemId: 180041 }],
  createdAt: at({ days: -40 }),
};
const CATALOGUE = [LINEN_SHIRT, CANVAS_TOTE, LINEN_TROUSERS, STRAW_HAT];
const catalogueHistory = (): StoredEvent[] =>
  CATALOGUE.map((p) => shopify('shopify.product.created', productPayload(p), p.createdAt!));

const shirtLine = (quantity: number, variant: 'M' | 'L' = 'M'): LineSpec => ({
  productId: 8001,
  variantId: variant === 'M' ? 80011 : 80012,
  title: 'Linen Shirt',
  variantTitle: variant,
  quantity,
  price: '49.00',
});
const toteLine = (quantity = 1): LineSpec => ({
  productId: 8002,
  variantId: 80021,
  title: 'Canvas Tote',
  quantity,
  price: '24.00',
});
const trousersLine = (quantity = 1): LineSpec => ({
  productId: 8003,
  variantId: 80031,
  title: 'Linen Trousers',
  quantity,
  price: '69.00',
});

let orderSeq = 5000;
function order(when: string, lines: LineSpec[], extra: Partial<Parameters<typeof orderPayload>[0]> = {}): StoredEvent {
  orderSeq += 1;
  return shopify(
    'shopify.order.created',
    orderPayload({
      id: 900000 + orderSeq,
      number: orderSeq,
      customerId: 600 + (orderSeq % 7),
      lines,
      createdAt: when,
      ...extra,
    }),
    when,
  );
}

const fmt = (lang: Language, value: number, decimals: number) =>
  new Intl.NumberFormat({ en: 'en-US', es: 'es-ES', fr: 'fr-FR', de: 'de-DE' }[lang], {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  })
    .format(value)
    .replace(/[\u202f\u00a0]/g, ' ');
const dateText = (lang: Language, iso: string, opts: Intl.DateTimeFormatOptions) =>
  new Intl.DateTimeFormat({ en: 'en-US', es: 'es-ES', fr: 'fr-FR', de: 'de-DE' }[lang], { timeZone: 'UTC', ...opts })
    .format(new Date(iso))
    .replace(/[\u202f\u00a0]/g, ' ');

/** The reorder arithmetic, written out independently of Lookout's: ceil(v × (L + C + S)) − available. */
function reorder(unitsPerDay: number, available: number, lead = 14, cycle = 30, safety = 7) {
  const target = Math.ceil(unitsPerDay * (lead + cycle + safety) - 1e-9);
  return {
    cover: available / unitsPerDay,
    quantity: Math.max(0, target - available),
    point: Math.ceil(unitsPerDay * (lead + safety) - 1e-9),
  };
}

// ------------------------------------------------------------------ scenarios

function productCreated(
  id: string,
  about: string,
  spec: ProductSpec,
  profile: Record<string, unknown>,
  vibe: Record<string, unknown>,
  expect: Scenario['expect'],
  extra: Partial<Scenario> = {},
): Scenario {
  return {
    id,
    about,
    eventType: 'shopify.product.created',
    integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      shopify(
        'shopify.product.created',
        productPayload({ ...spec, createdAt: at({ minutes: -2 }) }),
        at({ minutes: -2 }),
      ),
    ],
    profile,
    vibe,
    ...extra,
    expect,
  };
}

export function scenarios(): Scenario[] {
  orderSeq = 5000;
  const list: Scenario[] = [];

  // ---------------- product launches, tones and languages
  list.push(
    productCreated(
      'product-created-en-friendly',
      'A new shirt with a real discount: hooks, caption and copy in a friendly voice.',
      { ...LINEN_SHIRT, id: 8101, title: 'Riviera Linen Shirt' },
      { brand: 'Maison Verte', niche: 'slow fashion', language: 'en' },
      { tone: 'friendly', emoji: 'some', length: 'medium' },
      {
        language: 'en',
        customerFacing: true,
        mustSay: ['Riviera Linen Shirt', '49.00', '59.00'],
        // 59 → 49 is 16.9% off: said as 16%, never rounded up.
        numbers: [{ what: 'discount', text: '16%' }],
      },
      { inventingCheck: true },
    ),
    productCreated(
      'product-created-fr-playful',
      'A French shop: every word in French, playful, no English fragments.',
      {
        id: 8102,
        title: 'Sac Cabas Lin',
        type: 'Sacs',
        tags: 'lin, été',
        description: 'Un cabas en lin lavé, assez grand pour le marché du samedi.',
        variants: [{ id: 81021, price: '65.00' }],
      },
      { brand: 'Maison Verte', language: 'fr' },
      { tone: 'playful', emoji: 'some' },
      {
        language: 'fr',
        customerFacing: true,
        mustSay: ['Sac Cabas Lin', '65,00'],
        mustNotSay: ['POV', 'favourite', 'link in bio', 'Meet '],
      },
    ),
    productCreated(
      'product-created-de-luxury',
      'A luxury candle at 25% off in German: refined, no shouting, no "won\'t last long".',
      {
        id: 8103,
        title: 'Bougie Ambre Noir',
        type: 'Kerzen',
        tags: 'kerze, luxus',
        description: 'Handgegossen aus Rapswachs, 60 Stunden Brenndauer.',
        variants: [{ id: 81031, price: '48.00', compareAt: '64.00' }],
      },
      { brand: 'Atelier Nuit', language: 'de' },
      { tone: 'luxury' },
      {
        language: 'de',
        customerFacing: true,
        // Refined copy states the old and new price discreetly rather than shouting a percentage.
        mustSay: ['Bougie Ambre Noir', '48,00', '64,00'],
        mustNotSay: ['!', "won't last", 'POV', 'Link in bio'],
      },
      { inventingCheck: true },
    ),
    productCreated(
      'product-created-es-minimal',
      'Spanish, minimal tone, no emoji; the internal audience description must stay internal.',
      {
        id: 8104,
        title: 'Camiseta Básica Orgánica',
        type: 'Camisetas',
        tags: 'algodón orgánico, básicos',
        variants: [{ id: 81041, price: '22.00' }],
      },
      {
        brand: 'Hilo',
        language: 'es',
        audience: 'mujeres de 30 a 45 años que compran desde el móvil en la hora del almuerzo',
      },
      { tone: 'minimal', emoji: 'none' },
      {
        language: 'es',
        customerFacing: true,
        mustSay: ['Camiseta Básica Orgánica', '22,00'],
        mustNotSay: ['mujeres de 30 a 45', 'hora del almuerzo'],
      },
    ),
    productCreated(
      'product-created-en-professional-long',
      'Long professional copy with a posting plan; the audience field never appears in the copy.',
      {
        id: 8105,
        title: 'Merino Travel Blazer',
        type: 'Blazers',
        tags: 'merino, travel, workwear',
        description: 'Crease-resistant merino that packs flat and looks pressed on arrival.',
        variants: [
          { id: 81051, title: 'S', price: '189.00' },
          { id: 81052, title: 'M', price: '189.00' },
          { id: 81053, title: 'L', price: '199.00' },
        ],
      },
      {
        brand: 'Northline',
        niche: 'business travel',
        language: 'en',
        audience: 'consultants aged 30-45 who fly every week and hate ironing',
      },
      { tone: 'professional', emoji: 'none', length: 'long' },
      {
        language: 'en',
        customerFacing: true,
        mustSay: ['Merino Travel Blazer', '189.00'],
        mustNotSay: ['consultants aged 30-45', 'hate ironing'],
      },
    ),
    productCreated(
      'product-created-en-bold-short',
      'Short and bold with lots of emoji.',
      {
        id: 8106,
        title: 'Trail Runner X',
        type: 'Shoes',
        tags: 'running, trail',
        variants: [{ id: 81061, price: '129.00' }],
      },
      { brand: 'Ridge', language: 'en' },
      { tone: 'bold', emoji: 'lots', length: 'short' },
      { language: 'en', customerFacing: true, mustSay: ['Trail Runner X', '129.00'] },
    ),
    productCreated(
      'product-created-de-friendly',
      'German, friendly tone.',
      {
        id: 8107,
        title: 'Leinenhemd Sommer',
        type: 'Hemden',
        tags: 'leinen, sommer',
        description: 'Luftiges Leinen für heiße Tage.',
        variants: [{ id: 81071, price: '59.00', compareAt: '79.00' }],
      },
      { brand: 'Maison Verte', language: 'de' },
      { tone: 'friendly' },
      {
        language: 'de',
        customerFacing: true,
        mustSay: ['Leinenhemd Sommer', '59,00', '79,00'],
        numbers: [{ what: 'discount', text: '25' }],
      },
    ),
    productCreated(
      'product-created-es-refined',
      'Spanish, refined tone for a jewellery brand.',
      {
        id: 8108,
        title: 'Anillo Luna de Plata',
        type: 'Anillos',
        tags: 'plata, joyería',
        description: 'Plata de ley 925 pulida a mano.',
        variants: [{ id: 81081, price: '120.00' }],
      },
      { brand: 'Luna Joyas', language: 'es' },
      { tone: 'refined', emoji: 'none' },
      { language: 'es', customerFacing: true, mustSay: ['Anillo Luna de Plata', '120,00'], mustNotSay: ['!', '¡'] },
    ),
    productCreated(
      'product-created-unsupported-settings',
      'Italian and a "sarcastic" tone cannot be written offline: the suggestion must say so, never silently.',
      { id: 8109, title: 'Borsa Pelle', type: 'Bags', variants: [{ id: 81091, price: '210.00' }] },
      { brand: 'Cuoio', language: 'it' },
      { tone: 'sarcastic' },
      { language: 'en', customerFacing: true, mustSay: ['Borsa Pelle', 'Italian', 'sarcastic'] },
    ),
  );

  // ---------------- product updates, deletes
  {
    const base = { ...LINEN_SHIRT, id: 8201, title: 'Harbour Overshirt', tags: 'cotton, autumn', type: 'Shirts' };
    const prices = ['59.00', '55.00', '52.00', '52.00', '49.00'];
    const events = prices.map((price, i) =>
      shopify(
        'shopify.product.updated',
        productPayload({
          ...base,
          tags: i >= 3 ? 'cotton, autumn, sale' : base.tags,
          variants: [{ id: 82011, price, compareAt: '65.00', inventory: 30, inventoryItemId: 182011 }],
          updatedAt: at({ minutes: -20 + i * 3 }),
        }),
        at({ minutes: -20 + i * 3 }),
      ),
    );
    list.push({
      id: 'product-updated-burst-en',
      about:
        'Five quick edits of a product that existed before Lookout: one suggestion with a real diff, not "no ' +
        'earlier version".',
      eventType: 'shopify.product.updated',
      integration: { kind: 'shopify', createdAt: at({ days: -10 }) },
      history: [],
      events,
      profile: { brand: 'Harbour & Co', language: 'en' },
      vibe: { tone: 'friendly' },
      expect: {
        language: 'en',
        customerFacing: false,
        mustSay: ['Harbour Overshirt', '59.00', '49.00', 'sale'],
        mustNotSay: ['No earlier version'],
      },
      inventingCheck: true,
    });
  }
  {
    const created = {
      ...LINEN_TROUSERS,
      id: 8202,
      title: 'Pantalón de Lino',
      type: 'Pantalones',
      tags: 'lino, verano',
    };
    list.push({
      id: 'product-updated-price-drop-es',
      about: 'A price drop against the stored earlier version, in Spanish.',
      eventType: 'shopify.product.updated',
      integration: { kind: 'shopify', createdAt: at({ days: -30 }) },
      history: [
        shopify(
          'shopify.product.created',
          productPayload({ ...created, createdAt: at({ days: -2 }) }),
          at({ days: -2 }),
        ),
      ],
      events: [
        shopify(
          'shopify.product.updated',
          productPayload({
            ...created,
            variants: [{ id: 80031, price: '55.00', compareAt: '69.00', inventory: 25, inventoryItemId: 180031 }],
            createdAt: at({ days: -2 }),
            updatedAt: at({ minutes: -10 }),
          }),
          at({ minutes: -10 }),
        ),
      ],
      profile: { brand: 'Hilo', language: 'es' },
      vibe: { tone: 'friendly' },
      expect: {
        language: 'es',
        customerFacing: false,
        mustSay: ['Pantalón de Lino', '69,00', '55,00'],
        numbers: [{ what: 'discount', text: '20' }],
        mustNotSay: ['No earlier version', 'No había una versión anterior'],
      },
    });
  }
  list.push({
    id: 'product-deleted-en',
    about: 'products/delete carries only an id: the name and handle come from the stored catalogue.',
    eventType: 'shopify.product.deleted',
    integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
    history: catalogueHistory(),
    events: [shopify('shopify.product.deleted', { id: 8004 }, at({ minutes: -5 }))],
    profile: { language: 'en' },
    vibe: {},
    expect: {
      language: 'en',
      customerFacing: false,
      mustSay: ['Straw Hat', '/products/straw-hat'],
      mustNotSay: ['product 8004'],
    },
  });

  // ---------------- collections
  {
    const members = ['Coral Sundress', 'Sea Glass Earrings', 'Driftwood Sandals', 'Tide Pool Swimsuit'].map(
      (title, i) =>
        productPayload({
          id: 8300 + i,
          title,
          type: ['Dresses', 'Jewelry', 'Shoes', 'Swimwear'][i],
          tags: 'coastal-summer, new',
          variants: [{ id: 83000 + i, price: ['89.00', '39.00', '75.00', '95.00'][i]! }],
          createdAt: at({ hours: -2, minutes: i * 5 }),
        }),
    );
    list.push({
      id: 'collection-created-en',
      about: 'A collection launch names the products just created for it (same tag), with a dated plan.',
      eventType: 'shopify.collection.created',
      integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
      history: [
        ...catalogueHistory(),
        ...members.map((p) => shopify('shopify.product.created', p, String(p.created_at))),
      ],
      events: [
        shopify(
          'shopify.collection.created',
          collectionPayload({
            id: 9301,
            title: 'Coastal Summer',
            handle: 'coastal-summer',
            publishedAt: at({ minutes: -3 }),
          }),
          at({ minutes: -3 }),
        ),
      ],
      profile: { brand: 'Maison Verte', language: 'en' },
      vibe: { tone: 'friendly' },
      expect: {
        language: 'en',
        customerFacing: false,
        mustSay: ['Coastal Summer', 'Coral Sundress', 'Tide Pool Swimsuit', 'Driftwood Sandals'],
        mustNotSay: ['Linen Trousers'],
      },
      inventingCheck: true,
    });
  }
  list.push({
    id: 'collection-created-fr-smart',
    about: 'A smart collection (tag rule) in French: its members are found by the rule in the catalogue.',
    eventType: 'shopify.collection.created',
    integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
    history: catalogueHistory(),
    events: [
      shopify(
        'shopify.collection.created',
        collectionPayload({
          id: 9302,
          title: 'Essentiels en lin',
          handle: 'essentiels-lin',
          publishedAt: at({ minutes: -3 }),
          rules: [{ column: 'tag', relation: 'equals', condition: 'linen' }],
        }),
        at({ minutes: -3 }),
      ),
    ],
    profile: { brand: 'Maison Verte', language: 'fr' },
    vibe: { tone: 'refined', emoji: 'none' },
    expect: {
      language: 'fr',
      customerFacing: false,
      mustSay: ['Essentiels en lin', 'Linen Shirt', 'Linen Trousers'],
      mustNotSay: ['Canvas Tote', 'Straw Hat'],
    },
  });

  // ---------------- low stock: velocity over the days the stored orders actually cover
  {
    // Connected 7 days ago; 7 orders of 3 shirts (size M), one a day: 21 units over 7 days.
    const orders = Array.from({ length: 7 }, (_, i) => order(at({ days: -6.5 + i }), [shirtLine(3)]));
    const r = reorder(21 / 7, 4);
    list.push({
      id: 'inventory-low-webhook-en',
      about:
        'inventory_levels/update at 4 units, no Admin API: velocity from stored orders over the 7 days they cover.',
      eventType: 'shopify.inventory.low',
      integration: { kind: 'shopify', createdAt: at({ days: -7 }) },
      history: [...catalogueHistory(), ...orders],
      events: [
        shopify(
          'shopify.inventory.updated',
          inventoryLevelPayload(180011, 4, at({ minutes: -6 })),
          at({ minutes: -6 }),
        ),
      ],
      profile: { brand: 'Maison Verte', language: 'en' },
      vibe: { tone: 'professional' },
      expect: {
        language: 'en',
        customerFacing: false,
        mustSay: ['Linen Shirt', '7 days', '21'],
        numbers: [
          { what: 'units per day', text: fmt('en', 3, 1) },
          { what: 'days of cover', text: fmt('en', r.cover, 1) },
          { what: 'reorder quantity', text: String(r.quantity) },
          { what: 'reorder point', text: String(r.point) },
        ],
        mustNotSay: ['unknown', '14 days'],
      },
      inventingCheck: true,
    });
  }
  {
    // Connected 30 days ago; 14 orders of 2 hats over the last 14 days: 2.0 a day.
    const orders = Array.from({ length: 14 }, (_, i) =>
      order(at({ days: -13.5 + i }), [
        { productId: 8004, variantId: 80041, title: 'Straw Hat', quantity: 2, price: '35.00' },
      ]),
    );
    const r = reorder(2, 3);
    list.push({
      id: 'inventory-low-poll-de',
      about: 'The poll finds a variant low; German; two weeks of stored orders.',
      eventType: 'shopify.inventory.low',
      integration: { kind: 'shopify', createdAt: at({ days: -30 }) },
      history: [...catalogueHistory(), ...orders],
      events: [
        shopify(
          'shopify.inventory.low',
          polledLowStockPayload({
            inventoryItemId: 180041,
            available: 3,
            threshold: 5,
            productId: 8004,
            productTitle: 'Straw Hat',
            variantId: 80041,
            variantTitle: 'Default Title',
            sku: 'SKU-80041',
          }),
          at({ minutes: -4 }),
        ),
      ],
      profile: { brand: 'Maison Verte', language: 'de' },
      vibe: { tone: 'friendly' },
      expect: {
        language: 'de',
        customerFacing: false,
        mustSay: ['Straw Hat', '14 Tage'],
        numbers: [
          { what: 'units per day', text: fmt('de', 2, 1) },
          { what: 'days of cover', text: fmt('de', r.cover, 1) },
          { what: 'reorder quantity', text: String(r.quantity) },
        ],
      },
    });
  }
  list.push({
    id: 'inventory-low-no-sales-es',
    about: 'Low stock with no sale in the window: say so plainly (no "unknown"), no invented velocity.',
    eventType: 'shopify.inventory.low',
    integration: { kind: 'shopify', createdAt: at({ days: -30 }) },
    history: catalogueHistory(),
    events: [
      shopify('shopify.inventory.updated', inventoryLevelPayload(180021, 2, at({ minutes: -6 })), at({ minutes: -6 })),
    ],
    profile: { brand: 'Hilo', language: 'es' },
    vibe: { tone: 'friendly' },
    expect: {
      language: 'es',
      customerFacing: false,
      mustSay: ['Canvas Tote', '14 días'],
      mustNotSay: ['unknown', 'desconocid'],
    },
  });
  list.push({
    id: 'inventory-double-alert-en',
    about: 'The same low stock reported by the webhook and then by the poll: exactly one alert.',
    eventType: 'shopify.inventory.low',
    integration: { kind: 'shopify', createdAt: at({ days: -30 }) },
    history: catalogueHistory(),
    events: [
      shopify(
        'shopify.inventory.updated',
        inventoryLevelPayload(180041, 3, at({ minutes: -10 })),
        at({ minutes: -10 }),
        { pass: 1 },
      ),
      shopify(
        'shopify.inventory.low',
        polledLowStockPayload({
          inventoryItemId: 180041,
          available: 3,
          threshold: 5,
          productId: 8004,
          productTitle: 'Straw Hat',
          variantId: 80041,
          variantTitle: 'Default Title',
          sku: 'SKU-80041',
        }),
        at({ minutes: -8 }),
        { pass: 2 },
      ),
      shopify('shopify.inventory.updated', inventoryLevelPayload(180041, 2, at({ minutes: -2 })), at({ minutes: -2 }), {
        pass: 3,
      }),
    ],
    profile: { language: 'en' },
    vibe: {},
    expect: { language: 'en', customerFacing: false, suggestions: 1, mustSay: ['Straw Hat'] },
  });
  list.push({
    id: 'inventory-sold-out-after-alert-en',
    about: 'Already alerted at 3 units; now sold out: that is a new fact and gets a new alert.',
    eventType: 'shopify.inventory.low',
    integration: { kind: 'shopify', createdAt: at({ days: -30 }) },
    history: [
      ...catalogueHistory(),
      shopify('shopify.inventory.low', inventoryLevelPayload(180041, 3, at({ hours: -3 })), at({ hours: -3 }), {
        outcome: 'suggested',
      }),
    ],
    events: [
      shopify('shopify.inventory.updated', inventoryLevelPayload(180041, 0, at({ minutes: -6 })), at({ minutes: -6 })),
    ],
    profile: { language: 'en' },
    vibe: {},
    expect: { language: 'en', customerFacing: false, mustSay: ['Straw Hat', 'sold out'] },
  });

  // ---------------- orders
  {
    const together = [
      order(at({ days: -20 }), [shirtLine(1, 'L'), toteLine()]),
      order(at({ days: -15 }), [shirtLine(1), toteLine()]),
      order(at({ days: -9 }), [shirtLine(2, 'L'), toteLine()]),
      order(at({ days: -4 }), [trousersLine()]),
    ];
    list.push({
      id: 'order-first-time-en',
      about:
        'A first-time customer: a welcome, and a cross-sell from what others bought with the shirt (not a ' +
        "generic '10% off').",
      eventType: 'shopify.order.created',
      integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
      history: [...catalogueHistory(), ...together],
      events: [
        shopify(
          'shopify.order.created',
          orderPayload({
            id: 991042,
            number: 1042,
            customerId: 501,
            firstName: 'Maya',
            lastName: 'Okafor',
            email: 'maya.okafor@example.com',
            lines: [shirtLine(1)],
            createdAt: at({ minutes: -3 }),
          }),
          at({ minutes: -3 }),
        ),
      ],
      profile: { brand: 'Maison Verte', language: 'en' },
      vibe: { tone: 'friendly' },
      expect: {
        language: 'en',
        customerFacing: true,
        mustSay: ['Maya', '#1042', 'Canvas Tote'],
        mustNotSay: ['Okafor', 'maya.okafor', '10% off', 'matching accessory', '+1555'],
      },
      inventingCheck: true,
    });
  }
  {
    const earlier = [
      order(at({ days: -40 }), [shirtLine(1)], { customerId: 502, firstName: 'Lucía', lastName: 'Martín' }),
      order(at({ days: -12 }), [toteLine()], { customerId: 502, firstName: 'Lucía', lastName: 'Martín' }),
    ];
    list.push({
      id: 'order-repeat-es',
      about:
        'A returning customer (third order) in Spanish: thanks them for coming back; cross-sell from the catalogue.',
      eventType: 'shopify.order.created',
      integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
      history: [...catalogueHistory(), ...earlier],
      events: [
        shopify(
          'shopify.order.created',
          orderPayload({
            id: 991043,
            number: 1043,
            customerId: 502,
            firstName: 'Lucía',
            lastName: 'Martín',
            lines: [trousersLine()],
            createdAt: at({ minutes: -3 }),
          }),
          at({ minutes: -3 }),
        ),
      ],
      profile: { brand: 'Hilo', language: 'es' },
      vibe: { tone: 'friendly' },
      expect: {
        language: 'es',
        customerFacing: true,
        mustSay: ['Lucía', '#1043', dateText('es', at({ days: -12 }), { day: 'numeric', month: 'long' })],
        mustNotSay: ['Martín'],
      },
    });
  }
  list.push({
    id: 'order-test-en',
    about: 'A test order: no message to a customer, a checkout check instead.',
    eventType: 'shopify.order.created',
    integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
    history: catalogueHistory(),
    events: [
      shopify(
        'shopify.order.created',
        orderPayload({
          id: 991044,
          number: 1044,
          customerId: 503,
          firstName: 'Test',
          lines: [toteLine()],
          createdAt: at({ minutes: -3 }),
          test: true,
        }),
        at({ minutes: -3 }),
      ),
    ],
    profile: { brand: 'Maison Verte', language: 'en' },
    vibe: {},
    expect: {
      language: 'en',
      customerFacing: false,
      mustSay: ['test order', '#1044'],
      mustNotSay: ['Hi Test', 'Dear', 'thanks so much', 'win back'],
    },
  });
  list.push({
    id: 'order-cancelled-test-en',
    about: 'A cancelled test order: no win-back email about a shipping confirmation it will never receive.',
    eventType: 'shopify.order.created',
    integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
    history: catalogueHistory(),
    events: [
      shopify(
        'shopify.order.created',
        orderPayload({
          id: 991045,
          number: 1045,
          customerId: 503,
          firstName: 'Test',
          lines: [toteLine()],
          createdAt: at({ minutes: -3 }),
          test: true,
          cancelledAt: at({ minutes: -2 }),
        }),
        at({ minutes: -3 }),
      ),
    ],
    profile: { brand: 'Maison Verte', language: 'en' },
    vibe: {},
    expect: {
      language: 'en',
      customerFacing: false,
      mustSay: ['test order', '#1045'],
      mustNotSay: ['Win back', 'shipping confirmation', 'Hi Test'],
    },
  });
  list.push({
    id: 'order-cancelled-fr',
    about: "A real customer's cancelled order, in French: a win-back note that never mentions shipping.",
    eventType: 'shopify.order.created',
    integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
    history: catalogueHistory(),
    events: [
      shopify(
        'shopify.order.created',
        orderPayload({
          id: 991046,
          number: 1046,
          customerId: 504,
          firstName: 'Chloé',
          lastName: 'Bernard',
          lines: [trousersLine()],
          createdAt: at({ hours: -1 }),
          cancelledAt: at({ minutes: -4 }),
          currency: 'EUR',
        }),
        at({ minutes: -4 }),
      ),
    ],
    profile: { brand: 'Maison Verte', language: 'fr' },
    vibe: { tone: 'friendly' },
    expect: {
      language: 'fr',
      customerFacing: true,
      mustSay: ['Chloé', '#1046', 'Linen Trousers'],
      mustNotSay: ['Bernard', 'expédition', 'shipping'],
    },
  });

  // ---------------- a bulk import
  {
    const types = [
      ...Array.from({ length: 50 }, () => 'Shirts'),
      ...Array.from({ length: 40 }, () => 'Trousers'),
      ...Array.from({ length: 30 }, () => 'Hats'),
    ];
    const events = types.map((type, i) =>
      shopify(
        'shopify.product.created',
        productPayload({
          id: 8400 + i,
          title: `${type.slice(0, -1)} No. ${i + 1}`,
          type,
          variants: [{ id: 84000 + i, price: (20 + (i % 37)).toFixed(2) }],
          createdAt: at({ minutes: -5, hours: 0 }),
        }),
        at({ minutes: -5 + i / 60 }),
      ),
    );
    list.push({
      id: 'bulk-import-120-en',
      about: 'An import of 120 products: one summary whose counts add up to 120 (50 + 40 + 30).',
      eventType: 'shopify.product.created',
      integration: { kind: 'shopify', createdAt: at({ days: -60 }) },
      history: [],
      events,
      profile: { brand: 'Maison Verte', language: 'en' },
      vibe: {},
      expect: {
        language: 'en',
        customerFacing: false,
        mustSay: ['120', 'Shirts: 50', 'Trousers: 40', 'Hats: 30'],
      },
    });
  }

  // ---------------- Supabase
  const ordersTable = {
    oid: '17001',
    schema: 'public',
    name: 'orders',
    kind: 'table',
    comment: null,
    rowSecurity: false,
    columns: [
      column({ attnum: 1, name: 'id', type: 'bigint', notNull: true, identity: 'always' }),
      column({ attnum: 2, name: 'customer_id', type: 'uuid', notNull: true }),
      column({ attnum: 3, name: 'order_number', type: 'text', notNull: true }),
      column({ attnum: 4, name: 'total', type: 'numeric(10,2)', notNull: true, default: '0' }),
      column({ attnum: 5, name: 'status', type: 'text', notNull: true, default: "'pending'::text" }),
      column({ attnum: 6, name: 'created_at', type: 'timestamp with time zone', notNull: true, default: 'now()' }),
    ],
    constraints: [
      constraint('17010', 'orders_pkey', 'primary key', 'PRIMARY KEY (id)', [1]),
      constraint(
        '17011',
        'orders_customer_id_fkey',
        'foreign key',
        'FOREIGN KEY (customer_id) REFERENCES customers(id) ON DELETE CASCADE',
        [2],
      ),
      constraint('17012', 'orders_order_number_key', 'unique', 'UNIQUE (order_number)', [3]),
      constraint('17013', 'orders_total_check', 'check', 'CHECK ((total >= (0)::numeric))', [4]),
      constraint(
        '17014',
        'orders_status_check',
        'check',
        "CHECK ((status = ANY (ARRAY['pending'::text, 'paid'::text, 'shipped'::text])))",
        [5],
      ),
    ],
    indexes: [
      index('orders_pkey', 'CREATE UNIQUE INDEX orders_pkey ON public.orders USING btree (id)', [1], true, true),
      index(
        'orders_order_number_key',
        'CREATE UNIQUE INDEX orders_order_number_key ON public.orders USING btree (order_number)',
        [3],
        true,
      ),
    ],
  };
  const supabase = (type: EventType, payload: Record<string, unknown>, when = at({ minutes: -5 })) => ({
    type,
    source: 'supabase' as const,
    payload,
    at: when,
  });
  list.push({
    id: 'table-created-en',
    about:
      'CREATE TABLE with FK, CHECKs, UNIQUE and RLS off: every column, key, check, index and RLS state, with advice.',
    eventType: 'supabase.table.created',
    integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      supabase('supabase.table.created', diffEvent('table.created', 'public', 'orders', { after: ordersTable })),
    ],
    schemaTables: [ordersTable],
    profile: { language: 'en' },
    vibe: {},
    expect: {
      language: 'en',
      customerFacing: false,
      mustSay: [
        'customer_id',
        'customers',
        'ON DELETE CASCADE',
        'total >= ',
        "'shipped'",
        'order_number',
        'orders_pkey',
        'row level security',
        'enable row level security',
        'create index',
      ],
    },
    inventingCheck: true,
  });
  const withCurrency = {
    ...ordersTable,
    rowSecurity: true,
    columns: [...ordersTable.columns, column({ attnum: 7, name: 'currency', type: 'character(3)', notNull: true })],
  };
  list.push({
    id: 'column-added-not-null-en',
    about: 'A NOT NULL column without a default: inserts that omit it now fail (true here).',
    eventType: 'supabase.column.added',
    integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      supabase(
        'supabase.column.added',
        diffEvent('column.added', 'public', 'orders', { column: 'currency', after: withCurrency.columns[6] }),
      ),
    ],
    schemaTables: [withCurrency],
    profile: { language: 'en' },
    vibe: {},
    expect: { language: 'en', customerFacing: false, mustSay: ['currency', 'character(3)', 'NOT NULL', 'fail'] },
  });
  {
    const before = column({ attnum: 4, name: 'amount', type: 'numeric(10,2)', notNull: true });
    const after = { ...before, name: 'total_amount' };
    list.push({
      id: 'column-renamed-en',
      about: 'A rename of a column that was already NOT NULL: no claim that inserts "will now fail".',
      eventType: 'supabase.column.renamed',
      integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
      history: [],
      events: [
        supabase(
          'supabase.column.renamed',
          diffEvent('column.renamed', 'public', 'payments', { column: 'total_amount', before, after }),
        ),
      ],
      schemaTables: [
        {
          ...ordersTable,
          oid: '17101',
          name: 'payments',
          rowSecurity: true,
          columns: [column({ attnum: 1, name: 'id', type: 'bigint', notNull: true, identity: 'always' }), after],
          constraints: [constraint('17110', 'payments_pkey', 'primary key', 'PRIMARY KEY (id)', [1])],
          indexes: [],
        },
      ],
      profile: { language: 'en' },
      vibe: {},
      expect: {
        language: 'en',
        customerFacing: false,
        mustSay: ['amount', 'total_amount', 'public.payments'],
        mustNotSay: ['will now fail', 'now fail'],
      },
    });
  }
  {
    const before = column({ attnum: 3, name: 'quantity', type: 'integer', notNull: true });
    const after = { ...before, type: 'bigint' };
    list.push({
      id: 'column-retyped-en',
      about:
        'integer → bigint on a NOT NULL column, nullability unchanged: the risks of a retype, no false ' +
        '"inserts will fail".',
      eventType: 'supabase.column.retyped',
      integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
      history: [],
      events: [
        supabase(
          'supabase.column.retyped',
          diffEvent('column.retyped', 'public', 'order_items', { column: 'quantity', before, after }),
        ),
      ],
      profile: { language: 'en' },
      vibe: {},
      expect: {
        language: 'en',
        customerFacing: false,
        mustSay: ['quantity', 'integer', 'bigint', 'public.order_items'],
        mustNotSay: ['will now fail', 'now fail'],
      },
    });
  }
  {
    const before = column({ attnum: 4, name: 'preis', type: 'numeric', notNull: false });
    const after = { ...before, type: 'numeric(10,2)', notNull: true };
    list.push({
      id: 'column-retyped-not-null-de',
      about: 'numeric → numeric(10,2) and now NOT NULL, in German: here inserts without it do fail.',
      eventType: 'supabase.column.retyped',
      integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
      history: [],
      events: [
        supabase(
          'supabase.column.retyped',
          diffEvent('column.retyped', 'public', 'artikel', { column: 'preis', before, after }),
        ),
      ],
      profile: { language: 'de' },
      vibe: {},
      expect: {
        language: 'de',
        customerFacing: false,
        mustSay: ['preis', 'numeric(10,2)', 'NOT NULL', 'public.artikel'],
      },
    });
  }
  list.push({
    id: 'column-dropped-en',
    about: 'A dropped column: a changelog entry and what to search for.',
    eventType: 'supabase.column.dropped',
    integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      supabase(
        'supabase.column.dropped',
        diffEvent('column.dropped', 'public', 'products', {
          column: 'legacy_sku',
          before: column({ attnum: 5, name: 'legacy_sku', type: 'text', notNull: false }),
          constraints: [],
        }),
      ),
    ],
    profile: { language: 'en' },
    vibe: {},
    expect: { language: 'en', customerFacing: false, mustSay: ['legacy_sku', 'public.products'] },
  });
  list.push({
    id: 'table-dropped-de',
    about: 'A dropped table, in German: a changelog entry and what to search for before the next deploy.',
    eventType: 'supabase.table.dropped',
    integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      supabase(
        'supabase.table.dropped',
        diffEvent('table.dropped', 'public', 'alte_bestellungen', {
          before: { ...ordersTable, name: 'alte_bestellungen', oid: '17301' },
        }),
      ),
    ],
    profile: { language: 'de' },
    vibe: {},
    expect: { language: 'de', customerFacing: false, mustSay: ['public.alte_bestellungen', 'Entfernt'] },
  });
  list.push({
    id: 'constraint-added-es',
    about: 'A CHECK constraint added, in Spanish.',
    eventType: 'supabase.constraint.changed',
    integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      supabase(
        'supabase.constraint.changed',
        diffEvent('constraint.added', 'public', 'productos', {
          constraint: 'productos_precio_check',
          after: constraint('17201', 'productos_precio_check', 'check', 'CHECK ((precio >= (0)::numeric))', [3]),
        }),
      ),
    ],
    profile: { language: 'es' },
    vibe: {},
    expect: {
      language: 'es',
      customerFacing: false,
      mustSay: ['productos_precio_check', 'precio >= ', 'public.productos'],
    },
  });
  list.push({
    id: 'rls-disabled-en',
    about: 'Row level security switched off on a public table: say what it exposes and how to fix it.',
    eventType: 'supabase.schema.changed',
    integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      supabase(
        'supabase.schema.changed',
        diffEvent('table.rls_changed', 'public', 'profiles', { before: true, after: false }),
      ),
    ],
    profile: { language: 'en' },
    vibe: {},
    expect: {
      language: 'en',
      customerFacing: false,
      mustSay: ['public.profiles', 'enable row level security', 'anon'],
    },
  });
  list.push({
    id: 'migration-pending-en',
    about: 'Two migration files not applied to the linked project.',
    eventType: 'supabase.migration.pending',
    integration: { kind: 'supabase', createdAt: at({ days: -60 }) },
    history: [],
    events: [
      supabase('supabase.migration.pending', {
        detectedBy: 'migrations_check',
        status: 'pending',
        target: 'remote',
        migrationsDir: 'supabase/migrations',
        files: ['20260418093000_add_currency.sql', '20260419120000_orders_customer_index.sql'],
      }),
    ],
    profile: { language: 'en' },
    vibe: {},
    expect: {
      language: 'en',
      customerFacing: false,
      mustSay: ['20260418093000_add_currency.sql', '20260419120000_orders_customer_index.sql', 'supabase db push'],
    },
  });

  // ---------------- calendar
  {
    const hoodie = productPayload({
      id: 8501,
      title: 'Aurora Hoodie',
      type: 'Hoodies',
      tags: 'aurora, fleece',
      variants: [{ id: 85011, price: '79.00', inventory: 40, inventoryItemId: 185011 }],
      createdAt: at({ days: -2 }),
    });
    const start = at({ days: 3, hours: 6 });
    list.push({
      id: 'calendar-launch-en',
      about: 'A launch in three days linked to a product: a dated checklist tied to that product (price, stock).',
      eventType: 'calendar.event.upcoming',
      integration: { kind: 'calendar', createdAt: at({ days: -60 }) },
      history: [shopify('shopify.product.created', hoodie, at({ days: -2 }))],
      events: [
        {
          type: 'calendar.event.upcoming',
          source: 'calendar',
          payload: {
            uid: 'aurora-launch@maison-verte',
            recurrenceId: null,
            summary: 'Aurora Hoodie launch',
            description: 'Drop on the site and Instagram live.',
            location: null,
            url: null,
            start,
            end: at({ days: 3, hours: 7 }),
            startLocal: null,
            allDay: false,
            timezone: 'UTC',
            sequence: 0,
            leadHours: 72,
            kind: 'launch',
            linked: {
              kind: 'product',
              id: 'gid://shopify/Product/8501',
              title: 'Aurora Hoodie',
              handle: 'aurora-hoodie',
            },
          },
          at: at({ hours: 6 }),
        },
      ],
      profile: { brand: 'Maison Verte', language: 'en' },
      vibe: { tone: 'friendly' },
      expect: {
        language: 'en',
        customerFacing: false,
        mustSay: ['Aurora Hoodie', '79.00', '40', 'Apr 22', 'Apr 23'],
      },
      inventingCheck: true,
    });
  }
  {
    const weekOrders = Array.from({ length: 12 }, (_, i) =>
      order(at({ days: -6 + i * 0.5 }), [shirtLine(1, 'L')], { currency: 'EUR' }),
    );
    const revenue = 12 * 49;
    const meeting = (start: string) => ({
      uid: 'weekly-sync@maison-verte',
      recurrenceId: start,
      summary: 'Point hebdo boutique',
      description: null,
      location: 'Visio',
      url: null,
      start,
      end: start,
      startLocal: null,
      allDay: false,
      timezone: 'Europe/Paris',
      sequence: 0,
      leadHours: 24,
      kind: 'meeting',
    });
    list.push({
      id: 'calendar-meeting-fr',
      about:
        'Weekly meeting prep in French: the week since the last one in words (sales, stock risks, ' +
        'schema), and questions.',
      eventType: 'calendar.event.upcoming',
      integration: { kind: 'calendar', createdAt: at({ days: -60 }) },
      history: [
        ...catalogueHistory(),
        {
          type: 'calendar.event.upcoming',
          source: 'calendar',
          payload: meeting(at({ days: -6 })),
          at: at({ days: -7 }),
        },
        ...weekOrders,
        shopify('shopify.inventory.low', inventoryLevelPayload(180011, 4, at({ days: -3 })), at({ days: -3 }), {
          outcome: 'suggested',
        }),
        shopify('shopify.inventory.low', inventoryLevelPayload(180041, 2, at({ days: -2 })), at({ days: -2 }), {
          outcome: 'suggested',
        }),
        shopify(
          'shopify.product.created',
          productPayload({
            id: 8501,
            title: 'Aurora Hoodie',
            type: 'Hoodies',
            variants: [{ id: 85011, price: '79.00' }],
            createdAt: at({ days: -1 }),
          }),
          at({ days: -1 }),
        ),
        {
          type: 'supabase.column.added',
          source: 'supabase',
          payload: diffEvent('column.added', 'public', 'orders', {
            column: 'currency',
            after: column({ attnum: 7, name: 'currency', type: 'character(3)', notNull: true }),
          }),
          at: at({ days: -1, hours: -3 }),
        },
      ],
      events: [{ type: 'calendar.event.upcoming', source: 'calendar', payload: meeting(at({ days: 1 })), at: at() }],
      profile: { brand: 'Maison Verte', language: 'fr' },
      vibe: { tone: 'professional' },
      expect: {
        language: 'fr',
        customerFacing: false,
        mustSay: ['12 commandes', 'Linen Shirt', 'Straw Hat', 'public.orders', 'Aurora Hoodie'],
        numbers: [{ what: 'revenue', text: fmt('fr', revenue, 2) }],
        mustNotSay: ['shopify.', 'supabase.', ' × '],
      },
    });
    list.push({
      id: 'calendar-meeting-en-quiet-week',
      about: 'Meeting prep when nothing happened: says so, asks nothing invented.',
      eventType: 'calendar.event.upcoming',
      integration: { kind: 'calendar', createdAt: at({ days: -60 }) },
      history: [],
      events: [
        {
          type: 'calendar.event.upcoming',
          source: 'calendar',
          payload: { ...meeting(at({ days: 1 })), summary: 'Weekly sync' },
          at: at(),
        },
      ],
      profile: { language: 'en' },
      vibe: {},
      expect: { language: 'en', customerFacing: false, mustSay: ['Weekly sync'], mustNotSay: ['shopify.', ' × '] },
    });
  }
  return list;
}

export { SHOP };
