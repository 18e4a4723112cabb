import { type EventSpec, type Payload, read, suggestionModule } from '../../events/eventSpec.js';
import type { Preferences } from '../../preferences.js';
import { migrationPending } from '../../suggest/eventTypes/migrationPending.js';
import { minorEvents } from '../../suggest/eventTypes/minorEvents.js';
import { schemaChangelog } from '../../suggest/eventTypes/schemaChangelog.js';
import { tableDocs } from '../../suggest/eventTypes/tableDocs.js';

/** The event types the Supabase source emits: schema changes, pending migrations, row changes. */

/** The user's database filters: only tables in these schemas, only these tables (name or schema.name). */
function tableFilter(p: Payload, f: Preferences['filters']): boolean {
  const schema = read.str(p.schema);
  const table = read.str(p.table);
  if (f.schemas?.length && !(schema && f.schemas.includes(schema))) return false;
  if (f.tables?.length) {
    const named =
      table && (f.tables.includes(table) || (schema !== undefined && f.tables.includes(`${schema}.${table}`)));
    if (!named) return false;
  }
  return true;
}

const table = { filter: tableFilter, decisionFields: ['schema', 'table'] } satisfies Partial<EventSpec>;
const docs = suggestionModule(tableDocs);
const changelog = suggestionModule(schemaChangelog);
const row = suggestionModule(minorEvents);

export const SUPABASE_EVENT_TYPES = [
  'supabase.schema.changed',
  'supabase.table.created',
  'supabase.table.dropped',
  'supabase.column.added',
  'supabase.column.dropped',
  'supabase.column.renamed',
  'supabase.column.retyped',
  'supabase.constraint.changed',
  'supabase.migration.pending',
  'supabase.row.inserted',
  'supabase.row.updated',
  'supabase.row.deleted',
] as const;
export type SupabaseEventType = (typeof SUPABASE_EVENT_TYPES)[number];

/** A missing or extra entry is a compile error: every type has exactly one spec. */
export const supabaseEventSpecs: Readonly<Record<SupabaseEventType, EventSpec>> = {
  'supabase.schema.changed': {
    label: 'Schema changed',
    handling: 'suggest',
    importance: 35,
    coalesce: 'debounce',
    suggestion: changelog,
    ...table,
  },
  'supabase.table.created': {
    label: 'Table created',
    handling: 'suggest',
    importance: 75,
    coalesce: 'batch',
    suggestion: docs,
    ...table,
  },
  'supabase.table.dropped': {
    label: 'Table dropped',
    handling: 'suggest',
    importance: 65,
    coalesce: 'batch',
    suggestion: changelog,
    ...table,
  },
  'supabase.column.added': {
    label: 'Column added',
    handling: 'suggest',
    importance: 60,
    coalesce: 'batch',
    suggestion: docs,
    ...table,
  },
  'supabase.column.dropped': {
    label: 'Column dropped',
    handling: 'suggest',
    importance: 55,
    coalesce: 'batch',
    suggestion: changelog,
    ...table,
  },
  'supabase.column.renamed': {
    label: 'Column renamed',
    handling: 'suggest',
    importance: 50,
    coalesce: 'none',
    suggestion: docs,
    ...table,
  },
  'supabase.column.retyped': {
    label: 'Column retyped',
    handling: 'suggest',
    importance: 60,
    coalesce: 'none',
    suggestion: docs,
    ...table,
  },
  'supabase.constraint.changed': {
    label: 'Constraint changed',
    handling: 'suggest',
    importance: 45,
    coalesce: 'none',
    suggestion: changelog,
    ...table,
  },
  'supabase.migration.pending': {
    label: 'Migration pending',
    handling: 'suggest',
    importance: 80,
    coalesce: 'none',
    suggestion: suggestionModule(migrationPending),
  },
  'supabase.row.inserted': {
    label: 'Row inserted',
    handling: 'keep',
    importance: 20,
    coalesce: 'none',
    suggestion: row,
  },
  'supabase.row.updated': { label: 'Row updated', handling: 'keep', importance: 20, coalesce: 'none', suggestion: row },
  'supabase.row.deleted': { label: 'Row deleted', handling: 'keep', importance: 20, coalesce: 'none', suggestion: row },
};
