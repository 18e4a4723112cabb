/**
 * The phrases each kind of suggestion needs, as the language catalogues (en.ts, es.ts, fr.ts, de.ts)
 * must provide them: a leaf module, so that the catalogue and the modules that render with it
 * (src/suggest/eventTypes/*) both read these types without importing one another.
 */
import type { LengthLevel, PreviousVersion } from '../types.js';
import type { Tone } from '../vibe.js';

export interface BatchText {
  title(count: string, first: string, updated: boolean): string;
  intro(count: string, updated: boolean): string;
  headings: {
    top: string;
    byType: string;
    plan: string;
    product: string;
    price: string;
    discount: string;
    included: string;
  };
  noType: string;
  plan(top: string, largest: { type: string; count: string } | undefined): string[];
  genericTitle(count: string, first: string | undefined, more: string | undefined): string;
  genericIntro(count: string): string;
}

export type LaunchStep = 'teaser' | 'reminder' | 'goLive' | 'launch' | 'followUp';

export interface LaunchPhraseArgs {
  name: string;
  summary: string;
  price?: string;
  compareAt?: string;
  off?: string;
  inventory?: string;
  /** True when the stored product is not active (draft, archived). */
  notActive: boolean;
  status?: string;
}

export interface CalendarText {
  launch: {
    /** `name` is left out when the summary already says it. */
    title(name: string | undefined, summary: string, when: string): string;
    intro(summary: string, when: string, location: string | undefined): string;
    product(a: LaunchPhraseArgs): string;
    heading: string;
    steps: Record<LaunchStep, (a: LaunchPhraseArgs) => string>;
  };
  meeting: {
    title(summary: string, when: string): string;
    intro(summary: string, when: string, location: string | undefined): string;
    headings: { agenda: string; recap: string; questions: string };
    sinceLastMeeting(date: string): string;
    lastDays(days: string): string;
    orders(count: string, units: string, revenue: string | undefined): string;
    noOrders: string;
    bestSellers(list: string): string;
    cancelled(count: string): string;
    lowStock(list: string): string;
    stockItem(name: string, available: string | undefined): string;
    productsCreated(list: string): string;
    collectionsCreated(list: string): string;
    schemaChanges(list: string): string;
    schemaChange(kind: string, table: string | undefined, column: string | undefined): string;
    migrations(list: string): string;
    quiet: string;
    questions: {
      restock(item: string): string;
      cancelled(count: string): string;
      schema(table: string): string;
      migration(file: string): string;
      launch(product: string): string;
    };
  };
}

export type CollectionStep =
  | 'announce'
  | 'stories'
  | 'socialProof'
  | 'recap'
  | 'review'
  | 'prepare'
  | 'tease'
  | 'earlyAccess'
  | 'publish'
  | 'reorder'
  | 'whatsNew'
  | 'emailViewers';

export interface CollectionPhraseArgs {
  title: string;
  handle?: string;
  published: boolean;
  /** Up to three product names, joined as prose. */
  highlights?: string;
  /** True when the collection has more products than the highlights name. */
  more: boolean;
}

export interface CollectionText {
  title(a: CollectionPhraseArgs, updated: boolean): string;
  summary(a: CollectionPhraseArgs): string;
  headings: { plan: string; announcement: string; members: string };
  /** How the products were found: `detail` is the rule or tag, `count` how many. */
  memberBasis: Record<'rule' | 'tag' | 'recent' | 'admin', (detail: string, count: string) => string>;
  noMembers(a: CollectionPhraseArgs): string;
  steps: Record<CollectionStep, (a: CollectionPhraseArgs) => string>;
  announcement: Record<Tone, (a: CollectionPhraseArgs, updated: boolean) => string>;
}

export interface InventoryPhraseArgs {
  name: string;
  available: string;
  soldOut: boolean;
  /** Sales in the window, formatted. */
  units?: string;
  orders?: string;
  days?: string;
  perDay?: string;
  cover?: string;
  runsOutOn?: string;
  quantity?: string;
  target?: string;
  reorderPoint?: string;
  belowReorderPoint: boolean;
  leadTime: string;
  safety: string;
  cycle: string;
  runsOutBeforeDelivery: boolean;
  /** Where the sales figures come from ("stored orders" / "the Shopify Admin API"), localised. */
  source?: string;
  previousAt?: string;
  previousAvailable?: string;
}

