import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CalendarPollState,
  type CatalogEntry,
  type PollCalendarOptions,
  pollCalendar,
  readCalendarPollState,
} from '../../../src/sources/calendar/index.js';
import { IcsServer } from '../../fakes/icsServer.js';
import { at, DedupeStore, dataOf, fixtureText, HOUR } from './support.js';

const SCOPE = 'int-7f3c';
const LEADS = [168, 24];

const CATALOG: CatalogEntry[] = [
  { id: 'gid://shopify/Collection/4412', title: 'Aurora', handle: 'aurora', kind: 'collection' },
  { id: 'gid://shopify/Product/9007199254740993', title: 'Aurora Hoodie', handle: 'aurora-hoodie', kind: 'product' },
  { id: 'gid://shopify/Product/9007199254740995', title: 'Hoodie', handle: 'hoodie', kind: 'product' },
  { id: 'gid://shopify/Product/9007199254740997', title: 'Gorra Nebulosa', handle: 'gorra-nebulosa', kind: 'product' },
];

describe('pollCalendar', () => {
  let server: IcsServer;
  before(async () => {
    server = await IcsServer.start();
  });
  after(() => server.close());

  const feed = (path: string) => ({ url: server.url(path), allowPrivate: true });
  const opts = (now: string, extra: Partial<PollCalendarOptions> = {}): PollCalendarOptions => ({
    leadTimesHours: LEADS,
    scope: SCOPE,
    now: at(now),
    ...extra,
  });

  it(
    'reminds of each instance of a weekly meeting once per lead, skipping the EXDATE, over three weeks ' +
      'of hourly polls',
    async () => {
      server.setFeed('/weekly.ics', fixtureText('weekly-meeting.ics'));
      const store = new DedupeStore();
      let state: CalendarPollState = {};
      const fetched = { full: 0, not_modified: 0 };
      let repeats = 0;
      for (let t = at('2026-10-19T12:00:00Z').getTime(); t <= at('2026-11-12T00:00:00Z').getTime(); t += HOUR) {
        const res = await pollCalendar(feed('/weekly.ics'), state, {
          leadTimesHours: LEADS,
          scope: SCOPE,
          now: new Date(t),
        });
        // The loop persists state as JSON: round-trip it the same way.
        state = readCalendarPollState(JSON.parse(JSON.stringify(res.state)));
        fetched[res.fetched]++;
        const fresh = store.add(res.events);
        repeats += res.events.length - fresh.length;
        for (const e of fresh) assert.ok(e.eventTimestamp.getTime() <= t, 'a reminder is emitted only once due');
      }
      const got = store.stored.map((e) => {
        const d = dataOf(e);
        return [d.start, d.leadHours, e.eventTimestamp.toISOString()];
      });
      assert.deepEqual(got, [
        // Polling began 20 hours before the first meeting: its 7-day reminder is moot, only the 1-day one is sent.
        ['2026-10-20T08:00:00.000Z', 24, '2026-10-19T08:00:00.000Z'],
        ['2026-10-27T09:00:00.000Z', 168, '2026-10-20T09:00:00.000Z'],
        ['2026-10-27T09:00:00.000Z', 24, '2026-10-26T09:00:00.000Z'],
        // 3 November is an EXDATE: nothing.
        ['2026-11-10T09:00:00.000Z', 168, '2026-11-03T09:00:00.000Z'],
        ['2026-11-10T09:00:00.000Z', 24, '2026-11-09T09:00:00.000Z'],
        ['2026-11-17T09:00:00.000Z', 168, '2026-11-10T09:00:00.000Z'],
      ]);
      assert.ok(repeats > 100, 'later polls saw the same reminders again and storage ignored them');
      assert.deepEqual(
        store.keys.has(
          `${SCOPE}:4k2j9v8q7p6o5n4m3l2k1j0h9g@google.com:2026-10-27T09:00:00.000Z:2026-10-27T09:00:00.000Z:168h`,
        ),
        true,
      );
      const first = dataOf(store.stored[0]!);
      assert.equal(first.kind, 'meeting');
      assert.equal(first.timezone, 'Europe/Paris');
      assert.equal(first.startLocal, '2026-10-20T10:00');
      assert.equal(first.linked, undefined);
      // An unchanged feed is downloaded in full only when the kept expansion no longer reaches far enough.
      assert.ok(fetched.full <= 5, `full fetches: ${fetched.full}`);
      assert.ok(fetched.not_modified > 500);
    },
  );

  it('a second poll at the same moment adds nothing once the first is stored', async () => {
    server.setFeed('/same.ics', fixtureText('weekly-meeting.ics'));
    const store = new DedupeStore();
    const first = await pollCalendar(feed('/same.ics'), {}, opts('2026-10-26T10:00:00Z'));
    assert.equal(store.add(first.events).length, 1);
    const second = await pollCalendar(feed('/same.ics'), first.state, opts('2026-10-26T10:00:00Z'));
    assert.equal(second.fetched, 'not_modified');
    assert.deepEqual(
      second.events.map((e) => e.dedupeKey),
      first.events.map((e) => e.dedupeKey),
    );
    assert.equal(store.add(second.events).length, 0);
  });

  it(
    'reminds of an all-day launch in Tokyo 7 days and 1 day before midnight JST, linked to the ' + 'product it names',
    async () => {
      server.setFeed('/launches.ics', fixtureText('launch-tokyo.ics'));
      const store = new DedupeStore();
      const launchOnly = (now: string) =>
        pollCalendar(feed('/launches.ics'), {}, opts(now, { catalog: CATALOG })).then((r) =>
          store.add(r.events).filter((e) => dataOf(e).summary === 'Aurora Hoodie launch'),
        );

      assert.deepEqual(await launchOnly('2026-11-23T14:59:00Z'), []);
      const week = await launchOnly('2026-11-23T15:00:00Z');
      assert.equal(week.length, 1);
      assert.equal(week[0]!.eventTimestamp.toISOString(), '2026-11-23T15:00:00.000Z');
      assert.deepEqual(await launchOnly('2026-11-28T09:00:00Z'), []);
      const day = await launchOnly('2026-11-29T15:00:00Z');
      assert.equal(day.length, 1);
      assert.equal(day[0]!.eventTimestamp.toISOString(), '2026-11-29T15:00:00.000Z');
      assert.deepEqual(await launchOnly('2026-11-30T14:00:00Z'), []);

      const data = dataOf(day[0]!);
      assert.equal(day[0]!.eventType, 'calendar.event.upcoming');
      assert.deepEqual(
        {
          start: data.start,
          end: data.end,
          allDay: data.allDay,
          timezone: data.timezone,
          startLocal: data.startLocal,
          leadHours: data.leadHours,
          kind: data.kind,
        },
        {
          start: '2026-11-30T15:00:00.000Z',
          end: '2026-12-01T15:00:00.000Z',
          allDay: true,
          timezone: 'Asia/Tokyo',
          startLocal: '2026-12-01',
          leadHours: 24,
          kind: 'launch',
        },
      );
      // "Aurora Hoodie" beats the "Aurora" collection and the "Hoodie" product: the longest name wins.
      assert.deepEqual(data.linked, {
        kind: 'product',
        id: 'gid://shopify/Product/9007199254740993',
        title: 'Aurora Hoodie',
        handle: 'aurora-hoodie',
      });
    },
  );

  it('links a Spanish launch by handle, and leaves a plain event unlinked', async () => {
    server.setFeed('/launches-es.ics', fixtureText('launch-tokyo.ics'));
    const res = await pollCalendar(feed('/launches-es.ics'), {}, opts('2026-12-01T16:00:00Z', { catalog: CATALOG }));
    const byTitle = new Map(res.events.map((e) => [dataOf(e).summary, dataOf(e)]));
    const gorra = byTitle.get('Lanzamiento: gorra-nebulosa');
    assert.equal(gorra?.kind, 'launch');
    assert.equal(gorra?.linked?.title, 'Gorra Nebulosa');
    const dentist = byTitle.get('Dentist');
    assert.equal(dentist?.kind, 'event');
    assert.equal(dentist?.linked, undefined);
  });

  it('reminds of a moved instance at its new time and never at the old one', async () => {
    server.setFeed('/moved.ics', fixtureText('moved-v2.ics'));
    const series = (events: Awaited<ReturnType<typeof pollCalendar>>['events']) =>
      events.map(dataOf).filter((d) => d.uid.startsWith('9f8e7d'));

    // 24 hours before the ORIGINAL time (19 Nov 20:00Z): a fresh poll knows only the new time.
    const atOldDue = series((await pollCalendar(feed('/moved.ics'), {}, opts('2026-11-18T20:00:00Z'))).events);
    assert.deepEqual(
      atOldDue.map((d) => [d.start, d.recurrenceId, d.leadHours]),
      [
        // The 7-day reminder of the new time (20 Nov 21:00Z) is what is due now.
        ['2026-11-20T21:00:00.000Z', '2026-11-19T20:00:00.000Z', 168],
        // The 3 December instance moved to 24 November: its week-ahead reminder.
        ['2026-11-24T16:00:00.000Z', '2026-12-03T20:00:00.000Z', 168],
        // (26 November's week-ahead reminder falls due tomorrow.)
      ],
    );
    const atNewDue = series((await pollCalendar(feed('/moved.ics'), {}, opts('2026-11-19T21:00:00Z'))).events);
    assert.deepEqual(
      atNewDue.filter((d) => d.leadHours === 24).map((d) => d.start),
      ['2026-11-20T21:00:00.000Z'],
    );
    assert.ok(atNewDue.every((d) => d.start !== '2026-11-19T20:00:00.000Z'));
  });

  it('gives new reminders when a single event moves (higher SEQUENCE); the old reminder stays stored', async () => {
    server.setFeed('/release.ics', fixtureText('moved-v1.ics'));
    const store = new DedupeStore();
    const release = (events: Awaited<ReturnType<typeof pollCalendar>>['events']) =>
      events.filter((e) => dataOf(e).summary === 'Winter catalogue release');
    let state: CalendarPollState = {};
    const v1 = await pollCalendar(feed('/release.ics'), state, opts('2026-12-04T12:00:00Z'));
    state = v1.state;
    const oldKeys = store.add(release(v1.events)).map((e) => e.dedupeKey);
    assert.deepEqual(oldKeys, [
      `${SCOPE}:5c4b3a291807f6e5d4c3b2a190@google.com:2026-12-10T17:00:00.000Z:2026-12-10T17:00:00.000Z:168h`,
    ]);

    server.setFeed('/release.ics', fixtureText('moved-v2.ics'));
    const v2 = await pollCalendar(feed('/release.ics'), state, opts('2026-12-05T18:00:00Z'));
    assert.equal(v2.fetched, 'full', 'the changed feed has a new ETag');
    const fresh = store.add(release(v2.events));
    assert.deepEqual(
      fresh.map((e) => [dataOf(e).start, dataOf(e).leadHours]),
      [['2026-12-12T17:00:00.000Z', 168]],
    );
    assert.ok(
      release(v2.events).every((e) => dataOf(e).start === '2026-12-12T17:00:00.000Z'),
      'nothing about the old time',
    );
    assert.ok(store.keys.has(oldKeys[0]!), 'what was sent for the old time remains');
  });

  it('gives nothing for a cancelled event or a cancelled instance of a series', async () => {
    server.setFeed('/cancelled.ics', fixtureText('cancelled.ics'));
    // A day before the cancelled launch and before the cancelled 19 November stand-up.
    const launchDay = await pollCalendar(feed('/cancelled.ics'), {}, opts('2026-11-24T18:00:00Z'));
    assert.ok(launchDay.events.every((e) => dataOf(e).summary !== 'Flash sale launch'));
    const cancelledInstance = await pollCalendar(
      feed('/cancelled.ics'),
      {},
      opts('2026-11-18T08:30:00Z', { leadTimesHours: [24] }),
    );
    assert.deepEqual(
      cancelledInstance.events.map((e) => dataOf(e).start),
      [],
    );
    const nextDay = await pollCalendar(
      feed('/cancelled.ics'),
      {},
      opts('2026-11-19T08:30:00Z', { leadTimesHours: [24] }),
    );
    assert.deepEqual(
      nextDay.events.map((e) => [dataOf(e).start, dataOf(e).kind]),
      [['2026-11-20T08:30:00.000Z', 'meeting']],
    );
  });

  it('starts afresh when the feed URL changes, and ignores unreadable state', async () => {
    server.setFeed('/a.ics', fixtureText('weekly-meeting.ics'));
    server.setFeed('/b.ics', fixtureText('weekly-meeting.ics'));
    const a = await pollCalendar(feed('/a.ics'), {}, opts('2026-10-26T10:00:00Z'));
    const b = await pollCalendar(feed('/b.ics'), a.state, opts('2026-10-26T10:00:00Z'));
    assert.equal(b.fetched, 'full');
    assert.equal(server.requestsTo('/b.ics')[0]?.ifNoneMatch, undefined);
    assert.deepEqual(readCalendarPollState({ occurrences: 'nope' }), {});
    assert.deepEqual(readCalendarPollState(null), {});
  });
});
