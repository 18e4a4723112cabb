/**
 * Reads Supabase schema events into typed facts. The schema watcher, Database Webhooks and
 * hand-written payloads spell things differently (`data_type` or `type`, `is_nullable: 'NO'` or
 * `nullable: false`), so every reader accepts the spellings information_schema and pg-meta use.
 */
import { at, bool, list, obj, str } from './payload.js';
import type { SchemaColumn, SchemaTable } from './types.js';

export interface TableRef {
  schema: string;
  name: string;
}

export function qualified(ref: TableRef): string {
  return `${ref.schema}.${ref.name}`;
}

/** The table an event is about: `table` may be a name or a whole table object. */
export function readTableRef(payload: unknown, context?: { schemaTable?: unknown }): TableRef | undefined {
  const tableValue = at(payload, 'table');
  const tableObj = obj(tableValue);
  const name =
    str(at(context?.schemaTable, 'name')) ??
    (typeof tableValue === 'string' ? str(tableValue) : str(at(tableObj, 'name'))) ??
    str(at(payload, 'table_name')) ??
    str(at(payload, 'tableName')) ??
    str(at(payload, 'name'));
  if (!name) return undefined;
  // "public.orders" in one string is common in hand-written payloads.
  const dot = name.indexOf('.');
  const explicitSchema =
    str(at(context?.schemaTable, 'schema')) ??
    str(at(tableObj, 'schema')) ??
    str(at(payload, 'schema')) ??
    str(at(payload, 'table_schema')) ??
    str(at(payload, 'schemaName'));
  if (!explicitSchema && dot > 0) return { schema: name.slice(0, dot), name: name.slice(dot + 1) };
  return { schema: explicitSchema ?? 'public', name };
}

function readReference(value: unknown): SchemaColumn['references'] {
  if (typeof value === 'string') {
    // "public.users(id)" or "users.id"
    const m = /^(?:([\w$]+)\.)?([\w$]+)(?:\(([\w$]+)\)|\.([\w$]+))?$/.exec(value.trim());
    if (!m?.[2]) return null;
    return { schema: m[1], table: m[2], column: m[3] ?? m[4] };
  }
  const table = str(at(value, 'table')) ?? str(at(value, 'target_table'));
  if (!table) return null;
  return {
    schema: str(at(value, 'schema')) ?? str(at(value, 'target_schema')),
    table,
    column: str(at(value, 'column')) ?? str(at(value, 'target_column')),
  };
}

export function readColumn(value: unknown): SchemaColumn | undefined {
  if (typeof value === 'string') return { name: value };
  const name = str(at(value, 'name')) ?? str(at(value, 'column_name')) ?? str(at(value, 'column'));
  if (!name) return undefined;
  const nullable = bool(at(value, 'nullable')) ?? bool(at(value, 'is_nullable')) ?? bool(at(value, 'isNullable'));
  const notNull = bool(at(value, 'not_null')) ?? bool(at(value, 'notNull'));
  const def =
    at(value, 'default') ?? at(value, 'column_default') ?? at(value, 'default_value') ?? at(value, 'defaultValue');
  // Identity and generated columns have no default expression but are filled all the same.
  const identity = str(at(value, 'identity'));
  const generated = str(at(value, 'generated'));
  const filled = identity
    ? `generated ${identity} as identity`
    : generated
      ? `generated always as (${generated}) stored`
      : undefined;
  return {
    name,
    type:
      str(at(value, 'type')) ?? str(at(value, 'data_type')) ?? str(at(value, 'format')) ?? str(at(value, 'udt_name')),
    nullable: nullable ?? (notNull === undefined ? undefined : !notNull),
    default: filled ?? (def === null ? null : str(def)),
    comment: str(at(value, 'comment')) ?? str(at(value, 'description')) ?? null,
    isPrimaryKey:
      bool(at(value, 'isPrimaryKey')) ??
      bool(at(value, 'is_primary_key')) ??
      bool(at(value, 'primary_key')) ??
      bool(at(value, 'pk')),
    references: readReference(at(value, 'references') ?? at(value, 'foreign_key') ?? at(value, 'fk')),
  };
}

/**
 * The whole table when anything describes it: the pipeline's snapshot first (authoritative),
 * then a table object in the payload, then a payload that is itself the table.
 */
