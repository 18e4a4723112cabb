import ical, { type CalendarResponse, type VEvent } from 'node-ical';
import { CalendarFeedError } from './feedErrors.js';
import { isValidTimeZone } from './timeZones.js';

export interface ParsedCalendar {
  /** Every VEVENT, keyed by node-ical on UID; overrides hang off their series in `recurrences`. */
  events: VEvent[];
  /**
   * The zone all-day events belong to: X-WR-TIMEZONE (Google, Apple), else the only VTIMEZONE
   * the file defines; null when the feed does not say.
   */
  timezone: string | null;
}

function isVEvent(component: unknown): component is VEvent {
  return component !== null && typeof component === 'object' && (component as { type?: unknown }).type === 'VEVENT';
}

function calendarZone(data: CalendarResponse): string | null {
  const declared = data.vcalendar?.['WR-TIMEZONE'];
  if (isValidTimeZone(declared)) return declared;
  const defined = Object.values(data)
    .filter((c) => c !== null && typeof c === 'object' && (c as { type?: unknown }).type === 'VTIMEZONE')
    .map((c) => (c as { tzid?: unknown }).tzid)
    .filter((tzid): tzid is string => typeof tzid === 'string' && isValidTimeZone(tzid));
  const unique = [...new Set(defined)];
  return unique.length === 1 ? unique[0]! : null;
}

/** Parses ICS text with node-ical's asynchronous parser (a large feed does not stall the event loop). */
export async function parseCalendar(text: string): Promise<ParsedCalendar> {
  let data: CalendarResponse;
  try {
    data = await ical.async.parseICS(text);
  } catch (err) {
    throw new CalendarFeedError(
      'parse',
      `the calendar feed could not be parsed: ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  return { events: Object.values(data).filter(isVEvent), timezone: calendarZone(data) };
}
