import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { runCli, startServerProcess } from '../helpers/processes.js';

test('lookout shopify webhooks sync acts through the running server; a second run creates nothing', async () => {
  const fake = await FakeShopifyAdmin.start({ shopDomain: 'cli-shop.myshopify.com' });
  const env = {
    LOOKOUT_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'lookout-hooks-')), '.lookout'),
    LOOKOUT_ADMIN_TOKEN: 'hooks-test-admin-token-123',
    SHOPIFY_API_SECRET: 'dev-secret',
    SHOPIFY_ADMIN_API_URL: fake.url,
    LOOKOUT_PUBLIC_URL: 'https://lookout.example.com',
  };
  const server = await startServerProcess(env);
  try {
    const cliEnv = { ...env, PORT: new URL(server.url).port };
    const user = JSON.parse((await runCli(['users', 'create', '--email', 'hooks@example.com'], cliEnv)).stdout) as {
      apiKey: string;
    };
    const created = await fetch(`${server.url}/api/integrations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'shopify', shopDomain: 'cli-shop.myshopify.com', accessToken: fake.accessToken }),
    });
    const integration = (await created.json()) as { id: string };

    const first = await runCli(['shopify', 'webhooks', 'sync', '--integration', integration.id], cliEnv);
    assert.equal(first.code, 0, first.stderr);
    const firstOut = JSON.parse(first.stdout) as { created: string[]; kept: string[] };
    assert.equal(firstOut.created.length, 8);
    assert.deepEqual(
      fake.subscriptionsOf('cli-shop.myshopify.com').map((w) => w.uri),
      Array(8).fill('https://lookout.example.com/webhooks/shopify'),
    );

    const second = await runCli(['shopify', 'webhooks', 'sync', '--integration', integration.id], cliEnv);
    assert.equal(second.code, 0, second.stderr);
    const secondOut = JSON.parse(second.stdout) as { created: string[]; kept: string[] };
    assert.deepEqual(secondOut.created, []);
    assert.equal(secondOut.kept.length, 8);

    const unknown = await runCli(
      ['shopify', 'webhooks', 'sync', '--integration', '00000000-0000-4000-8000-000000000000'],
      cliEnv,
    );
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /not found/);

    const toml = await runCli(['shopify', 'webhooks', 'toml'], cliEnv);
    assert.equal(toml.code, 0, toml.stderr);
    assert.match(toml.stdout, /^\[webhooks\]\napi_version = "2026-04"\n/);
    assert.match(toml.stdout, /topics = \["products\/create", .*"app\/uninstalled"\]/);
    assert.match(
      toml.stdout,
      /compliance_topics = \["customers\/data_request","? ?"customers\/redact", "shop\/redact"\]/,
    );
    assert.match(toml.stdout, /uri = "https:\/\/lookout\.example\.com\/webhooks\/shopify"/);
  } finally {
    await server.stop();
    await fake.close();
  }
});
