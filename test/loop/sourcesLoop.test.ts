/**
 * The real pollers driven by the real loop (no replaced pollers): Supabase schema monitoring of
 * "the user's project" (a scratch PostgreSQL database) and an ICS calendar feed served over
 * loopback, each through to stored events and suggestions, observed through the API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { insertIntegration } from '../../src/db/queries/integrations.js';
import { IcsServer } from '../fakes/icsServer.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createScratchDatabase, describeEachEngine, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';

const NO_POSTGRES = 'PostgreSQL not reachable at TEST_DATABASE_URL: schema monitoring needs a real user database';

type Api = TestApp['call'];
interface EventItem {
  id: string;
  event_type: string;
  user_id: string;
  // biome-ignore lint/suspicious/noExplicitAny: the payload is read field by field
  event_data: Record<string, any>;
  suggestion_id: string | null;
  status: string;
}
interface SuggestionItem {
  id: string;
  eventId: string;
  eventType: string;
  title: string;
  body: string;
}

async function events(call: Api, key: string, query: string): Promise<EventItem[]> {
  const r = await call('GET', `/api/events?limit=200&${query}`, { key });
  assert.equal(r.status, 200, r.text);
  return r.body.items as EventItem[];
}

async function integration(call: Api, key: string, id: string) {
  const r = await call('GET', '/api/integrations', { key });
  return (
    r.body.items as Array<{
      id: string;
      status: string;
      health: { lastPollAt: string | null; lastPollError: string | null; pollFailures: number };
    }>
  ).find((i) => i.id === id)!;
}

async function suggestionOf(call: Api, key: string, eventId: string, what: string): Promise<SuggestionItem> {
  return waitFor(
    async () => {
      const r = await call('GET', '/api/suggestions?limit=100', { key });
      return (r.body.items as SuggestionItem[]).find((s) => s.eventId === eventId);
    },
    what,
    15_000,
  );
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An ICS feed with one event starting `inHours` from now (UTC times, CRLF lines). */
function feedWithEventIn(inHours: number, uid: string, summary: string): string {
  const fmt = (d: Date) =>
    d
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000 + inHours * 3_600_000);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Lookout tests//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTAMP:${fmt(new Date())}`,
    `DTSTART:${fmt(start)}`,
    `DTEND:${fmt(new Date(start.getTime() + 3_600_000))}`,
    `SUMMARY:${summary}`,
    'STATUS:CONFIRMED',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

