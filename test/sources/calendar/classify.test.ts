import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CalendarOccurrence,
  type CatalogEntry,
  classifyOccurrence,
  linkToCatalog,
} from '../../../src/sources/calendar/index.js';

function occurrence(summary: string, extra: Partial<CalendarOccurrence> = {}): CalendarOccurrence {
  return {
    uid: 'u1',
    recurrenceId: null,
    start: new Date('2026-12-01T10:00:00Z'),
    end: new Date('2026-12-01T11:00:00Z'),
    allDay: false,
    summary,
    description: null,
    location: null,
    url: null,
    sequence: 0,
    timezone: 'UTC',
    attendees: [],
    organizer: null,
    ...extra,
  };
}

describe('classifyOccurrence', () => {
  for (const summary of [
    'Aurora Hoodie launch',
    'LAUNCH DAY',
    'Winter drop',
    'v2 release',
    'Store goes live',
    'Go-live: new site',
    'Sale starts',
    'Pre-order opens',
    'Lanzamiento gorra',
    'Estreno de la colección',
    'Inicio de ventas',
    'Preventa socios',
  ]) {
    it(`"${summary}" is a launch`, () => assert.equal(classifyOccurrence(occurrence(summary)), 'launch'));
  }
  for (const summary of [
    'Weekly marketing sync',
    'Call with supplier',
    '1:1 Marta / Sam',
    'Design review',
    'Daily standup',
    'Reunión diaria',
    'Llamada con proveedor',
    'Launch review meeting',
  ]) {
    it(`"${summary}" is a meeting`, () => assert.equal(classifyOccurrence(occurrence(summary)), 'meeting'));
  }

  it('people on the invite make a meeting; an organizer alone on an all-day entry does not', () => {
    assert.equal(classifyOccurrence(occurrence('Coffee', { attendees: ['a@example.com'] })), 'meeting');
    assert.equal(classifyOccurrence(occurrence('Coffee', { organizer: 'a@example.com' })), 'meeting');
    assert.equal(classifyOccurrence(occurrence('Holiday', { organizer: 'me@example.com', allDay: true })), 'event');
  });

  it('the description decides only when the summary and the invite say nothing', () => {
    assert.equal(
      classifyOccurrence(occurrence('Big day', { description: 'The new collection drops at noon' })),
      'launch',
    );
    assert.equal(classifyOccurrence(occurrence('Aurora', { description: 'Agenda for the call' })), 'meeting');
    assert.equal(classifyOccurrence(occurrence('Dentist')), 'event');
  });

  it('matches whole words only', () => {
    assert.equal(classifyOccurrence(occurrence('Dropbox cleanup')), 'event');
    assert.equal(classifyOccurrence(occurrence('Recall stock count')), 'event');
  });
});

describe('linkToCatalog', () => {
  const catalog: CatalogEntry[] = [
    { id: 'c1', title: 'Aurora', handle: 'aurora', kind: 'collection' },
    { id: 'p1', title: 'Aurora Hoodie', handle: 'aurora-hoodie', kind: 'product' },
    { id: 'p2', title: 'Tee', handle: 'tee', kind: 'product' },
    { id: 'p3', title: 'Crème Tote', handle: 'creme-tote', kind: 'product' },
    { id: 'p4', title: 'X', handle: 'x', kind: 'product' },
  ];

  it('prefers the longest name', () => {
    assert.equal(linkToCatalog(occurrence('aurora hoodie launch'), catalog)?.id, 'p1');
    assert.equal(linkToCatalog(occurrence('Aurora collection drop'), catalog)?.id, 'c1');
  });

  it('matches handles, case and accents aside, on word boundaries', () => {
    assert.equal(linkToCatalog(occurrence('Launch: AURORA-HOODIE'), catalog)?.id, 'p1');
    assert.equal(linkToCatalog(occurrence('Lanzamiento Creme Tote'), catalog)?.title, 'Crème Tote');
    assert.equal(linkToCatalog(occurrence('Teenage drop'), catalog), null);
    assert.equal(linkToCatalog(occurrence('X launch'), catalog), null, 'names under three letters are ignored');
  });

  it('looks in the description too, but the summary wins at equal length', () => {
    assert.equal(linkToCatalog(occurrence('Launch', { description: 'Push the Tee on socials' }), catalog)?.id, 'p2');
    const both: CatalogEntry[] = [
      { id: 'a', title: 'Sunset', handle: 'sunset', kind: 'product' },
      { id: 'b', title: 'Sunrise', handle: 'sunrise', kind: 'product' },
    ];
    assert.equal(linkToCatalog(occurrence('Sunrise drop', { description: 'after Sunset sold out' }), both)?.id, 'b');
  });

  it('returns null for an empty catalog', () => {
    assert.equal(linkToCatalog(occurrence('Aurora Hoodie launch'), []), null);
  });
});
