import type { DateWithTimeZone, VEvent } from 'node-ical';
import { addressesOf, addressOf, isValidDate, nonEmptyText, numberOf } from './icsValues.js';
import type { CalendarOccurrence } from './occurrence.js';
import type { ParsedCalendar } from './parseCalendar.js';
import {
  addDays,
  type CivilDate,
  civilDateOfHostMidnight,
  civilDateString,
  daysBetween,
  isValidTimeZone,
  startOfDayIn,
  wallTimeIn,
} from './timeZones.js';

export interface ExpandWindow {
  /** Occurrences starting in [from, to] are returned. */
  from: Date;
  to: Date;
  /** Zone for all-day events when the feed names none (the user's zone); default UTC. */
  defaultTimezone?: string;
}

/** A FREQ=MINUTELY series would otherwise yield tens of thousands of instances per poll. */
export const MAX_OCCURRENCES_PER_EVENT = 500;
/** Descriptions are pasted agendas and HTML; what we keep is bounded (it lands in poll state and payloads). */
const MAX_DESCRIPTION = 4000;
const MAX_SHORT_TEXT = 500;
const DAY_MS = 86_400_000;

/**
 * The VEVENT fields we read. node-ical types overrides as Omit<VEvent, 'recurrences'>, which its
 * index signature collapses to `unknown` values, so components are checked into this shape.
 */
interface Component {
  start?: DateWithTimeZone;
  end?: DateWithTimeZone;
  recurrenceid?: DateWithTimeZone;
  datetype?: unknown;
  status?: unknown;
  summary?: unknown;
  description?: unknown;
  location?: unknown;
  url?: unknown;
  sequence?: unknown;
  attendee?: unknown;
  organizer?: unknown;
}

function componentOf(raw: object): Component {
  const r = raw as Record<string, unknown>;
  const date = (v: unknown): DateWithTimeZone | undefined => (isValidDate(v) ? v : undefined);
  return {
    start: date(r.start),
    end: date(r.end),
    recurrenceid: date(r.recurrenceid),
    datetype: r.datetype,
    status: r.status,
    summary: r.summary,
    description: r.description,
    location: r.location,
    url: r.url,
    sequence: r.sequence,
    attendee: r.attendee,
    organizer: r.organizer,
  };
}

function isAllDay(c: Component | VEvent): boolean {
  return c.datetype === 'date' || c.start?.dateOnly === true;
}

