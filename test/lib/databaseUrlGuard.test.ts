import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { type IntegrationRow, insertIntegration } from '../../src/db/queries/integrations.js';
import { assertPublicDatabaseUrl, guardedPoolConfig, parseUserDatabaseUrl } from '../../src/lib/databaseUrlGuard.js';
import { type GuardOptions, type HostResolver, UrlNotAllowedError } from '../../src/lib/urlGuard.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import {
  createScratchDatabase,
  describeEachEngine,
  POSTGRES_AVAILABLE,
  TEST_DATABASE_URL,
} from '../helpers/engines.js';

const PUBLIC = '93.184.215.14';
const publicResolver: HostResolver = async () => [{ address: PUBLIC, family: 4 }];

/** The guard's refusal of a URL, or null when it passes. */
async function refusal(url: string, guard: GuardOptions): Promise<string | null> {
  try {
    await assertPublicDatabaseUrl(url, guard);
    return null;
  } catch (err) {
    assert.ok(err instanceof UrlNotAllowedError, `${url}: ${String(err)}`);
    return err.message;
  }
}

// URLs that must never reach a private address, each with what the refusal names.
const REFUSED: Array<[string, RegExp]> = [
  ['postgres://u@8.8.8.8:5432/db?host=127.0.0.1', /127\.0\.0\.1 is a loopback address/],
  ['postgres://u@8.8.8.8:5432/db?host=/var/run/postgresql', /Unix socket \/var\/run\/postgresql/],
  ['postgres://u@%2Fvar%2Frun%2Fpostgresql/db', /Unix socket \/var\/run\/postgresql/],
  ['postgres://u@8.8.8.8/db?host=8.8.4.4&host=10.1.2.3', /10\.1\.2\.3 is a private address/],
  ['postgres://u@8.8.8.8,127.0.0.1/db', /127\.0\.0\.1 is a loopback address/],
  ['postgres://u@8.8.8.8,8.8.4.4/db', /several hosts \(8\.8\.8\.8, 8\.8\.4\.4\)/],
  ['postgres://u@[::1]:5432/db', /::1 is a loopback address/],
  ['postgres://u@[::ffff:127.0.0.1]/db', /loopback address/],
  ['postgres://u@169.254.169.254/db', /linkLocal address/],
  // The system resolver reads these as 127.0.0.1: checked on what they resolve to.
  ['postgres://u@2130706433/db', /2130706433 \(127\.0\.0\.1\) is a loopback address/],
  ['postgres://u@localhost/db', /localhost \(127\.0\.0\.1\) is a loopback address/],
  ['postgres:///db', /has no host/],
  ['postgres://u@/db', /has no host/],
  ['postgres://8.8.8.8/db', /has no user name/],
  ['postgres://u@8.8.8.8/db?sslrootcert=/nonexistent/ca.pem', /sslrootcert names a file on the Lookout server/],
  ['postgres://u@8.8.8.8/db?sslkey=/etc/ssl/private/server.key', /sslkey names a file/],
  ['postgres://u@8.8.8.8/db?hostaddr=127.0.0.1', /hostaddr is not supported/],
  ['postgres://u@8.8.8.8/db?port=abc', /port abc is not a port number/],
  ['mysql://u@8.8.8.8/db', /must start with postgres:\/\//],
];

describe('database URL guard', () => {
  for (const [url, why] of REFUSED) {
    test(`refuses ${url}`, async () => {
      const message = await refusal(url, { allowPrivate: false });
      assert.match(message ?? 'accepted', why);
    });
  }

  test('a public URL passes; TLS settings are kept', async () => {
    const parsed = await assertPublicDatabaseUrl('postgresql://app:s3cret@8.8.8.8:6543/postgres?ssl=true', {
      allowPrivate: false,
    });
    assert.deepEqual(parsed.hosts, ['8.8.8.8']);
    assert.equal(parsed.port, 6543);
    assert.equal(parsed.user, 'app');
    assert.equal(parsed.ssl, true);
    assert.equal(
      await refusal('postgres://u@db.example.test/db', { allowPrivate: false, resolve: publicResolver }),
      null,
    );
  });

  test('LOOKOUT_ALLOW_PRIVATE_URLS allows loopback and sockets, never a host list or server files', async () => {
    const allow = { allowPrivate: true };
    assert.equal(await refusal('postgres://u@8.8.8.8/db?host=127.0.0.1', allow), null);
    assert.equal(await refusal('postgres://u@8.8.8.8/db?host=/var/run/postgresql', allow), null);
    assert.match((await refusal('postgres://u@a.test,b.test/db', allow)) ?? '', /several hosts/);
    assert.match((await refusal('postgres://u@h/db?sslcert=/etc/ssl/cert.pem', allow)) ?? '', /names a file/);
  });

  test('node-postgres gets the checked parts only: no URL parameter overrides Lookout settings', () => {
    const config = guardedPoolConfig(
      'postgres://u:p@8.8.8.8/db?statement_timeout=0&query_timeout=0' +
        '&options=-c%20statement_timeout%3D0&application_name=x',
      { allowPrivate: false },
      { statement_timeout: 15_000, application_name: 'lookout-supabase' },
    );
    assert.equal(config.statement_timeout, 15_000);
    assert.equal(config.application_name, 'lookout-supabase');
    assert.equal(config.options, undefined);
    assert.equal(config.query_timeout, undefined);
    assert.equal(config.host, '8.8.8.8');
    assert.equal(config.database, 'db');
    assert.equal(config.ssl, false, 'PGSSLMODE of this server does not apply');
    assert.equal(typeof config.password, 'function', 'PGPASSWORD and ~/.pgpass of this server do not apply');
    assert.equal(typeof config.stream, 'function', 'connections go through the guarded socket');
    assert.throws(() => guardedPoolConfig('postgres://u@h/db?host=/tmp', { allowPrivate: false }), /Unix socket/);
  });

  test('parsing never reads the SSL files named in a URL', () => {
    // pg-connection-string would readFileSync these: the guard refuses before it parses.
    assert.throws(() => parseUserDatabaseUrl('postgres://u@h/db?sslcert=/definitely/not/here.pem'), /names a file/);
    assert.throws(() => parseUserDatabaseUrl('postgres://u@h/db?%73slkey=/definitely/not/here.key'), /names a file/);
  });
});

/** A loopback TCP relay to PostgreSQL that counts the connections made to it. */
async function countingRelay(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  const target = new URL(TEST_DATABASE_URL);
  let count = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    count += 1;
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return {
    port: address.port,
    connections: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describeEachEngine('Supabase database URLs from users', (fx) => {
  const onPostgres = POSTGRES_AVAILABLE
    ? false
    : 'PostgreSQL not reachable at TEST_DATABASE_URL: the connect-time half did not run';
  let app: TestApp;
  before(async () => {
    app = await startTestApp(fx.db, {}, { role: 'web' });
  });
  after(() => app.close());

  async function poll(db: Database, id: string, target: TestApp): Promise<IntegrationRow> {
    const { rows } = await db.query<IntegrationRow>('select * from integrations where id = $1', [id]);
    await target.lookout.ctx.loop.pollIntegration(rows[0]!);
    return (await db.query<IntegrationRow>('select * from integrations where id = $1', [id])).rows[0]!;
  }

  test("POST /api/integrations refuses each URL with the guard's message (400)", async () => {
    const user = await app.createUser();
    for (const [url] of REFUSED.filter(([u]) => u.startsWith('postgres'))) {
      const res = await app.call('POST', '/api/integrations', {
        key: user.apiKey,
        body: { kind: 'supabase', dbUrl: url },
      });
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.equal(res.body.error.code, 'url_not_allowed', url);
      assert.equal(res.body.error.message, await refusal(url, { allowPrivate: false }), url);
    }
    const listed = await app.call('GET', '/api/integrations', { key: user.apiKey });
    assert.deepEqual(listed.body.items, [], 'nothing was stored');
  });

  test('an ICS URL the guard would refuse is a 400 at creation, not a 201 and a failing poll', async () => {
    const user = await app.createUser();
    for (const icsUrl of ['http://127.0.0.1:8080/cal.ics', 'webcal://localhost/cal.ics', 'https://[::1]/x.ics']) {
      const res = await app.call('POST', '/api/integrations', { key: user.apiKey, body: { kind: 'calendar', icsUrl } });
      assert.equal(res.status, 400, `${icsUrl}: ${res.text}`);
      assert.equal(res.body.error.code, 'url_not_allowed');
      assert.match(res.body.error.message, /loopback address; set LOOKOUT_ALLOW_PRIVATE_URLS=true/);
    }
  });

  describe('at connect time', { skip: onPostgres }, () => {
    let relay: Awaited<ReturnType<typeof countingRelay>>;
    let scratch: { url: string; drop: () => Promise<void> };
    let dbName: string;
    before(async () => {
      relay = await countingRelay();
      scratch = await createScratchDatabase('lookout_userdb');
      dbName = new URL(scratch.url).pathname.slice(1);
    });
    after(async () => {
      await relay.close();
      await scratch.drop();
    });

    test(
      'a stored ?host= or socket URL (saved before the check existed) is refused when ' + 'the poll connects',
      async () => {
        const user = await app.createUser();
        for (const dbUrl of [
          `postgres://postgres@8.8.8.8:5432/${dbName}?host=127.0.0.1&port=${relay.port}`,
          `postgres://postgres@8.8.8.8/${dbName}?host=/var/run/postgresql`,
        ]) {
          // Written straight into the table: the API would have refused it.
          const row = await insertIntegration(fx.db, {
            userId: user.id,
            kind: 'supabase',
            config: { monitorsSchema: true },
            credentials: app.lookout.ctx.secrets.sealJson({ dbUrl }),
          });
          const polled = await poll(fx.db, row.id, app);
          assert.match(polled.last_poll_error ?? '', /loopback address|Unix socket \/var\/run\/postgresql/, dbUrl);
          assert.equal(polled.poll_failures, 1);
        }
        assert.equal(relay.connections(), 0, 'nothing reached the internal database');
      },
    );

    test('DNS rebinding: a name that was public at creation and private at connect does not connect', async () => {
      let answers = 0;
      // The first answer (the creation check) is public; every later one points inside.
      const rebinding: HostResolver = async () => {
        answers += 1;
        return [{ address: answers === 1 ? PUBLIC : '127.0.0.1', family: 4 }];
      };
      const target = await startTestApp(fx.db, {}, { role: 'web', resolveHost: rebinding });
      try {
        const user = await target.createUser();
        const before = relay.connections();
        const created = await target.call('POST', '/api/integrations', {
          key: user.apiKey,
          body: { kind: 'supabase', dbUrl: `postgres://postgres@userdb.rebind.test:${relay.port}/${dbName}` },
        });
        assert.equal(created.status, 201, created.text);
        const polled = await poll(fx.db, created.body.id, target);
        assert.match(polled.last_poll_error ?? '', /userdb\.rebind\.test \(127\.0\.0\.1\) is a loopback address/);
        assert.ok(answers >= 2, 'the connection resolved the name again');
        assert.equal(relay.connections(), before, 'no connection reached 127.0.0.1');
      } finally {
        await target.close();
      }
    });

    test('node-postgres connects to the address the guard resolved (and checked), not its own lookup', async () => {
      // The name exists only in this resolver: a connection can only come from its answer.
      const target = await startTestApp(
        fx.db,
        { LOOKOUT_ALLOW_PRIVATE_URLS: 'true' },
        { role: 'web', resolveHost: async () => [{ address: '127.0.0.1', family: 4 }] },
      );
      try {
        const user = await target.createUser();
        const before = relay.connections();
        const created = await target.call('POST', '/api/integrations', {
          key: user.apiKey,
          body: { kind: 'supabase', dbUrl: `postgres://postgres@userdb.only-here.test:${relay.port}/${dbName}` },
        });
        assert.equal(created.status, 201, created.text);
        const polled = await poll(fx.db, created.body.id, target);
        assert.equal(polled.last_poll_error, null);
        assert.ok(polled.last_poll_at, 'polled');
        assert.ok(relay.connections() > before, 'connected through the resolved address');
      } finally {
        await target.close();
      }
    });
  });
});