export interface InventoryLowText {
  title(a: InventoryPhraseArgs): string;
  headings: { stock: string; sales: string; reorder: string; meanwhile: string };
  available(a: InventoryPhraseArgs): string;
  /** A previous alert of the same item, when this one is a new fact (lower, sold out). */
  previousAlert(a: InventoryPhraseArgs): string;
  sources: { stored_orders: string; admin_api: string };
  sales(a: InventoryPhraseArgs): string;
  noSales(a: InventoryPhraseArgs): string;
  noData(a: InventoryPhraseArgs): string;
  cover(a: InventoryPhraseArgs): string;
  order(a: InventoryPhraseArgs): string;
  noOrderNeeded(a: InventoryPhraseArgs): string;
  /** The reorder formula with the figures in it: ceil(units × (lead + cycle + safety) ÷ days) − available. */
  formula(a: InventoryPhraseArgs): string;
  reorderPoint(a: InventoryPhraseArgs): string;
  assumptions(a: InventoryPhraseArgs): string;
  zeroSalesAdvice(a: InventoryPhraseArgs): string;
  meanwhile: Record<Tone, (a: InventoryPhraseArgs) => string>;
  beforeDelivery(a: InventoryPhraseArgs): string;
  askSupplier(a: InventoryPhraseArgs): string;
}

export type MigrationStep =
  | 'listRemote'
  | 'listLocal'
  | 'fetch'
  | 'repair'
  | 'pushDryRunAll'
  | 'pushAll'
  | 'up'
  | 'pushDryRun'
  | 'push';

export interface MigrationPendingText {
  title: {
    missing(version: string, dir: string): string;
    outOfOrder(subject: string): string;
    pending(subject: string, one: boolean): string;
  };
  subject: { none: string; many(count: string, first: string, last: string): string };
  headings: { pending: string; missing: string; why: string; resync: string; applyLinked: string; applyLocal: string };
  file(path: string, version: string | undefined): string;
  version(version: string): string;
  noFiles: string;
  why: Record<MigrationStep, (latestApplied: string | undefined) => string>;
}

export interface MinorEventsText {
  row: {
    title(verb: 'inserted' | 'updated' | 'deleted', table: string, id: string | undefined): string;
    body(verb: 'inserted' | 'updated' | 'deleted', table: string, id: string | undefined): string;
    changed(columns: string): string;
    advice: string;
  };
  uninstalled: { title(shop: string | undefined): string; lines: string[] };
  dataRequest: {
    title(shop: string | undefined, orders: string): string;
    intro: string;
    steps(orders: string): string[];
  };
  redact: { title(shop: string | undefined, orders: string): string; body(orders: string): string };
  shopRedact: { title(shop: string | undefined): string; body: string };
  inventoryUpdated: {
    title(name: string, available: string | undefined): string;
    level(name: string, available: string, location: string | undefined): string;
    settings: string;
  };
  unknown(type: string): string;
}

export type OrderKind = 'test' | 'cancelled' | 'firstTime' | 'repeat' | 'plain';

export interface OrderPhraseArgs {
  firstName?: string;
  orderName: string;
  topItem: string;
  /** How many other items, formatted, when there are any. */
  otherItems?: string;
  otherCount: number;
  total?: string;
  /** A product to suggest in a P.S., when one fits. */
  pairing?: string;
  /** True when other customers bought the pairing with the top item. */
  pairingBoughtTogether: boolean;
  previousOrders?: string;
  lastOrderOn?: string;
  brand?: string;
}

export interface OrderText {
  title: Record<OrderKind, (a: OrderPhraseArgs) => string>;
  headings: { message(a: OrderPhraseArgs): string; crossSell: string; checks: string; customer: string };
  /** The whole message before the sign-off, greeting included. */
  message: Record<Exclude<OrderKind, 'test'>, Record<Tone, (a: OrderPhraseArgs) => string>>;
  ps(a: OrderPhraseArgs): string;
  signOff(a: OrderPhraseArgs): string;
  customerNote: { firstTime(a: OrderPhraseArgs): string; repeat(a: OrderPhraseArgs): string; unknown: string };
  testNote(a: OrderPhraseArgs, cancelled: boolean): string;
  testSteps(a: OrderPhraseArgs): string[];
  cancelledNote(a: OrderPhraseArgs): string;
  crossSellReason: {
    boughtTogether(item: string, orders: string): string;
    type(detail: string): string;
    vendor(detail: string): string;
    tag(detail: string): string;
  };
  noCrossSell: string;
}

export interface ProductCreatedText {
  title(a: ProductPhraseArgs): string;
  headings: { hooks: string; caption: string; copy: string; plan: string; emailSubjects: string };
  hooks: Record<Tone, (a: ProductPhraseArgs) => [string, string, string]>;
  /** The caption before the call to action and hashtags. */
  caption: Record<Tone, (a: ProductPhraseArgs) => string>;
  /** Product copy for the page or a post: no call to action (the caption has it). */
  copy: Record<Tone, (a: ProductPhraseArgs, length: LengthLevel) => string>;
  plan(a: ProductPhraseArgs): string[];
  emailSubjects(a: ProductPhraseArgs): string[];
}

export interface ProductDeletedText {
  title(name: string): string;
  heading: string;
  steps(name: string, handle: string | undefined): string[];
  /** When no stored version names the product. */
  unknown(id: string): string;
}

