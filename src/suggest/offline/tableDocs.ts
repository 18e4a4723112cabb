/**
 * supabase.table.created and supabase.column.added / renamed / retyped: Markdown documentation of
 * the table plus COMMENT ON statements, so the docs can live in the database where Supabase
 * Studio and generated API docs show them.
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import { qualifiedIdent, quoteLiteral } from '../sql.js';
import {
  type ColumnChange,
  qualified,
  readColumnChange,
  readSchemaTable,
  readTableRef,
  type TableRef,
} from '../supabaseFacts.js';
import type { SchemaColumn, SchemaTable } from '../types.js';
import { bullets, code, fence, joinSections, section, table } from './markdown.js';
import type { Template } from './templateEnv.js';

function words(name: string): string {
  return name.replace(/_/g, ' ').trim();
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function singular(name: string): string {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|us)$/.test(name)) return name;
  return name.replace(/s$/, '');
}

/** A first-draft description from naming conventions: a starting point the user edits. */
export function describeColumn(c: SchemaColumn, tableName: string): string {
  const n = c.name.toLowerCase();
  if (c.references) return `References ${c.references.table}${c.references.column ? `.${c.references.column}` : ''}.`;
  if (n === 'id' || (c.isPrimaryKey && n.endsWith('id'))) return `Primary key of ${tableName}.`;
  if (n.endsWith('_id')) return `Identifier of the related ${words(c.name.slice(0, -3))}.`;
  if (n === 'created_at' || n === 'inserted_at') return 'When the row was created.';
  if (n === 'updated_at') return 'When the row was last updated.';
  if (n === 'deleted_at') return 'When the row was soft-deleted; null while it is active.';
  if (/^(is|has|can|should)_/.test(n)) return `True when the ${singular(words(tableName))} ${words(c.name)}.`;
  if (n === 'email' || n.endsWith('_email')) return 'Email address.';
  if (n === 'status' || n.endsWith('_status')) return `Lifecycle status of the ${singular(words(tableName))}.`;
  if (/(price|amount|total|cost)$/.test(n))
    return `${capitalised(words(c.name))}, as a monetary amount${c.type ? ` (${c.type})` : ''}.`;
  if (/(quantity|count)$/.test(n)) return `${capitalised(words(c.name))}: a count.`;
  if (n.endsWith('_at') || n.endsWith('_on'))
    return `When the ${singular(words(tableName))} was ${words(c.name.slice(0, -3))}.`;
  return `${capitalised(words(c.name))} of the ${singular(words(tableName))}.`;
}

function describeTable(t: { name: string; comment?: string | null }): string {
  return t.comment ?? `${capitalised(words(t.name))}: one row per ${singular(words(t.name))}.`;
}

function keyOf(c: SchemaColumn, t: SchemaTable | undefined): string {
  const keys: string[] = [];
  if (c.isPrimaryKey || t?.primaryKey?.includes(c.name)) keys.push('PK');
  const fk = c.references ?? t?.foreignKeys?.find((f) => f.columns.includes(c.name))?.references;
  if (fk) keys.push(`FK → ${fk.schema ? `${fk.schema}.` : ''}${fk.table}`);
  return keys.join(', ');
}

function columnRow(c: SchemaColumn, t: SchemaTable | undefined, highlight: boolean): string[] {
  return [
    highlight ? `**${c.name}**` : c.name,
    c.type ?? '?',
    c.nullable === undefined ? '?' : c.nullable ? 'yes' : 'no',
    c.default === undefined || c.default === null ? '' : code(c.default),
    keyOf(c, t),
  ];
}

function tableMarkdown(t: SchemaTable, highlight: string | undefined): string {
  const parts = [
    describeTable(t),
    table(
      ['Column', 'Type', 'Nullable', 'Default', 'Key'],
      t.columns.map((c) => columnRow(c, t, c.name === highlight)),
    ),
  ];
  const keys: string[] = [];
  if (t.primaryKey && t.primaryKey.length > 0) keys.push(`Primary key: ${t.primaryKey.map(code).join(', ')}`);
  for (const fk of t.foreignKeys ?? []) {
    const target = `${fk.references.schema ?? t.schema ?? 'public'}.${fk.references.table}${fk.references.columns ? `(${fk.references.columns.join(', ')})` : ''}`;
    keys.push(`Foreign key: ${fk.columns.map(code).join(', ')} → ${code(target)}`);
  }
  for (const c of t.columns) {
    if (c.references && !(t.foreignKeys ?? []).some((fk) => fk.columns.includes(c.name))) {
      keys.push(
        `Foreign key: ${code(c.name)} → ${code(`${c.references.schema ?? t.schema ?? 'public'}.${c.references.table}${c.references.column ? `(${c.references.column})` : ''}`)}`,
      );
    }
  }
  if (keys.length > 0) parts.push(bullets(keys));
  return parts.join('\n\n');
}

