/** Quiet hours: outbound notifications wait for the end of the user's night (the live stream does not). */

export interface QuietHours {
  /** Local wall-clock time, 'HH:MM'. A window may cross midnight (22:00 -> 07:00). */
  start: string;
  end: string;
  /** IANA zone, e.g. 'Europe/Paris'. Default UTC. */
  timezone?: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

function minutesOf(hhmm: string): number | null {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of an instant in a zone. */
function localMinutes(at: Date, timeZone: string): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, fmt);
  }
  const parts = fmt.formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When `now` falls inside the quiet hours, the instant they end; otherwise null (also for an
 * invalid window or zone: a typo in preferences must not silence a user for good).
 */
export function quietHoursEnd(quiet: QuietHours | undefined, now: Date): Date | null {
  if (!quiet) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === null || end === null || start === end) return null;
  const zone = quiet.timezone ?? 'UTC';
  let local: number;
  try {
    local = localMinutes(now, zone);
  } catch {
    return null;
  }
  const inside = start < end ? local >= start && local < end : local >= start || local < end;
  if (!inside) return null;
  const minuteStart = now.getTime() - (now.getTime() % 60_000);
  let endAt = minuteStart + ((end - local + 1440) % 1440) * 60_000;
  // A DST change inside the window shifts the wall clock: correct by the difference once.
  const drift = ((end - localMinutes(new Date(endAt), zone) + 2160) % 1440) - 720;
  endAt += drift * 60_000;
  return new Date(endAt);
}
