import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CalendarOccurrence, dueReminders, reminderKey } from '../../../src/sources/calendar/index.js';

const occ = (start: string, extra: Partial<CalendarOccurrence> = {}): CalendarOccurrence => ({
  uid: 'evt-1@google.com',
  recurrenceId: null,
  start: new Date(start),
  end: new Date(new Date(start).getTime() + 3_600_000),
  allDay: false,
  summary: 'Launch',
  description: null,
  location: null,
  url: null,
  sequence: 0,
  timezone: 'UTC',
  attendees: [],
  organizer: null,
  ...extra,
});

describe('dueReminders', () => {
  const opts = (now: string) => ({ leadTimesHours: [168, 24], now: new Date(now), scope: 'int-1' });

  it('nothing before the first lead, the 7-day reminder after it, the 1-day reminder after that', () => {
    const o = [occ('2026-12-10T12:00:00Z')];
    assert.deepEqual(dueReminders(o, opts('2026-12-03T11:59:59Z')), []);
    assert.deepEqual(
      dueReminders(o, opts('2026-12-03T12:00:00Z')).map((r) => r.leadHours),
      [168],
    );
    assert.deepEqual(
      dueReminders(o, opts('2026-12-09T11:00:00Z')).map((r) => r.leadHours),
      [168],
    );
    const day = dueReminders(o, opts('2026-12-09T12:00:00Z'));
    assert.deepEqual(
      day.map((r) => [r.leadHours, r.remindAt.toISOString()]),
      [[24, '2026-12-09T12:00:00.000Z']],
    );
  });

  it('nothing once the occurrence has started', () => {
    assert.deepEqual(dueReminders([occ('2026-12-10T12:00:00Z')], opts('2026-12-10T12:00:00Z')), []);
  });

  it('lead order and duplicates in the preference do not matter', () => {
    const o = [occ('2026-12-10T12:00:00Z')];
    const r = dueReminders(o, { leadTimesHours: [24, 168, 24], now: new Date('2026-12-09T13:00:00Z'), scope: 's' });
    assert.deepEqual(
      r.map((x) => x.leadHours),
      [24],
    );
  });

  it('keys carry the instance and the start, so a moved instance has new keys', () => {
    const original = occ('2026-12-10T12:00:00Z', { recurrenceId: '2026-12-10T12:00:00.000Z' });
    const moved = occ('2026-12-11T15:00:00Z', { recurrenceId: '2026-12-10T12:00:00.000Z' });
    assert.equal(
      reminderKey('int-1', original, 24),
      'int-1:evt-1@google.com:2026-12-10T12:00:00.000Z:2026-12-10T12:00:00.000Z:24h',
    );
    assert.equal(
      reminderKey('int-1', moved, 24),
      'int-1:evt-1@google.com:2026-12-10T12:00:00.000Z:2026-12-11T15:00:00.000Z:24h',
    );
    assert.equal(
      reminderKey('int-1', occ('2026-12-10T12:00:00Z'), 168),
      'int-1:evt-1@google.com:2026-12-10T12:00:00.000Z:2026-12-10T12:00:00.000Z:168h',
    );
  });
});
