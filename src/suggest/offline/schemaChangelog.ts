/**
 * supabase.schema.changed / table.dropped / column.dropped / constraint.changed: a changelog entry
 * in Keep a Changelog style (Added / Changed / Removed), ready to paste into CHANGELOG.md or a PR.
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import { at, list, str } from '../payload.js';
import { qualified, readColumnChange, readTableRef } from '../supabaseFacts.js';
import { bullets, code, joinSections, section } from './markdown.js';
import type { Template } from './templateEnv.js';

type Category = 'Added' | 'Changed' | 'Removed';

interface Entry {
  category: Category;
  table: string | undefined;
  text: string;
}

function categoryOf(kind: string): Category {
  if (/(drop|remove|delete)/i.test(kind)) return 'Removed';
  if (/(creat|add)/i.test(kind)) return 'Added';
  return 'Changed';
}

/** "`public.orders.total`" */
function columnRef(where: string, column: string): string {
  return code(`${where}.${column}`);
}

/** Changes only Lookout's schema diff reports (renames, comments, RLS, nullability, defaults). */
function diffOnlyEntry(kind: string, change: unknown, where: string): Entry | undefined {
  const column = str(at(change, 'column'));
  switch (kind) {
    case 'table.renamed': {
      const before = `${str(at(change, 'before', 'schema')) ?? '?'}.${str(at(change, 'before', 'name')) ?? '?'}`;
      return { category: 'Changed', table: where, text: `Table ${code(before)} renamed to ${code(where)}` };
    }
    case 'table.comment_changed':
      return {
        category: 'Changed',
        table: where,
        text: `Comment on table ${code(where)} ${str(at(change, 'after')) ? `set to "${str(at(change, 'after'))}"` : 'removed'}`,
      };
    case 'table.rls_changed':
      return at(change, 'after') === true
        ? { category: 'Changed', table: where, text: `Row level security enabled on ${code(where)}` }
        : {
            category: 'Changed',
            table: where,
            text: `Row level security **disabled** on ${code(where)}: every role with table privileges (anon included) can read and write all rows`,
          };
    case 'column.nullability_changed':
      return {
        category: 'Changed',
        table: where,
        text: `Column ${columnRef(where, column ?? '?')} is now ${at(change, 'after', 'notNull') === true ? 'NOT NULL' : 'nullable'}`,
      };
    case 'column.default_changed': {
      const b = str(at(change, 'before', 'default'));
      const a = str(at(change, 'after', 'default'));
      return {
        category: 'Changed',
        table: where,
        text: `Column ${columnRef(where, column ?? '?')} default ${b ? code(b) : 'none'} → ${a ? code(a) : 'none'}`,
      };
    }
    case 'column.comment_changed':
      return {
        category: 'Changed',
        table: where,
        text: `Comment on column ${columnRef(where, column ?? '?')} changed`,
      };
    default:
      return undefined;
  }
}

/** An entry of the DDL event trigger's log: functions, views, policies the table diff cannot see. */
function ddlEntry(change: unknown): Entry | undefined {
  const tag = str(at(change, 'commandTag'));
  if (!tag) return undefined;
  const object = str(at(change, 'objectIdentity'));
  const type = str(at(change, 'objectType'));
  return {
    category: categoryOf(tag.split(' ')[0] ?? tag),
    table: undefined,
    text: `${tag}${type && !tag.toLowerCase().includes(type) ? ` (${type})` : ''}${object ? ` ${code(object)}` : ''}`,
  };
}

/** One change, from whichever spelling the detector used. */
function entryOf(change: unknown, eventKind: string, isWholeEvent: boolean): Entry | undefined {
  // `kind` is precise when present (Lookout's schema diff sets it). Otherwise a single-change
  // event's kind is its event type: there `type` may be a column's data type, not a kind.
  const kind =
    str(at(change, 'kind')) ??
    (isWholeEvent && eventKind !== 'changed'
      ? eventKind
      : (str(at(change, 'action')) ?? str(at(change, 'type')) ?? eventKind));
  if (kind === 'ddl' || str(at(change, 'commandTag'))) return ddlEntry(change);
  const ref = readTableRef(change);
  const where = ref ? qualified(ref) : undefined;
  const category = categoryOf(kind);
  if (where) {
    const special = diffOnlyEntry(kind, change, where);
    if (special) return special;
  }
  const constraintValue = at(change, 'constraint');
  const constraint = typeof constraintValue === 'string' ? constraintValue : str(at(constraintValue, 'name'));
  if (constraint || /constraint/i.test(kind)) {
    const before =
      str(at(change, 'before')) ?? str(at(change, 'before', 'definition')) ?? str(at(change, 'old_definition'));
    const after =
      str(at(change, 'after')) ??
      str(at(change, 'after', 'definition')) ??
      str(at(change, 'definition')) ??
      str(at(constraintValue, 'definition'));
    const renamedFrom = kind === 'constraint.renamed' ? str(at(change, 'before', 'name')) : undefined;
    const def = renamedFrom
      ? ` (renamed from ${code(renamedFrom)})`
      : before && after && before !== after
        ? `: ${code(before)} → ${code(after)}`
        : after
          ? `: ${code(after)}`
          : before
            ? ` (was ${code(before)})`
            : '';
    return {
      category,
      table: where,
      text: `Constraint ${code(constraint ?? '?')}${where ? ` on ${code(where)}` : ''}${def}`,
    };
  }
  const col =
    at(change, 'column') !== undefined || at(change, 'column_name') !== undefined
      ? readColumnChange(change)
      : undefined;
  if (col && where) {
    if (col.from && /renam/i.test(kind))
      return {
        category: 'Changed',
        table: where,
        text: `Column ${columnRef(where, col.from)} renamed to ${code(col.column)}`,
      };
    if (col.oldType && col.newType && col.oldType !== col.newType) {
      return {
        category: 'Changed',
        table: where,
        text: `Column ${columnRef(where, col.column)} type ${code(col.oldType)} → ${code(col.newType)}`,
      };
    }
    const type =
      col.newType ??
      col.oldType ??
      (isWholeEvent && eventKind !== 'changed' ? (str(at(change, 'data_type')) ?? str(at(change, 'type'))) : undefined);
    return { category, table: where, text: `Column ${columnRef(where, col.column)}${type ? ` (${type})` : ''}` };
  }
  if (where) {
    const columns = list(at(change, 'before', 'columns')).length || list(at(change, 'after', 'columns')).length;
    return { category, table: where, text: `Table ${code(where)}${columns ? ` (${columns} columns)` : ''}` };
  }
  const detail = str(at(change, 'description')) ?? str(at(change, 'summary'));
  return detail ? { category, table: undefined, text: detail } : undefined;
}