/** A product as phrase functions take it: every figure formatted. */
export interface ProductPhraseArgs {
  title: string;
  /** Lower-cased product type in the singular, or the catalogue's generic noun. */
  kind: string;
  vendor?: string;
  /** Lowest price, formatted. */
  price?: string;
  /** True when variants have different prices ("from"). */
  priceFrom: boolean;
  compareAt?: string;
  /** The discount as the locale writes a percentage ("16%", "16 %"). */
  off?: string;
  /** True when variants have different discounts ("up to"). */
  upTo: boolean;
  /** The options joined as prose ("S, M and L"). */
  options?: string;
  description?: string;
  inventory?: string;
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

export interface ProductUpdatedText {
  title(kind: UpdateKind, a: ProductPhraseArgs): string;
  field: Record<ChangeField, string>;
  headings: { changes: string; notable: string; copy: string };
  /** Says what the diff compares with: `when` is formatted, `updates` counts this one. */
  comparedWith(basis: PreviousVersion['basis'], when: string, updates: number): string;
  /** When Lookout has no earlier version at all. */
  firstSeen(title: string): string;
  /** Shown instead of a long description's before/after. */
  descriptionChanged: string;
  copy(kind: UpdateKind, tone: Tone, a: ProductPhraseArgs): string;
}

export type Category = 'added' | 'changed' | 'removed';

export interface SchemaChangelogText {
  title(subject: string, verb: 'dropTable' | 'dropColumn' | 'change'): string;
  databaseSchema: string;
  andMore(first: string, more: string): string;
  unreleased: string;
  categories: Record<Category, string>;
  headings: { changelog: string; followUps: string };
  entry: {
    tableRenamed(before: string, after: string): string;
    tableComment(table: string, comment: string | undefined): string;
    rlsEnabled(table: string): string;
    rlsDisabled(table: string): string;
    nullability(column: string, notNull: boolean): string;
    default(column: string, before: string, after: string): string;
    none: string;
    columnComment(column: string): string;
    constraint(name: string, table: string | undefined, detail: string): string;
    constraintRenamedFrom(before: string): string;
    constraintWas(before: string): string;
    columnRenamed(before: string, after: string): string;
    columnRetyped(column: string, before: string, after: string): string;
    column(column: string, type: string | undefined): string;
    table(table: string, columns: string | undefined): string;
    ddl(tag: string, type: string | undefined, object: string | undefined): string;
    noDetails: string;
  };
  followUps: {
    reEnableRls(table: string, statement: string): string;
    searchRemoved: string;
    types(command: string): string;
    captureMigration(command: string): string;
  };
}

export interface ColumnDescriptionText {
  references(target: string): string;
  primaryKey(table: string): string;
  relatedId(words: string): string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string;
  flag(entity: string, words: string): string;
  email: string;
  status(entity: string): string;
  money(words: string): string;
  count(words: string): string;
  when(entity: string, words: string): string;
  generic(words: string, entity: string): string;
  table(words: string, entity: string): string;
}

export interface TableDocsText {
  title: {
    table(q: string): string;
    added(q: string, column: string): string;
    renamed(q: string, from: string, to: string): string;
    retyped(q: string, column: string, from: string, to: string): string;
  };
  intro: {
    renamed(from: string, to: string): string;
    retyped(column: string, from: string, to: string): string;
    nullability(column: string, nowNotNull: boolean): string;
  };
  headings: {
    columns: string;
    constraints: string;
    indexes: string;
    security: string;
    advice: string;
    comments: string;
    followUps: string;
  };
  columnHeader: [string, string, string, string, string];
  yes: string;
  no: string;
  key: { primary: string; unique: string; references(target: string): string };
  primaryKey(columns: string): string;
  noPrimaryKey: string;
  foreignKey(name: string | undefined, columns: string, target: string, actions: string | undefined): string;
  unique(columns: string): string;
  check(name: string, definition: string): string;
  index(name: string, definition: string): string;
  noIndexes: string;
  indexesUnknown: string;
  rls: { on(q: string): string; off(q: string): string; unknown(q: string): string };
  advice: {
    rlsOff(q: string, statement: string): string;
    fkWithoutIndex(columns: string, target: string, statement: string): string;
    noPrimaryKey(q: string): string;
    notNullWithoutDefault(column: string): string;
    becameNotNull(column: string): string;
    renamed(from: string): string[];
    /** `rewrite`: the change rewrote the table (not binary-coercible). */
    retyped(column: string, from: string, to: string, rewrite: boolean): string[];
    /** bigint values above Number.MAX_SAFE_INTEGER lose precision in JavaScript clients. */
    bigintInJs(column: string): string;
  };
  followUps: { types(command: string): string; migration(create: string, push: string): string };
  noColumns: string;
  describe: ColumnDescriptionText;
}

export interface SignedEventText {
  /** The sender's event type when it sent one ("invoice.paid"). */
  title(type: string | undefined): string;
  /** One sentence: what arrived and how many fields it carried (count already formatted). */
  summary(type: string | undefined, count: string): string;
  heading: string;
  /** The last bullet when fields were left out (count already formatted). */
  more(count: string): string;
  /** Shown instead of the list when the body carried no fields. */
  empty: string;
}
