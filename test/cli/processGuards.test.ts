import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./processGuardsChild.ts', import.meta.url));

function run(fault: string) {
  const res = spawnSync(process.execPath, ['--import', 'tsx', CHILD, fault], { encoding: 'utf8', timeout: 60_000 });
  return { code: res.status, stdout: res.stdout, log: res.stdout + res.stderr };
}

test('process guards: a lost database connection reported without a listener is survived and logged', () => {
  const r = run('connection-error-event');
  assert.equal(r.code, 0, r.log);
  assert.match(r.stdout, /still running; survived: connection_error/);
  assert.match(r.log, /lost database connection reached the process level/);
});

test('process guards: an unhandled rejection is logged and counted, not fatal', () => {
  const r = run('unhandled-rejection');
  assert.equal(r.code, 0, r.log);
  assert.match(r.stdout, /still running; survived: unhandled_rejection/);
  assert.match(r.log, /a background task failed without a catch/);
});

test('process guards: any other uncaught exception is fatal (exit 1, logged)', () => {
  const r = run('bug');
  assert.equal(r.code, 1, r.log);
  assert.doesNotMatch(r.stdout, /still running/);
  assert.match(r.log, /uncaught exception: exiting/);
  assert.match(r.log, /a programming error/);
});