export function readSchemaTable(payload: unknown, context?: { schemaTable?: unknown }): SchemaTable | undefined {
  const ref = readTableRef(payload, context);
  // Lookout's schema diff puts the table under `after` (created) or `before` (dropped).
  const candidates = [
    context?.schemaTable,
    at(payload, 'table'),
    at(payload, 'after'),
    at(payload, 'before'),
    at(payload, 'snapshot'),
    payload,
  ];
  const source = candidates.find((c) => Array.isArray(at(c, 'columns')));
  if (!ref || !source) return undefined;
  const columns = list(at(source, 'columns'))
    .map(readColumn)
    .filter((c): c is SchemaColumn => c !== undefined);
  const pkValue = at(source, 'primaryKey') ?? at(source, 'primary_key') ?? at(source, 'primary_keys');
  const primaryKey = list(pkValue)
    .map((k) => (typeof k === 'string' ? k : str(at(k, 'name'))))
    .filter((k): k is string => k !== undefined);
  for (const c of columns) if (c.isPrimaryKey && !primaryKey.includes(c.name)) primaryKey.push(c.name);
  const foreignKeys: NonNullable<SchemaTable['foreignKeys']> = list(
    at(source, 'foreignKeys') ?? at(source, 'foreign_keys') ?? at(source, 'relationships'),
  ).flatMap((fk): NonNullable<SchemaTable['foreignKeys']> => {
    const cols = list(at(fk, 'columns'))
      .map((c) => str(c))
      .filter((c): c is string => c !== undefined);
    const single = str(at(fk, 'column')) ?? str(at(fk, 'source_column_name'));
    const refTable = str(at(fk, 'references', 'table')) ?? str(at(fk, 'target_table_name'));
    if (!refTable || (cols.length === 0 && !single)) return [];
    const refCols = list(at(fk, 'references', 'columns'))
      .map((c) => str(c))
      .filter((c): c is string => c !== undefined);
    const refSingle = str(at(fk, 'references', 'column')) ?? str(at(fk, 'target_column_name'));
    return [
      {
        columns: cols.length > 0 ? cols : [single as string],
        references: {
          schema: str(at(fk, 'references', 'schema')) ?? str(at(fk, 'target_table_schema')),
          table: refTable,
          columns: refCols.length > 0 ? refCols : refSingle ? [refSingle] : undefined,
        },
      },
    ];
  });
  // pg_catalog snapshots list constraints with attnums and pg_get_constraintdef() text.
  const byAttnum = new Map<string, string>();
  for (const c of list(at(source, 'columns'))) {
    const n = str(at(c, 'attnum'));
    const name = str(at(c, 'name'));
    if (n && name) byAttnum.set(n, name);
  }
  const checks: Array<{ name: string; definition: string }> = [];
  const uniques: string[][] = [];
  for (const con of list(at(source, 'constraints'))) {
    const type = str(at(con, 'type'))?.toLowerCase();
    const cols = list(at(con, 'columns'))
      .map((n) => byAttnum.get(str(n) ?? ''))
      .filter((n): n is string => n !== undefined);
    const conName = str(at(con, 'name'));
    if (type === 'check') {
      checks.push({ name: conName ?? '?', definition: str(at(con, 'definition')) ?? '' });
      continue;
    }
    if (type === 'unique') {
      if (cols.length > 0) uniques.push(cols);
      continue;
    }
    if (type === 'primary key') {
      for (const c of cols) if (!primaryKey.includes(c)) primaryKey.push(c);
    } else if (type === 'foreign key') {
      const def = /REFERENCES\s+((?:"[^"]+"|[\w$]+)(?:\.(?:"[^"]+"|[\w$]+))?)\s*\(([^)]*)\)/i.exec(
        str(at(con, 'definition')) ?? '',
      );
      if (!def?.[1]) continue;
      const parts = def[1].split('.').map((p) => p.replace(/^"|"$/g, ''));
      const target =
        parts.length === 2 ? { schema: parts[0], table: parts[1] ?? '' } : { schema: undefined, table: parts[0] ?? '' };
      const refCols = (def[2] ?? '')
        .split(',')
        .map((c) => c.trim().replace(/^"|"$/g, ''))
        .filter(Boolean);
      if (cols.length > 0)
        foreignKeys.push({
          columns: cols,
          references: { ...target, columns: refCols.length > 0 ? refCols : undefined },
          name: conName,
          definition: str(at(con, 'definition')),
        });
    }
  }
  for (const c of columns) if (primaryKey.includes(c.name)) c.isPrimaryKey = true;
  const rawIndexes = at(source, 'indexes');
  const indexes = Array.isArray(rawIndexes)
    ? rawIndexes.flatMap((ix) => {
        const name = str(at(ix, 'name'));
        if (!name) return [];
        const cols = list(at(ix, 'columns'))
          .map((n) => byAttnum.get(str(n) ?? '') ?? (typeof n === 'string' ? n : undefined))
          .filter((n): n is string => n !== undefined);
        return [
          {
            name,
            definition: str(at(ix, 'definition')) ?? '',
            columns: cols,
            unique: bool(at(ix, 'unique')),
            primary: bool(at(ix, 'primary')),
          },
        ];
      })
    : undefined;
  const rowSecurity = bool(at(source, 'rowSecurity')) ?? bool(at(source, 'rls_enabled'));
  return {
    schema: ref.schema,
    name: ref.name,
    comment: str(at(source, 'comment')) ?? null,
    columns,
    primaryKey,
    foreignKeys,
    checks,
    uniques,
    ...(indexes ? { indexes } : {}),
    ...(rowSecurity !== undefined ? { rowSecurity } : {}),
  };
}

