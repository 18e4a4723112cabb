/**
 * Varied sample merchandise for `lookout simulate`: every run shows something new (a different
 * product, price and vendor), so the flow can be tried again and again and a bulk import of 12
 * reads like a real one instead of twelve "Example T-Shirt"s.
 */

export interface SampleProduct {
  title: string;
  productType: string;
  vendor: string;
  tags: string[];
  description: string;
  price: string;
  compareAtPrice: string | null;
  sku: string;
}

const LINES: ReadonlyArray<{ type: string; vendor: string; items: string[]; tags: string[]; base: number }> = [
  {
    type: 'Mugs',
    vendor: 'Cozy Clay Co.',
    items: ['Aurora Stoneware Mug', 'Speckled Latte Cup', 'Midnight Espresso Set', 'Harbor Travel Tumbler'],
    tags: ['ceramics', 'handmade', 'gift'],
    base: 18,
  },
  {
    type: 'Hoodies',
    vendor: 'Northline Apparel',
    items: ['Trailhead Fleece Hoodie', 'Fogline Zip Hoodie', 'Ember Heavyweight Hoodie', 'Tidepool Cropped Hoodie'],
    tags: ['apparel', 'organic cotton', 'unisex'],
    base: 54,
  },
  {
    type: 'Candles',
    vendor: 'Lumen & Wick',
    items: ['Cedar Smoke Candle', 'Fig Leaf Soy Candle', 'Sea Salt Travel Tin', 'Amber Night Candle'],
    tags: ['home', 'soy wax', 'gift'],
    base: 24,
  },
  {
    type: 'Backpacks',
    vendor: 'Wayfarer Goods',
    items: ['Ridge 24L Daypack', 'Commuter Roll-Top Pack', 'Summit Sling Bag', 'Canvas Weekender'],
    tags: ['outdoor', 'travel', 'water-resistant'],
    base: 79,
  },
  {
    type: 'Skincare',
    vendor: 'Field Botanics',
    items: ['Oat Milk Cleanser', 'Rosehip Night Serum', 'Calendula Hand Balm', 'Green Tea Toner'],
    tags: ['skincare', 'vegan', 'fragrance-free'],
    base: 22,
  },
  {
    type: 'Sneakers',
    vendor: 'Stride Lab',
    items: ['Pacer Knit Runner', 'Court Classic Low', 'Trail Grip Mid', 'Cloudstep Slip-On'],
    tags: ['footwear', 'recycled', 'everyday'],
    base: 95,
  },
];

const DESCRIPTIONS: Record<string, string> = {
  Mugs: 'Wheel-thrown in small batches and glazed by hand, so no two are quite alike. Holds 350 ml; dishwasher safe.',
  Hoodies: 'Brushed organic cotton, a relaxed fit and a lined hood. Garment-dyed for a soft, lived-in feel.',
  Candles: 'Hand-poured soy wax with a cotton wick, about 45 hours of clean burn. Scented with essential oils.',
  Backpacks: 'Water-resistant waxed canvas, a padded laptop sleeve and a lifetime warranty on the zips.',
  Skincare: 'Gentle, plant-based and fragrance-free; made in small batches for sensitive skin.',
  Sneakers: 'A recycled knit upper on a cushioned sole that grips wet streets; made to be worn every day.',
};

export type Random = () => number;

const pick = <T>(items: readonly T[], random: Random): T => items[Math.floor(random() * items.length)]!;

/** `count` distinct products (titles repeat only past the catalogue's size, then with a number). */
export function sampleProducts(count: number, random: Random): SampleProduct[] {
  const all = LINES.flatMap((line) => line.items.map((title) => ({ line, title })));
  // Fisher-Yates shuffle: a different selection and order on every run.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return Array.from({ length: count }, (_, n) => {
    const { line, title } = all[n % all.length]!;
    const round = Math.floor(n / all.length);
    const price = line.base + Math.floor(random() * line.base * 0.6) + 0.99;
    const onSale = random() < 0.3;
    return {
      title: round === 0 ? title : `${title} No. ${round + 1}`,
      productType: line.type,
      vendor: line.vendor,
      tags: [...line.tags.slice(0, 2), pick(line.tags, random)].filter((t, i, a) => a.indexOf(t) === i),
      description: DESCRIPTIONS[line.type] ?? '',
      price: price.toFixed(2),
      compareAtPrice: onSale ? (price * 1.25).toFixed(2) : null,
      sku: `${line.type.slice(0, 3).toUpperCase()}-${Math.floor(random() * 90_000 + 10_000)}`,
    };
  });
}

export const handleOf = (title: string): string =>
  title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
