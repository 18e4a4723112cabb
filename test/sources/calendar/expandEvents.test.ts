import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandEvents, parseCalendar } from '../../../src/sources/calendar/index.js';
import { at, fixtureText, parseFixture } from './support.js';

const iso = (d: Date) => d.toISOString();

describe('expandEvents', () => {
  it('expands a weekly series in its TZID across a DST change, without the EXDATE', async () => {
    const cal = await parseFixture('weekly-meeting.ics');
    const occ = expandEvents(cal, { from: at('2026-10-15T00:00:00Z'), to: at('2026-11-20T00:00:00Z') });
    // 10:00 in Paris is 08:00Z in summer time and 09:00Z after 25 October; 3 November is excluded.
    assert.deepEqual(
      occ.map((o) => iso(o.start)),
      ['2026-10-20T08:00:00.000Z', '2026-10-27T09:00:00.000Z', '2026-11-10T09:00:00.000Z', '2026-11-17T09:00:00.000Z'],
    );
    assert.deepEqual(
      occ.map((o) => o.recurrenceId),
      occ.map((o) => iso(o.start)),
    );
    const first = occ[0]!;
    assert.equal(iso(first.end), '2026-10-20T08:30:00.000Z');
    assert.equal(first.allDay, false);
    assert.equal(first.timezone, 'Europe/Paris');
    assert.equal(first.summary, 'Weekly marketing sync');
    assert.equal(first.location, 'Google Meet');
    assert.match(
      first.description ?? '',
      /^Weekly numbers: sales, stock levels, new tables in the app\.\n- Wins of the week/,
    );
    assert.deepEqual(first.attendees, ['marta@aurora-studio.example', 'dev@aurora-studio.example']);
    assert.equal(first.organizer, 'marta@aurora-studio.example');
  });

  it('places an all-day launch at midnight of the calendar zone, whatever the host zone', async () => {
    const previous = process.env.TZ;
    const starts: string[] = [];
    const hostOffsets = new Set<number>();
    try {
      for (const hostZone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo', 'Pacific/Kiritimati']) {
        process.env.TZ = hostZone;
        hostOffsets.add(new Date(2026, 11, 1).getTimezoneOffset());
        const cal = await parseCalendar(fixtureText('launch-tokyo.ics'));
        assert.equal(cal.timezone, 'Asia/Tokyo');
        const launch = expandEvents(cal, { from: at('2026-11-20T00:00:00Z'), to: at('2026-12-10T00:00:00Z') }).find(
          (o) => o.summary === 'Aurora Hoodie launch',
        );
        assert.ok(launch, `launch found with host zone ${hostZone}`);
        assert.equal(launch.allDay, true);
        assert.equal(launch.timezone, 'Asia/Tokyo');
        assert.equal(iso(launch.end), '2026-12-01T15:00:00.000Z', hostZone);
        starts.push(iso(launch.start));
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
    assert.equal(hostOffsets.size, 4, 'the host zone really changed between runs');
    assert.deepEqual(starts, Array(4).fill('2026-11-30T15:00:00.000Z'));
  });

  it('uses the default zone for all-day events when the feed names none', async () => {
    const text = fixtureText('launch-tokyo.ics')
      .replace(/X-WR-TIMEZONE:Asia\/Tokyo\r\n/, '')
      .replace(/BEGIN:VTIMEZONE[\s\S]*?END:VTIMEZONE\r\n/, '');
    const cal = await parseCalendar(text);
    assert.equal(cal.timezone, null);
    const window = { from: at('2026-11-20T00:00:00Z'), to: at('2026-12-10T00:00:00Z') };
    const inParis = expandEvents(cal, { ...window, defaultTimezone: 'Europe/Paris' }).find((o) => o.allDay);
    assert.equal(iso(inParis!.start), '2026-11-30T23:00:00.000Z');
    const inUtc = expandEvents(cal, window).find((o) => o.allDay);
    assert.equal(iso(inUtc!.start), '2026-12-01T00:00:00.000Z');
  });

  it('shows a moved instance once, at its new time, under its original identity', async () => {
    const cal = await parseFixture('moved-v2.ics');
    const calls = expandEvents(cal, { from: at('2026-11-16T00:00:00Z'), to: at('2026-11-30T00:00:00Z') }).filter((o) =>
      o.uid.startsWith('9f8e7d'),
    );
    assert.deepEqual(
      calls.map((o) => [iso(o.start), o.recurrenceId, o.summary, o.sequence]),
      [
        ['2026-11-20T21:00:00.000Z', '2026-11-19T20:00:00.000Z', 'Supplier call', 1],
        // The 3 December instance was brought forward into this window.
        ['2026-11-24T16:00:00.000Z', '2026-12-03T20:00:00.000Z', 'Supplier call (early)', 1],
        ['2026-11-26T20:00:00.000Z', '2026-11-26T20:00:00.000Z', 'Supplier call', 0],
      ],
    );
    assert.equal(iso(calls[0]!.end), '2026-11-20T21:45:00.000Z');
    // ...and it no longer appears at its original date.
    const december = expandEvents(cal, { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-06T00:00:00Z') });
    assert.deepEqual(
      december.filter((o) => o.uid.startsWith('9f8e7d')).map((o) => iso(o.start)),
      [],
    );
  });

  it('follows a single event whose DTSTART changed with a higher SEQUENCE', async () => {
    const window = { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-31T00:00:00Z') };
    const before = expandEvents(await parseFixture('moved-v1.ics'), window).filter(
      (o) => o.summary === 'Winter catalogue release',
    );
    const afterMove = expandEvents(await parseFixture('moved-v2.ics'), window).filter(
      (o) => o.summary === 'Winter catalogue release',
    );
    assert.deepEqual(
      before.map((o) => [iso(o.start), o.sequence, o.recurrenceId]),
      [['2026-12-10T17:00:00.000Z', 0, null]],
    );
    assert.deepEqual(
      afterMove.map((o) => [iso(o.start), o.sequence, o.recurrenceId]),
      [['2026-12-12T17:00:00.000Z', 1, null]],
    );
  });

  it('drops a cancelled event and a cancelled instance of a series', async () => {
    const cal = await parseFixture('cancelled.ics');
    const occ = expandEvents(cal, { from: at('2026-11-16T00:00:00Z'), to: at('2026-11-28T00:00:00Z') });
    assert.equal(
      occ.some((o) => o.summary === 'Flash sale launch'),
      false,
    );
    assert.deepEqual(
      occ.map((o) => iso(o.start).slice(0, 10)),
      [
        '2026-11-16',
        '2026-11-17',
        '2026-11-18',
        /* 19th cancelled */ '2026-11-20',
        '2026-11-23',
        '2026-11-24',
        '2026-11-25',
        '2026-11-26',
        '2026-11-27',
      ],
    );
    assert.ok(occ.every((o) => iso(o.start).endsWith('T08:30:00.000Z')));
  });

  it('returns only occurrences starting inside the window, sorted', async () => {
    const cal = await parseFixture('launch-tokyo.ics');
    const occ = expandEvents(cal, { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-04T14:59:59Z') });
    assert.deepEqual(
      occ.map((o) => o.summary),
      ['Dentist'],
    );
    assert.equal(iso(occ[0]!.start), '2026-12-02T05:30:00.000Z');
  });
});
