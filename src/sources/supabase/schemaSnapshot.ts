import type { Queryable } from '../../db/database.js';

/**
 * A catalog snapshot of the user's tables, read from pg_catalog.
 *
 * Why pg_catalog and not information_schema: information_schema hides objects the current role
 * does not own or hold privileges on, has no object ids (so a rename looks like drop + add), and
 * its views are slow (hundreds of ms per query on a large catalog). pg_catalog gives oids, attnums,
 * identity/generated flags, comments and indexes in four set-based queries.
 *
 * The snapshot is plain JSON (oids as strings) so it can be stored as jsonb and diffed later.
 */
export interface SchemaSnapshot {
  version: 1;
  takenAt: string;
  /** Tables ordered by schema, then name. */
  tables: TableSnapshot[];
}

export interface TableSnapshot {
  /** pg_class oid: survives renames and moves between schemas. */
  oid: string;
  schema: string;
  name: string;
  kind: 'table' | 'partitioned table';
  comment: string | null;
  /** Row level security enabled: what stands between a Supabase table and the anon key. */
  rowSecurity: boolean;
  /** Ordered by attnum. */
  columns: ColumnSnapshot[];
  /** Ordered by name. */
  constraints: ConstraintSnapshot[];
  /**
   * Ordered by name; absent in snapshots taken before indexes were recorded. Not diffed: index
   * changes are reported by the DDL trigger; the table documentation reads them (an unindexed
   * foreign key).
   */
  indexes?: IndexSnapshot[];
}

export interface IndexSnapshot {
  name: string;
  /** pg_get_indexdef(): `CREATE INDEX orders_customer_id_idx ON public.orders USING btree (customer_id)`. */
  definition: string;
  /** attnums of the indexed columns in order (0 for an expression). */
  columns: number[];
  unique: boolean;
  primary: boolean;
}

export interface ColumnSnapshot {
  /** Never reused within a table (a dropped column keeps its slot), so (table oid, attnum) identifies a column. */
  attnum: number;
  name: string;
  /** format_type(): `character varying(20)`, `timestamp with time zone`, `integer[]`. */
  type: string;
  notNull: boolean;
  /** Default expression (null for none and for generated columns). */
  default: string | null;
  identity: 'always' | 'by default' | null;
  /** Expression of a GENERATED ALWAYS AS (...) STORED column. */
  generated: string | null;
  comment: string | null;
}

export type ConstraintType = 'primary key' | 'foreign key' | 'unique' | 'check';

export interface ConstraintSnapshot {
  oid: string;
  name: string;
  type: ConstraintType;
  /** pg_get_constraintdef(): `FOREIGN KEY (user_id) REFERENCES profiles(id) ON DELETE CASCADE`. */
  definition: string;
  /** attnums of the constrained columns (conkey); empty for table-level checks without columns. */
  columns: number[];
  /**
   * What the constraint does, in terms of attnums and oids rather than names: a column or table
   * rename rewrites `definition` but not this, so a rename is not mistaken for a constraint change.
   */
  signature: string;
}

export interface SchemaFilter {
  /** Only these schemas (default: every schema not excluded). */
  schemas?: string[];
  /** Schemas never reported; default DEFAULT_EXCLUDED_SCHEMAS. */
  excludeSchemas?: string[];
}

/**
 * Schemas that belong to PostgreSQL or to the Supabase platform: changes there are made by
 * Supabase itself (auth upgrades, storage migrations) and are not the builder's schema.
 * `lookout` holds our own DDL log (see ddlTrigger.ts).
 */
export const DEFAULT_EXCLUDED_SCHEMAS: readonly string[] = [
  'pg_catalog',
  'information_schema',
  'pg_toast',
  'auth',
  'storage',
  'realtime',
  '_realtime',
  'supabase_functions',
  'supabase_migrations',
  'extensions',
  'graphql',
  'graphql_public',
  'vault',
  'pgsodium',
  'pgsodium_masks',
  'net',
  'cron',
  'pgbouncer',
  '_analytics',
  'lookout',
];

// Shared predicate of the four queries. Temporary and toast schemas are per-session noise;
// relations owned by an extension (PostGIS' spatial_ref_sys in public) are not the builder's;
// partitions are reported through their parent, or pg_partman would announce a table a day.
const RELATION_FILTER = `
  c.relkind in ('r', 'p')
  and not c.relispartition
  and n.nspname <> all($1::text[])
  and n.nspname not like 'pg\\_temp\\_%' and n.nspname not like 'pg\\_toast\\_temp\\_%'
  and ($2::text[] is null or n.nspname = any($2::text[]))
  and not exists (
    select 1 from pg_depend dep
    where dep.classid = 'pg_class'::regclass and dep.objid = c.oid and dep.deptype = 'e'
  )`;

const TABLES_SQL = `
select c.oid::text as oid, n.nspname as schema, c.relname as name, c.relkind::text as relkind,
       c.relrowsecurity as row_security, d.description as comment
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
where ${RELATION_FILTER}
order by n.nspname, c.relname`;

