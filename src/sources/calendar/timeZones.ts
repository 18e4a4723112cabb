/**
 * Wall-clock arithmetic in IANA time zones with Intl only (no Temporal on Node 20).
 *
 * Needed for all-day events: node-ical turns `DTSTART;VALUE=DATE:20261201` into midnight of the
 * HOST's zone, which says nothing about when the day starts for the calendar's owner. We read the
 * calendar date back from that value (local getters) and place its midnight in the calendar's zone.
 */

/** A calendar date without a zone. month is 1-12. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone name this runtime knows (feeds carry Windows names and typos too). */
export function isValidTimeZone(name: string | null | undefined): name is string {
  if (!name) return false;
  try {
    formatterFor(name);
    return true;
  } catch {
    return false;
  }
}

interface WallTime extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

export function wallTimeIn(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** The zone's offset from UTC at that instant, in ms (Tokyo: +9 h). */
function offsetMs(instantMs: number, timeZone: string): number {
  const w = wallTimeIn(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` shows that date at 00:00. Where midnight does
 * not exist (a DST jump at midnight) the result is the first instant of that day after the jump.
 */
export function startOfDayIn(date: CivilDate, timeZone: string): Date {
  const guess = Date.UTC(date.year, date.month - 1, date.day);
  let t = guess - offsetMs(guess, timeZone);
  // The offset at the guess may differ from the offset at the answer (DST change near midnight).
  const second = guess - offsetMs(t, timeZone);
  if (second !== t) t = Math.max(t, second);
  return new Date(t);
}

/** The calendar date node-ical meant by a date-only value: midnight of the host's zone. */
export function civilDateOfHostMidnight(value: Date): CivilDate {
  return { year: value.getFullYear(), month: value.getMonth() + 1, day: value.getDate() };
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function civilDateString(date: CivilDate): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`;
}

/** Whole days from a to b (both civil dates). */
export function daysBetween(a: CivilDate, b: CivilDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

/** "2026-12-01T10:00" as the wall clock in that zone shows the instant. */
export function localDateTimeString(instant: Date, timeZone: string): string {
  const w = wallTimeIn(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${civilDateString(w)}T${pad(w.hour)}:${pad(w.minute)}`;
}
