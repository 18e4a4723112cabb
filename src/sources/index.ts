import { CALENDAR_EVENT_TYPES, calendarEventSpecs } from './calendar/eventTypes.js';
import { SHOPIFY_EVENT_TYPES, shopifyEventSpecs } from './shopify/eventTypes.js';
import { SUPABASE_EVENT_TYPES, supabaseEventSpecs } from './supabase/eventTypes.js';

/**
 * Every source Lookout listens to, with the event types it emits: adding a source is its folder
 * and one line here (and a migration, for the database's list of integration kinds).
 */
export const SOURCES = [
  { kind: 'shopify', label: 'Shopify', eventTypes: SHOPIFY_EVENT_TYPES, eventSpecs: shopifyEventSpecs },
  { kind: 'supabase', label: 'Supabase', eventTypes: SUPABASE_EVENT_TYPES, eventSpecs: supabaseEventSpecs },
  { kind: 'calendar', label: 'Calendar', eventTypes: CALENDAR_EVENT_TYPES, eventSpecs: calendarEventSpecs },
] as const;