/** The column with its foreign key filled in from table-level constraints, for describing it. */
function withReference(c: SchemaColumn, t: SchemaTable | undefined): SchemaColumn {
  if (c.references || !t?.foreignKeys) return c;
  const fk = t.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === c.name);
  return fk
    ? {
        ...c,
        references: { schema: fk.references.schema, table: fk.references.table, column: fk.references.columns?.[0] },
      }
    : c;
}

function commentStatements(
  ref: TableRef,
  t: SchemaTable | undefined,
  columns: SchemaColumn[],
  includeTable: boolean,
): string[] {
  const out: string[] = [];
  if (includeTable && !t?.comment) {
    out.push(
      `COMMENT ON TABLE ${qualifiedIdent(ref.schema, ref.name)} IS ${quoteLiteral(describeTable({ name: ref.name }))};`,
    );
  }
  for (const c of columns) {
    if (c.comment) continue;
    out.push(
      `COMMENT ON COLUMN ${qualifiedIdent(ref.schema, ref.name, c.name)} IS ${quoteLiteral(describeColumn(withReference(c, t), ref.name))};`,
    );
  }
  return out;
}

function titleFor(eventType: string, ref: TableRef, change: ColumnChange | undefined): string {
  const where = qualified(ref);
  switch (eventType) {
    case 'supabase.column.added':
      return `Document new column ${where}.${change?.column ?? '?'}`;
    case 'supabase.column.renamed':
      return `Column renamed: ${where}.${change?.from ?? '?'} → ${change?.column ?? '?'}`;
    case 'supabase.column.retyped':
      return `Column retyped: ${where}.${change?.column ?? '?'}${change?.oldType || change?.newType ? ` (${change?.oldType ?? '?'} → ${change?.newType ?? '?'})` : ''}`;
    default:
      return `Document the new table ${where}`;
  }
}

export const tableDocs: Template = (env) => {
  const { v, input } = env;
  const ctx = input.context;
  const ref = readTableRef(input.eventData, ctx) ?? { schema: 'public', name: 'unknown_table' };
  const snapshot = readSchemaTable(input.eventData, ctx);
  const isTable = input.eventType === 'supabase.table.created';
  const change = isTable ? undefined : readColumnChange(input.eventData);
  // The snapshot's own row for the column wins: it has the type, default and keys.
  const column = change
    ? (snapshot?.columns.find((c) => c.name === change.column) ??
      change.detail ?? { name: change.column, type: change.newType })
    : undefined;
  const documented = isTable ? (snapshot?.columns ?? []) : column ? [column] : [];
  const statements = commentStatements(ref, snapshot, documented, isTable);
  const sql = statements.join('\n');
  const slug = `document_${ref.name}${column ? `_${column.name}` : ''}`.replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase();

  const followUps: string[] = [];
  if (input.eventType === 'supabase.column.renamed' && change?.from) {
    followUps.push(`Update code, views, functions and RLS policies that still say ${code(change.from)}.`);
  }
  if (input.eventType === 'supabase.column.retyped') {
    followUps.push(
      `Check code that parses ${code(change?.column ?? '?')}: values now arrive as ${change?.newType ?? 'the new type'}.`,
    );
  }
  if (!isTable && column && column.nullable === false && (column.default === undefined || column.default === null)) {
    followUps.push(`${code(column.name)} is NOT NULL without a default: inserts that omit it will now fail.`);
  }
  followUps.push(`Regenerate client types: ${code('supabase gen types typescript --linked > types/supabase.ts')}.`);
  followUps.push(
    `Keep the comments in a migration: ${code(`supabase migration new ${slug}`)}, paste the SQL, then ${code('supabase db push')}.`,
  );

  const intro =
    input.eventType === 'supabase.column.renamed' && change?.from
      ? `${code(`${qualified(ref)}.${change.from}`)} is now ${code(change.column)}.`
      : input.eventType === 'supabase.column.retyped'
        ? `${code(`${qualified(ref)}.${change?.column ?? '?'}`)} changed type from ${code(change?.oldType ?? '?')} to ${code(change?.newType ?? '?')}.`
        : undefined;
  const docs = snapshot
    ? tableMarkdown(snapshot, column?.name)
    : column
      ? table(['Column', 'Type', 'Nullable', 'Default', 'Key'], [columnRow(column, undefined, true)])
      : 'No column list was available for this table yet.';

  return {
    title: `${emojiIfLots(v, EMOJI_SETS.docs, 0)}${titleFor(input.eventType, ref, change)}`,
    body: joinSections([
      intro,
      section(qualified(ref), docs),
      statements.length > 0 && section('Suggested comments', fence('sql', sql)),
      v.length !== 'short' && section('Follow-ups', bullets(followUps)),
    ]),
    content: {
      table: { schema: ref.schema, name: ref.name },
      ...(column ? { column: column.name } : {}),
      ...(change?.from ? { renamedFrom: change.from } : {}),
      columns: (snapshot?.columns ?? documented).map((c) => ({
        name: c.name,
        type: c.type ?? null,
        nullable: c.nullable ?? null,
        default: c.default ?? null,
        key: keyOf(c, snapshot) || null,
      })),
      sql,
      steps: followUps,
    },
  };
};
