import { createHash } from 'node:crypto';

import type { ColumnSnapshot, ConstraintSnapshot, SchemaSnapshot, TableSnapshot } from './schemaSnapshot.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

/**
 * Differences between two catalog snapshots, told apart by object ids:
 * a table is its pg_class oid, a column is (table oid, attnum), a constraint is its oid.
 * So `alter table rename column a to b` is one rename, not a drop plus an add.
 */
interface ChangeBase {
  /** Same change, same key: a poll and a trigger-driven diff that see one change store one event. */
  dedupeKey: string;
  /** The table as it is now (as it was, for a dropped table). */
  schema: string;
  table: string;
  tableOid: string;
}

export interface TableName {
  schema: string;
  name: string;
}
export interface ColumnDefinition {
  default: string | null;
  identity: ColumnSnapshot['identity'];
  generated: string | null;
}

export type SchemaChange = ChangeBase &
  (
    | { kind: 'table.created'; after: TableSnapshot }
    | { kind: 'table.dropped'; before: TableSnapshot }
    | { kind: 'table.renamed'; before: TableName; after: TableName }
    | { kind: 'table.comment_changed'; before: string | null; after: string | null }
    | { kind: 'table.rls_changed'; before: boolean; after: boolean }
    | { kind: 'column.added'; column: string; after: ColumnSnapshot }
    /** `constraints`: those PostgreSQL dropped along with the column (not reported separately). */
    | { kind: 'column.dropped'; column: string; before: ColumnSnapshot; constraints: ConstraintSnapshot[] }
    | {
        kind:
          | 'column.renamed'
          | 'column.retyped'
          | 'column.nullability_changed'
          | 'column.default_changed'
          | 'column.comment_changed';
        column: string;
        before: ColumnSnapshot;
        after: ColumnSnapshot;
      }
    | { kind: 'constraint.added'; constraint: string; after: ConstraintSnapshot }
    | { kind: 'constraint.dropped'; constraint: string; before: ConstraintSnapshot }
    | {
        kind: 'constraint.renamed' | 'constraint.altered';
        constraint: string;
        before: ConstraintSnapshot;
        after: ConstraintSnapshot;
      }
  );

export type SchemaChangeKind = SchemaChange['kind'];

const EVENT_TYPES: Partial<Record<SchemaChangeKind, EventType>> = {
  'table.created': 'supabase.table.created',
  'table.dropped': 'supabase.table.dropped',
  'column.added': 'supabase.column.added',
  'column.dropped': 'supabase.column.dropped',
  'column.renamed': 'supabase.column.renamed',
  'column.retyped': 'supabase.column.retyped',
  'constraint.added': 'supabase.constraint.changed',
  'constraint.dropped': 'supabase.constraint.changed',
  'constraint.renamed': 'supabase.constraint.changed',
  'constraint.altered': 'supabase.constraint.changed',
};

/** The seed's name. Kinds without an event of their own (renamed table, comments, RLS...) are schema.changed. */
export function schemaChangeToEventType(change: SchemaChange): EventType {
  return EVENT_TYPES[change.kind] ?? 'supabase.schema.changed';
}

// Order within a table: the table itself, then columns, then constraints.
const KIND_RANK: Record<SchemaChangeKind, number> = {
  'table.created': 0,
  'table.dropped': 1,
  'table.renamed': 2,
  'table.comment_changed': 3,
  'table.rls_changed': 4,
  'column.added': 10,
  'column.dropped': 11,
  'column.renamed': 12,
  'column.retyped': 13,
  'column.nullability_changed': 14,
  'column.default_changed': 15,
  'column.comment_changed': 16,
  'constraint.added': 20,
  'constraint.dropped': 21,
  'constraint.renamed': 22,
  'constraint.altered': 23,
};

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/**
 * Object ids + kind + a hash of the definition before and after. Including the definitions makes
 * a later, different change to the same column a new key; the trade-off is that exactly the same
 * transition repeated (int -> bigint, back, and to bigint again) is taken for the first one.
 */
function key(kind: SchemaChangeKind, ids: string, definition: unknown): string {
  return `${kind}:${ids}:${hashOf(definition)}`;
}

const columnDefinition = (c: ColumnSnapshot): ColumnDefinition => ({
  default: c.default,
  identity: c.identity,
  generated: c.generated,
});

type Subject = { rank: number; sub: string };

