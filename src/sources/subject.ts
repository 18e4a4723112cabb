import type { Payload } from '../events/eventSpec.js';

/**
 * A payload value as PostgreSQL's `->>` gives it: strings as they are, numbers with their digits
 * (the payload is parsed so that no digit is lost), booleans as words. Null when absent or empty.
 */
export function subjectText(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** The first of these payload fields that is present. */
export function firstField(payload: Payload, fields: readonly string[]): string | null {
  for (const f of fields) {
    const text = subjectText(payload[f]);
    if (text !== null) return text;
  }
  return null;
}