describe('supabase schema polling through the loop', { skip: POSTGRES_AVAILABLE ? false : NO_POSTGRES }, () => {
  describeEachEngine('supabase schema polling through the loop', (fx) => {
    let userDb: { url: string; drop: () => Promise<void> };
    let client: pg.Client;

    before(async () => {
      userDb = await createScratchDatabase('lookout_userproj');
      client = new pg.Client({ connectionString: userDb.url });
      await client.connect();
      // The project as it already is when connected: the baseline, never announced.
      await client.query(`
        create table public.customers (id bigint generated always as identity primary key, email text not null);
        create schema supabase_migrations;
        create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
        insert into supabase_migrations.schema_migrations (version, name) values ('20250101000000', 'init');
      `);
    });
    after(async () => {
      await client?.end();
      await userDb?.drop();
    });

    test(
      'a loopback database URL is refused without LOOKOUT_ALLOW_PRIVATE_URLS, at once ' + 'and at poll time',
      async () => {
        const app = await startTestApp(fx.db, { LOOKOUT_POLL_INTERVAL_S: '1' }, { role: 'all' });
        try {
          const user = await app.createUser();
          const refused = await app.call('POST', '/api/integrations', {
            key: user.apiKey,
            body: { kind: 'supabase', dbUrl: userDb.url },
          });
          assert.equal(refused.status, 400, refused.text);
          assert.equal(refused.body.error.code, 'url_not_allowed');
          assert.match(refused.body.error.message, /127\.0\.0\.1 is a loopback address/);
          assert.match(refused.body.error.message, /LOOKOUT_ALLOW_PRIVATE_URLS/);
          assert.ok(!refused.text.includes(userDb.url), 'the database URL is not echoed back');
          assert.deepEqual((await app.call('GET', '/api/integrations', { key: user.apiKey })).body.items, []);

          // One stored before that check existed is refused by the poll, with a clear error.
          const row = await insertIntegration(fx.db, {
            userId: user.id,
            kind: 'supabase',
            config: { monitorsSchema: true },
            credentials: app.lookout.ctx.secrets.sealJson({ dbUrl: userDb.url }),
          });
          app.lookout.ctx.loop.wake();
          const health = await waitFor(
            async () => {
              const i = await integration(app.call, user.apiKey, row.id);
              return i.health.lastPollError ? i.health : undefined;
            },
            'the refused poll',
            10_000,
          );
          assert.match(health.lastPollError!, /127\.0\.0\.1/);
          assert.match(health.lastPollError!, /loopback|private/i);
          assert.match(health.lastPollError!, /LOOKOUT_ALLOW_PRIVATE_URLS/);
          assert.ok(health.pollFailures >= 1);
          assert.deepEqual(await events(app.call, user.apiKey, 'source=supabase'), []);
          assert.equal((await app.call('DELETE', `/api/integrations/${row.id}`, { key: user.apiKey })).status, 204);
        } finally {
          await app.close();
        }
      },
    );

    test('CREATE TABLE, ADD COLUMN and a pending migration become events once, and suggestions', async () => {
      const migrations = mkdtempSync(join(tmpdir(), 'lookout-migrations-'));
      writeFileSync(
        join(migrations, '20250101000000_init.sql'),
        'create table public.customers (id bigint primary key, email text not null);\n',
      );
      // The project's folder lies under the root the operator allows users' folders in.
      const app = await startTestApp(
        fx.db,
        { LOOKOUT_POLL_INTERVAL_S: '1', LOOKOUT_ALLOW_PRIVATE_URLS: 'true', LOOKOUT_MIGRATIONS_ROOT: migrations },
        { role: 'all', worker: { backstopMs: 100 } },
      );
      try {
        const user = await app.createUser();
        await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { flow: { batchWindowSeconds: 0 } } });
        const created = await app.call('POST', '/api/integrations', {
          key: user.apiKey,
          body: { kind: 'supabase', dbUrl: userDb.url, migrationsDir: migrations },
        });
        assert.equal(created.status, 201, created.text);
        assert.match(created.body.webhookSecret, /^whsec_/);
        const id = created.body.id as string;

        // The baseline poll: no error, nothing announced about the existing table or the applied migration.
        await waitFor(
          async () => (await integration(app.call, user.apiKey, id)).health.lastPollAt !== null,
          'the baseline poll',
          10_000,
        );
        const afterBaseline = await integration(app.call, user.apiKey, id);
        assert.equal(afterBaseline.health.lastPollError, null);
        assert.deepEqual(
          await events(app.call, user.apiKey, 'source=supabase'),
          [],
          'the existing project is not news',
        );

        await client.query(`
          create table public.launch_waitlist (
            id bigint generated always as identity primary key,
            email text not null,
            customer_id bigint references public.customers(id),
            created_at timestamptz not null default now()
          )`);
        const [tableCreated] = await waitFor(
          async () => {
            const list = await events(app.call, user.apiKey, 'type=supabase.table.created');
            return list.length > 0 ? list : undefined;
          },
          'supabase.table.created',
          10_000,
        );
        assert.equal(tableCreated!.user_id, user.id);
        assert.match(JSON.stringify(tableCreated!.event_data), /launch_waitlist/);
        const docs = await suggestionOf(app.call, user.apiKey, tableCreated!.id, 'the table docs suggestion');
        assert.equal(docs.eventType, 'supabase.table.created');
        assert.match(`${docs.title}\n${docs.body}`, /launch_waitlist/);
        assert.match(docs.body, /\|\s*Column\s*\|/, 'a Markdown table of columns');
        assert.match(docs.body, /comment on table/i, 'COMMENT ON statements');
        assert.match(docs.body, /customer_id/);

        await client.query('alter table public.launch_waitlist add column referral_code text');
        const [columnAdded] = await waitFor(
          async () => {
            const list = await events(app.call, user.apiKey, 'type=supabase.column.added');
            return list.length > 0 ? list : undefined;
          },
          'supabase.column.added',
          10_000,
        );
        assert.match(JSON.stringify(columnAdded!.event_data), /referral_code/);
        assert.match(JSON.stringify(columnAdded!.event_data), /launch_waitlist/);
        const columnDocs = await suggestionOf(app.call, user.apiKey, columnAdded!.id, 'the column suggestion');
        assert.match(`${columnDocs.title}\n${columnDocs.body}`, /referral_code/);

        writeFileSync(
          join(migrations, '20260301120000_add_waitlist_index.sql'),
          'create index on public.launch_waitlist (email);\n',
        );
        const [pending] = await waitFor(
          async () => {
            const list = await events(app.call, user.apiKey, 'type=supabase.migration.pending');
            return list.length > 0 ? list : undefined;
          },
          'supabase.migration.pending',
          10_000,
        );
        assert.equal(pending!.event_data.version, '20260301120000');
        assert.equal(pending!.event_data.status, 'pending');
        assert.equal(pending!.event_data.file, '20260301120000_add_waitlist_index.sql');
        await suggestionOf(app.call, user.apiKey, pending!.id, 'the pending migration suggestion');

        // Several more polls change nothing: each change was stored exactly once.
        const polledAt = (await integration(app.call, user.apiKey, id)).health.lastPollAt;
        await waitFor(
          async () => {
            const i = await integration(app.call, user.apiKey, id);
            return i.health.lastPollAt !== polledAt ? true : undefined;
          },
          'another poll',
          5_000,
        );
        const all = await events(app.call, user.apiKey, 'source=supabase');
        assert.deepEqual(all.map((e) => e.event_type).sort(), [
          'supabase.column.added',
          'supabase.migration.pending',
          'supabase.table.created',
        ]);
        const health = (await integration(app.call, user.apiKey, id)).health;
        assert.equal(health.lastPollError, null);
        assert.equal(health.pollFailures, 0);
      } finally {
        await app.close();
      }
    });
  });
});

