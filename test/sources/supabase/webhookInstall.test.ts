import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, it } from 'node:test';
import pg from 'pg';
import type { Queryable } from '../../../src/db/database.js';
import { parseSupabaseWebhook } from '../../../src/sources/supabase/webhookBody.js';
import {
  installWebhooks,
  listWebhooks,
  parseTableName,
  removeWebhooks,
  WebhookSqlNeededError,
  WebhookTableError,
} from '../../../src/sources/supabase/webhookInstall.js';
import { catalogSnapshot, PG_NET_STAND_IN, queryable, run, SUPABASE_FUNCTIONS_STAND_IN } from './standIns.js';
import { describeOnUserDatabases } from './userDatabase.js';

const TARGET = { url: 'https://lookout.example.com/webhooks/supabase', secret: "whsec_abc+/='\\x" };
const ALL = ['INSERT', 'UPDATE', 'DELETE'] as const;

describeOnUserDatabases(
  'Database Webhooks installed by Lookout',
  (ud) => {
    let client: pg.Client;
    let db: Queryable;
    let pristine: string[];

    before(async () => {
      // One session of its own: installing is a transaction over several statements.
      client = new pg.Client({ connectionString: ud.url });
      client.on('error', () => {});
      await client.connect();
      db = queryable(client);
      await db.query(`create table public.orders (id bigint primary key, total numeric not null, note text)`);
      await db.query(`create table public."Odd ""Name"" ; drop table public.orders; --" (id int primary key)`);
      await db.query(`create view public.order_totals as select sum(total) as total from public.orders`);
      pristine = await catalogSnapshot(db);
    });
    afterEach(async () => {
      await db.query(`drop schema if exists supabase_functions cascade`);
      await db.query(`drop schema if exists net cascade`);
      await removeWebhooks(db);
      await db.query(`truncate public.orders`);
    });
    after(async () => {
      await client?.end();
    });

    it('through supabase_functions.http_request: a row change makes exactly the call Supabase would', async () => {
      await run(db, SUPABASE_FUNCTIONS_STAND_IN);
      const result = await installWebhooks(db, ['public.orders'], ALL, TARGET);
      assert.equal(result.via, 'supabase_functions');
      assert.deepEqual(
        result.installed.map((w) => [w.name, w.via, w.events, w.url]),
        [['public.orders', 'supabase_functions', ['INSERT', 'UPDATE', 'DELETE'], TARGET.url]],
      );

      await db.query(`insert into public.orders (id, total, note) values (9007199254740993, 12.50, 'it''s')`);
      await db.query(`update public.orders set total = 13 where id = 9007199254740993`);
      await db.query(`delete from public.orders`);
      const { rows } = await db.query<{
        url: string;
        method: string;
        headers: Record<string, string>;
        params: unknown;
        timeout_ms: number;
        body: string;
      }>(
        `select url, method, headers, params, timeout_ms, body::text as body from supabase_functions.calls order by id`,
      );
      assert.equal(rows.length, 3);
      for (const call of rows) {
        assert.equal(call.url, TARGET.url);
        assert.equal(call.method, 'POST');
        assert.deepEqual(call.headers, {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${TARGET.secret}`,
        });
        assert.deepEqual(call.params, {});
        assert.equal(call.timeout_ms, 5000);
      }
      // JSON.parse would round the bigint id: it is checked in the raw text below.
      const bodies = rows.map(
        (r) => JSON.parse(r.body.replace(/9007199254740993/g, '"big"')) as Record<string, unknown>,
      );
      assert.deepEqual(bodies[0], {
        type: 'INSERT',
        table: 'orders',
        schema: 'public',
        record: { id: 'big', total: 12.5, note: "it's" },
        old_record: null,
      });
      assert.equal(bodies[1]!.type, 'UPDATE');
      assert.deepEqual((bodies[1]!.old_record as { total: number }).total, 12.5);
      assert.deepEqual(bodies[2]!.record, null);
      // And Lookout's own parser takes each body as a Database Webhook (bigint digits kept).
      const parsed = rows.map((r) => parseSupabaseWebhook(r.body));
      assert.deepEqual(
        parsed.map((p) => (p.ok ? p.value.eventType : p.error.message)),
        ['supabase.row.inserted', 'supabase.row.updated', 'supabase.row.deleted'],
      );
      assert.match(rows[0]!.body, /9007199254740993/);
    });

    it('only the chosen events fire, and installing again replaces the webhook', async () => {
      await run(db, SUPABASE_FUNCTIONS_STAND_IN);
      await installWebhooks(db, ['orders'], ['UPDATE'], TARGET);
      await installWebhooks(db, ['public.orders'], ['INSERT'], TARGET);
      assert.deepEqual(
        (await listWebhooks(db)).map((w) => w.events),
        [['INSERT']],
      );
      await db.query(`insert into public.orders values (1, 1)`);
      await db.query(`update public.orders set total = 2`);
      const { rows } = await db.query<{ type: string }>(`select body->>'type' as type from supabase_functions.calls`);
      assert.deepEqual(
        rows.map((r) => r.type),
        ['INSERT'],
      );
    });

    it('through pg_net when supabase_functions is absent: the same body and headers', async () => {
      await run(db, PG_NET_STAND_IN);
      const result = await installWebhooks(db, ['public.orders'], ALL, TARGET);
      assert.equal(result.via, 'pg_net');
      await db.query(`insert into public.orders (id, total) values (7, 3)`);
      const { rows } = await db.query<{ url: string; body: unknown; params: unknown; headers: unknown; t: number }>(
        `select url, body, params, headers, timeout_milliseconds as t from net.calls`,
      );
      assert.deepEqual(rows, [
        {
          url: TARGET.url,
          body: {
            type: 'INSERT',
            table: 'orders',
            schema: 'public',
            record: { id: 7, total: 3, note: null },
            old_record: null,
          },
          params: {},
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TARGET.secret}` },
          t: 5000,
        },
      ]);
    });

    it('a pg_net failure does not undo the user’s write', async () => {
      await run(db, PG_NET_STAND_IN);
      await installWebhooks(db, ['public.orders'], ALL, TARGET);
      await db.query(`alter table net.calls add constraint refuse check (false) not valid`);
      await db.query(`insert into public.orders (id, total) values (8, 1)`);
      const { rows } = await db.query(`select id from public.orders where id = 8`);
      assert.equal(rows.length, 1);
    });

    it('with neither: nothing installed, and the SQL given works once webhooks are enabled', async () => {
      const before = await catalogSnapshot(db);
      const err = await installWebhooks(db, ['public.orders'], ALL, TARGET).then(
        () => assert.fail('installed without a way to send'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof WebhookSqlNeededError);
      assert.match(err.reason, /supabase_functions\.http_request/);
      assert.match(err.reason, /pg_net/);
      assert.deepEqual(await catalogSnapshot(db), before, 'nothing was installed');

      await run(db, SUPABASE_FUNCTIONS_STAND_IN);
      await client.query(err.sql);
      await db.query(`insert into public.orders (id, total) values (3, 4)`);
      const { rows } = await db.query<{ headers: unknown }>(`select headers from supabase_functions.calls`);
      assert.deepEqual(rows, [
        { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TARGET.secret}` } },
      ]);
    });

    it('table names: quoted as one identifier, checked against the catalog, never run as SQL', async () => {
      await run(db, SUPABASE_FUNCTIONS_STAND_IN);
      const odd = 'public.Odd "Name" ; drop table public.orders; --';
      const result = await installWebhooks(db, [odd], ALL, TARGET);
      assert.deepEqual(
        result.installed.map((w) => w.table),
        ['Odd "Name" ; drop table public.orders; --'],
      );
      for (const bad of [
        'public.orders; drop table public.orders',
        'public.Orders',
        'public.order_totals',
        'pg_catalog.pg_class',
        'a.b.c',
        '.orders',
      ]) {
        await assert.rejects(installWebhooks(db, [bad], ALL, TARGET), WebhookTableError, bad);
      }
      assert.throws(() => parseTableName('x.'), WebhookTableError);
      const { rows } = await db.query(`select to_regclass('public.orders') is not null as present`);
      assert.deepEqual(rows, [{ present: true }]);
    });

    it('remove takes away exactly what was installed: the catalog is as it was', async () => {
      await run(db, PG_NET_STAND_IN);
      const withStandIn = await catalogSnapshot(db);
      await installWebhooks(db, ['public.orders', 'public.Odd "Name" ; drop table public.orders; --'], ALL, TARGET);
      assert.notDeepEqual(await catalogSnapshot(db), withStandIn);
      assert.deepEqual(await removeWebhooks(db, ['public.orders']), ['public.orders']);
      assert.equal((await listWebhooks(db)).length, 1, 'the other table keeps its webhook');
      await removeWebhooks(db);
      assert.deepEqual(await catalogSnapshot(db), withStandIn);
      await db.query(`drop schema net cascade`);
      assert.deepEqual(await catalogSnapshot(db), pristine);
    });

    it("a database user who may not add triggers gets the SQL for the tables' owner", async () => {
      await run(db, SUPABASE_FUNCTIONS_STAND_IN);
      const role = `lookout_t_${randomBytes(4).toString('hex')}`;
      await db.query(`create role ${role} login`);
      await db.query(`grant usage on schema public to ${role}`);
      await db.query(`grant select on public.orders to ${role}`);
      const url = new URL(ud.url!);
      url.username = role;
      const limited = new pg.Client({ connectionString: url.toString() });
      limited.on('error', () => {});
      await limited.connect();
      try {
        const before = await catalogSnapshot(db);
        const err = await installWebhooks(queryable(limited), ['public.orders'], ALL, TARGET).then(
          () => assert.fail('installed without the right to'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof WebhookSqlNeededError, String(err));
        assert.match(err.reason, /may not add triggers/);
        assert.match(err.sql, /supabase_functions\.http_request/);
        assert.deepEqual(await catalogSnapshot(db), before);
      } finally {
        await limited.end();
        await db.query(`drop owned by ${role}`);
        await db.query(`drop role ${role}`);
      }
    });

    it('a user trigger that happens to share nothing with Lookout’s name is left alone', async () => {
      await run(db, SUPABASE_FUNCTIONS_STAND_IN);
      await db.query(
        `create trigger orders_audit after insert on public.orders for each row
         execute function supabase_functions.http_request('https://elsewhere.example', 'POST')`,
      );
      await installWebhooks(db, ['public.orders'], ALL, TARGET);
      await removeWebhooks(db);
      const { rows } = await db.query<{ tgname: string }>(
        `select tgname from pg_trigger where tgrelid = 'public.orders'::regclass and not tgisinternal`,
      );
      assert.deepEqual(
        rows.map((r) => r.tgname),
        ['orders_audit'],
      );
    });
  },
  ['postgres'],
);
