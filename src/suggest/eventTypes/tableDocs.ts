/**
 * supabase.table.created and supabase.column.added / renamed / retyped: the table documented as a
 * DBA would (every column, the keys, foreign keys with their actions, CHECK and UNIQUE constraints,
 * indexes, row level security), advice where something is missing (RLS off on an exposed table, a
 * foreign key without an index), the real consequences of the change, and COMMENT ON statements.
 * "Inserts will now fail" is said only when it is true: a NOT NULL column without a default that
 * was just added, or that just became NOT NULL.
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import type { ColumnDescriptionText } from '../i18n/texts.js';
import { qualifiedIdent, quoteIdent, quoteLiteral } from '../sql.js';
import { qualified, readColumnChange, readSchemaTable, readTableRef } from '../supabaseFacts.js';
import type { SchemaColumn } from '../types.js';
import { bullets, code, fence, joinSections, section, table } from './markdown.js';
import { defineEventType } from './module.js';

interface ColumnFact {
  name: string;
  type: string | null;
  nullable: boolean | null;
  default: string | null;
  primaryKey: boolean;
  references: string | null;
  unique: boolean;
  comment: string | null;
}

type Advice =
  | { kind: 'rlsOff' }
  | { kind: 'fkWithoutIndex'; columns: string[]; target: string }
  | { kind: 'noPrimaryKey' }
  | { kind: 'notNullWithoutDefault'; column: string }
  | { kind: 'becameNotNull'; column: string };

export interface TableDocsFacts {
  change: {
    kind: 'table' | 'added' | 'renamed' | 'retyped';
    column: string | null;
    from: string | null;
    oldType: string | null;
    newType: string | null;
    /** Nullability before and after, when the event carries both. */
    wasNullable: boolean | null;
    nullable: boolean | null;
  };
  table: { schema: string; name: string; qualified: string; comment: string | null; rowSecurity: boolean | null };
  /** False when no snapshot of the table was available: only the changed column is known. */
  tableKnown: boolean;
  columns: ColumnFact[];
  primaryKey: string[];
  foreignKeys: Array<{
    name: string | null;
    columns: string[];
    target: string;
    definition: string | null;
    indexed: boolean | null;
  }>;
  checks: Array<{ name: string; definition: string }>;
  uniques: string[][];
  indexes: Array<{ name: string; definition: string }> | null;
  advice: Advice[];
}

/** Schemas the Supabase Data API (PostgREST) exposes by default: RLS off there is an open door. */
const EXPOSED_SCHEMAS = new Set(['public']);

/** "ON DELETE CASCADE, ON UPDATE SET NULL" from a foreign key's definition. */
function actionsOf(definition: string | null): string | undefined {
  const actions = [
    ...(definition ?? '').matchAll(/ON (DELETE|UPDATE) (CASCADE|SET NULL|SET DEFAULT|RESTRICT|NO ACTION)/gi),
  ].map((m) => m[0].toUpperCase());
  return actions.length > 0 ? actions.join(', ') : undefined;
}

/**
 * Whether ALTER COLUMN TYPE from one type to the other rewrites the table: it does unless the
 * change is binary-coercible (varchar to text, a wider varchar, numeric to unconstrained numeric).
 */
export function rewritesTable(from: string | null, to: string | null): boolean {
  const a = (from ?? '').toLowerCase().trim();
  const b = (to ?? '').toLowerCase().trim();
  const varchar = /^(character varying|varchar)(\((\d+)\))?$/;
  const va = varchar.exec(a);
  const vb = varchar.exec(b);
  if (va && (b === 'text' || (vb && (vb[3] === undefined || (va[3] !== undefined && Number(vb[3]) >= Number(va[3]))))))
    return false;
  if (a === 'text' && vb && vb[3] === undefined) return false;
  if (/^numeric(\(.*\))?$/.test(a) && b === 'numeric') return false;
  return true;
}

function words(name: string): string {
  return name.replace(/_/g, ' ').trim();
}

function singular(name: string): string {
  if (/ies$/.test(name)) return `${name.slice(0, -3)}y`;
  if (/(ss|us)$/.test(name)) return name;
  return name.replace(/s$/, '');
}

