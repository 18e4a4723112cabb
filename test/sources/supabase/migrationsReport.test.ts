import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { IntegrationRow } from '../../../src/db/queries/integrations.js';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { createScratchDatabase, describeEachEngine, POSTGRES_AVAILABLE } from '../../helpers/engines.js';
import { runCli } from '../../helpers/processes.js';

/**
 * A user's migrations folder is a folder of this server: only one under LOOKOUT_MIGRATIONS_ROOT
 * may be named. Users whose files are on their own machine report names and checksums instead,
 * and the poller compares that report with what their database has applied.
 */
describeEachEngine('Supabase migrations: server folders and reports', (fx) => {
  const root = mkdtempSync(join(tmpdir(), 'lookout-migrations-root-'));
  const outside = mkdtempSync(join(tmpdir(), 'lookout-server-secrets-'));
  const allowed = join(root, 'project', 'supabase', 'migrations');
  let app: TestApp;
  let closedApp: TestApp;

  before(async () => {
    mkdirSync(allowed, { recursive: true });
    writeFileSync(join(allowed, '20240101000000_init.sql'), 'create table t (id int);\n');
    writeFileSync(join(outside, '20990101000000_server_only.sql'), '-- a file of the server\n');
    symlinkSync(outside, join(root, 'escape'));
    // The user databases are local: allowed here, refused by default (see databaseUrlGuard.test.ts).
    app = await startTestApp(
      fx.db,
      { LOOKOUT_MIGRATIONS_ROOT: root, LOOKOUT_ALLOW_PRIVATE_URLS: 'true' },
      { role: 'web' },
    );
    closedApp = await startTestApp(fx.db, {}, { role: 'web' });
  });
  after(async () => {
    await app.close();
    await closedApp.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const create = (target: TestApp, key: string, body: Record<string, unknown>) =>
    target.call('POST', '/api/integrations', { key, body: { kind: 'supabase', ...body } });

  async function poll(target: TestApp, id: string): Promise<void> {
    const { rows } = await fx.db.query<IntegrationRow>('select * from integrations where id = $1', [id]);
    await target.lookout.ctx.loop.pollIntegration(rows[0]!);
  }

  test(
    'without LOOKOUT_MIGRATIONS_ROOT, any server folder is refused (400) and the message ' + 'says what to do',
    async () => {
      const user = await closedApp.createUser();
      for (const migrationsDir of ['/etc', allowed, 'supabase/migrations']) {
        const res = await create(closedApp, user.apiKey, { migrationsDir });
        assert.equal(res.status, 400, `${migrationsDir}: ${res.text}`);
        assert.equal(res.body.error.code, 'path_not_allowed');
        assert.match(res.body.error.message, /LOOKOUT_MIGRATIONS_ROOT is not set/);
        assert.match(res.body.error.message, /lookout supabase migrations report/);
      }
    },
  );

  test('under a root: outside paths, .. and symlinks out are refused; a missing folder is a clear 400', async () => {
    const user = await app.createUser();
    const cases: Array<[string, string, RegExp]> = [
      ['/etc', 'path_not_allowed', /outside the folders this server allows/],
      [join(root, '..', basename(outside)), 'path_not_allowed', /outside/],
      ['../../etc', 'path_not_allowed', /outside/],
      [join(root, 'escape'), 'path_not_allowed', /outside/],
      [join(root, 'escape', '..', 'escape'), 'path_not_allowed', /outside/],
      [join(root, 'missing'), 'path_not_found', /does not exist on the Lookout server/],
      [join(allowed, '20240101000000_init.sql'), 'path_not_found', /is not a folder/],
      // Refused before the folder check, like NUL anywhere in a request body.
      [`${allowed}\u0000`, 'invalid_request', /NUL/],
    ];
    for (const [migrationsDir, code, message] of cases) {
      const res = await create(app, user.apiKey, { migrationsDir });
      assert.equal(res.status, 400, `${migrationsDir}: ${res.text}`);
      assert.equal(res.body.error.code, code, migrationsDir);
      assert.match(res.body.error.message, message, migrationsDir);
    }
    assert.deepEqual((await app.call('GET', '/api/integrations', { key: user.apiKey })).body.items, []);
  });

  test('a folder under the root is accepted, absolute or relative to it', async () => {
    const user = await app.createUser();
    assert.equal((await create(app, user.apiKey, { migrationsDir: allowed })).status, 201);
    const relative = await create(app, user.apiKey, { migrationsDir: 'project/supabase/migrations' });
    assert.equal(relative.status, 201, relative.text);
    assert.equal(relative.body.migrationsDir, 'project/supabase/migrations');
  });

  test('report route: bad names, duplicates, wrong kind, folder integrations and strangers are refused', async () => {
    const user = await app.createUser();
    const other = await app.createUser();
    const sha = 'a'.repeat(64);
    const withDb = await create(app, user.apiKey, { dbUrl: 'postgres://u@127.0.0.1:1/none' });
    assert.equal(withDb.status, 201, withDb.text);
    const path = `/api/integrations/${withDb.body.id}/supabase/migrations`;
    const send = (key: string, body: unknown, to = path) => app.call('POST', to, { key, body });
    for (const bad of [
      { files: [{ name: '../../etc/passwd', sha256: sha }] },
      { files: [{ name: 'x.sql', sha256: 'not-hex' }] },
      { files: [{ name: 'a\u0000.sql', sha256: sha }] },
      { files: [], extra: true },
    ]) {
      const res = await send(user.apiKey, bad);
      assert.equal(res.status, 400, `${JSON.stringify(bad)}: ${res.text}`);
    }
    const dup = await send(user.apiKey, {
      files: [
        { name: '1_a.sql', sha256: sha },
        { name: '1_a.sql', sha256: sha },
      ],
    });
    assert.equal(dup.status, 400);
    assert.match(dup.body.error.message, /listed twice/);
    assert.equal((await send(other.apiKey, { files: [] })).status, 404, "another user's integration");
    assert.equal((await app.call('GET', path, { key: user.apiKey })).status, 404, 'no report yet');

    const folder = await create(app, user.apiKey, { dbUrl: 'postgres://u@127.0.0.1:1/none', migrationsDir: allowed });
    const toFolder = await send(user.apiKey, { files: [] }, `/api/integrations/${folder.body.id}/supabase/migrations`);
    assert.equal(toFolder.status, 409);
    assert.match(toFolder.body.error.message, /reads its migrations from a folder/);
    const noDb = await create(app, user.apiKey, {});
    const toNoDb = await send(user.apiKey, { files: [] }, `/api/integrations/${noDb.body.id}/supabase/migrations`);
    assert.equal(toNoDb.status, 409);
    assert.match(toNoDb.body.error.message, /no database URL/);
    const cal = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'calendar', icsUrl: 'http://127.0.0.1:1/cal.ics' },
    });
    const toCal = await send(user.apiKey, { files: [] }, `/api/integrations/${cal.body.id}/supabase/migrations`);
    assert.equal(toCal.status, 400);
    assert.equal(toCal.body.error.code, 'wrong_kind');
  });

  describe("on the user's real database", {
    skip: POSTGRES_AVAILABLE
      ? false
      : 'PostgreSQL not reachable at TEST_DATABASE_URL: the comparison with applied migrations did not run',
  }, () => {
    let userDb: { url: string; drop: () => Promise<void> };
    before(async () => {
      userDb = await createScratchDatabase('lookout_userdb');
      // What `supabase db push` records: two migrations applied.
      const client = new pg.Client({ connectionString: userDb.url });
      await client.connect();
      await client.query(`
          create schema supabase_migrations;
          create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text);
          insert into supabase_migrations.schema_migrations (version, name) values
            ('20240101000000', 'init'), ('20240201000000', 'add_tags');`);
      await client.end();
    });
    after(() => userDb.drop());

    test('a folder removed after creation is a clear problem at the next poll, not silence', async () => {
      const user = await app.createUser();
      const doomed = join(root, 'doomed');
      mkdirSync(doomed);
      const created = await create(app, user.apiKey, { dbUrl: userDb.url, migrationsDir: doomed });
      assert.equal(created.status, 201, created.text);
      rmSync(doomed, { recursive: true });
      await poll(app, created.body.id);
      const seen = await app.call('GET', `/api/integrations/${created.body.id}`, { key: user.apiKey });
      assert.equal(seen.body.health.lastPollError, null, 'the schema poll itself worked');
      assert.match(seen.body.health.problems.join('\n'), /doomed does not exist on the Lookout server/);
    });

    test('a report from the CLI is compared with the migrations the database has applied', async () => {
      const user = await app.createUser();
      const created = await create(app, user.apiKey, { dbUrl: userDb.url });
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;

      // The user's machine: a folder the server never reads (it is not under the root).
      const machine = mkdtempSync(join(tmpdir(), 'lookout-user-machine-'));
      const dir = join(machine, 'supabase', 'migrations');
      mkdirSync(dir, { recursive: true });
      const files: Record<string, string> = {
        '20240101000000_init.sql': 'create table t (id int);\n',
        '20240115000000_late.sql': 'alter table t add column late int;\n',
        '20240301000000_orders.sql': 'create table orders (id int);\n',
        'notes.sql': '-- scratch\n',
      };
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      writeFileSync(join(dir, 'README.md'), 'not sent\n');

      const noKey = await runCli(
        ['supabase', 'migrations', 'report', '--integration', id, '--dir', dir, '--url', app.url],
        {
          LOOKOUT_API_KEY: '',
        },
      );
      assert.equal(noKey.code, 1);
      assert.match(noKey.stderr, /set LOOKOUT_API_KEY/);
      const missing = await runCli(
        ['supabase', 'migrations', 'report', '--integration', id, '--dir', join(machine, 'nope'), '--url', app.url],
        { LOOKOUT_API_KEY: user.apiKey },
      );
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /nope does not exist/);

      const report = await runCli(
        ['supabase', 'migrations', 'report', '--integration', id, '--dir', dir, '--url', app.url],
        {
          LOOKOUT_API_KEY: user.apiKey,
        },
      );
      assert.equal(report.code, 0, report.stderr);
      assert.match(report.stdout, /reported 3 migrations from .* \(1 ignored, not <version>_<name>\.sql: notes\.sql\)/);

      const stored = await app.call('GET', `/api/integrations/${id}/supabase/migrations`, { key: user.apiKey });
      assert.equal(stored.status, 200);
      assert.deepEqual(
        stored.body.files,
        Object.entries(files)
          .map(([name, text]) => ({ name, sha256: createHash('sha256').update(text).digest('hex') }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
      assert.equal(stored.body.lastComparedAt, null, 'not compared yet');

      await poll(app, id);
      const { rows } = await fx.db.query<{ event_data: Record<string, string> }>(
        `select event_data from background_events where integration_id = $1
         and event_type = 'supabase.migration.pending'
           order by event_data->>'version'`,
        [id],
      );
      assert.deepEqual(
        rows.map((r) => [r.event_data.status, r.event_data.version, r.event_data.migrationsDir]),
        [
          ['out_of_order', '20240115000000', dir],
          ['missing_locally', '20240201000000', dir],
          ['pending', '20240301000000', dir],
        ],
      );
      const compared = await app.call('GET', `/api/integrations/${id}/supabase/migrations`, { key: user.apiKey });
      assert.ok(compared.body.lastComparedAt, 'compared at the poll');
      rmSync(machine, { recursive: true, force: true });
    });
  });
});
