import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Check, runDoctor } from '../../src/cli/doctor.js';
import { startFakeOpenAI } from '../fakes/openaiServer.js';
import { freePort, runCli } from '../helpers/processes.js';

/** `lookout doctor`: one line per check, a FAIL says what to fix, and nothing is changed. */

const freshDataDir = () => join(mkdtempSync(join(tmpdir(), 'lookout-doctor-')), '.lookout');
const find = (checks: Check[], what: string) => {
  const c = checks.find((x) => x.what === what);
  assert.ok(c, `no ${what} check in ${JSON.stringify(checks)}`);
  return c;
};

describe('lookout doctor', () => {
  test('a fresh folder: configuration valid, secrets reported, nothing created', async () => {
    const dataDir = freshDataDir();
    const checks = await runDoctor({ LOOKOUT_DATA_DIR: dataDir, PORT: String(await freePort()) });
    assert.equal(find(checks, 'configuration').status, 'ok');
    assert.equal(find(checks, 'SHOPIFY_API_SECRET').status, 'warn');
    assert.match(find(checks, 'SHOPIFY_API_SECRET').detail, /refused \(401\)/);
    assert.match(find(checks, 'database').detail, /created at the first start/);
    assert.equal(find(checks, 'port').status, 'ok');
    assert.equal(find(checks, 'LLM').status, 'skip');
    assert.ok(!existsSync(dataDir), 'the doctor created no data folder');
  });

  test('a bad variable is the one line it reports', async () => {
    const checks = await runDoctor({ PORT: 'eighty' });
    assert.deepEqual(
      checks.map((c) => [c.status, c.what]),
      [['fail', 'configuration']],
    );
    assert.match(checks[0]!.detail, /^PORT: /);
  });

  test('an unreachable database, a port in use and a model server are each named', async () => {
    const blocked = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocked.listen(port, '127.0.0.1', resolve));
    const llm = await startFakeOpenAI();
    try {
      const nothingListens = await freePort();
      const checks = await runDoctor({
        LOOKOUT_DATA_DIR: freshDataDir(),
        PORT: String(port),
        DATABASE_URL: `postgres://postgres@127.0.0.1:${nothingListens}/nowhere`,
        LOOKOUT_LLM_BASE_URL: llm.baseUrl,
        LOOKOUT_LLM_MODEL: 'fake-model',
      });
      const db = find(checks, 'database');
      assert.equal(db.status, 'fail');
      assert.match(db.detail, /ECONNREFUSED.*check DATABASE_URL/);
      assert.equal(find(checks, 'LOOKOUT_SECRET_KEY').status, 'warn');
      const p = find(checks, 'port');
      assert.equal(p.status, 'fail');
      assert.match(p.detail, new RegExp(`PORT=${port + 1}`));
      assert.deepEqual(find(checks, 'LLM'), { status: 'ok', what: 'LLM', detail: `${llm.baseUrl} serves fake-model` });

      const other = await runDoctor({
        LOOKOUT_DATA_DIR: freshDataDir(),
        PORT: String(await freePort()),
        LOOKOUT_LLM_BASE_URL: llm.baseUrl,
        LOOKOUT_LLM_MODEL: 'llama-9000',
      });
      assert.equal(find(other, 'LLM').status, 'warn');
      assert.match(find(other, 'LLM').detail, /does not list llama-9000 \(it lists fake-model\)/);
    } finally {
      await llm.close();
      await new Promise<void>((resolve) => blocked.close(() => resolve()));
    }
  });

  test('the command exits 1 when a check fails, 0 otherwise', async () => {
    const ok = await runCli(['doctor'], { LOOKOUT_DATA_DIR: freshDataDir(), PORT: String(await freePort()) });
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^ok\s+configuration\s+every variable is valid$/m);
    const bad = await runCli(['doctor'], { LOOKOUT_DATA_DIR: freshDataDir(), DATABASE_URL: 'mysql://x' });
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^FAIL\s+configuration\s+DATABASE_URL: must be a postgres:\/\/ URL$/m);
  });
});
