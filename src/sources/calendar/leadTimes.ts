import type { CalendarOccurrence } from './occurrence.js';

const HOUR_MS = 3_600_000;

export interface DueReminder {
  occurrence: CalendarOccurrence;
  leadHours: number;
  /** start - lead: when the reminder became due. */
  remindAt: Date;
  dedupeKey: string;
}

export interface LeadTimeOptions {
  /** e.g. [168, 24]: a week and a day before. */
  leadTimesHours: readonly number[];
  now: Date;
  /** Prefix of every dedupe key, normally the integration id. */
  scope: string;
}

/**
 * `${scope}:${uid}:${recurrenceId or start}:${start}:${lead}h`.
 *
 * The start is part of the key on purpose: an event moved to a new time is a new thing to be
 * reminded of, so it gets new reminders. The reminder already stored for the old time stays
 * stored (it was true when sent); a re-poll of an unchanged feed yields the same keys, which
 * storage ignores.
 */
export function reminderKey(scope: string, occurrence: CalendarOccurrence, leadHours: number): string {
  const start = occurrence.start.toISOString();
  return `${scope}:${occurrence.uid}:${occurrence.recurrenceId ?? start}:${start}:${leadHours}h`;
}

/**
 * The reminders due at `now`: for each occurrence that has not started, the lead whose moment
 * (start - lead) has passed and is closest to the start.
 *
 * "Has passed" rather than "passed since the last poll": a late or missed poll still sends the
 * reminder, and the dedupe key makes every later poll harmless, so no poll bookkeeping is needed.
 * Only the nearest due lead is sent: when a feed is connected (or an event created) three days
 * before it, the 7-day reminder is moot and two reminders in the same minute would be noise.
 */
export function dueReminders(occurrences: readonly CalendarOccurrence[], opts: LeadTimeOptions): DueReminder[] {
  const now = opts.now.getTime();
  const leads = [...new Set(opts.leadTimesHours)].filter((h) => Number.isFinite(h) && h >= 0).sort((a, b) => a - b);
  const out: DueReminder[] = [];
  for (const occurrence of occurrences) {
    const start = occurrence.start.getTime();
    if (start <= now) continue;
    const lead = leads.find((h) => start - h * HOUR_MS <= now);
    if (lead === undefined) continue;
    out.push({
      occurrence,
      leadHours: lead,
      remindAt: new Date(start - lead * HOUR_MS),
      dedupeKey: reminderKey(opts.scope, occurrence, lead),
    });
  }
  return out;
}

/** How far ahead a poll must look: the longest lead. */
export function maxLeadMs(leadTimesHours: readonly number[]): number {
  return Math.max(0, ...leadTimesHours.filter((h) => Number.isFinite(h))) * HOUR_MS;
}
