import { type EventSpec, suggestionModule } from '../../events/eventSpec.js';
import { calendar } from '../../suggest/eventTypes/calendar.js';

/** The event type the calendar source emits: an occurrence coming up, at one of the user's lead times. */
export const CALENDAR_EVENT_TYPES = ['calendar.event.upcoming'] as const;
export type CalendarEventType = (typeof CALENDAR_EVENT_TYPES)[number];

/** A missing or extra entry is a compile error: every type has exactly one spec. */
export const calendarEventSpecs: Readonly<Record<CalendarEventType, EventSpec>> = {
  'calendar.event.upcoming': {
    label: 'Event upcoming',
    handling: 'suggest',
    importance: 70,
    coalesce: 'none',
    suggestion: suggestionModule(calendar),
  },
};
