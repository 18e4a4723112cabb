import { parse as parseLossless } from 'lossless-json';
import type { Payload } from '../events/eventSpec.js';
import { calendar } from './calendar/index.js';
import { shopify } from './shopify/index.js';
import { signedWebhook } from './signedWebhook/index.js';
import type { Source } from './source.js';
import { supabase } from './supabase/index.js';

/**
 * Every source Lookout listens to (source.ts): adding a source is its folder, one line here, and
 * a migration adding its kind to the database's checks of integrations.kind and
 * background_events.source.
 */
export const SOURCES = [shopify, supabase, calendar, signedWebhook] as const;

const BY_KIND: ReadonlyMap<string, Source> = new Map(SOURCES.map((s) => [s.kind, s as Source]));

/** The source of that kind, if there is one. */
export function sourceOf(kind: string): Source | undefined {
  return BY_KIND.get(kind);
}

/**
 * A payload parsed so that no digit of an integer is lost. JSON.parse is exact for integers below
 * 2^53 (at most 16 digits), and several times faster than lossless-json: used unless the text has
 * a run of 16 digits, whose numbers are then kept as their digits.
 */
function parsePayload(json: string): Payload | undefined {
  try {
    const value: unknown = /\d{16}/.test(json)
      ? parseLossless(json, null, (digits: string) => (Number.isSafeInteger(Number(digits)) ? Number(digits) : digits))
      : JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Payload) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An event's subject (Source.subjectOf), from the payload text as it is stored: computed once, when
 * the event is inserted (background_events.subject), by every path that inserts events.
 */
export function eventSubject(source: string, eventType: string, payloadJson: string): string | null {
  const s = sourceOf(source);
  const payload = s ? parsePayload(payloadJson) : undefined;
  return s && payload ? s.subjectOf(eventType, payload) : null;
}
