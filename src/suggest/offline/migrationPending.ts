/**
 * supabase.migration.pending: which files are waiting and the command that applies them.
 * `supabase db push` applies local migrations to the linked (remote) project; `supabase migration
 * up` applies them to the local development database. Lookout's migrations check also reports
 * a file older than the last applied version (out_of_order: push skips it without
 * --include-all) and a version applied remotely with no local file (missing_locally).
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import { at, bool, str } from '../payload.js';
import { readMigrations } from '../supabaseFacts.js';
import { bullets, code, fence, joinSections, section } from './markdown.js';
import type { Template } from './templateEnv.js';

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

interface Plan {
  commands: string[];
  why: string[];
  heading: string;
}

function planFor(status: string, local: boolean, version: string | undefined, latestApplied: string | undefined): Plan {
  if (status === 'missing_locally') {
    return {
      heading: 'Bring the history back in sync',
      commands: [
        'supabase migration list',
        'supabase migration fetch',
        `supabase migration repair --status reverted ${version ?? '<version>'}`,
      ],
      why: [
        'Shows local and remote versions side by side.',
        'Downloads the applied migrations that are missing from the local folder (commit them).',
        'Only if the migration was removed on purpose: marks it as not applied in the remote history.',
      ],
    };
  }
  if (status === 'out_of_order') {
    return {
      heading: 'Apply (linked project)',
      commands: [
        'supabase migration list',
        'supabase db push --include-all --dry-run',
        'supabase db push --include-all',
      ],
      why: [
        'Shows local and remote versions side by side.',
        `Previews the run: this file is older than the last applied version${latestApplied ? ` (${latestApplied})` : ''}, so a plain push skips it.`,
        'Applies it; check first that it does not depend on being run before the newer ones.',
      ],
    };
  }
  return local
    ? {
        heading: 'Apply (local database)',
        commands: ['supabase migration list --local', 'supabase migration up'],
        why: ['Compares local files and applied migrations.', 'Applies the pending ones to the local database.'],
      }
    : {
        heading: 'Apply (linked project)',
        commands: ['supabase migration list', 'supabase db push --dry-run', 'supabase db push'],
        why: [
          'Compares local and remote migrations.',
          'Previews what would run, without applying.',
          'Applies them to the linked project.',
        ],
      };
}

export const migrationPending: Template = (env) => {
  const { v, input } = env;
  const payload = input.eventData;
  const files = readMigrations(payload);
  const dir = str(at(payload, 'migrationsDir')) ?? str(at(payload, 'dir')) ?? 'supabase/migrations';
  const status = str(at(payload, 'status')) ?? 'pending';
  const local = (str(at(payload, 'target')) ?? (bool(at(payload, 'local')) ? 'local' : 'remote')) === 'local';
  const version = str(at(payload, 'version')) ?? files[0]?.version;
  const plan = planFor(status, local, version, str(at(payload, 'latestApplied')));
  const names = files.map((f) => baseName(f.name));

  const subject =
    names.length === 0
      ? 'pending migrations'
      : names.length === 1
        ? names[0]
        : `${names.length} pending migrations (${names[0]} … ${names[names.length - 1]})`;
  const title =
    status === 'missing_locally'
      ? `Migration ${version ?? subject} is applied but missing from ${dir}`
      : status === 'out_of_order'
        ? `Apply out-of-order migration ${subject}`
        : `Apply ${names.length === 1 ? 'pending migration ' : ''}${subject}`;

  return {
    title: `${emojiIfLots(v, EMOJI_SETS.alert, 0)}${title}`,
    body: joinSections([
      section(
        status === 'missing_locally' ? 'Missing locally' : 'Pending',
        status === 'missing_locally'
          ? bullets([`version ${code(version ?? '?')}${names[0] && names[0] !== version ? ` (${names[0]})` : ''}`])
          : names.length > 0
            ? bullets(
                files.map((f) => `${code(`${dir}/${baseName(f.name)}`)}${f.version ? ` (version ${f.version})` : ''}`),
              )
            : version
              ? bullets([`version ${code(version)}`])
              : 'The event listed no file names; run the first command below to see them.',
      ),
      section(plan.heading, fence('sh', plan.commands.join('\n'))),
      v.length !== 'short' && section('Why', bullets(plan.commands.map((c, i) => `${code(c)}: ${plan.why[i] ?? ''}`))),
    ]),
    content: {
      files: names,
      version: version ?? null,
      status,
      migrationsDir: dir,
      target: local ? 'local' : 'remote',
      commands: plan.commands,
      command: plan.commands[plan.commands.length - 1],
    },
  };
};
