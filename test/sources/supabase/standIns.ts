import type pg from 'pg';
import type { Queryable } from '../../../src/db/database.js';

/** A client of one session as a Queryable (transactions stay on that session). */
export function queryable(client: pg.Client): Queryable {
  return {
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const r = await client.query(sql, params as unknown[]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
  };
}

/**
 * Stand-ins for what sends HTTP from a Supabase database, which cannot exist here (pg_net is a
 * C extension with a background worker): same names and signatures, but each call is recorded in
 * a table instead of sent. The body is built as Supabase's own trigger function builds it.
 */

/** `supabase_functions.http_request()`: the trigger function Supabase's Database Webhooks use. */
export const SUPABASE_FUNCTIONS_STAND_IN = [
  `create schema supabase_functions`,
  `create table supabase_functions.calls (
     id bigserial primary key, url text, method text, headers jsonb, params jsonb, timeout_ms integer, body jsonb)`,
  `create function supabase_functions.http_request() returns trigger language plpgsql as $fn$
   declare
     payload jsonb;
     url text := tg_argv[0]::text;
     method text := tg_argv[1]::text;
     headers jsonb := coalesce(nullif(tg_argv[2], 'null'), '{"Content-Type": "application/json"}')::jsonb;
     params jsonb := coalesce(nullif(tg_argv[3], 'null'), '{}')::jsonb;
     timeout_ms integer := coalesce(nullif(tg_argv[4], 'null'), '1000')::integer;
   begin
     if url is null or url = 'null' then raise exception 'url argument is missing'; end if;
     if method <> 'POST' then raise exception 'method argument % is invalid', method; end if;
     payload = jsonb_build_object('old_record', OLD, 'record', NEW, 'type', TG_OP, 'table', TG_TABLE_NAME,
       'schema', TG_TABLE_SCHEMA);
     insert into supabase_functions.calls (url, method, headers, params, timeout_ms, body)
     values (url, method, headers, params, timeout_ms, payload);
     return NEW;
   end
   $fn$`,
];

/** pg_net's `net.http_post(url, body, params, headers, timeout_milliseconds) returns bigint`. */
export const PG_NET_STAND_IN = [
  `create schema net`,
  `create table net.calls (
     id bigserial primary key, url text, body jsonb, params jsonb, headers jsonb, timeout_milliseconds integer)`,
  `create function net.http_post(
     url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
     headers jsonb default '{"Content-Type": "application/json"}'::jsonb, timeout_milliseconds integer default 5000)
   returns bigint language plpgsql as $fn$
   declare id bigint;
   begin
     insert into net.calls (url, body, params, headers, timeout_milliseconds)
     values (url, body, params, headers, timeout_milliseconds) returning calls.id into id;
     return id;
   end
   $fn$`,
];

export async function run(db: Queryable, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await db.query(sql);
}

/**
 * Everything a user could notice in their database's catalog: schemas, relations, functions,
 * triggers (with definitions) and event triggers, as sorted text.
 */
export async function catalogSnapshot(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ item: string }>(
    `select 'schema ' || nspname as item from pg_namespace where nspname not like 'pg\\_%'
     union all
     select 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
     union all
     select 'function ' || p.oid::regprocedure::text || ' ' || md5(p.prosrc)
       from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname not in ('pg_catalog', 'information_schema')
     union all
     select 'trigger ' || pg_get_triggerdef(t.oid) from pg_trigger t where not t.tgisinternal
     union all
     select 'event trigger ' || evtname from pg_event_trigger
     order by 1`,
  );
  return rows.map((r) => r.item);
}
