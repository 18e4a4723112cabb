/** The calendar source: ICS feed fetching, expansion into occurrences, reminders at lead times, the poller. */

export {
  type CalendarEventKind,
  type CatalogEntry,
  type CatalogLink,
  classifyOccurrence,
  linkToCatalog,
} from './classify.js';
export { type ExpandWindow, expandEvents, MAX_OCCURRENCES_PER_EVENT } from './expandEvents.js';
export { CalendarFeedError, type CalendarFeedErrorCode } from './feedErrors.js';
export {
  DEFAULT_FEED_TIMEOUT_MS,
  DEFAULT_MAX_FEED_BYTES,
  type FeedRequest,
  type FeedResult,
  fetchFeed,
  looksLikeIcs,
  normalizeFeedUrl,
} from './fetchFeed.js';
export { type DueReminder, dueReminders, type LeadTimeOptions, maxLeadMs, reminderKey } from './leadTimes.js';
export type { CalendarOccurrence } from './occurrence.js';
export { type ParsedCalendar, parseCalendar } from './parseCalendar.js';
export {
  type CalendarFeed,
  type CalendarUpcomingData,
  type PollCalendarOptions,
  type PollCalendarResult,
  type PolledCalendarEvent,
  pollCalendar,
  upcomingEventData,
} from './pollEvents.js';
export { type CalendarPollState, readCalendarPollState, type StoredOccurrence } from './pollState.js';