function clip(text: string | null, max: number): string | null {
  return text !== null && text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The calendar date a value names: a date-only value is node-ical's host midnight; a date-time is read in its zone. */
function civilDateOf(value: DateWithTimeZone, zone: string): CivilDate {
  if (value.dateOnly) return civilDateOfHostMidnight(value);
  return wallTimeIn(value, isValidTimeZone(value.tz) ? value.tz : zone);
}

interface Series {
  event: VEvent;
  allDay: boolean;
  /** The zone for all-day instances. */
  zone: string;
  /** Whole days (all-day) or milliseconds (timed) an instance lasts. */
  days: number;
  durationMs: number;
}

function seriesOf(event: VEvent, zone: string): Series {
  const allDay = isAllDay(event);
  const end = isValidDate(event.end) ? event.end : null;
  const days =
    allDay && end ? Math.max(1, daysBetween(civilDateOfHostMidnight(event.start), civilDateOfHostMidnight(end))) : 1;
  const durationMs = !allDay && end ? Math.max(0, end.getTime() - event.start.getTime()) : 0;
  return { event, allDay, zone, days, durationMs };
}

/** Identity of one instance: the original start (an instant), or its date for all-day series. */
function instanceId(series: Series, original: DateWithTimeZone): string {
  return series.allDay ? civilDateString(civilDateOf(original, series.zone)) : original.toISOString();
}

function exdatesOf(event: VEvent): DateWithTimeZone[] {
  // node-ical stores each EXDATE under a date key and an ISO key: the same object twice.
  return [...new Set(Object.values(event.exdate ?? {}))].filter(isValidDate);
}

function isExcluded(series: Series, instance: Date, exdates: readonly DateWithTimeZone[]): boolean {
  const zone = isValidTimeZone(series.event.start.tz) ? series.event.start.tz : series.zone;
  for (const ex of exdates) {
    if (series.allDay || ex.dateOnly) {
      // A DATE exdate removes every instance that day (RFC 5545); an all-day series compares days.
      const day = series.allDay ? civilDateOfHostMidnight(instance) : wallTimeIn(instance, zone);
      if (civilDateString(civilDateOf(ex, zone)) === civilDateString(day)) return true;
    } else if (ex.getTime() === instance.getTime()) {
      return true;
    }
  }
  return false;
}

function toOccurrence(
  component: Component,
  series: Series,
  start: DateWithTimeZone,
  recurrenceId: string | null,
): CalendarOccurrence {
  const own = component.end;
  const allDay = isAllDay(component);
  let from: Date;
  let to: Date;
  let timezone: string | null;
  if (allDay) {
    const day = civilDateOf(start, series.zone);
    const days =
      own && component.start
        ? Math.max(1, daysBetween(civilDateOf(component.start, series.zone), civilDateOf(own, series.zone)))
        : series.days;
    from = startOfDayIn(day, series.zone);
    to = startOfDayIn(addDays(day, days), series.zone);
    timezone = series.zone;
  } else {
    from = new Date(start.getTime());
    const duration = own && component.start ? own.getTime() - component.start.getTime() : series.durationMs;
    to = new Date(from.getTime() + Math.max(0, duration));
    timezone = isValidTimeZone(start.tz) ? start.tz : isValidTimeZone(component.start?.tz) ? component.start.tz : null;
  }
  const base = series.event;
  return {
    uid: base.uid,
    recurrenceId,
    start: from,
    end: to,
    allDay,
    summary: clip(nonEmptyText(component.summary) ?? nonEmptyText(base.summary) ?? '(no title)', MAX_SHORT_TEXT) ?? '',
    description: clip(nonEmptyText(component.description), MAX_DESCRIPTION),
    location: clip(nonEmptyText(component.location), MAX_SHORT_TEXT),
    url: clip(nonEmptyText(component.url), 2000),
    sequence: numberOf(component.sequence, 0),
    timezone,
    attendees: addressesOf(component.attendee ?? base.attendee),
    organizer: addressOf(component.organizer ?? base.organizer),
  };
}

function isCancelled(c: Component | VEvent): boolean {
  return typeof c.status === 'string' && c.status.toUpperCase() === 'CANCELLED';
}

function expandSeries(event: VEvent, zone: string, window: ExpandWindow): CalendarOccurrence[] {
  const series = seriesOf(event, zone);
  const rrule = event.rrule;
  if (!rrule) {
    // A single event, or an override whose series is not in this feed (Google exports those for
    // one instance you were invited to): either way it is one occurrence.
    const id = isValidDate(event.recurrenceid) ? instanceId(series, event.recurrenceid) : null;
    return [toOccurrence(componentOf(event), series, event.start, id)];
  }

  const overrides = [...new Set(Object.values(event.recurrences ?? {}))]
    .map(componentOf)
    .filter((o) => o.recurrenceid !== undefined);
  const overridden = new Set(overrides.map((o) => instanceId(series, o.recurrenceid!)));
  const exdates = exdatesOf(event);
  const out: CalendarOccurrence[] = [];

  // All-day instances come back as host midnights and move by up to ±14 h once placed in the
  // calendar's zone: search a day wider on each side, the window filter below trims.
  const pad = series.allDay ? 2 * DAY_MS : 0;
  const candidates = rrule
    .between(new Date(window.from.getTime() - pad), new Date(window.to.getTime() + pad), true)
    .slice(0, MAX_OCCURRENCES_PER_EVENT);
  for (const generated of candidates) {
    // The rule engine yields host midnights for a DATE series, untagged: tag them so they are read as dates.
    const date: DateWithTimeZone = new Date(generated.getTime());
    if (series.allDay) date.dateOnly = true;
    // An instance with an override is produced from the override below, at its new time.
    if (overridden.has(instanceId(series, date)) || isExcluded(series, date, exdates)) continue;
    out.push(toOccurrence(componentOf(event), series, date, instanceId(series, date)));
  }

  // Overrides are taken from the list, not from the rule's dates in the window: an instance moved
  // INTO the window from outside it must appear, and one moved out must not.
  for (const override of overrides) {
    const original = override.recurrenceid!;
    if (isCancelled(override) || override.start === undefined || isExcluded(series, original, exdates)) continue;
    out.push(toOccurrence(override, series, override.start, instanceId(series, original)));
  }
  return out;
}

/**
 * The concrete occurrences of a parsed calendar that start within the window: series expanded
 * (TZID honoured by node-ical's rule engine), EXDATEs removed, RECURRENCE-ID overrides applied at
 * their new time, cancelled events and cancelled instances dropped, all-day events placed at
 * midnight of the calendar's zone. Sorted by start.
 */
export function expandEvents(calendar: ParsedCalendar, window: ExpandWindow): CalendarOccurrence[] {
  const zone = calendar.timezone ?? (isValidTimeZone(window.defaultTimezone) ? window.defaultTimezone : 'UTC');
  const from = window.from.getTime();
  const to = window.to.getTime();
  const out: CalendarOccurrence[] = [];
  for (const event of calendar.events) {
    if (!event.uid || !isValidDate(event.start) || isCancelled(event)) continue;
    for (const occurrence of expandSeries(event, zone, window)) {
      const t = occurrence.start.getTime();
      if (t >= from && t <= to) out.push(occurrence);
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime() || a.uid.localeCompare(b.uid));
}