/** A first-draft description from naming conventions, in the user's language: a starting point. */
export function describeColumn(d: ColumnDescriptionText, c: ColumnFact, tableName: string): string {
  const n = c.name.toLowerCase();
  const entity = singular(words(tableName));
  if (c.references) return d.references(c.references);
  if (n === 'id' || (c.primaryKey && n.endsWith('id'))) return d.primaryKey(tableName);
  if (n.endsWith('_id')) return d.relatedId(words(c.name.slice(0, -3)));
  if (n === 'created_at' || n === 'inserted_at') return d.createdAt;
  if (n === 'updated_at') return d.updatedAt;
  if (n === 'deleted_at') return d.deletedAt;
  if (/^(is|has|can|should)_/.test(n)) return d.flag(entity, words(c.name));
  if (n === 'email' || n.endsWith('_email')) return d.email;
  if (n === 'status' || n.endsWith('_status')) return d.status(entity);
  if (/(price|amount|total|cost)$/.test(n)) return d.money(words(c.name));
  if (/(quantity|count)$/.test(n)) return d.count(words(c.name));
  if (n.endsWith('_at') || n.endsWith('_on')) return d.when(entity, words(c.name.slice(0, -3)));
  return d.generic(words(c.name), entity);
}

function targetOf(r: { schema?: string; table: string; columns?: string[] }, schema: string): string {
  return `${r.schema ?? schema}.${r.table}${r.columns && r.columns.length > 0 ? `(${r.columns.join(', ')})` : ''}`;
}

function toColumn(c: SchemaColumn): ColumnFact {
  return {
    name: c.name,
    type: c.type ?? null,
    nullable: c.nullable ?? null,
    default: c.default ?? null,
    primaryKey: c.isPrimaryKey === true,
    references: c.references
      ? `${c.references.schema ?? 'public'}.${c.references.table}` +
        `${c.references.column ? `(${c.references.column})` : ''}`
      : null,
    unique: false,
    comment: c.comment ?? null,
  };
}