const KIND_BY_EVENT: Record<string, string> = {
  'supabase.table.dropped': 'table.dropped',
  'supabase.column.dropped': 'column.dropped',
  'supabase.constraint.changed': 'constraint.changed',
  'supabase.schema.changed': 'changed',
};

/** The date of the change from the payload; without one the entry goes under "Unreleased". */
function dateOf(payload: unknown): string {
  const raw =
    str(at(payload, 'detectedAt')) ??
    str(at(payload, 'detected_at')) ??
    str(at(payload, 'changedAt')) ??
    str(at(payload, 'occurredAt')) ??
    str(at(payload, 'at')) ??
    str(at(payload, 'timestamp'));
  const t = raw ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(t) ? 'Unreleased' : new Date(t).toISOString().slice(0, 10);
}

export const schemaChangelog: Template = (env) => {
  const { v, input } = env;
  const payload = input.eventData;
  const kind = KIND_BY_EVENT[input.eventType] ?? 'changed';
  const listed = list(at(payload, 'changes'));
  const entries = (listed.length > 0 ? listed : [payload])
    .map((c) => entryOf(c, kind, listed.length === 0))
    .filter((e): e is Entry => e !== undefined);
  if (entries.length === 0)
    entries.push({ category: 'Changed', table: undefined, text: 'Schema changed (no details in the event)' });

  const tables = [...new Set(entries.map((e) => e.table).filter((t): t is string => t !== undefined))];
  const date = dateOf(payload);
  const groups = (['Added', 'Changed', 'Removed'] as const)
    .map((cat) => {
      const items = entries.filter((e) => e.category === cat).map((e) => e.text);
      return items.length > 0 ? `### ${cat}\n\n${bullets(items)}` : undefined;
    })
    .filter((g): g is string => g !== undefined);
  const changelog = `## [${date}]\n\n${groups.join('\n\n')}`;

  const followUps: string[] = [];
  if (entries.some((e) => e.category === 'Removed')) {
    followUps.push('Search the code, views, functions and RLS policies for what was removed before the next deploy.');
  }
  for (const e of entries.filter((x) => x.table && x.text.includes('Row level security **disabled**'))) {
    followUps.unshift(
      `Re-enable row level security unless ${code(e.table ?? '')} is meant to be public: ${code(`alter table ${e.table} enable row level security;`)}`,
    );
  }
  followUps.push(`Regenerate client types: ${code('supabase gen types typescript --linked > types/supabase.ts')}.`);
  if (at(payload, 'migration') === undefined) {
    followUps.push(
      `If this change was made in the dashboard, capture it as a migration: ${code('supabase db diff -f <name>')}.`,
    );
  }

  const subject =
    tables.length > 0
      ? tables.slice(0, 3).join(', ') + (tables.length > 3 ? ` and ${tables.length - 3} more` : '')
      : 'the database schema';
  const verb =
    input.eventType === 'supabase.table.dropped'
      ? 'dropped table '
      : input.eventType === 'supabase.column.dropped'
        ? 'dropped column on '
        : '';
  return {
    title: `${emojiIfLots(v, EMOJI_SETS.docs, 2)}Changelog entry: ${verb}${subject}`,
    body: joinSections([
      section('Changelog', changelog.replace(/^## /, '### ').replace(/^### (Added|Changed|Removed)$/gm, '#### $1')),
      v.length !== 'short' && section('Follow-ups', bullets(followUps)),
    ]),
    content: {
      tables,
      date,
      changes: entries.map((e) => ({ category: e.category, table: e.table ?? null, text: e.text })),
      changelog,
      steps: followUps,
    },
  };
};
