/**
 * supabase.schema.changed / table.dropped / column.dropped / constraint.changed: a changelog entry
 * in Keep a Changelog style (Added / Changed / Removed), ready for CHANGELOG.md or a pull request,
 * and the follow-ups a DBA would do (RLS switched off is called out with the statement to undo it).
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import type { Category } from '../i18n/texts.js';
import { at, list, str } from '../payload.js';
import { qualified, readColumnChange, readTableRef } from '../supabaseFacts.js';
import { bullets, code, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';

type Entry = { category: Category; table: string | null } & (
  | { kind: 'tableRenamed'; before: string; after: string }
  | { kind: 'tableComment'; comment: string | null }
  | { kind: 'rls'; enabled: boolean }
  | { kind: 'nullability'; column: string; notNull: boolean }
  | { kind: 'default'; column: string; before: string | null; after: string | null }
  | { kind: 'columnComment'; column: string }
  | { kind: 'constraint'; name: string; before: string | null; after: string | null; renamedFrom: string | null }
  | { kind: 'columnRenamed'; before: string; after: string }
  | { kind: 'columnRetyped'; column: string; before: string; after: string }
  | { kind: 'column'; column: string; type: string | null }
  | { kind: 'table'; columns: number | null }
  | { kind: 'ddl'; tag: string; objectType: string | null; object: string | null }
  | { kind: 'text'; text: string }
);

export interface SchemaChangelogFacts {
  /** YYYY-MM-DD of the change, or null ("Unreleased"). */
  date: string | null;
  entries: Entry[];
  tables: string[];
  fromMigration: boolean;
}

function categoryOf(kind: string): Category {
  if (/(drop|remove|delete)/i.test(kind)) return 'removed';
  if (/(creat|add)/i.test(kind)) return 'added';
  return 'changed';
}

function entryOf(change: unknown, eventKind: string, isWholeEvent: boolean): Entry | undefined {
  // `kind` is precise when present (Lookout's schema diff). Otherwise a single-change event's kind
  // is its event type: there `type` may be a column's data type, not a kind.
  const kind =
    str(at(change, 'kind')) ??
    (isWholeEvent && eventKind !== 'changed'
      ? eventKind
      : (str(at(change, 'action')) ?? str(at(change, 'type')) ?? eventKind));
  if (kind === 'ddl' || str(at(change, 'commandTag'))) {
    const tag = str(at(change, 'commandTag'));
    if (!tag) return undefined;
    return {
      category: categoryOf(tag.split(' ')[0] ?? tag),
      table: null,
      kind: 'ddl',
      tag,
      objectType: str(at(change, 'objectType')) ?? null,
      object: str(at(change, 'objectIdentity')) ?? null,
    };
  }
  const ref = readTableRef(change);
  const where = ref ? qualified(ref) : null;
  const column = str(at(change, 'column'));
  if (where) {
    switch (kind) {
      case 'table.renamed':
        return {
          category: 'changed',
          table: where,
          kind: 'tableRenamed',
          before: `${str(at(change, 'before', 'schema')) ?? '?'}.${str(at(change, 'before', 'name')) ?? '?'}`,
          after: where,
        };
      case 'table.comment_changed':
        return { category: 'changed', table: where, kind: 'tableComment', comment: str(at(change, 'after')) ?? null };
      case 'table.rls_changed':
        return { category: 'changed', table: where, kind: 'rls', enabled: at(change, 'after') === true };
      case 'column.nullability_changed':
        return {
          category: 'changed',
          table: where,
          kind: 'nullability',
          column: column ?? '?',
          notNull: at(change, 'after', 'notNull') === true,
        };
      case 'column.default_changed':
        return {
          category: 'changed',
          table: where,
          kind: 'default',
          column: column ?? '?',
          before: str(at(change, 'before', 'default')) ?? null,
          after: str(at(change, 'after', 'default')) ?? null,
        };
      case 'column.comment_changed':
        return { category: 'changed', table: where, kind: 'columnComment', column: column ?? '?' };
      default:
        break;
    }
  }
  const category = categoryOf(kind);
  const constraintValue = at(change, 'constraint');
  const constraint = typeof constraintValue === 'string' ? constraintValue : str(at(constraintValue, 'name'));
  if (constraint || /constraint/i.test(kind)) {
    const before =
      str(at(change, 'before', 'definition')) ??
      str(at(change, 'old_definition')) ??
      (typeof at(change, 'before') === 'string' ? str(at(change, 'before')) : undefined);
    const after =
      str(at(change, 'after', 'definition')) ??
      str(at(change, 'definition')) ??
      str(at(constraintValue, 'definition')) ??
      (typeof at(change, 'after') === 'string' ? str(at(change, 'after')) : undefined);
    return {
      category,
      table: where,
      kind: 'constraint',
      name: constraint ?? '?',
      before: before ?? null,
      after: after ?? null,
      renamedFrom: kind === 'constraint.renamed' ? (str(at(change, 'before', 'name')) ?? null) : null,
    };
  }
  const col =
    at(change, 'column') !== undefined || at(change, 'column_name') !== undefined
      ? readColumnChange(change)
      : undefined;
  if (col && where) {
    if (col.from && /renam/i.test(kind))
      return { category: 'changed', table: where, kind: 'columnRenamed', before: col.from, after: col.column };
    if (col.oldType && col.newType && col.oldType !== col.newType)
      return {
        category: 'changed',
        table: where,
        kind: 'columnRetyped',
        column: col.column,
        before: col.oldType,
        after: col.newType,
      };
    const type =
      col.newType ??
      col.oldType ??
      (isWholeEvent && eventKind !== 'changed' ? (str(at(change, 'data_type')) ?? str(at(change, 'type'))) : undefined);
    return { category, table: where, kind: 'column', column: col.column, type: type ?? null };
  }
  if (where) {
    const columns = list(at(change, 'before', 'columns')).length || list(at(change, 'after', 'columns')).length;
    return { category, table: where, kind: 'table', columns: columns || null };
  }
  const detail = str(at(change, 'description')) ?? str(at(change, 'summary'));
  return detail ? { category, table: null, kind: 'text', text: detail } : undefined;
}

