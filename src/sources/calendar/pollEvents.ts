import {
  type CalendarEventKind,
  type CatalogEntry,
  type CatalogLink,
  classifyOccurrence,
  linkToCatalog,
} from './classify.js';
import { expandEvents } from './expandEvents.js';
import { CalendarFeedError } from './feedErrors.js';
import { fetchFeed, normalizeFeedUrl } from './fetchFeed.js';
import { type DueReminder, dueReminders, maxLeadMs } from './leadTimes.js';
import type { CalendarOccurrence } from './occurrence.js';
import { parseCalendar } from './parseCalendar.js';
import { type CalendarPollState, restoreOccurrence, storeOccurrence } from './pollState.js';
import { civilDateString, localDateTimeString, wallTimeIn } from './timeZones.js';

const HOUR_MS = 3_600_000;

export interface CalendarFeed {
  /** http(s) or webcal URL of the ICS feed. */
  url: string;
  allowPrivate: boolean;
  allowHosts?: readonly string[];
  /** Validators kept outside the poll state; used only when the state holds the expansion they validate. */
  etag?: string | null;
  lastModified?: string | null;
}

export interface PollCalendarOptions {
  /** Hours before the start at which to remind, e.g. [168, 24]. */
  leadTimesHours: readonly number[];
  /** Prefix of every dedupe key: the integration id (two feeds may share UIDs). */
  scope: string;
  now?: Date;
  /** The user's store products and collections, for linking launches. */
  catalog?: readonly CatalogEntry[];
  /** Zone for all-day events when the feed names none (the user's zone). */
  defaultTimezone?: string;
  /**
   * How far beyond the longest lead to expand at a full fetch (default 7 days): the margin during
   * which a 304 can be answered from the stored expansion.
   */
  horizonHours?: number;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface PolledCalendarEvent {
  eventType: 'calendar.event.upcoming';
  eventDataJson: string;
  eventTimestamp: Date;
  dedupeKey: string;
}

export interface PollCalendarResult {
  events: PolledCalendarEvent[];
  state: CalendarPollState;
  /** 'full': the feed was downloaded and parsed; 'not_modified': answered from the stored expansion. */
  fetched: 'full' | 'not_modified';
  /** Occurrences considered (starting between now and the horizon). */
  occurrences: number;
}

/** The payload of calendar.event.upcoming (Lookout's own description, so serialising is fine). */
export interface CalendarUpcomingData {
  uid: string;
  recurrenceId: string | null;
  summary: string;
  description: string | null;
  location: string | null;
  url: string | null;
  start: string;
  end: string;
  /** The start on the event's own wall clock: YYYY-MM-DD for all-day, YYYY-MM-DDTHH:mm otherwise. */
  startLocal: string | null;
  allDay: boolean;
  timezone: string | null;
  sequence: number;
  leadHours: number;
  kind: CalendarEventKind;
  /** Only for launches: a meeting that names a product is about it, not its countdown. */
  linked?: CatalogLink;
}

function startLocal(o: CalendarOccurrence): string | null {
  if (!o.timezone) return null;
  return o.allDay ? civilDateString(wallTimeIn(o.start, o.timezone)) : localDateTimeString(o.start, o.timezone);
}

export function upcomingEventData(
  reminder: DueReminder,
  catalog: readonly CatalogEntry[] | undefined,
): CalendarUpcomingData {
  const o = reminder.occurrence;
  const kind = classifyOccurrence(o);
  const linked = kind === 'launch' && catalog && catalog.length > 0 ? linkToCatalog(o, catalog) : null;
  return {
    uid: o.uid,
    recurrenceId: o.recurrenceId,
    summary: o.summary,
    description: o.description,
    location: o.location,
    url: o.url,
    start: o.start.toISOString(),
    end: o.end.toISOString(),
    startLocal: startLocal(o),
    allDay: o.allDay,
    timezone: o.timezone,
    sequence: o.sequence,
    leadHours: reminder.leadHours,
    kind,
    ...(linked ? { linked } : {}),
  };
}

/**
 * One poll of one calendar feed. The caller stores `events` (idempotently, by dedupe key) and
 * then `state`; a crash between the two only repeats events that storage ignores. Failures throw
 * CalendarFeedError and leave the caller's state as it was.
 */
export async function pollCalendar(
  feed: CalendarFeed,
  state: CalendarPollState,
  opts: PollCalendarOptions,
): Promise<PollCalendarResult> {
  const now = opts.now ?? new Date();
  const url = normalizeFeedUrl(feed.url);
  const needUntil = now.getTime() + maxLeadMs(opts.leadTimesHours);
  const stored =
    state.url === url && state.occurrences && state.expandedUntil && Date.parse(state.expandedUntil) >= needUntil
      ? state.occurrences
      : null;

  // Validators are only worth sending when a 304 can be answered from what we kept.
  const etag = stored ? (state.etag ?? feed.etag ?? null) : null;
  const lastModified = stored ? (state.lastModified ?? feed.lastModified ?? null) : null;
  const res = await fetchFeed({
    url,
    allowPrivate: feed.allowPrivate,
    allowHosts: feed.allowHosts,
    etag,
    lastModified,
    timeoutMs: opts.timeoutMs,
    maxBytes: opts.maxBytes,
  });

  let occurrences: CalendarOccurrence[];
  let next: CalendarPollState;
  if (res.notModified) {
    if (!stored)
      throw new CalendarFeedError(
        'not_modified_without_cache',
        'the feed answered 304 Not Modified to an unconditional request',
      );
    occurrences = stored.map(restoreOccurrence).filter((o) => o.start.getTime() > now.getTime());
    next = {
      ...state,
      etag: res.etag ?? undefined,
      lastModified: res.lastModified ?? undefined,
      occurrences: occurrences.map(storeOccurrence),
    };
  } else {
    const calendar = await parseCalendar(res.body);
    const until = new Date(needUntil + (opts.horizonHours ?? 168) * HOUR_MS);
    // Only what has not started can be reminded of: the window opens just after now.
    occurrences = expandEvents(calendar, {
      from: new Date(now.getTime() + 1),
      to: until,
      defaultTimezone: opts.defaultTimezone,
    });
    next = {
      url,
      etag: res.etag ?? undefined,
      lastModified: res.lastModified ?? undefined,
      expandedUntil: until.toISOString(),
      occurrences: occurrences.map(storeOccurrence),
    };
  }

  const events = dueReminders(occurrences, { leadTimesHours: opts.leadTimesHours, now, scope: opts.scope }).map(
    (r) => ({
      eventType: 'calendar.event.upcoming' as const,
      eventDataJson: JSON.stringify(upcomingEventData(r, opts.catalog)),
      eventTimestamp: r.remindAt,
      dedupeKey: r.dedupeKey,
    }),
  );
  return { events, state: next, fetched: res.notModified ? 'not_modified' : 'full', occurrences: occurrences.length };
}
