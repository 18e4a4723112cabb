import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const MAX_LINE = 120;
const DIRS = ['src', 'test', 'bench', 'eval', 'scripts'];
const EXTENSIONS = new Set(['.ts', '.js', '.mjs', '.sql', '.css', '.html']);

/** Long lines here are kept on purpose. */
const EXEMPT = [
  // Translation catalogues: one sentence per entry, which translators edit whole.
  'src/suggest/i18n/en.ts',
  'src/suggest/i18n/es.ts',
  'src/suggest/i18n/fr.ts',
  'src/suggest/i18n/de.ts',
  // Applied migrations are never edited; new ones keep the limit.
  'src/db/migrations/0003_notifications.sql',
  'src/db/migrations/0004_pipeline.sql',
  'src/db/migrations/0006_history_indexes.sql',
];

/** Not rewrapped yet: these are cleaned next, and each entry leaves this list once it is. */
const PENDING = [
  // Inline-styled HTML (the email body, the dashboard page) and two benches' report lines.
  'src/notify/channels/email.ts',
  'src/web/public/index.html',
  'src/web/public/js/insights.js',
  'bench/ingest.bench.ts',
  'bench/memory.bench.ts',
];

/** `**` any path, `*` any name part: enough for the lists above. */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${body}$`);
}

const allowed = [...EXEMPT, ...PENDING].map(globToRegExp);

function files(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((d) => {
    const rel = `${dir}/${d.name}`;
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : files(rel);
    return EXTENSIONS.has(path.extname(d.name)) ? [rel] : [];
  });
}

/** file:line (length) of every line longer than the limit, in characters, not UTF-16 units. */
function longLines(rel: string, base = root): string[] {
  return readFileSync(path.join(base, rel), 'utf8')
    .split(/\r?\n/)
    .flatMap((line, i) => {
      const length = [...line].length;
      return length > MAX_LINE ? [`${rel}:${i + 1} (${length})`] : [];
    });
}

describe('line length', () => {
  it(`no line in ${DIRS.join(', ')} is longer than ${MAX_LINE} characters`, () => {
    const checked = DIRS.flatMap(files);
    assert.ok(checked.length > 300, `found only ${checked.length} files`);
    const over = checked.filter((f) => !allowed.some((re) => re.test(f))).flatMap((f) => longLines(f));
    assert.deepEqual(over, [], 'rewrap these lines (biome formats code; split comments, SQL and strings by hand)');
  });

  it('counts characters, not bytes, and reports file:line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lookout-line-length-'));
    try {
      writeFileSync(path.join(dir, 'x.ts'), `${'é'.repeat(120)}\n// ok\r\n${'→'.repeat(121)}\n`);
      assert.deepEqual(longLines('x.ts', dir), ['x.ts:3 (121)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('matches the exempt and pending lists as paths', () => {
    assert.ok(globToRegExp('src/web/public/**').test('src/web/public/js/app.js'));
    assert.ok(globToRegExp('src/cli/start*.ts').test('src/cli/startServer.ts'));
    assert.ok(!globToRegExp('src/cli/start*.ts').test('src/cli/doctor.ts'));
    assert.ok(!globToRegExp('src/cli.ts').test('src/cliXts'));
    assert.ok(!allowed.some((re) => re.test('src/suggest/prompt.ts')));
  });
});
