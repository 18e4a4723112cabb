/** The calendar source: ICS feed fetching, expansion into occurrences, reminders at lead times, the poller. */

import { z } from 'zod';
import { badRequest } from '../../lib/httpError.js';
import { assertPublicUrl } from '../../lib/urlGuard.js';
import { pollCalendarIntegration } from '../../loop/pollers.js';
import { defineConnection, defineSource } from '../source.js';
import { firstField } from '../subject.js';
import { CALENDAR_EVENT_TYPES, calendarEventSpecs } from './eventTypes.js';
import { CalendarFeedError } from './feedErrors.js';
import { normalizeFeedUrl } from './fetchFeed.js';

export const calendar = defineSource({
  kind: 'calendar',
  label: 'Calendar',
  eventTypes: CALENDAR_EVENT_TYPES,
  eventSpecs: calendarEventSpecs,
  // One entry of the feed (a recurring meeting's occurrences share it).
  subjectOf: (_type, payload) => firstField(payload, ['uid', 'id']),
  connection: defineConnection(
    {
      icsUrl: z.url({ protocol: /^(https?|webcal)$/ }).max(2000),
      leadTimesHours: z
        .array(
          z
            .number()
            .int()
            .min(0)
            .max(24 * 60),
        )
        .min(1)
        .max(10)
        .optional(),
    },
    {
      secretFields: [],
      check: async (body, ctx) => {
        let url: string;
        try {
          url = normalizeFeedUrl(body.icsUrl);
        } catch (err) {
          if (err instanceof CalendarFeedError) throw badRequest(err.message, 'invalid_url');
          throw err;
        }
        await assertPublicUrl(url, ctx.urlGuard);
      },
      // No lead times given: the user's calendar preference applies (null here, read at poll time).
      settings: (body) => ({ config: { icsUrl: body.icsUrl, leadTimesHours: body.leadTimesHours ?? null } }),
    },
  ),
  poller: pollCalendarIntegration,
});

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