describeEachEngine('calendar polling through the loop', (fx) => {
  let ics: IcsServer;
  let app: TestApp;

  before(async () => {
    ics = await IcsServer.start();
    app = await startTestApp(
      fx.db,
      { LOOKOUT_POLL_INTERVAL_S: '1', LOOKOUT_ALLOW_PRIVATE_URLS: 'true' },
      { role: 'all', worker: { backstopMs: 100 } },
    );
  });
  after(async () => {
    await app.close();
    await ics.close();
  });

  test(
    'an event starting in 23 h with a 24 h lead time is stored once over several polls and ' + 'gets a suggestion',
    async () => {
      const user = await app.createUser();
      const prefs = await app.call('PUT', '/api/preferences', {
        key: user.apiKey,
        body: { calendar: { leadTimesHours: [24] } },
      });
      assert.equal(prefs.status, 200, prefs.text);
      ics.setFeed('/launches.ics', feedWithEventIn(23, `launch-${fx.engine}@lookout.test`, 'Aurora Hoodie launch'));
      const created = await app.call('POST', '/api/integrations', {
        key: user.apiKey,
        body: { kind: 'calendar', icsUrl: ics.url('/launches.ics') },
      });
      assert.equal(created.status, 201, created.text);

      const [upcoming] = await waitFor(
        async () => {
          const list = await events(app.call, user.apiKey, 'type=calendar.event.upcoming');
          return list.length > 0 ? list : undefined;
        },
        'calendar.event.upcoming',
        10_000,
      );
      assert.equal(upcoming!.user_id, user.id);
      assert.equal(upcoming!.event_data.summary, 'Aurora Hoodie launch');
      assert.equal(upcoming!.event_data.leadHours, 24);

      const suggestion = await suggestionOf(app.call, user.apiKey, upcoming!.id, 'the calendar suggestion');
      assert.equal(suggestion.eventType, 'calendar.event.upcoming');
      assert.match(`${suggestion.title}\n${suggestion.body}`, /Aurora Hoodie/);

      // More polls of the same feed (conditional GETs) store nothing new.
      await waitFor(() => ics.requestsTo('/launches.ics').length >= 3, 'several polls of the feed', 10_000);
      assert.ok(
        ics.requestsTo('/launches.ics').some((r) => r.status === 304),
        'later polls are conditional',
      );
      const again = await events(app.call, user.apiKey, 'source=calendar');
      assert.deepEqual(
        again.map((e) => e.id),
        [upcoming!.id],
      );
      const i = await integration(app.call, user.apiKey, created.body.id);
      assert.equal(i.health.lastPollError, null);
    },
  );

  test("the user's calendar lead times apply to a feed connected without its own", async () => {
    const user = await app.createUser();
    // Only an hour ahead: an event 23 h away is not due yet.
    await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { calendar: { leadTimesHours: [1] } } });
    ics.setFeed('/later.ics', feedWithEventIn(23, `later-${fx.engine}@lookout.test`, 'Team sync'));
    const created = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'calendar', icsUrl: ics.url('/later.ics') },
    });
    assert.equal(created.status, 201);
    await waitFor(() => ics.requestsTo('/later.ics').length >= 3, 'several polls of the feed', 10_000);
    await pause(300);
    assert.deepEqual(
      await events(app.call, user.apiKey, 'source=calendar'),
      [],
      'no reminder 23 h ahead with a 1 h lead',
    );
    const i = await integration(app.call, user.apiKey, created.body.id);
    assert.equal(i.health.lastPollError, null);
  });

  test('a loopback feed is refused without LOOKOUT_ALLOW_PRIVATE_URLS', async () => {
    const strict = await startTestApp(fx.db, { LOOKOUT_POLL_INTERVAL_S: '1' }, { role: 'web' });
    try {
      // The strict process only serves the API here; polling is the worker's, so check the poller directly.
      const { pollCalendarIntegration } = await import('../../src/loop/pollers.js');
      const user = await strict.createUser();
      ics.setFeed('/private.ics', feedWithEventIn(2, `private-${fx.engine}@lookout.test`, 'Private'));
      // Refused at once, with the guard's message...
      const refused = await strict.call('POST', '/api/integrations', {
        key: user.apiKey,
        body: { kind: 'calendar', icsUrl: ics.url('/private.ics') },
      });
      assert.equal(refused.status, 400, refused.text);
      assert.equal(refused.body.error.code, 'url_not_allowed');
      assert.match(refused.body.error.message, /loopback address; set LOOKOUT_ALLOW_PRIVATE_URLS=true/);
      // ...and a feed stored before that check existed is still refused when polled.
      const row = await insertIntegration(fx.db, {
        userId: user.id,
        kind: 'calendar',
        config: { icsUrl: ics.url('/private.ics'), leadTimesHours: null },
        credentials: null,
      });
      const ctx = strict.lookout.ctx;
      await assert.rejects(
        pollCalendarIntegration(row, { db: ctx.db, config: ctx.config, secrets: ctx.secrets }),
        /private|loopback|not allowed/i,
      );
    } finally {
      await strict.close();
    }
  });
});
