import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Database, DatabaseUnavailableError, isUnavailable } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { waitFor } from '../helpers/wait.js';

const skip = !POSTGRES_AVAILABLE && 'needs PostgreSQL (timeouts and lost connections are PostgreSQL faults)';
const BOUND_MS = 400;

describe('PostgreSQL calls are bounded, and a lost connection is an error, never a crash', { skip }, () => {
  let scratch: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let db: Database;
  const lost: string[] = [];

  before(async () => {
    scratch = await createScratchDatabase();
    const u = new URL(scratch.url);
    proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
    u.host = `127.0.0.1:${proxy.port}`;
    db = await openPostgres({
      connectionString: u.toString(),
      max: 2,
      statementTimeoutMs: BOUND_MS,
      connectTimeoutMs: BOUND_MS,
      onConnectionError: (err, connection) => lost.push(`${connection}: ${err.message}`),
    });
  });
  after(async () => {
    proxy.restore();
    proxy.resume();
    await db?.close();
    await proxy?.stop();
    await scratch?.drop();
  });

  test('a statement longer than the bound is cancelled as "unavailable" (503), and the pool stays usable', async () => {
    for (let i = 0; i < 4; i++) {
      await assert.rejects(db.query('select pg_sleep(2)'), (err: unknown) => isUnavailable(err));
    }
    // A pool of 2 after 4 timeouts: a timed-out connection that went back broken would hang these.
    for (let i = 0; i < 10; i++) assert.equal((await db.query<{ n: number }>('select 1 as n')).rows[0]!.n, 1);
  });

  test('work that is long by nature gets an explicit bound of its own (or none)', async () => {
    await assert.rejects(
      db.transaction((tx) => tx.query('select pg_sleep(0.8)')),
      (err: unknown) => isUnavailable(err),
    );
    await db.transaction((tx) => tx.query('select pg_sleep(0.8)'), { statementTimeoutMs: 5_000 });
    await db.transaction((tx) => tx.query('select pg_sleep(0.8)'), { statementTimeoutMs: 0 });
    // The longer bound lasts for that transaction only.
    await assert.rejects(db.query('select pg_sleep(0.8)'), (err: unknown) => isUnavailable(err));
    // Migrations are never cut: one that takes longer than the bound applies.
    const applied = await migrate(db, [{ id: 1, name: 'slow', sql: 'select pg_sleep(0.8)' }]);
    assert.deepEqual(
      applied.map((m) => m.name),
      ['slow'],
    );
  });

  test('a frozen database: calls and transactions fail within the bound; everything works after the thaw', async () => {
    await db.exec('create table t_frozen (n int)');
    proxy.pause();
    try {
      await assert.rejects(db.query('select 1'), DatabaseUnavailableError);
      await assert.rejects(db.ping(), DatabaseUnavailableError);
      await assert.rejects(
        db.transaction((tx) => tx.query('insert into t_frozen values (1)')),
        (err: unknown) => isUnavailable(err),
      );
      // More calls than connections: none waits forever for a connection held by a frozen call.
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => db.query('select 1')));
      assert.ok(results.every((r) => r.status === 'rejected' && isUnavailable(r.reason)));
    } finally {
      proxy.resume();
    }
    await waitFor(async () => (await db.query('select 1')).rowCount === 1, 'the database after the thaw', 10_000);
    for (let i = 0; i < 10; i++) await db.transaction((tx) => tx.query('insert into t_frozen values ($1)', [i]));
    assert.equal((await db.query<{ n: number }>('select count(*)::int as n from t_frozen')).rows[0]!.n, 10);
  });

  test(
    'a connection dropped inside a transaction (between two statements) fails that ' + 'transaction, nothing else',
    async () => {
      await db.exec('create table t_cut (n int)');
      lost.length = 0;
      await assert.rejects(
        db.transaction(async (tx) => {
          await tx.query('insert into t_cut values (1)');
          // The connection dies while the transaction's code is between statements: the client has
          // no query running, so node-postgres reports it as an 'error' event on the client.
          proxy.cut();
          await waitFor(() => lost.length > 0, 'the lost connection to be noticed', 5_000, 10);
          await tx.query('insert into t_cut values (2)');
        }),
        (err: unknown) => isUnavailable(err),
      );
      assert.ok(
        lost.some((l) => l.startsWith('pool')),
        lost.join('; '),
      );
      await assert.rejects(db.query('select 1'), (err: unknown) => isUnavailable(err));
      proxy.restore();
      await waitFor(async () => (await db.query('select 1')).rowCount === 1, 'a new connection', 10_000);
      assert.equal(
        (await db.query<{ n: number }>('select count(*)::int as n from t_cut')).rows[0]!.n,
        0,
        'nothing of the cut transaction was committed',
      );
    },
  );

  test('LISTEN survives its connection being cut: notifications arrive again after the database is back', async () => {
    const got: string[] = [];
    const unlisten = await db.listen('t_faults', (p) => got.push(p));
    try {
      await db.notify('t_faults', 'before');
      await waitFor(() => got.includes('before'), 'a notification before the cut', 5_000);
      proxy.cut();
      await waitFor(() => lost.some((l) => l.startsWith('listen')), 'the LISTEN connection loss', 5_000, 10);
      proxy.restore();
      // The listener resubscribes on a new connection; notify until one arrives.
      await waitFor(
        async () => {
          await db.notify('t_faults', 'after').catch(() => {});
          return got.includes('after');
        },
        'a notification after the cut',
        20_000,
        250,
      );
    } finally {
      await unlisten();
    }
  });
});
