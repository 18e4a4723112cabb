/** An event type (the names the sources' specs declare; see events/registry.ts). */
type EventType = string;

/**
 * The suggest layer's vocabulary. It is pure: the pipeline fetches context, calls a generator and
 * stores the draft and the run in one transaction, so nothing here touches the database.
 */

/** Who the user is: shapes the voice of every suggestion. */
export interface UserProfile {
  brand?: string;
  niche?: string;
  audience?: string;
  /**
   * The offline catalogue has en, es, fr and de (regional tags such as es-MX use their base);
   * another language is written in English by the templates, and the draft says so.
   */
  language?: 'en' | 'es' | 'fr' | 'de' | (string & {});
}

export type EmojiLevel = 'none' | 'some' | 'lots';
export type LengthLevel = 'short' | 'medium' | 'long';

/** How the user wants to sound. */
export interface Vibe {
  /** friendly, playful, refined (luxury), professional, minimal, bold, or a synonym (see vibe.ts). */
  tone?: 'friendly' | 'playful' | 'refined' | 'professional' | 'minimal' | 'bold' | (string & {});
  emoji?: EmojiLevel;
  length?: LengthLevel;
  /** Never emitted in prose, hashtags or the title (matched case-insensitively as whole words). */
  avoidWords?: string[];
}

/** A column as a schema snapshot describes it (context.schemaTable or the event payload). */
export interface SchemaColumn {
  name: string;
  type?: string;
  nullable?: boolean;
  default?: string | null;
  comment?: string | null;
  isPrimaryKey?: boolean;
  references?: { schema?: string; table: string; column?: string } | null;
}

/** A table as the schema snapshot describes it; readers also accept information_schema spellings. */
export interface SchemaTable {
  schema?: string;
  name: string;
  comment?: string | null;
  columns: SchemaColumn[];
  primaryKey?: string[];
  foreignKeys?: Array<{
    columns: string[];
    references: { schema?: string; table: string; columns?: string[] };
    name?: string;
    /** pg_get_constraintdef() text, with its ON DELETE / ON UPDATE actions. */
    definition?: string;
  }>;
  uniques?: string[][];
  /** CHECK constraints: name and pg_get_constraintdef() text. */
  checks?: Array<{ name: string; definition: string }>;
  /** Indexes: name, the CREATE INDEX text, the indexed columns in order. */
  indexes?: Array<{ name: string; definition: string; columns: string[]; unique?: boolean; primary?: boolean }>;
  /** Row level security enabled; undefined when unknown. */
  rowSecurity?: boolean;
}

/** An earlier event the pipeline found relevant (calendar prep, batch summaries). */
export interface RelatedEvent {
  eventType: string;
  /** What it was about: a product title, a table name, a file. */
  title?: string;
  /** ISO timestamp of the event. */
  at?: string;
}

/** Units of a product (or one variant) sold in a window, from stored orders or the Admin API. */
export interface SalesWindow {
  productId?: string;
  variantId?: string;
  units: number;
  orders: number;
  /** Whole days the data actually covers within the window asked for (at least 1). */
  days: number;
  /** The window asked for. */
  requestedDays: number;
  /** ISO bounds of the covered window. */
  from: string;
  to: string;
  source: 'stored_orders' | 'admin_api';
}

/** What the store already knows about the customer of an order (never their personal data). */
export interface CustomerHistory {
  /** Orders before this one (test orders excluded). */
  previousOrders: number;
  firstOrderAt?: string;
  lastOrderAt?: string;
}

/** A product other customers bought in the same order as one of this order's items. */
export interface BoughtTogether {
  productId: string;
  title: string;
  /** Orders in which both were bought. */
  orders: number;
  price?: number;
}

/** The earlier version a product update is compared with. */
export interface PreviousVersion {
  at: string;
  /** 'stored': the last version processed before; 'burst': the first of several quick edits. */
  basis: 'stored' | 'burst';
  /** 'stored': updates received since that version, this one included; 'burst': the burst's edits. */
  updates: number;
}