export const tableDocs = defineEventType<TableDocsFacts>({
  needs: ['schemaTable'],
  customerFacing: false,
  facts(input) {
    const ctx = input.context;
    const ref = readTableRef(input.eventData, ctx) ?? { schema: 'public', name: 'unknown_table' };
    const snapshot = readSchemaTable(input.eventData, ctx);
    const kind =
      input.eventType === 'supabase.column.added'
        ? 'added'
        : input.eventType === 'supabase.column.renamed'
          ? 'renamed'
          : input.eventType === 'supabase.column.retyped'
            ? 'retyped'
            : 'table';
    const change = kind === 'table' ? undefined : readColumnChange(input.eventData);
    const fromSnapshot = change ? snapshot?.columns.find((c) => c.name === change.column) : undefined;
    const changed = change
      ? (fromSnapshot ?? change.after ?? change.detail ?? { name: change.column, type: change.newType })
      : undefined;
    const columns = (snapshot?.columns ?? (changed ? [changed] : [])).map(toColumn);
    const foreignKeys = (snapshot?.foreignKeys ?? []).map((fk) => ({
      name: fk.name ?? null,
      columns: fk.columns,
      target: targetOf(fk.references, ref.schema),
      definition: fk.definition ?? null,
      indexed: snapshot?.indexes
        ? snapshot.indexes.some((ix) => fk.columns.every((c, i) => ix.columns[i] === c))
        : null,
    }));
    // Column-level references a snapshot may carry instead of constraints.
    for (const c of snapshot?.columns ?? []) {
      if (c.references && !foreignKeys.some((fk) => fk.columns.includes(c.name))) {
        foreignKeys.push({
          name: null,
          columns: [c.name],
          target:
            `${c.references.schema ?? ref.schema}.${c.references.table}` +
            `${c.references.column ? `(${c.references.column})` : ''}`,
          definition: null,
          indexed: snapshot?.indexes ? snapshot.indexes.some((ix) => ix.columns[0] === c.name) : null,
        });
      }
    }
    for (const col of columns) {
      const fk = foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === col.name);
      if (fk && !col.references) col.references = fk.target;
      if ((snapshot?.uniques ?? []).some((u) => u.length === 1 && u[0] === col.name)) col.unique = true;
    }
    const rowSecurity = snapshot?.rowSecurity ?? null;
    const advice: Advice[] = [];
    if (kind === 'table' && rowSecurity === false && EXPOSED_SCHEMAS.has(ref.schema)) advice.push({ kind: 'rlsOff' });
    if (kind === 'table' && snapshot && (snapshot.primaryKey ?? []).length === 0) advice.push({ kind: 'noPrimaryKey' });
    for (const fk of foreignKeys)
      if (fk.indexed === false) advice.push({ kind: 'fkWithoutIndex', columns: fk.columns, target: fk.target });
    const after = changed ? toColumn(changed) : undefined;
    const wasNullable = change?.before?.nullable ?? null;
    const filled = after?.default !== null && after?.default !== undefined;
    if (after && after.nullable === false && !filled) {
      if (kind === 'added') advice.push({ kind: 'notNullWithoutDefault', column: after.name });
      // A rename or retype changes nothing for inserts unless the column just became NOT NULL.
      else if (wasNullable === true) advice.push({ kind: 'becameNotNull', column: after.name });
    }
    return {
      change: {
        kind,
        column: change?.column ?? null,
        from: change?.from ?? null,
        oldType: change?.oldType ?? null,
        newType: change?.newType ?? after?.type ?? null,
        wasNullable,
        nullable: after?.nullable ?? null,
      },
      table: {
        schema: ref.schema,
        name: ref.name,
        qualified: qualified(ref),
        comment: snapshot?.comment ?? null,
        rowSecurity,
      },
      tableKnown: snapshot !== undefined,
      columns,
      primaryKey: snapshot?.primaryKey ?? [],
      foreignKeys,
      checks: snapshot?.checks ?? [],
      uniques: snapshot?.uniques ?? [],
      indexes: snapshot?.indexes ? snapshot.indexes.map((ix) => ({ name: ix.name, definition: ix.definition })) : null,
      advice,
    };
  },
  task:
    'Document the table in Markdown as a DBA would: every column (type, nullable, default, key), primary key, ' +
    'foreign keys with their actions, CHECK and UNIQUE constraints, indexes and row level security; give each item ' +
    'of advice as an action with its SQL; for a rename or retype, the real consequences (never claim inserts ' +
    'fail unless advice says so); then COMMENT ON statements with quoted identifiers. content: {sql: string, ' +
    'columns: object[], steps: string[]}.',
  render(env, facts) {
    const { t, v } = env;
    const text = t.tableDocs;
    const tbl = facts.table;
    const q = tbl.qualified;
    const ch = facts.change;
    const title =
      ch.kind === 'added'
        ? text.title.added(q, ch.column ?? '?')
        : ch.kind === 'renamed'
          ? text.title.renamed(q, ch.from ?? '?', ch.column ?? '?')
          : ch.kind === 'retyped'
            ? text.title.retyped(q, ch.column ?? '?', ch.oldType ?? '?', ch.newType ?? '?')
            : text.title.table(q);
    const nullabilityChanged = ch.wasNullable !== null && ch.nullable !== null && ch.wasNullable !== ch.nullable;
    const intro = [
      ch.kind === 'renamed' && ch.from
        ? text.intro.renamed(code(`${q}.${ch.from}`), code(ch.column ?? '?'))
        : undefined,
      ch.kind === 'retyped'
        ? text.intro.retyped(code(`${q}.${ch.column ?? '?'}`), code(ch.oldType ?? '?'), code(ch.newType ?? '?'))
        : undefined,
      (ch.kind === 'retyped' || ch.kind === 'renamed') && nullabilityChanged
        ? text.intro.nullability(code(ch.column ?? '?'), ch.nullable === false)
        : undefined,
    ]
      .filter(Boolean)
      .join(' ');

    const keyOf = (c: ColumnFact): string =>
      [
        c.primaryKey ? text.key.primary : '',
        c.references ? text.key.references(c.references) : '',
        c.unique ? text.key.unique : '',
      ]
        .filter(Boolean)
        .join(', ');
    const columnsTable =
      facts.columns.length > 0
        ? table(
            text.columnHeader,
            facts.columns.map((c) => [
              c.name === ch.column && ch.kind !== 'table' ? `**${c.name}**` : c.name,
              c.type ?? '?',
              c.nullable === null ? '?' : c.nullable ? text.yes : text.no,
              c.default === null ? '' : code(c.default),
              keyOf(c),
            ]),
          )
        : text.noColumns;
    const constraints = facts.tableKnown
      ? [
          facts.primaryKey.length > 0 ? text.primaryKey(facts.primaryKey.map(code).join(', ')) : text.noPrimaryKey,
          ...facts.foreignKeys.map((fk) =>
            text.foreignKey(
              fk.name ? code(fk.name) : undefined,
              fk.columns.map(code).join(', '),
              code(fk.target),
              actionsOf(fk.definition),
            ),
          ),
          ...facts.uniques.map((u) => text.unique(u.map(code).join(', '))),
          ...facts.checks.map((c) => text.check(code(c.name), code(c.definition))),
        ]
      : [];
    const indexes =
      facts.indexes === null
        ? facts.tableKnown && ch.kind === 'table'
          ? text.indexesUnknown
          : undefined
        : facts.indexes.length === 0
          ? text.noIndexes
          : bullets(facts.indexes.map((ix) => text.index(code(ix.name), code(ix.definition))));
    const security =
      ch.kind === 'table' || tbl.rowSecurity !== null
        ? tbl.rowSecurity === true
          ? text.rls.on(code(q))
          : tbl.rowSecurity === false
            ? text.rls.off(code(q))
            : text.rls.unknown(code(q))
        : undefined;

    const adviceLines = facts.advice.map((a): string => {
      switch (a.kind) {
        case 'rlsOff':
          return text.advice.rlsOff(
            code(q),
            code(`alter table ${qualifiedIdent(tbl.schema, tbl.name)} enable row level security;`),
          );
        case 'fkWithoutIndex':
          return text.advice.fkWithoutIndex(
            a.columns.map(code).join(', '),
            code(a.target),
            code(`create index on ${qualifiedIdent(tbl.schema, tbl.name)} (${a.columns.map(quoteIdent).join(', ')});`),
          );
        case 'noPrimaryKey':
          return text.advice.noPrimaryKey(code(q));
        case 'notNullWithoutDefault':
          return text.advice.notNullWithoutDefault(code(a.column));
        default:
          return text.advice.becameNotNull(code(a.column));
      }
    });
    if (ch.kind === 'renamed' && ch.from) adviceLines.push(...text.advice.renamed(code(ch.from)));
    if (ch.kind === 'retyped') {
      adviceLines.push(
        ...text.advice.retyped(
          code(ch.column ?? '?'),
          code(ch.oldType ?? '?'),
          code(ch.newType ?? '?'),
          rewritesTable(ch.oldType, ch.newType),
        ),
      );
      if (/^(bigint|int8)$/i.test(ch.newType ?? '') && !/^(bigint|int8)$/i.test(ch.oldType ?? ''))
        adviceLines.push(text.advice.bigintInJs(code(ch.column ?? '?')));
    }

    const documented = ch.kind === 'table' ? facts.columns : facts.columns.filter((c) => c.name === ch.column);
    const statements: string[] = [];
    if (ch.kind === 'table' && !tbl.comment) {
      statements.push(
        `COMMENT ON TABLE ${qualifiedIdent(tbl.schema, tbl.name)} IS ` +
          `${quoteLiteral(text.describe.table(words(tbl.name), singular(words(tbl.name))))};`,
      );
    }
    for (const c of documented) {
      if (c.comment) continue;
      statements.push(
        `COMMENT ON COLUMN ${qualifiedIdent(tbl.schema, tbl.name, c.name)} IS ` +
          `${quoteLiteral(describeColumn(text.describe, c, tbl.name))};`,
      );
    }
    const sql = statements.join('\n');
    const slug = `document_${tbl.name}${ch.column ? `_${ch.column}` : ''}`.replace(/[^a-zA-Z0-9_]/g, '_').toLowerCase();
    const followUps = [
      text.followUps.types(code('supabase gen types typescript --linked > types/supabase.ts')),
      text.followUps.migration(code(`supabase migration new ${slug}`), code('supabase db push')),
    ];

    return {
      title: `${emojiIfLots(v, EMOJI_SETS.docs, 0)}${title}`,
      body: joinSections([
        intro || undefined,
        section(text.headings.columns, `${tbl.comment ? `${tbl.comment}\n\n` : ''}${columnsTable}`),
        constraints.length > 0 && section(text.headings.constraints, bullets(constraints)),
        indexes && section(text.headings.indexes, indexes),
        security && section(text.headings.security, security),
        adviceLines.length > 0 && section(text.headings.advice, bullets(adviceLines)),
        statements.length > 0 && section(text.headings.comments, fence('sql', sql)),
        v.length !== 'short' && section(text.headings.followUps, bullets(followUps)),
      ]),
      content: {
        table: { schema: tbl.schema, name: tbl.name },
        ...(ch.column ? { column: ch.column } : {}),
        ...(ch.from ? { renamedFrom: ch.from } : {}),
        columns: facts.columns.map((c) => ({
          name: c.name,
          type: c.type,
          nullable: c.nullable,
          default: c.default,
          key: keyOf(c) || null,
        })),
        rowSecurity: tbl.rowSecurity,
        advice: facts.advice,
        sql,
        steps: [...adviceLines, ...followUps],
        // The same statements, one each, for accepting to run them (commentStatements.ts checks them).
        ...(statements.length > 0 ? { apply: { statements } } : {}),
      },
    };
  },
});
