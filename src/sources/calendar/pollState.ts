import { z } from 'zod';
import type { CalendarOccurrence } from './occurrence.js';

/**
 * What one calendar integration keeps between polls (stored by the loop as JSON).
 *
 * Reminders fall due as time passes even when the feed does not change, so a 304 cannot simply
 * mean "nothing to do": the state keeps the occurrences expanded at the last full fetch, up to
 * `expandedUntil`, and a 304 is answered from them while they reach far enough ahead.
 */
export interface CalendarPollState {
  /** The normalised feed URL the rest of the state belongs to (a changed URL starts afresh). */
  url?: string;
  etag?: string;
  lastModified?: string;
  /** ISO instant: occurrences starting up to here are in `occurrences`. */
  expandedUntil?: string;
  occurrences?: StoredOccurrence[];
}

export type StoredOccurrence = Omit<CalendarOccurrence, 'start' | 'end'> & { start: string; end: string };

const StoredOccurrenceSchema = z.object({
  uid: z.string(),
  recurrenceId: z.string().nullable(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  allDay: z.boolean(),
  summary: z.string(),
  description: z.string().nullable(),
  location: z.string().nullable(),
  url: z.string().nullable(),
  sequence: z.number(),
  timezone: z.string().nullable(),
  attendees: z.array(z.string()),
  organizer: z.string().nullable(),
});

const CalendarPollStateSchema = z.object({
  url: z.string().optional(),
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  expandedUntil: z.iso.datetime().optional(),
  occurrences: z.array(StoredOccurrenceSchema).optional(),
});

/**
 * Reads state from storage. Anything unreadable (an older shape, a hand edit) becomes the empty
 * state: the next poll then fetches the feed in full, which is always correct, only slower.
 */
export function readCalendarPollState(value: unknown): CalendarPollState {
  const parsed = CalendarPollStateSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

export function storeOccurrence(o: CalendarOccurrence): StoredOccurrence {
  return { ...o, start: o.start.toISOString(), end: o.end.toISOString() };
}

export function restoreOccurrence(o: StoredOccurrence): CalendarOccurrence {
  return { ...o, start: new Date(o.start), end: new Date(o.end) };
}