const COLUMNS_SQL = `
select a.attrelid::text as table_oid, a.attnum::int as attnum, a.attname as name,
       format_type(a.atttypid, a.atttypmod) as type, a.attnotnull as not_null,
       a.attidentity::text as identity, a.attgenerated::text as generated,
       pg_get_expr(ad.adbin, ad.adrelid) as expr, d.description as comment
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_attrdef ad on ad.adrelid = a.attrelid and ad.adnum = a.attnum
left join pg_description d on d.objoid = a.attrelid and d.classoid = 'pg_class'::regclass and d.objsubid = a.attnum
where a.attnum > 0 and not a.attisdropped and ${RELATION_FILTER}
order by a.attrelid, a.attnum`;

const CONSTRAINTS_SQL = `
select con.oid::text as oid, con.conrelid::text as table_oid, con.conname as name, con.contype::text as contype,
       pg_get_constraintdef(con.oid) as definition,
       coalesce(array_to_string(con.conkey, ','), '') as columns,
       concat_ws('|', con.contype, con.conkey::text, con.confrelid::text, con.confkey::text,
                 con.condeferrable, con.condeferred, con.convalidated,
                 con.confupdtype, con.confdeltype, con.confmatchtype) as signature
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
where con.contype in ('p', 'f', 'u', 'c') and ${RELATION_FILTER}
order by con.conrelid, con.conname`;

const INDEXES_SQL = `
select i.indrelid::text as table_oid, ic.relname as name, pg_get_indexdef(i.indexrelid) as definition,
       array_to_string(i.indkey::int2[], ',') as columns, i.indisunique as is_unique, i.indisprimary as is_primary
from pg_index i
join pg_class ic on ic.oid = i.indexrelid
join pg_class c on c.oid = i.indrelid
join pg_namespace n on n.oid = c.relnamespace
where ${RELATION_FILTER}
order by i.indrelid, ic.relname`;

interface TableRow {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  row_security: boolean;
  comment: string | null;
}
interface ColumnRow {
  table_oid: string;
  attnum: number;
  name: string;
  type: string;
  not_null: boolean;
  identity: string;
  generated: string;
  expr: string | null;
  comment: string | null;
}
interface IndexRow {
  table_oid: string;
  name: string;
  definition: string;
  columns: string;
  is_unique: boolean;
  is_primary: boolean;
}
interface ConstraintRow {
  oid: string;
  table_oid: string;
  name: string;
  contype: string;
  definition: string;
  columns: string;
  signature: string;
}

const CONSTRAINT_TYPES: Record<string, ConstraintType> = {
  p: 'primary key',
  f: 'foreign key',
  u: 'unique',
  c: 'check',
};

export async function getCurrentSchema(db: Queryable, opts: SchemaFilter = {}): Promise<SchemaSnapshot> {
  const params = [opts.excludeSchemas ?? [...DEFAULT_EXCLUDED_SCHEMAS], opts.schemas ?? null];
  // Sequential on purpose: on a single pooled connection parallel queries queue anyway.
  const tables = await db.query<TableRow>(TABLES_SQL, params);
  const columns = await db.query<ColumnRow>(COLUMNS_SQL, params);
  const constraints = await db.query<ConstraintRow>(CONSTRAINTS_SQL, params);
  const indexes = await db.query<IndexRow>(INDEXES_SQL, params);

  const byOid = new Map<string, TableSnapshot>();
  const result: TableSnapshot[] = tables.rows.map((r) => {
    const table: TableSnapshot = {
      oid: r.oid,
      schema: r.schema,
      name: r.name,
      kind: r.relkind === 'p' ? 'partitioned table' : 'table',
      comment: r.comment,
      rowSecurity: r.row_security,
      columns: [],
      constraints: [],
      indexes: [],
    };
    byOid.set(r.oid, table);
    return table;
  });
  // The four queries are separate statements: DDL committed between them can leave a column
  // whose table was not listed; it is skipped here and picked up by the next snapshot.
  for (const r of columns.rows) {
    byOid.get(r.table_oid)?.columns.push({
      attnum: r.attnum,
      name: r.name,
      type: r.type,
      notNull: r.not_null,
      default: r.generated === '' ? r.expr : null,
      identity: r.identity === 'a' ? 'always' : r.identity === 'd' ? 'by default' : null,
      generated: r.generated === '' ? null : r.expr,
      comment: r.comment,
    });
  }
  for (const r of constraints.rows) {
    const type = CONSTRAINT_TYPES[r.contype];
    if (!type) continue;
    byOid.get(r.table_oid)?.constraints.push({
      oid: r.oid,
      name: r.name,
      type,
      definition: r.definition,
      columns: r.columns === '' ? [] : r.columns.split(',').map(Number),
      signature: r.signature,
    });
  }
  for (const r of indexes.rows) {
    byOid.get(r.table_oid)?.indexes?.push({
      name: r.name,
      definition: r.definition,
      columns: r.columns === '' ? [] : r.columns.split(',').map(Number),
      unique: r.is_unique,
      primary: r.is_primary,
    });
  }
  return { version: 1, takenAt: new Date().toISOString(), tables: result };
}
