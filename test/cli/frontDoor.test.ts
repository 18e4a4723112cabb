import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { freePort, ROOT, runCli, startServerProcess } from '../helpers/processes.js';

/**
 * The newcomer's first minutes in a terminal: every mistake they can make here gets a message
 * that says what to do, and trying the flow again shows something new.
 */

const freshDataDir = () => join(mkdtempSync(join(tmpdir(), 'lookout-door-')), '.lookout');

describe('the front door', () => {
  test('a port in use is named with the fix, and spends no "shown once" operator token', async () => {
    const port = await freePort();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const env = { LOOKOUT_DATA_DIR: freshDataDir(), PORT: String(port), LOG_LEVEL: 'info' };
    try {
      const failed = await runCli(['start'], env);
      assert.equal(failed.code, 1);
      assert.match(failed.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(failed.stderr, new RegExp(`PORT=${port + 1} npm start`));
      assert.doesNotMatch(failed.stderr, /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(failed.stdout, /Operator token/);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
    // The next start, on a free port, is the first that serves: it generates and shows the token.
    const server = await startServerProcess(env);
    try {
      const token = /Operator token[^\n]*\n\s+(lka_\S+)/.exec(server.output())?.[1];
      assert.ok(token, `the token is shown at the first successful start:\n${server.output()}`);
      const res = await fetch(`${server.url}/api/admin/status`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200);
    } finally {
      await server.stop();
    }
  });

  test('start says when SHOPIFY_API_SECRET is missing; the 401 and simulate say what to do', async () => {
    const env = { LOOKOUT_DATA_DIR: freshDataDir(), LOOKOUT_ADMIN_TOKEN: 'door-test-admin-token-123' };
    const server = await startServerProcess(env);
    try {
      assert.match(server.output(), /SHOPIFY_API_SECRET is not set/);
      const cliEnv = { ...env, PORT: new URL(server.url).port, SHOPIFY_API_SECRET: 'only-in-this-terminal' };
      const sim = await runCli(['simulate', 'shopify', 'products/create', '--shop', 'demo.myshopify.com'], cliEnv);
      assert.equal(sim.code, 1);
      assert.match(sim.stdout, /1 x 401 signature does not match: this server has no SHOPIFY_API_SECRET set/);
      assert.match(sim.stdout, /Start it with the same value as this terminal has/);
    } finally {
      await server.stop();
    }
  });

  test('simulate against a server that is not running: one line that says what to do', async () => {
    const port = await freePort();
    const run = await runCli(['simulate', 'shopify', 'products/create', '--shop', 'demo.myshopify.com'], {
      LOOKOUT_DATA_DIR: freshDataDir(),
      PORT: String(port),
      SHOPIFY_API_SECRET: 'dev-secret',
    });
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`cannot reach Lookout at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    assert.match(run.stderr, /is `npm start` running\?/);
    assert.doesNotMatch(run.stderr, /node:internal|TypeError|\n\s+at /, 'no stack trace');
  });

  test('simulate sends a new product every run; --repeat resends the same one, stored once', async () => {
    const env = {
      LOOKOUT_DATA_DIR: freshDataDir(),
      LOOKOUT_ADMIN_TOKEN: 'door-test-admin-token-123',
      SHOPIFY_API_SECRET: 'dev-secret',
    };
    const server = await startServerProcess(env);
    try {
      const cliEnv = { ...env, PORT: new URL(server.url).port };
      const unclaimed = await runCli(
        ['simulate', 'shopify', 'products/create', '--shop', 'demo.myshopify.com'],
        cliEnv,
      );
      assert.match(unclaimed.stdout, /1 x 200 unknown_shop/);
      assert.match(unclaimed.stdout, /npx lookout users create --email you@example\.com --shop demo\.myshopify\.com/);
      const created = await runCli(
        ['users', 'create', '--email', 'door@example.com', '--shop', 'demo.myshopify.com'],
        cliEnv,
      );
      assert.equal(created.code, 0, created.stderr);
      const user = JSON.parse(created.stdout) as { apiKey: string };
      const simulate = (...extra: string[]) =>
        runCli(['simulate', 'shopify', 'products/create', '--shop', 'demo.myshopify.com', ...extra], cliEnv);

      for (let run = 0; run < 2; run++) {
        const fresh = await simulate();
        assert.equal(fresh.code, 0, fresh.stderr);
        assert.match(fresh.stdout, /1 x 200 stored/);
        assert.match(fresh.stdout, /Open http:\/\/127\.0\.0\.1:\d+/);
      }
      const first = await simulate('--repeat');
      assert.match(first.stdout, /1 x 200 stored/);
      const again = await simulate('--repeat');
      assert.match(again.stdout, /1 x 200 duplicate/);
      assert.match(again.stdout, /Run without --repeat for new ones/);

      const events = (await (
        await fetch(`${server.url}/api/events?type=shopify.product.created`, {
          headers: { authorization: `Bearer ${user.apiKey}` },
        })
      ).json()) as { items: Array<{ event_data: { title: string } }> };
      assert.equal(events.items.length, 3);
    } finally {
      await server.stop();
    }
  });

  test('`npx lookout` runs the built CLI from node_modules/.bin, without installing the folder into npx', async () => {
    const link = join(ROOT, 'node_modules', '.bin', 'lookout');
    assert.ok(existsSync(link), 'npm ci (prepare) links the CLI');
    assert.equal(readlinkSync(link), '../../dist/cli.js');
    // The slow first `npx lookout` (23.5 s measured) was npx installing this folder into its cache
    // (<cache>/_npx). With an empty cache of its own, npx must run the linked CLI and install nothing.
    const cache = mkdtempSync(join(tmpdir(), 'lookout-npx-cache-'));
    const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn('npx', ['lookout', 'help'], {
        cwd: ROOT,
        env: { ...process.env, npm_config_cache: cache, npm_config_offline: 'true' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => resolve({ code, out }));
    });
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /Usage: lookout/);
    assert.ok(!existsSync(join(cache, '_npx')), 'npx installed nothing into its cache');
  });
});
