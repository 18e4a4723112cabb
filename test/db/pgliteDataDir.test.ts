import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loaderArgs, openPglite } from '../../src/db/pglite.js';

test('PGlite: a new data folder is created (in a child process), kept, reopened with rows and settings', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'lookout-pglite-dir-')), 'pgdata');
  const db = await openPglite(dataDir);
  try {
    assert.ok(existsSync(join(dataDir, 'PG_VERSION')), 'the data folder holds a database');
    await db.exec('create table kept (v text)');
    await db.query(`insert into kept values ('survives')`);
    const { rows } = await db.query<{ setting: string }>(`select current_setting('shared_buffers') as setting`);
    assert.equal(rows[0]!.setting, '32MB');
  } finally {
    await db.close();
  }
  const again = await openPglite(dataDir);
  try {
    assert.deepEqual((await again.query<{ v: string }>('select v from kept')).rows, [{ v: 'survives' }]);
  } finally {
    await again.close();
  }
});

test('PGlite: a data folder that cannot be created is a clear error naming it', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'lookout-pglite-dir-')), 'a-file');
  writeFileSync(file, 'not a folder');
  await assert.rejects(openPglite(join(file, 'pgdata')), (err: Error) => {
    assert.match(err.message, /could not create the embedded database in .*a-file\/pgdata/);
    return true;
  });
});

test("PGlite: the child that creates a data folder gets node's loaders only (never -e code or a debugger port)", () => {
  assert.deepEqual(loaderArgs(['--import', 'tsx', '-e', 'run()', '--inspect=9229', '--require=./x.cjs']), [
    '--import',
    'tsx',
    '--require=./x.cjs',
  ]);
  assert.deepEqual(loaderArgs(['--eval', 'x', '--cpu-prof', '-r', 'a']), ['-r', 'a']);
});