export function diffSchemas(previous: SchemaSnapshot, current: SchemaSnapshot): SchemaChange[] {
  const out: Array<{ change: SchemaChange; subject: Subject }> = [];
  const emit = (change: SchemaChange, sub: string | number = '') =>
    out.push({
      change,
      subject: { rank: KIND_RANK[change.kind], sub: typeof sub === 'number' ? String(sub).padStart(6, '0') : sub },
    });

  const currentByOid = new Map(current.tables.map((t) => [t.oid, t]));
  const pairs: Array<{ before: TableSnapshot; after: TableSnapshot; sameOid: boolean }> = [];
  const droppedCandidates: TableSnapshot[] = [];
  const matchedCurrent = new Set<string>();
  for (const before of previous.tables) {
    const after = currentByOid.get(before.oid);
    if (after) {
      pairs.push({ before, after, sameOid: true });
      matchedCurrent.add(after.oid);
    } else droppedCandidates.push(before);
  }
  // A restored or reset database (`supabase db reset`, pg_dump | psql) gives every table a new
  // oid. Pairing leftovers by qualified name diffs their content instead of announcing every
  // table dropped and created again; a real drop + create of one name is then a content diff.
  const createdByName = new Map(
    current.tables.filter((t) => !matchedCurrent.has(t.oid)).map((t) => [`${t.schema}.${t.name}`, t]),
  );
  for (const before of droppedCandidates) {
    const qualified = `${before.schema}.${before.name}`;
    const after = createdByName.get(qualified);
    if (after) {
      pairs.push({ before, after, sameOid: false });
      createdByName.delete(qualified);
    } else {
      const base = { schema: before.schema, table: before.name, tableOid: before.oid };
      emit({
        ...base,
        kind: 'table.dropped',
        before,
        dedupeKey: key('table.dropped', before.oid, [before.schema, before.name]),
      });
    }
  }
  for (const after of createdByName.values()) {
    // Only the name in the key: two observers may see the new table with different columns.
    const base = { schema: after.schema, table: after.name, tableOid: after.oid };
    emit({
      ...base,
      kind: 'table.created',
      after,
      dedupeKey: key('table.created', after.oid, [after.schema, after.name]),
    });
  }
  for (const pair of pairs) diffTable(pair.before, pair.after, pair.sameOid, emit);

  return out
    .sort(
      (a, b) =>
        compare(a.change.schema, b.change.schema) ||
        compare(a.change.table, b.change.table) ||
        compare(a.change.tableOid, b.change.tableOid) ||
        a.subject.rank - b.subject.rank ||
        compare(a.subject.sub, b.subject.sub),
    )
    .map((x) => x.change);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function diffTable(
  before: TableSnapshot,
  after: TableSnapshot,
  sameOid: boolean,
  emit: (change: SchemaChange, sub?: string | number) => void,
): void {
  const base = { schema: after.schema, table: after.name, tableOid: after.oid };
  const id = after.oid;
  if (before.schema !== after.schema || before.name !== after.name) {
    const b = { schema: before.schema, name: before.name };
    const a = { schema: after.schema, name: after.name };
    emit({ ...base, kind: 'table.renamed', before: b, after: a, dedupeKey: key('table.renamed', id, [b, a]) });
  }
  if (before.comment !== after.comment) {
    emit({
      ...base,
      kind: 'table.comment_changed',
      before: before.comment,
      after: after.comment,
      dedupeKey: key('table.comment_changed', id, [before.comment, after.comment]),
    });
  }
  if (before.rowSecurity !== after.rowSecurity) {
    emit({
      ...base,
      kind: 'table.rls_changed',
      before: before.rowSecurity,
      after: after.rowSecurity,
      dedupeKey: key('table.rls_changed', id, [before.rowSecurity, after.rowSecurity]),
    });
  }

  // Same oid: attnum identifies a column across renames. A table recreated under the same name
  // has unrelated attnums, so there only names can pair columns.
  const columnKey = (c: ColumnSnapshot) => (sameOid ? String(c.attnum) : c.name);
  const afterColumns = new Map(after.columns.map((c) => [columnKey(c), c]));
  const beforeColumns = new Map(before.columns.map((c) => [columnKey(c), c]));
  const droppedAttnums = new Set<number>();
  const dropped: ColumnSnapshot[] = [];
  for (const b of before.columns) {
    const a = afterColumns.get(columnKey(b));
    if (!a) {
      droppedAttnums.add(b.attnum);
      dropped.push(b);
      continue;
    }
    const colId = `${id}.${a.attnum}`;
    const col = { ...base, column: a.name, before: b, after: a };
    if (b.name !== a.name)
      emit({ ...col, kind: 'column.renamed', dedupeKey: key('column.renamed', colId, [b.name, a.name]) }, a.attnum);
    if (b.type !== a.type)
      emit({ ...col, kind: 'column.retyped', dedupeKey: key('column.retyped', colId, [b.type, a.type]) }, a.attnum);
    if (b.notNull !== a.notNull) {
      emit(
        {
          ...col,
          kind: 'column.nullability_changed',
          dedupeKey: key('column.nullability_changed', colId, [b.notNull, a.notNull]),
        },
        a.attnum,
      );
    }
    if (b.default !== a.default || b.identity !== a.identity || b.generated !== a.generated) {
      emit(
        {
          ...col,
          kind: 'column.default_changed',
          dedupeKey: key('column.default_changed', colId, [columnDefinition(b), columnDefinition(a)]),
        },
        a.attnum,
      );
    }
    if (b.comment !== a.comment) {
      emit(
        {
          ...col,
          kind: 'column.comment_changed',
          dedupeKey: key('column.comment_changed', colId, [b.comment, a.comment]),
        },
        a.attnum,
      );
    }
  }
  for (const a of after.columns) {
    if (beforeColumns.has(columnKey(a))) continue;
    emit(
      {
        ...base,
        kind: 'column.added',
        column: a.name,
        after: a,
        dedupeKey: key('column.added', `${id}.${a.attnum}`, [a.name, a.type]),
      },
      a.attnum,
    );
  }

  // PostgreSQL drops a constraint with any of its columns: report it inside column.dropped.
  const impliedByDrop = (c: ConstraintSnapshot) => c.columns.some((n) => droppedAttnums.has(n));
  for (const b of dropped) {
    const constraints = before.constraints.filter((c) => c.columns.includes(b.attnum));
    emit(
      {
        ...base,
        kind: 'column.dropped',
        column: b.name,
        before: b,
        constraints,
        dedupeKey: key('column.dropped', `${before.oid}.${b.attnum}`, [b.name, b.type]),
      },
      b.attnum,
    );
  }
  diffConstraints(before, after, impliedByDrop, base, emit);
}

function diffConstraints(
  before: TableSnapshot,
  after: TableSnapshot,
  impliedByDrop: (c: ConstraintSnapshot) => boolean,
  base: Omit<ChangeBase, 'dedupeKey'>,
  emit: (change: SchemaChange, sub?: string | number) => void,
): void {
  const afterByOid = new Map(after.constraints.map((c) => [c.oid, c]));
  const leftBefore: ConstraintSnapshot[] = [];
  const matched = new Set<string>();
  for (const b of before.constraints) {
    const a = afterByOid.get(b.oid);
    if (!a) {
      leftBefore.push(b);
      continue;
    }
    matched.add(a.oid);
    const con = { ...base, constraint: a.name, before: b, after: a };
    if (b.name !== a.name)
      emit(
        { ...con, kind: 'constraint.renamed', dedupeKey: key('constraint.renamed', a.oid, [b.name, a.name]) },
        a.name,
      );
    // The signature, not the text: a column rename rewrites the text of every constraint on it.
    if (b.signature !== a.signature) {
      emit(
        { ...con, kind: 'constraint.altered', dedupeKey: key('constraint.altered', a.oid, [b.signature, a.signature]) },
        a.name,
      );
    }
  }
  // ALTER COLUMN TYPE rebuilds the constraints on that column under new oids and the same name:
  // same name and definition is the same constraint; same name and a new definition is altered.
  const leftAfterByName = new Map(after.constraints.filter((c) => !matched.has(c.oid)).map((c) => [c.name, c]));
  for (const b of leftBefore) {
    const a = leftAfterByName.get(b.name);
    if (a && a.type === b.type) {
      leftAfterByName.delete(b.name);
      if (a.definition !== b.definition) {
        emit(
          {
            ...base,
            kind: 'constraint.altered',
            constraint: a.name,
            before: b,
            after: a,
            dedupeKey: key('constraint.altered', a.oid, [b.definition, a.definition]),
          },
          a.name,
        );
      }
    } else if (!impliedByDrop(b)) {
      emit(
        {
          ...base,
          kind: 'constraint.dropped',
          constraint: b.name,
          before: b,
          dedupeKey: key('constraint.dropped', b.oid, [b.name, b.definition]),
        },
        b.name,
      );
    }
  }
  for (const a of leftAfterByName.values()) {
    emit(
      {
        ...base,
        kind: 'constraint.added',
        constraint: a.name,
        after: a,
        dedupeKey: key('constraint.added', a.oid, [a.name, a.definition]),
      },
      a.name,
    );
  }
}
