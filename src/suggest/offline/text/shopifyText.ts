/**
 * The fixed phrases of the Shopify templates, one implementation per language. Templates compute
 * the facts (prices, percentages, quantities) and only ask this table how to say them, so adding a
 * language never touches the arithmetic.
 */
import type { LengthLevel } from '../../types.js';
import type { TemplateLanguage, Tone } from '../../vibe.js';
import { en } from './shopifyText.en.js';
import { es } from './shopifyText.es.js';

/** A product as the phrases need it: every number already formatted. */
export interface ProductPhraseArgs {
  title: string;
  /** Lower-cased product type, or a generic noun. */
  kind: string;
  vendor?: string;
  /** Lowest price, formatted. */
  price?: string;
  /** True when variants have different prices ("from"). */
  priceFrom: boolean;
  compareAt?: string;
  pct?: number;
  /** True when variants have different discounts ("up to"). */
  upTo: boolean;
  audience?: string;
  niche?: string;
  options: string[];
  description?: string;
  inventory?: number;
}

export type UpdateKind =
  | 'priceDrop'
  | 'priceRise'
  | 'backInStock'
  | 'soldOut'
  | 'stockChange'
  | 'published'
  | 'unpublished'
  | 'details';

export type ChangeField =
  | 'title'
  | 'price'
  | 'compareAt'
  | 'discount'
  | 'status'
  | 'tags'
  | 'productType'
  | 'vendor'
  | 'description'
  | 'inventory'
  | 'variants';

export interface CollectionPhraseArgs {
  title: string;
  handle?: string;
  published: boolean;
  scope?: string;
}

export interface OrderPhraseArgs {
  firstName?: string;
  orderName: string;
  topItem: string;
  otherItems: number;
  cancelled: boolean;
  /** A catalogue product to mention in a P.S., when one fits. */
  pairing?: string;
  signOff?: string;
}

export interface InventoryPhraseArgs {
  name: string;
  available?: string;
  availableCount?: number;
  location?: string;
  unitsPerDay?: string;
  windowDays?: number;
  coverDays?: string;
  runsOutOn?: string;
  quantity: string;
  quantityValue: number;
  reorderPoint: string;
  belowReorderPoint: boolean;
  /** The formula with the numbers substituted. */
  worked: string;
  leadTimeDays: number;
  safetyStockDays: number;
  cycleDays: number;
  runsOutBeforeDelivery: boolean;
}

export interface ShopifyText {
  cta(tone: Tone): string;
  headings: {
    hooks: string;
    caption: string;
    copy: string;
    plan: string;
    emailSubjects: string;
    changes: string;
    notable: string;
    checklist: string;
    launchPlan: string;
    announcement: string;
    featured: string;
    stock: string;
    reorder: string;
    meanwhile: string;
    crossSell: string;
    topProducts: string;
    byType: string;
    nextSteps: string;
    product: string;
    price: string;
    discount: string;
  };
  created: {
    title(a: ProductPhraseArgs): string;
    hooks(tone: Tone, a: ProductPhraseArgs): [string, string, string];
    caption(tone: Tone, a: ProductPhraseArgs): string;
    copy(tone: Tone, a: ProductPhraseArgs, length: LengthLevel): string;
    plan(a: ProductPhraseArgs): string[];
    emailSubjects(a: ProductPhraseArgs): string[];
  };
  updated: {
    title(kind: UpdateKind, a: ProductPhraseArgs): string;
    field(field: ChangeField): string;
    /** Shown when the pipeline had no earlier version to diff against. */
    noPrevious: string;
    descriptionChanged: string;
    copy(tone: Tone, kind: UpdateKind, a: ProductPhraseArgs): string;
  };
  deleted: {
    title(name: string): string;
    steps(name: string, handle: string | undefined): string[];
  };
  collection: {
    title(a: CollectionPhraseArgs, updated: boolean): string;
    summary(a: CollectionPhraseArgs): string;
    launchSteps(a: CollectionPhraseArgs): Array<{ when: string; action: string }>;
    refreshSteps(a: CollectionPhraseArgs): Array<{ when: string; action: string }>;
    announcement(tone: Tone, a: CollectionPhraseArgs, updated: boolean): string;
  };
  inventory: {
    title(a: InventoryPhraseArgs): string;
    facts(a: InventoryPhraseArgs): string[];
    order(a: InventoryPhraseArgs): string;
    /** Said instead of an order quantity when no sales velocity is known. */
    needVelocity(a: InventoryPhraseArgs): string;
    formula(a: InventoryPhraseArgs): string;
    reorderPoint(a: InventoryPhraseArgs): string;
    assumptions(a: InventoryPhraseArgs): string;
    meanwhile(tone: Tone, a: InventoryPhraseArgs): string[];
  };
  order: {
    title(a: OrderPhraseArgs): string;
    messageHeading(a: OrderPhraseArgs): string;
    message(tone: Tone, a: OrderPhraseArgs): string;
    crossSellReason(kind: 'type' | 'vendor' | 'tag' | 'price', detail: string): string;
    crossSellGeneric(a: OrderPhraseArgs): string[];
  };
  batch: {
    title(count: number, first: string, updated: boolean): string;
    intro(count: number, updated: boolean): string;
    plan(top: string[], largestType: { type: string; count: number } | undefined): string[];
  };
  /** How to name a product known only by its id. */
  unnamedProduct(id: string | undefined): string;
  /** A noun for a product with no product type. */
  genericKind: string;
  and: string;
}

const TEXTS: Record<TemplateLanguage, ShopifyText> = { en, es };

export function shopifyText(language: TemplateLanguage): ShopifyText {
  return TEXTS[language];
}