export interface ColumnChange {
  column: string;
  /** For renames: the old name. */
  from?: string;
  oldType?: string;
  newType?: string;
  detail?: SchemaColumn;
  /** The column before and after, when the event carries snapshots. */
  before?: SchemaColumn;
  after?: SchemaColumn;
}

/** The column a column.* event is about, with rename and retype details. */
/** A column snapshot under before/after (Lookout's schema diff); not a table snapshot. */
function columnSnapshot(value: unknown): SchemaColumn | undefined {
  return at(value, 'columns') === undefined && str(at(value, 'type')) !== undefined ? readColumn(value) : undefined;
}

export function readColumnChange(payload: unknown): ColumnChange | undefined {
  const columnValue = at(payload, 'column');
  const before = columnSnapshot(at(payload, 'before'));
  const after = columnSnapshot(at(payload, 'after'));
  const given =
    typeof columnValue === 'string' ? undefined : (readColumn(columnValue) ?? readColumn(at(payload, 'new_column')));
  const detail = after ?? given ?? before;
  const to = str(at(payload, 'newName')) ?? str(at(payload, 'new_name')) ?? str(at(payload, 'to'));
  const from = str(at(payload, 'oldName')) ?? str(at(payload, 'old_name')) ?? str(at(payload, 'from')) ?? before?.name;
  const column =
    to ??
    after?.name ??
    (typeof columnValue === 'string' ? str(columnValue) : undefined) ??
    detail?.name ??
    str(at(payload, 'column_name'));
  if (!column) return undefined;
  return {
    column,
    from: from !== column ? from : undefined,
    oldType:
      str(at(payload, 'oldType')) ?? str(at(payload, 'old_type')) ?? str(at(payload, 'from_type')) ?? before?.type,
    newType:
      str(at(payload, 'newType')) ??
      str(at(payload, 'new_type')) ??
      str(at(payload, 'to_type')) ??
      after?.type ??
      given?.type,
    detail: detail ? { ...detail, name: column } : undefined,
    before,
    after,
  };
}

export interface MigrationFile {
  name: string;
  version?: string;
}

/** Pending migrations, as names ("20240101_x.sql") or objects ({name|file|version}). */
export function readMigrations(payload: unknown): MigrationFile[] {
  const raw = list(at(payload, 'files') ?? at(payload, 'migrations') ?? at(payload, 'pending'));
  const files = raw.flatMap((m): MigrationFile[] => {
    if (typeof m === 'string') return [{ name: m, version: /^(\d+)/.exec(m.split('/').pop() ?? '')?.[1] }];
    const name = str(at(m, 'name')) ?? str(at(m, 'file')) ?? str(at(m, 'path')) ?? str(at(m, 'version'));
    return name ? [{ name, version: str(at(m, 'version')) ?? /^(\d+)/.exec(name.split('/').pop() ?? '')?.[1] }] : [];
  });
  const single = str(at(payload, 'file')) ?? str(at(payload, 'name'));
  if (files.length === 0 && single)
    files.push({ name: single, version: /^(\d+)/.exec(single.split('/').pop() ?? '')?.[1] });
  return files;
}
