/**
 * supabase.migration.pending: which files are waiting and the commands that apply them.
 * `supabase db push` applies local migrations to the linked (remote) project; `supabase migration
 * up` applies them to the local development database. Lookout's migrations check also reports a
 * file older than the last applied version (out_of_order: push skips it without --include-all)
 * and a version applied remotely with no local file (missing_locally).
 */
import { EMOJI_SETS, emojiIfLots } from '../emoji.js';
import type { MigrationStep } from '../i18n/texts.js';
import { at, bool, str } from '../payload.js';
import { readMigrations } from '../supabaseFacts.js';
import { bullets, code, fence, joinSections, section } from './markdown.js';
import { defineEventType } from './module.js';

export interface MigrationPendingFacts {
  files: string[];
  versions: Array<string | null>;
  dir: string;
  status: string;
  target: 'local' | 'remote';
  version: string | null;
  latestApplied: string | null;
  steps: Array<{ step: MigrationStep; command: string }>;
}

function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

function planFor(
  status: string,
  local: boolean,
  version: string | undefined,
): Array<{ step: MigrationStep; command: string }> {
  if (status === 'missing_locally') {
    return [
      { step: 'listRemote', command: 'supabase migration list' },
      { step: 'fetch', command: 'supabase migration fetch' },
      { step: 'repair', command: `supabase migration repair --status reverted ${version ?? '<version>'}` },
    ];
  }
  if (status === 'out_of_order') {
    return [
      { step: 'listRemote', command: 'supabase migration list' },
      { step: 'pushDryRunAll', command: 'supabase db push --include-all --dry-run' },
      { step: 'pushAll', command: 'supabase db push --include-all' },
    ];
  }
  return local
    ? [
        { step: 'listLocal', command: 'supabase migration list --local' },
        { step: 'up', command: 'supabase migration up' },
      ]
    : [
        { step: 'listRemote', command: 'supabase migration list' },
        { step: 'pushDryRun', command: 'supabase db push --dry-run' },
        { step: 'push', command: 'supabase db push' },
      ];
}

export const migrationPending = defineEventType<MigrationPendingFacts>({
  needs: [],
  customerFacing: false,
  facts(input) {
    const payload = input.eventData;
    const files = readMigrations(payload);
    const status = str(at(payload, 'status')) ?? 'pending';
    const local = (str(at(payload, 'target')) ?? (bool(at(payload, 'local')) ? 'local' : 'remote')) === 'local';
    const version = str(at(payload, 'version')) ?? files[0]?.version;
    return {
      files: files.map((x) => baseName(x.name)),
      versions: files.map((x) => x.version ?? null),
      dir: str(at(payload, 'migrationsDir')) ?? str(at(payload, 'dir')) ?? 'supabase/migrations',
      status,
      target: local ? 'local' : 'remote',
      version: version ?? null,
      latestApplied: str(at(payload, 'latestApplied')) ?? null,
      steps: planFor(status, local, version),
    };
  },
  task:
    'List the migration files given and explain the commands given in steps, in order (supabase db push for ' +
    'the linked project, supabase migration up for local). content: {files: string[], commands: string[], ' +
    'command: string}.',
  render(env, facts) {
    const { t, v, f } = env;
    const text = t.migrationPending;
    const names = facts.files;
    const subject =
      names.length === 0
        ? text.subject.none
        : names.length === 1
          ? names[0]!
          : text.subject.many(f.integer(names.length), names[0]!, names[names.length - 1]!);
    const missing = facts.status === 'missing_locally';
    const title = missing
      ? text.title.missing(facts.version ?? subject, facts.dir)
      : facts.status === 'out_of_order'
        ? text.title.outOfOrder(subject)
        : text.title.pending(subject, names.length === 1);
    const commands = facts.steps.map((s) => s.command);
    const heading = missing
      ? text.headings.resync
      : facts.target === 'local'
        ? text.headings.applyLocal
        : text.headings.applyLinked;
    return {
      title: `${emojiIfLots(v, EMOJI_SETS.alert, 0)}${title}`,
      body: joinSections([
        section(
          missing ? text.headings.missing : text.headings.pending,
          missing
            ? bullets([text.version(code(facts.version ?? '?'))])
            : names.length > 0
              ? bullets(names.map((n, i) => text.file(code(`${facts.dir}/${n}`), facts.versions[i] ?? undefined)))
              : facts.version
                ? bullets([text.version(code(facts.version))])
                : text.noFiles,
        ),
        section(heading, fence('sh', commands.join('\n'))),
        v.length !== 'short' &&
          section(
            text.headings.why,
            bullets(
              facts.steps.map((s) => `${code(s.command)}: ${text.why[s.step](facts.latestApplied ?? undefined)}`),
            ),
          ),
      ]),
      content: {
        files: names,
        version: facts.version,
        status: facts.status,
        migrationsDir: facts.dir,
        target: facts.target,
        commands,
        command: commands[commands.length - 1],
      },
    };
  },
});
