import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePort, ROOT } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The README's Quick start, run as written: its shell blocks are read from README.md (so the two
 * cannot drift apart) and each command runs through a shell in a fresh data folder, as a newcomer
 * types them, until a suggestion is in the feed. Only `npm ci` is skipped (the suite runs after it)
 * and `npm start` runs in the background, as in its own terminal.
 */

interface Step {
  block: number;
  command: string;
}

/** The commands of the Quick start section's ```sh blocks: comments and blank lines dropped. */
export function quickStartCommands(readme: string): Step[] {
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1];
  assert.ok(section, 'README.md has a "## Quick start" section');
  const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  return blocks.flatMap((body, block) =>
    body
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, '').trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((command) => ({ block, command })),
  );
}

function shell(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

test("the README's Quick start, run as written, puts a suggestion in the feed", { timeout: 240_000 }, async () => {
  const steps = quickStartCommands(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  assert.ok(
    steps.some((s) => s.command.includes('npm start')),
    'the Quick start starts the server',
  );
  assert.ok(
    steps.some((s) => s.command.includes('lookout simulate')),
    'the Quick start sends a webhook',
  );

  const port = await freePort();
  // What a fresh clone has: no data folder yet; a port of its own (the README's is 3000).
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    LOOKOUT_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'lookout-readme-')), '.lookout'),
    PORT: String(port),
    LOG_LEVEL: 'info',
  };
  for (const k of Object.keys(base)) if (k.startsWith('SHOPIFY_') || k.startsWith('LOOKOUT_ADMIN')) delete base[k];
  // Each block is a terminal: `export` lasts for the rest of its block.
  const terminals = new Map<number, NodeJS.ProcessEnv>();
  let server: ChildProcess | undefined;
  let serverOut = '';
  let apiKey: string | undefined;
  const url = `http://127.0.0.1:${port}`;
  try {
    for (const { block, command } of steps) {
      const env = terminals.get(block) ?? { ...base };
      terminals.set(block, env);
      const exported = /^export\s+([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(command);
      if (exported) {
        env[exported[1]!] = exported[2]!;
        continue;
      }
      const parts = command.split('&&').map((c) => c.trim());
      for (const part of parts) {
        if (part === 'npm ci') continue;
        if (part === 'npm start') {
          assert.equal(server, undefined, 'the Quick start starts the server once');
          server = spawn('sh', ['-c', 'npm start'], { cwd: ROOT, env, detached: true });
          server.stdout!.on('data', (d: Buffer) => (serverOut += d.toString()));
          server.stderr!.on('data', (d: Buffer) => (serverOut += d.toString()));
          await waitFor(
            async () => (await fetch(`${url}/readyz`).catch(() => undefined))?.status === 200,
            `the server from \`npm start\` at ${url}\n${serverOut}`,
            120_000,
          );
          continue;
        }
        const { code, out } = await shell(part, env);
        assert.equal(code, 0, `\`${part}\` exited ${code}:\n${out}\nserver:\n${serverOut}`);
        apiKey ??= /"apiKey":\s*"(lk_[^"]+)"/.exec(out)?.[1];
        if (part.includes('lookout simulate')) assert.match(out, /1 x 200 stored/, out);
      }
    }
    assert.ok(server, 'the server was started');
    assert.ok(apiKey, 'a user was created and its key printed');
    // "…appear in the feed once the 10 s bulk-import window is quiet": wait for it, not a clock.
    await waitFor(
      async () => {
        const res = await fetch(`${url}/api/suggestions`, { headers: { authorization: `Bearer ${apiKey}` } });
        const body = (await res.json()) as { items: Array<{ eventType: string; title: string }> };
        return body.items.some((s) => s.eventType === 'shopify.product.created');
      },
      'a product suggestion in the feed',
      120_000,
    );
  } finally {
    if (server?.pid) {
      process.kill(-server.pid, 'SIGTERM');
      await new Promise((resolve) => server!.once('exit', resolve));
    }
  }
});
