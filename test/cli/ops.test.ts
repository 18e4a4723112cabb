import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, startServerProcess } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

test("a newcomer's flow from the terminal: user, store, simulate, suggestion, status, dead letters", async () => {
  const env = {
    LOOKOUT_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'lookout-ops-')), '.lookout'),
    LOOKOUT_ADMIN_TOKEN: 'ops-test-admin-token-123',
    SHOPIFY_API_SECRET: 'dev-secret',
  };
  const server = await startServerProcess(env);
  try {
    const cliEnv = { ...env, PORT: new URL(server.url).port };
    // The README's flow: the operator's CLI makes the user and attaches the shop (proven).
    const created = await runCli(
      ['users', 'create', '--email', 'merchant@example.com', '--shop', 'demo.myshopify.com'],
      cliEnv,
    );
    assert.equal(created.code, 0, created.stderr);
    const user = JSON.parse(created.stdout) as { apiKey: string; shops: Array<{ shopDomain: string }> };
    assert.deepEqual(
      user.shops.map((s) => s.shopDomain),
      ['demo.myshopify.com'],
    );
    const auth = { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' };
    await fetch(`${server.url}/api/preferences`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ flow: { batchWindowSeconds: 0 } }),
    });

    const sim = await runCli(
      ['simulate', 'shopify', 'products/create', '--shop', 'demo.myshopify.com', '--count', '2'],
      cliEnv,
    );
    assert.equal(sim.code, 0, sim.stderr);
    assert.match(sim.stdout, /2 x 200 stored/);
    const bad = await runCli(
      ['simulate', 'shopify', 'products/create', '--shop', 'demo.myshopify.com', '--secret', 'wrong'],
      cliEnv,
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /401/);

    await waitFor(
      async () => {
        const r = await fetch(`${server.url}/api/suggestions`, { headers: auth });
        return ((await r.json()) as { items: unknown[] }).items.length === 2;
      },
      'two suggestions',
      15_000,
    );

    // A claim made through the API is pending until the operator vouches for it from the CLI.
    const staffKey = JSON.parse((await runCli(['users', 'create', '--email', 'staff@example.com'], cliEnv)).stdout)
      .apiKey as string;
    const claim = await fetch(`${server.url}/api/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${staffKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'shopify', shopDomain: 'demo.myshopify.com' }),
    });
    const pending = (await claim.json()) as { id: string; ownership: { status: string } };
    assert.equal(pending.ownership.status, 'pending');
    const attach = await runCli(['shopify', 'attach', '--integration', pending.id], cliEnv);
    assert.equal(attach.code, 0, attach.stderr);
    assert.deepEqual(JSON.parse(attach.stdout), {
      integrationId: pending.id,
      shopDomain: 'demo.myshopify.com',
      proven: true,
    });
    const byEmail = await runCli(
      ['shopify', 'attach', '--user', 'staff@example.com', '--shop', 'second.myshopify.com'],
      cliEnv,
    );
    assert.equal(byEmail.code, 0, byEmail.stderr);
    assert.equal(JSON.parse(byEmail.stdout).shopDomain, 'second.myshopify.com');

    const status = await runCli(['status'], cliEnv);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /database\s+pglite/);
    assert.match(status.stdout, /serving\s+role all/);
    assert.match(status.stdout, /dead events\s+0/);
    assert.match(status.stdout, /alerts\s+none open/);
    const dead = await runCli(['events', 'dead'], cliEnv);
    assert.match(dead.stdout, /no dead events/);
    const replay = await runCli(['events', 'replay', '00000000-0000-4000-8000-000000000000'], cliEnv);
    assert.equal(replay.code, 1);
    assert.match(replay.stderr, /event not found|event 00000000-0000-4000-8000-000000000000 not found/);
    const migrate = await runCli(['migrate'], cliEnv);
    assert.equal(migrate.code, 0);
    assert.match(migrate.stdout, /running lookout/);
  } finally {
    await server.stop();
  }
});

test('suggest preview prints a suggestion for a fixture in the requested vibe', async () => {
  const res = await runCli(
    [
      'suggest',
      'preview',
      '--event-type',
      'shopify.product.created',
      '--fixture',
      'fixtures/shopify/2026-04/products__create.json',
      '--vibe',
      '{"emoji":"none"}',
    ],
    {},
  );
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /Example T-Shirt/);
  assert.doesNotMatch(res.stdout, /\p{Extended_Pictographic}/u);
  const wrong = await runCli(
    [
      'suggest',
      'preview',
      '--event-type',
      'shopify.nope',
      '--fixture',
      'fixtures/shopify/2026-04/products__create.json',
    ],
    {},
  );
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /unknown event type/);
});
