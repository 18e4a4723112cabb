import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { runCli, startServerProcess } from '../helpers/processes.js';
import { queryable, run, SUPABASE_FUNCTIONS_STAND_IN } from '../sources/supabase/standIns.js';

const NO_POSTGRES = 'PostgreSQL not reachable at TEST_DATABASE_URL: a user database is needed';

describe('lookout supabase commands', { skip: POSTGRES_AVAILABLE ? false : NO_POSTGRES }, () => {
  let userDb: { url: string; drop: () => Promise<void> };
  let client: pg.Client;
  before(async () => {
    userDb = await createScratchDatabase('lookout_userproj');
    client = new pg.Client({ connectionString: userDb.url });
    client.on('error', () => {});
    await client.connect();
    await client.query(`create table public.orders (id bigint primary key, total numeric)`);
    await run(queryable(client), SUPABASE_FUNCTIONS_STAND_IN);
  });
  after(async () => {
    await client?.end();
    await userDb?.drop();
  });

  test('install-trigger and webhooks work through a running server, and directly once it stops', async () => {
    const env = {
      LOOKOUT_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'lookout-supa-')), '.lookout'),
      LOOKOUT_ADMIN_TOKEN: 'supabase-cli-admin-token-123',
      LOOKOUT_ALLOW_PRIVATE_URLS: 'true',
    };
    const server = await startServerProcess(env, [], 90_000);
    let id: string;
    try {
      const cliEnv = { ...env, PORT: new URL(server.url).port };
      const user = JSON.parse((await runCli(['users', 'create', '--email', 'db@example.com'], cliEnv)).stdout) as {
        apiKey: string;
      };
      const res = await fetch(`${server.url}/api/integrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${user.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'supabase', dbUrl: userDb.url }),
      });
      assert.equal(res.status, 201);
      id = ((await res.json()) as { id: string }).id;

      const trigger = await runCli(['supabase', 'install-trigger', '--integration', id], cliEnv);
      assert.equal(trigger.code, 0, trigger.stderr);
      const { rows } = await client.query(`select evtname from pg_event_trigger order by 1`);
      assert.deepEqual(rows, [{ evtname: 'lookout_ddl' }, { evtname: 'lookout_ddl_drop' }]);

      const install = await runCli(
        ['supabase', 'webhooks', 'install', '--integration', id, '--table', 'public.orders', '--event', 'insert'],
        cliEnv,
      );
      assert.equal(install.code, 0, install.stderr);
      const installed = JSON.parse(install.stdout) as { via: string; tables: string[]; url: string };
      assert.equal(installed.via, 'supabase_functions');
      assert.deepEqual(installed.tables, ['public.orders']);
      assert.equal(installed.url, `${server.url}/webhooks/supabase`);
      await client.query(`insert into public.orders values (1, 2)`);
      const calls = await client.query(`select url from supabase_functions.calls`);
      assert.deepEqual(calls.rows, [{ url: `${server.url}/webhooks/supabase` }]);

      const bad = await runCli(['supabase', 'webhooks', 'install', '--integration', id, '--table', 'nope'], cliEnv);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /public\.nope: no such table/);
    } finally {
      assert.equal(await server.stop(), 0, server.output());
    }

    // No server: the same commands open the data folder themselves.
    const list = await runCli(['supabase', 'webhooks', 'list', '--integration', id], env);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { installed: Array<{ name: string; events: string[] }> }).installed.map((w) => [
        w.name,
        w.events,
      ]),
      [['public.orders', ['INSERT']]],
    );
    const remove = await runCli(
      ['supabase', 'webhooks', 'remove', '--integration', id, '--table', 'public.orders'],
      env,
    );
    assert.equal(remove.code, 0, remove.stderr);
    assert.deepEqual(JSON.parse(remove.stdout).removed, ['public.orders']);

    // Neither way to send: the reason on stderr, the SQL to run on stdout.
    await client.query(`drop schema supabase_functions cascade`);
    const sqlNeeded = await runCli(['supabase', 'webhooks', 'install', '--integration', id, '--table', 'orders'], env);
    assert.equal(sqlNeeded.code, 1);
    assert.match(sqlNeeded.stderr, /neither supabase_functions\.http_request/);
    assert.match(sqlNeeded.stdout, /^-- Lookout: send row changes of public\.orders/);
    assert.match(sqlNeeded.stdout, /create trigger lookout_webhook/);
  });
});
