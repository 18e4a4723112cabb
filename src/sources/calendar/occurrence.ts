/** One concrete happening of a calendar event: a single event, or one instance of a series. */
export interface CalendarOccurrence {
  uid: string;
  /**
   * Which instance of a series this is: the ORIGINAL start (ISO instant, or YYYY-MM-DD for all-day
   * series), unchanged when the instance is moved. null for an event that does not recur.
   */
  recurrenceId: string | null;
  start: Date;
  end: Date;
  allDay: boolean;
  summary: string;
  description: string | null;
  location: string | null;
  url: string | null;
  /** SEQUENCE: the organizer's revision number (0 when absent). */
  sequence: number;
  /** IANA zone the event is expressed in (all-day: the calendar's zone); null when unknown. */
  timezone: string | null;
  /** Addresses (mailto: stripped) of ATTENDEE and ORGANIZER: classification only, never emitted. */
  attendees: string[];
  organizer: string | null;
}
