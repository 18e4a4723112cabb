/**
 * The offline generator's words, one file per language (en.ts, es.ts, fr.ts, de.ts), each typed
 * as a Catalogue: a missing phrase or a missing tone is a compile error, never an English fragment
 * in a French suggestion. Phrases are functions of already formatted arguments (prices, dates,
 * counts), so a translator writes sentences and never touches arithmetic. To add a language, copy
 * en.ts, translate it, and list it in LANGUAGES (src/suggest/vibe.ts) and in index.ts here.
 */
import type { Language, Tone } from '../vibe.js';
import type {
  BatchText,
  CalendarText,
  CollectionText,
  InventoryLowText,
  MigrationPendingText,
  MinorEventsText,
  OrderText,
  ProductCreatedText,
  ProductDeletedText,
  ProductUpdatedText,
  SchemaChangelogText,
  SignedEventText,
  TableDocsText,
} from './texts.js';

export interface CommonText {
  /** A social call to action per tone (captions). */
  cta: Record<Tone, string>;
  /** A noun for a product with no product type ("find", "pieza"). */
  genericKind: string;
  /** How to name a product known only by its id. */
  unnamedProduct(id: string | undefined): string;
  /** The note an offline draft ends with when a setting could not be applied. */
  unapplied: {
    heading: string;
    language(requested: string, used: string): string;
    tone(requested: string, used: string, available: string): string;
    llm: string;
  };
}

export interface Catalogue {
  language: Language;
  common: CommonText;
  productCreated: ProductCreatedText;
  productUpdated: ProductUpdatedText;
  productDeleted: ProductDeletedText;
  collection: CollectionText;
  inventoryLow: InventoryLowText;
  orderCreated: OrderText;
  batch: BatchText;
  tableDocs: TableDocsText;
  schemaChangelog: SchemaChangelogText;
  migrationPending: MigrationPendingText;
  calendar: CalendarText;
  minorEvents: MinorEventsText;
  signedEvent: SignedEventText;
}
