/**
 * Each source computes an event's subject when it is stored (Source.subjectOf). For the sources
 * that existed before, it must be what PostgreSQL computed from the payload until migration 0013
 * (the generated column's expression, evaluated here on the same jsonb), so old and new events of
 * one object keep grouping together.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { insertEvents } from '../../src/db/queries/events.js';
import { eventSubject } from '../../src/sources/index.js';
import { topicToEventType } from '../../src/sources/shopify/topics.js';
import { describeEachEngine } from '../helpers/engines.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The expression of background_events.subject in migrations 0004 (a generated column until 0013). */
const LEGACY_SUBJECT = `coalesce(
    event_data->>'admin_graphql_api_id',
    case when event_data ? 'table' and jsonb_typeof(event_data->'table') = 'string'
         then coalesce(event_data->>'schema', 'public') || '.' || (event_data->>'table') end,
    event_data->>'uid',
    event_data->>'id'
  )`;

function shopifyFixtures(): Array<{ type: string; json: string; name: string }> {
  const dir = path.join(root, 'fixtures/shopify');
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const type = topicToEventType(path.basename(f, '.json').replace('__', '/'));
      return type ? [{ type, json: readFileSync(path.join(dir, f), 'utf8'), name: f }] : [];
    });
}

const CASES: Array<{ source: string; type: string; json: string; name: string }> = [
  ...shopifyFixtures().map((c) => ({ source: 'shopify', ...c })),
  {
    source: 'shopify',
    type: 'shopify.product.deleted',
    name: 'an id beyond 2^53 keeps its digits',
    json: '{"id": 9007199254740993123}',
  },
  {
    source: 'supabase',
    type: 'supabase.row.inserted',
    name: 'a row of public.todos',
    json: '{"type":"INSERT","table":"todos","schema":"public","record":{"id":1},"old_record":null}',
  },
  {
    source: 'supabase',
    type: 'supabase.column.added',
    name: 'a column of another schema',
    json: '{"schema":"billing","table":"invoices","column":"due_at","dedupeKey":"k"}',
  },
  {
    source: 'supabase',
    type: 'supabase.table.created',
    name: 'a table without a schema',
    json: '{"table":"orders"}',
  },
  {
    source: 'supabase',
    type: 'supabase.migration.pending',
    name: 'a migration report',
    json: '{"files":["20260301120000_create_invoices.sql"],"dir":"supabase/migrations"}',
  },
  {
    source: 'calendar',
    type: 'calendar.event.upcoming',
    name: 'a calendar entry',
    json: '{"uid":"weekly-sync@example.com","title":"Weekly ops sync","start":"2026-06-01T09:00:00Z"}',
  },
];

describeEachEngine('subjects computed by the sources', (fx) => {
  test('equal what the generated column computed, for every existing source', async () => {
    assert.ok(CASES.length > 10, 'the Shopify fixtures were found');
    for (const c of CASES) {
      const { rows } = await fx.db.query<{ subject: string | null }>(
        `select ${LEGACY_SUBJECT} as subject from (select $1::jsonb as event_data) x`,
        [c.json],
      );
      assert.equal(eventSubject(c.source, c.type, c.json), rows[0]!.subject, `${c.source}: ${c.name}`);
    }
  });

  test('are stored with the event, by the same statement', async () => {
    const { rows: users } = await fx.db.query<{ id: string }>(
      `insert into users (email) values ('subjects@example.com') returning id`,
    );
    await insertEvents(fx.db, [
      {
        userId: users[0]!.id,
        integrationId: null,
        source: 'supabase',
        eventType: 'supabase.column.added',
        eventDataJson: '{"schema":"billing","table":"invoices","column":"due_at"}',
        eventTimestamp: new Date(),
        dedupeKey: 'subject-1',
        via: 'poll',
      },
    ]);
    const { rows } = await fx.db.query<{ subject: string }>(
      'select subject from background_events where user_id = $1',
      [users[0]!.id],
    );
    assert.deepEqual(
      rows.map((r) => r.subject),
      ['billing.invoices'],
    );
  });
});

test('a source that is not listed, or a payload that is not an object, has no subject', () => {
  assert.equal(eventSubject('nobody', 'x.y', '{"id": 1}'), null);
  assert.equal(eventSubject('shopify', 'shopify.product.deleted', '[1]'), null);
  assert.equal(eventSubject('shopify', 'shopify.product.deleted', 'not json'), null);
});
