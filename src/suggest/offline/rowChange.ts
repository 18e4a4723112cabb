/**
 * supabase.row.inserted / updated / deleted: a short note. Row events rarely deserve a suggestion
 * (the pipeline usually filters them); when one gets through, say what happened without copying
 * row values, which may be personal data.
 */
import { at, obj, str } from '../payload.js';
import { qualified, readTableRef } from '../supabaseFacts.js';
import { code, joinSections } from './markdown.js';
import type { Template } from './templateEnv.js';

const VERB: Record<string, string> = {
  'supabase.row.inserted': 'inserted into',
  'supabase.row.updated': 'updated in',
  'supabase.row.deleted': 'deleted from',
};

export const rowChange: Template = (env) => {
  const { input } = env;
  const payload = input.eventData;
  const ref = readTableRef(payload) ?? { schema: 'public', name: 'unknown_table' };
  const record = obj(at(payload, 'record'));
  const old = obj(at(payload, 'old_record'));
  const id = str(record?.id) ?? str(old?.id);
  const changed =
    record && old
      ? Object.keys(record)
          .filter((k) => JSON.stringify(record[k]) !== JSON.stringify(old[k]))
          .sort()
      : [];
  const where = qualified(ref);
  return {
    title: `Row ${VERB[input.eventType] ?? 'changed in'} ${where}${id ? ` (id ${id})` : ''}`,
    body: joinSections([
      `A row was ${VERB[input.eventType] ?? 'changed in'} ${code(where)}${id ? ` (id ${code(id)})` : ''}.`,
      changed.length > 0 && `Changed columns: ${changed.map(code).join(', ')}.`,
      'Row events rarely need action. To stop these notes, filter this table out in your preferences.',
    ]),
    content: { table: { schema: ref.schema, name: ref.name }, id: id ?? null, changedColumns: changed },
  };
};
