/**
 * Connecting a Supabase project for real, through the API of a running Lookout: webhooks
 * installed in "the user's project" (a scratch PostgreSQL database with stand-ins for what sends
 * HTTP there), real-time schema events through the DDL trigger and a LISTEN, and user-supplied
 * URLs refused when they are given rather than when they are used.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { DdlListeners } from '../../src/sources/supabase/ddlListener.js';
import { PUBLIC_DNS, startTestApp, type TestApp } from '../helpers/app.js';
import { createScratchDatabase, describeEachEngine, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';
import {
  catalogSnapshot,
  PG_NET_STAND_IN,
  queryable,
  run,
  SUPABASE_FUNCTIONS_STAND_IN,
} from '../sources/supabase/standIns.js';

const NO_POSTGRES = 'PostgreSQL not reachable at TEST_DATABASE_URL: a user database is needed';

interface EventItem {
  event_type: string;
  // biome-ignore lint/suspicious/noExplicitAny: the payload is read field by field
  event_data: Record<string, any>;
}

describe('connecting a Supabase project', { skip: POSTGRES_AVAILABLE ? false : NO_POSTGRES }, () => {
  // A nested block: its app closes before describeEachEngine's hook closes the database.
  describeEachEngine('connecting a Supabase project', (fx) =>
    describe('with a running Lookout', () => {
      let userDb: { url: string; drop: () => Promise<void> };
      let client: pg.Client;
      let app: TestApp;
      let alice: { id: string; apiKey: string };
      let bob: { id: string; apiKey: string };
      let integrationId: string;
      const sql = (text: string) => client.query(text);

      const events = async (type: string): Promise<EventItem[]> => {
        const r = await app.call('GET', `/api/events?limit=200&type=${type}`, { key: alice.apiKey });
        assert.equal(r.status, 200, r.text);
        return r.body.items as EventItem[];
      };
      const listeners = () =>
        app.lookout.components.find((c) => c.name === 'supabase ddl listeners') as unknown as DdlListeners;

      before(async () => {
        userDb = await createScratchDatabase('lookout_userproj');
        client = new pg.Client({ connectionString: userDb.url });
        client.on('error', () => {});
        await client.connect();
        await sql(`create table public.orders (id bigint primary key, total numeric not null)`);
        // The scratch database is on loopback: private addresses are allowed for this instance. A
        // long period: only real-time signals (and creation) make polls here.
        app = await startTestApp(fx.db, { LOOKOUT_ALLOW_PRIVATE_URLS: 'true', LOOKOUT_POLL_INTERVAL_S: '3600' });
        alice = await app.createUser();
        bob = await app.createUser();
        const created = await app.call('POST', '/api/integrations', {
          key: alice.apiKey,
          body: { kind: 'supabase', dbUrl: userDb.url },
        });
        assert.equal(created.status, 201, created.text);
        integrationId = created.body.id;
        await waitFor(async () => {
          const r = await app.call('GET', `/api/integrations/${integrationId}`, { key: alice.apiKey });
          return r.body.health.lastPollAt;
        }, 'the baseline poll');
      });
      after(async () => {
        await app?.close();
        await client?.end();
        await userDb?.drop();
      });

      test('through supabase_functions: a row change reaches Lookout exactly as Supabase sends it', async () => {
        await run(queryable(client), SUPABASE_FUNCTIONS_STAND_IN);
        try {
          const tables = await app.call('GET', `/api/integrations/${integrationId}/supabase/tables`, {
            key: alice.apiKey,
          });
          assert.equal(tables.status, 200, tables.text);
          assert.deepEqual(tables.body, { tables: ['public.orders'], from: 'snapshot' });

          const installed = await app.call('POST', `/api/integrations/${integrationId}/supabase/webhooks`, {
            key: alice.apiKey,
            body: { tables: ['public.orders'] },
          });
          assert.equal(installed.status, 201, installed.text);
          assert.equal(installed.body.via, 'supabase_functions');
          assert.deepEqual(installed.body.tables, ['public.orders']);
          const hookUrl = `${app.lookout.ctx.config.publicUrl}/webhooks/supabase`;
          assert.equal(installed.body.url, hookUrl);
          assert.ok(!installed.text.includes('whsec_'), 'the secret is not echoed back');

          await sql(`insert into public.orders (id, total) values (41, 9.5)`);
          const { rows } = await client.query<{
            url: string;
            method: string;
            headers: Record<string, string>;
            body: string;
          }>(`select url, method, headers, body::text as body from supabase_functions.calls`);
          assert.equal(rows.length, 1);
          const call = rows[0]!;
          assert.equal(call.url, hookUrl);
          assert.equal(call.method, 'POST');
          assert.match(call.headers.Authorization!, /^Bearer whsec_/);
          // The call, sent as the database's HTTP worker would (to this test's port), is accepted.
          const delivered = await app.call('POST', new URL(call.url).pathname, {
            headers: call.headers,
            raw: call.body,
          });
          assert.equal(delivered.status, 200, delivered.text);
          const stored = await waitFor(async () => (await events('supabase.row.inserted'))[0], 'the stored row event');
          assert.equal(stored.event_data.record.id, 41);

          const list = await app.call('GET', `/api/integrations/${integrationId}/supabase/webhooks`, {
            key: alice.apiKey,
          });
          assert.equal(list.status, 200, list.text);
          assert.deepEqual(
            list.body.installed.map((w: { name: string; events: string[]; pointsHere: boolean }) => [
              w.name,
              w.events,
              w.pointsHere,
            ]),
            [['public.orders', ['INSERT', 'UPDATE', 'DELETE'], true]],
          );
          const view = await app.call('GET', `/api/integrations/${integrationId}`, { key: alice.apiKey });
          assert.deepEqual(view.body.webhooks.tables, ['public.orders'], 'Lookout keeps a record');
        } finally {
          await app.call('DELETE', `/api/integrations/${integrationId}/supabase/webhooks`, { key: alice.apiKey });
          await sql(`drop schema supabase_functions cascade`);
        }
      });

      test('through pg_net, and DELETE leaves the database as it was', async () => {
        await run(queryable(client), PG_NET_STAND_IN);
        try {
          const before = await catalogSnapshot(queryable(client));
          const installed = await app.call('POST', `/api/integrations/${integrationId}/supabase/webhooks`, {
            key: alice.apiKey,
            body: { tables: ['orders'], events: ['DELETE'] },
          });
          assert.equal(installed.status, 201, installed.text);
          assert.equal(installed.body.via, 'pg_net');
          await sql(`delete from public.orders`);
          const { rows } = await client.query<{ body: { type: string } }>(`select body from net.calls`);
          assert.deepEqual(
            rows.map((r) => r.body.type),
            ['DELETE'],
          );
          const removed = await app.call('DELETE', `/api/integrations/${integrationId}/supabase/webhooks`, {
            key: alice.apiKey,
          });
          assert.equal(removed.status, 200, removed.text);
          assert.deepEqual(removed.body.removed, ['public.orders']);
          assert.deepEqual(await catalogSnapshot(queryable(client)), before);
        } finally {
          await sql(`drop schema net cascade`);
        }
      });

      test('with neither: 422 with the reason and SQL that works once webhooks are enabled', async () => {
        const res = await app.call('POST', `/api/integrations/${integrationId}/supabase/webhooks`, {
          key: alice.apiKey,
          body: { tables: ['public.orders'], events: ['INSERT'] },
        });
        assert.equal(res.status, 422, res.text);
        assert.equal(res.body.error.code, 'sql_needed');
        assert.match(res.body.reason, /Database > Webhooks/);
        assert.match(res.body.sql, /create trigger lookout_webhook after insert on "public"."orders"/);
        await run(queryable(client), SUPABASE_FUNCTIONS_STAND_IN);
        try {
          await client.query(res.body.sql);
          await sql(`insert into public.orders (id, total) values (42, 1)`);
          const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from supabase_functions.calls`);
          assert.deepEqual(rows, [{ n: 1 }]);
          const list = await app.call('GET', `/api/integrations/${integrationId}/supabase/webhooks`, {
            key: alice.apiKey,
          });
          assert.equal(list.body.installed[0].pointsHere, true, 'what the user ran is what Lookout lists');
        } finally {
          await app.call('DELETE', `/api/integrations/${integrationId}/supabase/webhooks`, { key: alice.apiKey });
          await sql(`drop schema supabase_functions cascade`);
        }
      });

      test('careless input is a 400 naming the problem; nothing is run', async () => {
        const post = (body: unknown) =>
          app.call('POST', `/api/integrations/${integrationId}/supabase/webhooks`, { key: alice.apiKey, body });
        const missing = await post({ tables: ['public.orders', 'public.nope', 'public.orders; drop table x'] });
        assert.equal(missing.status, 400, missing.text);
        assert.equal(missing.body.error.code, 'invalid_table');
        assert.match(missing.body.error.message, /public\.nope: no such table/);
        for (const body of [{ tables: [] }, { tables: ['public.orders'], events: ['TRUNCATE'] }, { table: 'x' }, {}]) {
          const r = await post(body);
          assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        }
      });

      test("another user's integration is a 404, whatever the route", async () => {
        const base = `/api/integrations/${integrationId}/supabase`;
        for (const [method, path, body] of [
          ['POST', `${base}/webhooks`, { tables: ['public.orders'] }],
          ['GET', `${base}/webhooks`, undefined],
          ['DELETE', `${base}/webhooks`, undefined],
          ['GET', `${base}/tables`, undefined],
          ['POST', `${base}/ddl-trigger`, undefined],
          ['GET', '/api/integrations/00000000-0000-4000-8000-000000000000/supabase/webhooks', undefined],
          ['GET', '/api/integrations/not-a-uuid/supabase/tables', undefined],
        ] as const) {
          const r = await app.call(method, path, { key: bob.apiKey, ...(body ? { body } : {}) });
          assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
        }
        const anonymous = await app.call('GET', `${base}/webhooks`);
        assert.equal(anonymous.status, 401);
        const { rows } = await client.query(`select 1 from pg_trigger where tgname = 'lookout_webhook'`);
        assert.deepEqual(rows, [], 'nothing was installed for the other user');
      });

      test('real-time DDL: a schema change is an event within 5 s, also after the connection drops', async () => {
        const installed = await app.call('POST', `/api/integrations/${integrationId}/supabase/ddl-trigger`, {
          key: alice.apiKey,
        });
        assert.equal(installed.status, 201, installed.text);
        // Created at once after the install, before anything listens: news, not backlog.
        await sql(`create view public.first_view as select id from public.orders`);
        const changed = async (identity: string) =>
          (await events('supabase.schema.changed')).find((e) => e.event_data.objectIdentity === identity);
        await waitFor(() => changed('public.first_view'), 'the view created right after the install', 5_000);
        await waitFor(() => listeners().status(integrationId) === 'listening', 'the listener');

        await sql(`create view public.second_view as select total from public.orders`);
        await waitFor(() => changed('public.second_view'), 'a view created while listening', 5_000);

        const { rows } = await client.query<{ n: number }>(
          `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
         where application_name = 'lookout-ddl-listener' and datname = current_database()`,
        );
        assert.ok(rows[0]!.n >= 1, 'the listener had a connection to drop');
        await sql(`create view public.third_view as select 1 as one`);
        await waitFor(() => changed('public.third_view'), 'a view created while the listener reconnects');
        await waitFor(() => listeners().status(integrationId) === 'listening', 'the listener back');
        await sql(`create view public.fourth_view as select 2 as two`);
        await waitFor(() => changed('public.fourth_view'), 'a view created after reconnecting', 5_000);

        // Lookout's own webhook triggers are not the user's schema changes.
        await run(queryable(client), SUPABASE_FUNCTIONS_STAND_IN);
        try {
          const hooks = await app.call('POST', `/api/integrations/${integrationId}/supabase/webhooks`, {
            key: alice.apiKey,
            body: { tables: ['public.orders'] },
          });
          assert.equal(hooks.status, 201, hooks.text);
          await sql(`create view public.fifth_view as select 5 as five`);
          await waitFor(() => changed('public.fifth_view'), 'the view after the webhooks', 5_000);
          const all = await events('supabase.schema.changed');
          assert.ok(
            all.every((e) => !String(e.event_data.objectIdentity).startsWith('lookout_webhook')),
            JSON.stringify(all.map((e) => e.event_data.objectIdentity)),
          );
        } finally {
          await app.call('DELETE', `/api/integrations/${integrationId}/supabase/webhooks`, { key: alice.apiKey });
          await sql(`drop schema supabase_functions cascade`);
        }

        // Removing the integration closes its connection to the project at once.
        const removed = await app.call('DELETE', `/api/integrations/${integrationId}`, { key: alice.apiKey });
        assert.equal(removed.status, 204);
        await waitFor(async () => {
          const { rows } = await client.query(
            `select 1 from pg_stat_activity
             where application_name = 'lookout-ddl-listener' and datname = current_database()`,
          );
          return rows.length === 0 && listeners().status(integrationId) === undefined;
        }, 'the listener closed');
      });
    }),
  );
});

describeEachEngine('user-supplied URLs are refused when given', (fx) =>
  describe('with a running Lookout', () => {
    let app: TestApp;
    before(async () => {
      // Names resolve to a public address here; the literal private addresses below are refused.
      app = await startTestApp(fx.db, {}, { role: 'web', resolveHost: PUBLIC_DNS });
    });
    after(async () => {
      await app?.close();
    });

    test('integrations and channels: a URL the guard refuses is a 400 with its message, nothing stored', async () => {
      const user = await app.createUser();
      for (const body of [
        { kind: 'supabase', dbUrl: 'postgres://postgres:pw@127.0.0.1:5432/postgres' },
        { kind: 'supabase', dbUrl: 'postgres://postgres@db.example.com/postgres?host=/var/run/postgresql' },
        { kind: 'calendar', icsUrl: 'http://169.254.169.254/latest/meta-data/cal.ics' },
        { kind: 'calendar', icsUrl: 'webcal://10.0.0.8/team.ics' },
      ]) {
        const r = await app.call('POST', '/api/integrations', { key: user.apiKey, body });
        assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
        assert.equal(r.body.error.code, 'url_not_allowed');
        assert.match(r.body.error.message, /LOOKOUT_ALLOW_PRIVATE_URLS/);
      }
      assert.deepEqual((await app.call('GET', '/api/integrations', { key: user.apiKey })).body.items, []);

      for (const channels of [
        { slack: { webhookUrl: 'http://127.0.0.1:9/services/x' } },
        { webhook: { url: 'http://[::1]:8080/hook' } },
        { webhook: { url: 'http://192.168.1.20/hook' } },
      ]) {
        const r = await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { channels } });
        assert.equal(r.status, 400, `${JSON.stringify(channels)}: ${r.text}`);
        assert.equal(r.body.error.code, 'url_not_allowed');
      }
      const prefs = await app.call('GET', '/api/preferences', { key: user.apiKey });
      assert.equal(prefs.body.channels.slack, undefined);
      assert.equal(prefs.body.channels.webhook, undefined);

      // The same through a name that resolves to a public address: accepted.
      const ok = await app.call('POST', '/api/integrations', {
        key: user.apiKey,
        body: { kind: 'calendar', icsUrl: 'https://calendar.example.com/team.ics' },
      });
      assert.equal(ok.status, 201, ok.text);
    });
  }),
);