const KIND_BY_EVENT: Record<string, string> = {
  'supabase.table.dropped': 'table.dropped',
  'supabase.column.dropped': 'column.dropped',
  'supabase.constraint.changed': 'constraint.changed',
  'supabase.schema.changed': 'changed',
};

function dateOf(payload: unknown, occurredAt: string | undefined): string | null {
  const raw =
    str(at(payload, 'detectedAt')) ??
    str(at(payload, 'detected_at')) ??
    str(at(payload, 'changedAt')) ??
    str(at(payload, 'occurredAt')) ??
    str(at(payload, 'at')) ??
    str(at(payload, 'timestamp')) ??
    occurredAt;
  const t = raw ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}

export const schemaChangelog = defineEventType<SchemaChangelogFacts>({
  needs: [],
  customerFacing: false,
  facts(input) {
    const payload = input.eventData;
    const kind = KIND_BY_EVENT[input.eventType] ?? 'changed';
    const listed = list(at(payload, 'changes'));
    const entries = (listed.length > 0 ? listed : [payload])
      .map((c) => entryOf(c, kind, listed.length === 0))
      .filter((e): e is Entry => e !== undefined);
    return {
      date: dateOf(payload, input.occurredAt),
      entries,
      tables: [...new Set(entries.map((e) => e.table).filter((t): t is string => t !== null))],
      fromMigration: at(payload, 'migration') !== undefined,
    };
  },
  task:
    'Write a changelog entry (Added / Changed / Removed, in the user language) for the changes given, then ' +
    'follow-ups (re-enable row level security when it was disabled, with the statement). content: {changelog: ' +
    'string, steps: string[]}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text = t.schemaChangelog;
    const e = text.entry;
    const line = (x: Entry): string => {
      const table = x.table ?? '';
      switch (x.kind) {
        case 'tableRenamed':
          return e.tableRenamed(code(x.before), code(x.after));
        case 'tableComment':
          return e.tableComment(code(table), x.comment ?? undefined);
        case 'rls':
          return x.enabled ? e.rlsEnabled(code(table)) : e.rlsDisabled(code(table));
        case 'nullability':
          return e.nullability(code(`${table}.${x.column}`), x.notNull);
        case 'default':
          return e.default(
            code(`${table}.${x.column}`),
            x.before ? code(x.before) : e.none,
            x.after ? code(x.after) : e.none,
          );
        case 'columnComment':
          return e.columnComment(code(`${table}.${x.column}`));
        case 'constraint': {
          const detail = x.renamedFrom
            ? e.constraintRenamedFrom(code(x.renamedFrom))
            : x.before && x.after && x.before !== x.after
              ? `: ${code(x.before)} → ${code(x.after)}`
              : x.after
                ? `: ${code(x.after)}`
                : x.before
                  ? e.constraintWas(code(x.before))
                  : '';
          return e.constraint(code(x.name), x.table ? code(x.table) : undefined, detail);
        }
        case 'columnRenamed':
          return e.columnRenamed(code(`${table}.${x.before}`), code(x.after));
        case 'columnRetyped':
          return e.columnRetyped(code(`${table}.${x.column}`), code(x.before), code(x.after));
        case 'column':
          return e.column(code(`${table}.${x.column}`), x.type ?? undefined);
        case 'table':
          return e.table(code(table), x.columns !== null ? f.integer(x.columns) : undefined);
        case 'ddl':
          return e.ddl(
            x.tag,
            x.objectType && !x.tag.toLowerCase().includes(x.objectType) ? x.objectType : undefined,
            x.object ? code(x.object) : undefined,
          );
        case 'text':
          return x.text;
      }
    };
    const entries =
      facts.entries.length > 0
        ? facts.entries
        : [{ category: 'changed' as const, table: null, kind: 'text' as const, text: e.noDetails }];
    const groups = (['added', 'changed', 'removed'] as const)
      .map((cat) => {
        const items = entries.filter((x) => x.category === cat).map(line);
        return items.length > 0 ? `### ${text.categories[cat]}\n\n${bullets(items)}` : undefined;
      })
      .filter((g): g is string => g !== undefined);
    // Keep a Changelog levels for pasting into CHANGELOG.md; one level deeper inside the suggestion.
    const changelog = `## [${facts.date ?? text.unreleased}]\n\n${groups.join('\n\n')}`;
    const nested = changelog.replace(/^(#+) /gm, '$1# ');
    const followUps: string[] = [];
    for (const x of entries) {
      if (x.kind === 'rls' && !x.enabled && x.table) {
        followUps.push(
          text.followUps.reEnableRls(code(x.table), code(`alter table ${x.table} enable row level security;`)),
        );
      }
    }
    if (entries.some((x) => x.category === 'removed')) followUps.push(text.followUps.searchRemoved);
    followUps.push(text.followUps.types(code('supabase gen types typescript --linked > types/supabase.ts')));
    if (!facts.fromMigration) followUps.push(text.followUps.captureMigration(code('supabase db diff -f <name>')));
    const subject =
      facts.tables.length > 0
        ? facts.tables.length > 3
          ? text.andMore(facts.tables.slice(0, 3).join(', '), f.integer(facts.tables.length - 3))
          : facts.tables.join(', ')
        : text.databaseSchema;
    const verb =
      env.input.eventType === 'supabase.table.dropped'
        ? 'dropTable'
        : env.input.eventType === 'supabase.column.dropped'
          ? 'dropColumn'
          : 'change';
    return {
      title: `${emojiIfLots(v, EMOJI_SETS.docs, 2)}${text.title(subject, verb)}`,
      body: joinSections([
        section(text.headings.changelog, nested),
        (v.length !== 'short' || followUps.length > 2) && section(text.headings.followUps, bullets(followUps)),
      ]),
      content: {
        tables: facts.tables,
        date: facts.date ?? text.unreleased,
        changes: entries.map((x) => ({ category: x.category, table: x.table, text: line(x) })),
        changelog,
        steps: followUps,
      },
    };
  },
});
