/** The calendar source: ICS feed fetching, expansion into occurrences, reminders at lead times, the poller. */
export { CalendarFeedError, type CalendarFeedErrorCode } from './feedErrors.js';
export { fetchFeed, normalizeFeedUrl, looksLikeIcs, DEFAULT_MAX_FEED_BYTES, DEFAULT_FEED_TIMEOUT_MS, type FeedRequest, type FeedResult } from './fetchFeed.js';
export { parseCalendar, type ParsedCalendar } from './parseCalendar.js';
export { expandEvents, MAX_OCCURRENCES_PER_EVENT, type ExpandWindow } from './expandEvents.js';
export type { CalendarOccurrence } from './occurrence.js';
export { dueReminders, reminderKey, maxLeadMs, type DueReminder, type LeadTimeOptions } from './leadTimes.js';
export { classifyOccurrence, linkToCatalog, type CalendarEventKind, type CatalogEntry, type CatalogLink } from './classify.js';
export { readCalendarPollState, type CalendarPollState, type StoredOccurrence } from './pollState.js';
export {
  pollCalendar,
  upcomingEventData,
  type CalendarFeed,
  type PollCalendarOptions,
  type PollCalendarResult,
  type PolledCalendarEvent,
  type CalendarUpcomingData,
} from './pollEvents.js';
