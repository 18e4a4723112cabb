import { readFileSync } from 'node:fs';
import { type ParsedCalendar, type PolledCalendarEvent, parseCalendar } from '../../../src/sources/calendar/index.js';

export const fixtureUrl = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

export function fixtureText(name: string): string {
  return readFileSync(fixtureUrl(name), 'utf8');
}

export function parseFixture(name: string): Promise<ParsedCalendar> {
  return parseCalendar(fixtureText(name));
}

export const HOUR = 3_600_000;
export const at = (iso: string): Date => new Date(iso);

export interface UpcomingData {
  uid: string;
  recurrenceId: string | null;
  summary: string;
  start: string;
  end: string;
  startLocal: string | null;
  allDay: boolean;
  timezone: string | null;
  leadHours: number;
  kind: 'launch' | 'meeting' | 'event';
  linked?: { kind: 'product' | 'collection'; id: string; title: string; handle: string };
}

export function dataOf(event: PolledCalendarEvent): UpcomingData {
  return JSON.parse(event.eventDataJson) as UpcomingData;
}

/** What storage does with dedupe keys: a key stored once is never stored again. */
export class DedupeStore {
  readonly keys = new Set<string>();
  readonly stored: PolledCalendarEvent[] = [];
  /** Returns the events that were new. */
  add(events: readonly PolledCalendarEvent[]): PolledCalendarEvent[] {
    const fresh = events.filter((e) => !this.keys.has(e.dedupeKey));
    for (const e of fresh) {
      this.keys.add(e.dedupeKey);
      this.stored.push(e);
    }
    return fresh;
  }
}
