import type { Queryable } from '../../db/database.js';

/**
 * An optional event trigger in the USER's database that logs DDL as it commits, so schema events
 * can be real time (a listener on `lookout_ddl` can poll at once) and so objects the table diff
 * does not cover (views, functions, policies) are seen at all. Polling stays the safety net:
 * Supabase skips event triggers for DDL run by its platform roles, and installing one needs a
 * superuser (or Supabase's supautils-granted `postgres` role).
 *
 * Every statement is idempotent (if not exists / create or replace / drop if exists), so
 * installing twice, or over an older version, converges to this one.
 */
export const DDL_TRIGGER_STATEMENTS: readonly string[] = [
  `create schema if not exists lookout`,
  `create table if not exists lookout.ddl_log (
     id bigserial primary key,
     command_tag text not null,
     object_type text,
     schema_name text,
     object_identity text,
     occurred_at timestamptz not null default now()
   )`,
  // security definer: whoever runs the DDL may not be allowed to write lookout.ddl_log.
  // The exception handler matters: an error in an event trigger aborts the user's own DDL.
  `create or replace function lookout.record_ddl() returns event_trigger
   language plpgsql security definer set search_path = pg_catalog as $fn$
   declare
     r record;
     last_id bigint;
   begin
     begin
       if tg_event = 'sql_drop' then
         for r in select * from pg_event_trigger_dropped_objects() where original loop
           if r.schema_name is distinct from 'lookout' then
             insert into lookout.ddl_log (command_tag, object_type, schema_name, object_identity)
             values (tg_tag, r.object_type, r.schema_name, r.object_identity) returning id into last_id;
           end if;
         end loop;
       else
         for r in select * from pg_event_trigger_ddl_commands() loop
           if r.schema_name is distinct from 'lookout' then
             insert into lookout.ddl_log (command_tag, object_type, schema_name, object_identity)
             values (r.command_tag, r.object_type, r.schema_name, r.object_identity) returning id into last_id;
           end if;
         end loop;
       end if;
       if last_id is not null then
         perform pg_notify('lookout_ddl', last_id::text);
       end if;
     exception when others then
       raise warning 'lookout: could not record DDL: %', sqlerrm;
     end;
   end
   $fn$`,
  `drop event trigger if exists lookout_ddl`,
  `create event trigger lookout_ddl on ddl_command_end execute function lookout.record_ddl()`,
  // ddl_command_end does not list dropped objects; sql_drop does.
  `drop event trigger if exists lookout_ddl_drop`,
  `create event trigger lookout_ddl_drop on sql_drop execute function lookout.record_ddl()`,
];

/** Statements run one by one: PGlite's query() takes one statement, and each is idempotent. */
export async function installDdlTrigger(db: Queryable): Promise<void> {
  for (const sql of DDL_TRIGGER_STATEMENTS) await db.query(sql);
}

export async function uninstallDdlTrigger(db: Queryable): Promise<void> {
  await db.query(`drop event trigger if exists lookout_ddl`);
  await db.query(`drop event trigger if exists lookout_ddl_drop`);
  await db.query(`drop schema if exists lookout cascade`);
}

export interface DdlLogEntry {
  /** bigserial as text: the cursor for the next read. */
  id: string;
  commandTag: string;
  objectType: string | null;
  schemaName: string | null;
  objectIdentity: string | null;
  occurredAt: Date;
}

/** True when lookout.ddl_log exists (the trigger is optional). */
export async function ddlLogInstalled(db: Queryable): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>(`select to_regclass('lookout.ddl_log') is not null as present`);
  return rows[0]?.present ?? false;
}

/** Which log this is (its table's oid), or null without one: a reinstalled trigger makes a new log. */
export async function ddlLogIdentity(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ oid: string | null }>(`select to_regclass('lookout.ddl_log')::oid::text as oid`);
  return rows[0]?.oid ?? null;
}

/** True when the log's ids are all below `cursor`: the trigger was reinstalled and its log began again. */
export async function ddlLogRestarted(db: Queryable, cursor: string): Promise<boolean> {
  const { rows } = await db.query<{ restarted: boolean }>(
    `select coalesce(max(id), 0) < $1::bigint as restarted from lookout.ddl_log`,
    [cursor],
  );
  return rows[0]?.restarted ?? false;
}

/** Entries after `afterId` (null: from the start), oldest first. */
export async function readDdlLog(db: Queryable, afterId: string | null, limit = 1000): Promise<DdlLogEntry[]> {
  const { rows } = await db.query<{
    id: string;
    command_tag: string;
    object_type: string | null;
    schema_name: string | null;
    object_identity: string | null;
    occurred_at: Date;
  }>(
    `select id::text as id, command_tag, object_type, schema_name, object_identity, occurred_at
     from lookout.ddl_log where id > $1::bigint order by id limit $2::int`,
    [afterId ?? '0', limit],
  );
  return rows.map((r) => ({
    id: r.id,
    commandTag: r.command_tag,
    objectType: r.object_type,
    schemaName: r.schema_name,
    objectIdentity: r.object_identity,
    occurredAt: r.occurred_at,
  }));
}
