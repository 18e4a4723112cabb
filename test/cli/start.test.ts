import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { runCli, startServerProcess } from '../helpers/processes.js';

test('embedded: start serves /readyz, a second command works through the server, data survives a restart', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'lookout-cli-')), '.lookout');
  const env = { LOOKOUT_DATA_DIR: dataDir, LOOKOUT_ADMIN_TOKEN: 'cli-test-admin-token-123' };
  const first = await startServerProcess(env);
  try {
    assert.ok(existsSync(join(dataDir, 'pgdata')), 'PGlite data lives in LOOKOUT_DATA_DIR');

    // The folder is held by the server: the command goes through its API instead of opening PGlite.
    const created = await runCli(['users', 'create', '--email', 'a@example.com'], env);
    assert.equal(created.code, 0, created.stderr);
    const user = JSON.parse(created.stdout) as { id: string; apiKey: string };
    assert.match(user.apiKey, /^lk_/);
    const ok = await fetch(`${first.url}/api/events`, { headers: { authorization: `Bearer ${user.apiKey}` } });
    assert.equal(ok.status, 200);
    const bad = await fetch(`${first.url}/api/events`, { headers: { authorization: 'Bearer lk_wrong' } });
    assert.equal(bad.status, 401);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'unauthorized');

    const dup = await runCli(['users', 'create', '--email', 'a@example.com'], env);
    assert.equal(dup.code, 1);
    assert.match(dup.stderr, /already exists/);

    assert.equal(await first.stop(), 0, 'SIGTERM shuts down cleanly');
    assert.ok(!existsSync(join(dataDir, 'lookout.lock')), 'the lock is released');

    const second = await startServerProcess(env);
    try {
      const again = await fetch(`${second.url}/api/events`, { headers: { authorization: `Bearer ${user.apiKey}` } });
      assert.equal(again.status, 200, 'the key created before the restart still works');
    } finally {
      await second.stop();
    }
    // With no server running the command opens the folder itself.
    const offline = await runCli(['users', 'create', '--email', 'b@example.com'], env);
    assert.equal(offline.code, 0, offline.stderr);
  } finally {
    await first.stop();
  }
});

test(
  'embedded: a generated operator token is printed once, and a second server on the ' + 'same folder refuses',
  async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'lookout-cli-')), '.lookout');
    const env = { LOOKOUT_DATA_DIR: dataDir };
    const server = await startServerProcess(env);
    try {
      const token = /Operator token[^\n]*\n\s+(lka_\S+)/.exec(server.output())?.[1];
      assert.ok(token, 'the generated token is printed');
      const res = await fetch(`${server.url}/api/admin/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'op@example.com' }),
      });
      assert.equal(res.status, 201);

      const clash = await runCli(['start'], { ...env, PORT: '0' }, 30_000);
      assert.equal(clash.code, 1);
      assert.match(clash.stderr, /in use by a running lookout/);
    } finally {
      await server.stop();
    }
    const restarted = await startServerProcess(env);
    try {
      assert.ok(!/Operator token/.test(restarted.output()), 'not printed on the next start');
    } finally {
      await restarted.stop();
    }
  },
);

test('a wrong environment value stops start-up with a message naming the variable', async () => {
  const res = await runCli(['start'], {
    PORT: 'eighty',
    LOOKOUT_DATA_DIR: mkdtempSync(join(tmpdir(), 'lookout-cli-')),
  });
  assert.equal(res.code, 1);
  assert.match(res.stderr, /PORT/);
});

test('postgres: two processes started at once both come up; migrations run once', {
  skip: !POSTGRES_AVAILABLE && 'no PostgreSQL',
}, async () => {
  const scratch = await createScratchDatabase();
  const env = {
    DATABASE_URL: scratch.url,
    LOOKOUT_SECRET_KEY: 'k'.repeat(40),
    LOOKOUT_ADMIN_TOKEN: 'pg-test-admin-token-123',
    LOOKOUT_DATA_DIR: mkdtempSync(join(tmpdir(), 'lookout-pg-')),
  };
  const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  try {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: scratch.url });
    await client.connect();
    const { rows } = await client.query('select id, count(*)::int as n from lookout_migrations group by id');
    await client.end();
    assert.ok(rows.length > 0);
    assert.ok(rows.every((r: { n: number }) => r.n === 1));
    assert.equal((await fetch(`${a.url}/readyz`)).status, 200);
    assert.equal((await fetch(`${b.url}/readyz`)).status, 200);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await scratch.drop();
  }
});
