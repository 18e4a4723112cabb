/**
 * The suggest layer's vocabulary. It is pure: the pipeline fetches context, calls a generator and
 * stores the draft and the run in one transaction, so nothing here touches the database.
 */
import type { EventType } from '../events.js';

/** Who the user is: shapes the voice of every suggestion. */
export interface UserProfile {
  brand?: string;
  niche?: string;
  audience?: string;
  /** Templates exist for 'en' and 'es' (Shopify phrases); anything else falls back to English. */
  language?: 'en' | 'es' | 'fr' | 'de' | (string & {});
}

export type EmojiLevel = 'none' | 'some' | 'lots';
export type LengthLevel = 'short' | 'medium' | 'long';

/** How the user wants to sound. */
export interface Vibe {
  tone?: 'friendly' | 'professional' | 'playful' | 'bold' | (string & {});
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
  foreignKeys?: Array<{ columns: string[]; references: { schema?: string; table: string; columns?: string[] } }>;
  uniques?: string[][];
}

/** An earlier event the pipeline found relevant (calendar prep, batch summaries). */
export interface RelatedEvent {
  eventType: string;
  /** What it was about: a product title, a table name, a file. */
  title?: string;
  /** ISO timestamp of the event. */
  at?: string;
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
  /** A catalogue sample: collection members, cross-sell candidates. */
  products?: unknown[];
  /** Stock facts for an inventory item: available, sku, threshold. */
  inventory?: { available?: unknown; sku?: string; threshold?: number; [key: string]: unknown };
  /** Recent sales of the item in units per day (a number, or {unitsPerDay, windowDays}). */
  orderVelocity?: number | { unitsPerDay: number; windowDays?: number };
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
  /** The parsed payload; ids may be strings, numbers or LosslessNumbers: read defensively. */
  eventData: unknown;
  context?: SuggestionContext;
  profile: UserProfile;
  vibe: Vibe;
  /** Set when the pipeline batched or debounced several events into one suggestion. */
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
