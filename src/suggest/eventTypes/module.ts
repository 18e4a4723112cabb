/**
 * What Lookout knows about one kind of suggestion, in one place: the context the pipeline should
 * gather for it, the compact facts (read from the payload and that context), the offline template
 * that renders those facts in the user's language and tone, and the task a model is given with the
 * very same facts. Keeping the three together means the model and the template never disagree on
 * what is known, and the fact check of a model's answer compares against exactly what it was told.
 */
import type { Formatter } from '../format.js';
import type { Catalogue } from '../i18n/catalogue.js';
import type { SuggestionDraft, SuggestionInput } from '../types.js';
import type { ResolvedVibe } from '../vibe.js';

/** Lookups the pipeline can make before generating (src/processing/enrich.ts implements them). */
export type ContextNeed =
  /** The product as it was before an update (stored events). */
  | 'previousVersion'
  /** The product behind an inventory item or a thin payload (stored events, else the Admin API). */
  | 'product'
  /** Units of the item sold over a stated window (stored orders, else the Admin API). */
  | 'sales'
  /** The latest stored version of recent products. */
  | 'catalogue'
  /** What the customer ordered before. */
  | 'customer'
  /** Products bought in the same orders as this order's items. */
  | 'boughtTogether'
  /** A collection's products (its rules, its tag, or the products created just before it). */
  | 'collectionMembers'
  /** The events of a calendar entry's period, counted and named. */
  | 'period'
  /** The product or collection a calendar launch is linked to. */
  | 'linkedItem'
  /** The whole table a column event is about (the last schema snapshot). */
  | 'schemaTable'
  /** The last low-stock alert of the same item. */
  | 'previousAlert';

export interface TemplateEnv {
  input: SuggestionInput;
  v: ResolvedVibe;
  t: Catalogue;
  f: Formatter;
}

export interface EventTypeModule<F> {
  needs: readonly ContextNeed[];
  /** True when the copy is read by customers (marketing, customer messages): no internal fields. */
  customerFacing: boolean;
  facts(input: SuggestionInput): F;
  render(env: TemplateEnv, facts: F): SuggestionDraft;
  /** The model's task: what to write and the content keys to fill (the offline draft's keys). */
  task: string;
}

/** Identity helper that keeps a module's facts type while typing it as a module. */
export function defineEventType<F>(m: EventTypeModule<F>): EventTypeModule<F> {
  return m;
}
