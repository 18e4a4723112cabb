import type { Queryable } from '../../db/database.js';

/**
 * Database Webhooks that Lookout installs in a user's Supabase database: one row trigger per
 * table, named `lookout_webhook`, that posts `{type, table, schema, record, old_record}` to
 * Lookout's /webhooks/supabase with the integration's bearer secret, the body Supabase's own
 * Database Webhooks send (see webhookBody.ts).
 *
 * Two ways to send, in order of preference:
 * - `supabase_functions.http_request(url, method, headers, params, timeout_ms)`: the trigger
 *   function Supabase's dashboard webhooks use (present once Database Webhooks are enabled); its
 *   arguments are the trigger's arguments, as text.
 * - pg_net's `net.http_post(url, body, params, headers, timeout_milliseconds)`, called from a
 *   small trigger function of our own in the schema `lookout_webhooks`.
 * With neither, nothing is installed: the caller gets the SQL to run once webhooks are enabled.
 *
 * Everything Lookout creates carries its name (`lookout_webhook` triggers, the `lookout_webhooks`
 * schema), so removing takes away exactly that and nothing of the user's.
 */

export const WEBHOOK_TRIGGER_NAME = 'lookout_webhook';
export const DELIVER_SCHEMA = 'lookout_webhooks';
export const WEBHOOK_EVENTS = ['INSERT', 'UPDATE', 'DELETE'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
export type DeliveryPath = 'supabase_functions' | 'pg_net';

/** Where rows go: Lookout's webhook URL and the integration's secret (sent as a bearer token). */
export interface WebhookTarget {
  url: string;
  secret: string;
  /** How long the database's HTTP worker waits for Lookout (Supabase's default is 1000 ms). */
  timeoutMs?: number;
}

export interface QualifiedTable {
  schema: string;
  table: string;
}

export interface InstalledWebhook extends QualifiedTable {
  /** `schema.table` as given to install. */
  name: string;
  via: DeliveryPath | 'other';
  events: WebhookEvent[];
  /** The URL the trigger posts to. */
  url: string | null;
}

/** Schemas whose tables are not the user's data (system catalogs, Lookout's, the HTTP extensions'). */
const NOT_USER_SCHEMAS = new Set([
  'pg_catalog',
  'information_schema',
  'pg_toast',
  'lookout',
  DELIVER_SCHEMA,
  'net',
  'supabase_functions',
]);

export class WebhookTableError extends Error {
  override readonly name = 'WebhookTableError';
}

/** Thrown when Lookout cannot install by itself; `sql` is what the user can run instead. */
export class WebhookSqlNeededError extends Error {
  override readonly name = 'WebhookSqlNeededError';
  constructor(
    readonly reason: string,
    readonly sql: string,
  ) {
    super(reason);
  }
}

/**
 * `public.orders` or `orders` (public) as schema and table, exactly as written (case matters).
 * The first dot ends the schema: a table name may hold dots, a schema name here may not.
 */
export function parseTableName(name: string): QualifiedTable {
  const dot = name.indexOf('.');
  const [schema, table] = dot === -1 ? ['public', name] : [name.slice(0, dot), name.slice(dot + 1)];
  if (!schema || !table)
    throw new WebhookTableError(`"${name}" is not a table name: write schema.table, e.g. public.orders`);
  return { schema, table };
}

/** A double-quoted identifier: whatever the name holds, it stays one name. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** An escape-string literal, the same whatever standard_conforming_strings says. */
export function quoteLiteral(text: string): string {
  return `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

const qualified = (t: QualifiedTable) => `${quoteIdent(t.schema)}.${quoteIdent(t.table)}`;
const displayName = (t: QualifiedTable) => `${t.schema}.${t.table}`;

/**
 * The tables as the catalog names them. Every name must be an ordinary or partitioned table the
 * user owns data in; what is missing or not allowed is one error naming each.
 */
export async function resolveTables(db: Queryable, names: readonly string[]): Promise<QualifiedTable[]> {
  const wanted = names.map(parseTableName);
  const problems: string[] = [];
  const found: QualifiedTable[] = [];
  for (const t of wanted) {
    if (NOT_USER_SCHEMAS.has(t.schema) || t.schema.startsWith('pg_')) {
      problems.push(`${displayName(t)}: tables in ${t.schema} are not watched`);
      continue;
    }
    const { rows } = await db.query<{ kind: string }>(
      `select c.relkind::text as kind from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = $1 and c.relname = $2`,
      [t.schema, t.table],
    );
    const kind = rows[0]?.kind;
    if (kind === undefined) problems.push(`${displayName(t)}: no such table (names are case-sensitive)`);
    else if (kind !== 'r' && kind !== 'p') problems.push(`${displayName(t)}: not a table`);
    else if (!found.some((f) => f.schema === t.schema && f.table === t.table)) found.push(t);
  }
  if (problems.length > 0) throw new WebhookTableError(problems.join('; '));
  return found;
}

/** The tables a user could watch: ordinary and partitioned tables outside the system schemas. */
export async function listUserTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ schema: string; name: string }>(
    `select n.nspname as schema, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'p') and not c.relispartition
       and n.nspname not like 'pg\\_%' and n.nspname <> all($1::text[])
     order by 1, 2`,
    [[...NOT_USER_SCHEMAS]],
  );
  return rows.map((r) => `${r.schema}.${r.name}`);
}

/** Which way this database can send HTTP requests from a trigger, if any. */
export async function detectDeliveryPath(db: Queryable): Promise<DeliveryPath | null> {
  // Read from pg_proc rather than to_regprocedure, which fails without USAGE on the schema.
  const { rows } = await db.query<{ functions: boolean; pgnet: boolean }>(
    `select
       exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
               where n.nspname = 'supabase_functions' and p.proname = 'http_request' and p.pronargs = 0
                 and p.prorettype = 'trigger'::regtype) as functions,
       exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
               where n.nspname = 'net' and p.proname = 'http_post'
                 and array_to_string(p.proargtypes::regtype[], ',') = 'text,jsonb,jsonb,jsonb,integer') as pgnet`,
  );
  if (rows[0]?.functions) return 'supabase_functions';
  if (rows[0]?.pgnet) return 'pg_net';
  return null;
}

function triggerEvents(events: readonly WebhookEvent[]): string {
  return WEBHOOK_EVENTS.filter((e) => events.includes(e))
    .map((e) => e.toLowerCase())
    .join(' or ');
}

function headersJson(target: WebhookTarget): string {
  return JSON.stringify({ 'Content-Type': 'application/json', Authorization: `Bearer ${target.secret}` });
}

/** pg_net path: builds the same body as supabase_functions.http_request and queues the POST. */
const DELIVER_FUNCTION = `create or replace function ${DELIVER_SCHEMA}.deliver() returns trigger
   language plpgsql security definer set search_path = pg_catalog as $fn$
   begin
     -- tg_argv: url, headers (json), timeout in ms.
     perform net.http_post(
       tg_argv[0],
       jsonb_build_object('old_record', OLD, 'record', NEW, 'type', TG_OP, 'table', TG_TABLE_NAME,
         'schema', TG_TABLE_SCHEMA),
       '{}'::jsonb,
       tg_argv[1]::jsonb,
       tg_argv[2]::integer);
     return null;
   exception when others then
     -- A webhook that cannot be queued must not undo the user's own write.
     raise warning 'lookout: could not queue the webhook: %', sqlerrm;
     return null;
   end
   $fn$`;

/**
 * The statements that install (or replace) the webhook of each table, in order; run them in one
 * transaction. Trigger arguments are literals (a trigger takes no parameters).
 */
export function webhookInstallStatements(
  via: DeliveryPath,
  tables: readonly QualifiedTable[],
  events: readonly WebhookEvent[],
  target: WebhookTarget,
): string[] {
  const timeout = String(target.timeoutMs ?? 5000);
  const statements: string[] = [];
  if (via === 'pg_net') {
    statements.push(
      `create schema if not exists ${DELIVER_SCHEMA}`,
      DELIVER_FUNCTION,
      // Triggers run it whoever writes the row; nobody needs to call it directly.
      `revoke all on function ${DELIVER_SCHEMA}.deliver() from public`,
    );
  }
  const args = (values: string[]) => values.map(quoteLiteral).join(', ');
  const call =
    via === 'supabase_functions'
      ? `supabase_functions.http_request(${args([target.url, 'POST', headersJson(target), '{}', timeout])})`
      : `${DELIVER_SCHEMA}.deliver(${args([target.url, headersJson(target), timeout])})`;
  for (const t of tables) {
    statements.push(
      `drop trigger if exists ${WEBHOOK_TRIGGER_NAME} on ${qualified(t)}`,
      `create trigger ${WEBHOOK_TRIGGER_NAME} after ${triggerEvents(events)} on ${qualified(t)} ` +
        `for each row execute function ${call}`,
    );
  }
  return statements;
}

/** The statements as a script a user can paste into the SQL editor. */
export function webhookInstallScript(
  tables: readonly QualifiedTable[],
  events: readonly WebhookEvent[],
  target: WebhookTarget,
  via: DeliveryPath = 'supabase_functions',
): string {
  const lines = [
    `-- Lookout: send row changes of ${tables.map(displayName).join(', ')} to ${target.url}`,
    'begin;',
    ...webhookInstallStatements(via, tables, events, target).map((s) => `${s};`),
    'commit;',
  ];
  return `${lines.join('\n')}\n`;
}

const NO_HTTP_REASON =
  'this database has neither supabase_functions.http_request (Supabase Database Webhooks) nor the pg_net ' +
  'extension, so Lookout cannot send row changes from it. In the Supabase dashboard open Database > Webhooks ' +
  'and enable webhooks (or run `create extension pg_net`), then install again, or run this SQL yourself';

/** Postgres error codes that mean "this role may not do that" (not owner, no privilege). */
const PERMISSION_CODES = new Set(['42501']);

/**
 * Installs the webhooks in one transaction on `client` (a connection of its own: the transaction
 * spans several statements). Throws WebhookTableError for bad table names and
 * WebhookSqlNeededError, with the SQL, when Lookout cannot do it itself.
 */
export async function installWebhooks(
  client: Queryable,
  names: readonly string[],
  events: readonly WebhookEvent[],
  target: WebhookTarget,
): Promise<{ via: DeliveryPath; installed: InstalledWebhook[] }> {
  const tables = await resolveTables(client, names);
  const via = await detectDeliveryPath(client);
  if (via === null) throw new WebhookSqlNeededError(NO_HTTP_REASON, webhookInstallScript(tables, events, target));
  await client.query('begin');
  try {
    // Adding a trigger locks the table briefly: wait a little for a busy one, never forever.
    await client.query(`set local lock_timeout = '5s'`);
    for (const sql of webhookInstallStatements(via, tables, events, target)) await client.query(sql);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    const code = (err as { code?: string }).code;
    if (code && PERMISSION_CODES.has(code))
      throw new WebhookSqlNeededError(
        `the database user of this integration may not add triggers to these tables (${(err as Error).message}); ` +
          "run this SQL as the tables' owner (in Supabase: the SQL editor)",
        webhookInstallScript(tables, events, target, via),
      );
    throw err;
  }
  const installed = await listWebhooks(client);
  return { via, installed: installed.filter((w) => tables.some((t) => t.schema === w.schema && t.table === w.table)) };
}

/** The webhooks Lookout installed in this database, read from the catalog. */
export async function listWebhooks(db: Queryable): Promise<InstalledWebhook[]> {
  const { rows } = await db.query<{ schema: string; table: string; fn: string; type: number; args: string }>(
    `select n.nspname as schema, c.relname as table, pn.nspname || '.' || p.proname as fn, t.tgtype::int as type,
       encode(t.tgargs, 'hex') as args
     from pg_trigger t
     join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
     join pg_proc p on p.oid = t.tgfoid join pg_namespace pn on pn.oid = p.pronamespace
     where t.tgname = $1 and not t.tgisinternal and t.tgparentid = 0
     order by 1, 2`,
    [WEBHOOK_TRIGGER_NAME],
  );
  return rows.map((r) => {
    const args = Buffer.from(r.args, 'hex').toString('utf8').split('\0');
    const events: WebhookEvent[] = [];
    // pg_trigger.tgtype bits: 4 insert, 8 delete, 16 update.
    if (r.type & 4) events.push('INSERT');
    if (r.type & 16) events.push('UPDATE');
    if (r.type & 8) events.push('DELETE');
    return {
      schema: r.schema,
      table: r.table,
      name: `${r.schema}.${r.table}`,
      via:
        r.fn === 'supabase_functions.http_request'
          ? 'supabase_functions'
          : r.fn === `${DELIVER_SCHEMA}.deliver`
            ? 'pg_net'
            : 'other',
      events,
      url: args[0] || null,
    };
  });
}

/**
 * Removes Lookout's webhooks (of the named tables, or all), and its delivery function once no
 * trigger uses it. Returns the tables whose webhook was removed.
 */
export async function removeWebhooks(client: Queryable, names?: readonly string[]): Promise<string[]> {
  const wanted = names?.map(parseTableName);
  const installed = await listWebhooks(client);
  const targets = wanted
    ? installed.filter((w) => wanted.some((t) => t.schema === w.schema && t.table === w.table))
    : installed;
  await client.query('begin');
  try {
    await client.query(`set local lock_timeout = '5s'`);
    for (const w of targets) await client.query(`drop trigger if exists ${WEBHOOK_TRIGGER_NAME} on ${qualified(w)}`);
    if (targets.length === installed.length) {
      await client.query(`drop function if exists ${DELIVER_SCHEMA}.deliver()`);
      // Only if empty: anything else in it is not Lookout's to drop.
      const { rows } = await client.query<{ empty: boolean }>(
        `select not exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1)
           and not exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = $1)
           and not exists (select 1 from pg_type t join pg_namespace n on n.oid = t.typnamespace where n.nspname = $1)
           as empty`,
        [DELIVER_SCHEMA],
      );
      if (rows[0]?.empty) await client.query(`drop schema if exists ${DELIVER_SCHEMA}`);
    }
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => {});
    throw err;
  }
  return targets.map((w) => w.name);
}