/** The events of a period, counted and named: what a meeting recap says in words. */
export interface PeriodSummary {
  from: string;
  to: string;
  /** 'sinceLastMeeting' when the previous occurrence of the same calendar event was found. */
  basis: 'sinceLastMeeting' | 'lastDays';
  days: number;
  orders: {
    count: number;
    units: number;
    revenue: Array<{ currency: string; amount: number }>;
    cancelled: number;
    topProducts: Array<{ title: string; units: number }>;
  };
  lowStock: Array<{ name: string; available: number | null }>;
  productsCreated: string[];
  collectionsCreated: string[];
  schemaChanges: Array<{ kind: string; table: string | null; column: string | null }>;
  migrationsPending: string[];
}

/**
 * Enrichment fetched by the pipeline. Payload-shaped members (product, previous, collection,
 * products) are `unknown` on purpose: they arrive as REST payloads, GraphQL summaries or
 * lossless-json parses, and the templates read them defensively.
 */
export interface SuggestionContext {
  /** The product behind an inventory item, a thin update or a deleted product id. */
  product?: unknown;
  /** The product as it was before a products/update (for a real diff). */
  previous?: unknown;
  /** The collection a calendar event or a product belongs to. */
  collection?: unknown;
  /** A catalogue sample: cross-sell candidates, launch candidates (latest stored versions). */
  products?: unknown[];
  /** Stock facts for an inventory item: available, sku, threshold. */
  inventory?: { available?: unknown; sku?: string; threshold?: number; [key: string]: unknown };
  /** Recent sales of the item in units per day (a number, or {unitsPerDay, windowDays}). */
  orderVelocity?: number | { unitsPerDay: number; windowDays?: number };
  /** Units sold in a stated window (preferred over orderVelocity: it names its window). */
  sales?: SalesWindow;
  previousVersion?: PreviousVersion;
  customer?: CustomerHistory;
  boughtTogether?: BoughtTogether[];
  /** Products of a collection, and how they were found. */
  members?: { basis: 'rule' | 'tag' | 'recent' | 'admin'; products: unknown[] };
  period?: PeriodSummary;
  /** Low stock already alerted before (processing decided this is a new fact: lower or sold out). */
  previousAlert?: { at: string; available: number | null };
  /** Supplier lead time in days (default 14). */
  leadTimeDays?: number;
  /** Safety stock expressed in days of sales (default 7). */
  safetyStockDays?: number;
  /** Days of sales one reorder should cover beyond the lead time (default 30). */
  reorderCycleDays?: number;
  schemaTable?: SchemaTable;
  relatedEvents?: RelatedEvent[];
  /** ISO 4217 code of the shop's currency, when the payload lacks one (products do). */
  currency?: string;
  shopDomain?: string;
  [key: string]: unknown;
}

/** Everything a generator needs; the same input always yields the same prompt (and offline draft). */
export interface SuggestionInput {
  eventType: EventType;
  eventId: string;
  /** When the event happened (ISO): plans and windows are dated from it, never from the clock. */
  occurredAt?: string;
  /** The parsed payload; ids may be strings, numbers or LosslessNumbers: read defensively. */
  eventData: unknown;
  context?: SuggestionContext;
  profile: UserProfile;
  vibe: Vibe;
  /**
   * Set when the pipeline batched or debounced several events into one suggestion. `items` are
   * thin summaries of every batched event (batchItem), so counts by type add up to `count`.
   */
  batch?: { count: number; items: unknown[] };
}

export interface SuggestionDraft {
  title: string;
  /** Markdown. */
  body: string;
  /** Structured parts for the dashboard's copy buttons: hooks, caption, hashtags, copy, sql, steps... */
  content: Record<string, unknown>;
}

export interface AgentRunRecord {
  generator: 'offline' | 'llm';
  model: string | null;
  prompt: string;
  output: string;
  tokensIn: number | null;
  tokensOut: number | null;
  latencyMs: number;
  status: 'succeeded' | 'fallback' | 'failed';
  error: string | null;
}

export interface GenerationResult {
  draft: SuggestionDraft;
  run: AgentRunRecord;
}

export interface SuggestionGenerator {
  generate(input: SuggestionInput): Promise<GenerationResult>;
}
