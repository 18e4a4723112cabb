/** The event vocabulary shared by sources, ingest, processing and suggestion generators. */

// The types themselves are the keys of each source's specs (sources/<name>/eventTypes.ts).
import type { EventType, SourceKind } from './events/registry.js';

export type { EventType };
/** A source of events (Shopify, Supabase, a calendar...): the kinds listed in sources/index.ts. */
export type Source = SourceKind;

export type { NewEvent } from './events/newEvent.js';
