import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrate } from '../../src/db/migrate.js';
import { describeEachEngine } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';

describeEachEngine('the database interface behaves the same on both engines', (fx) => {
  test('rowCount counts returned rows for SELECT and affected rows for writes', async () => {
    await fx.db.exec('create table t_rows (n int); insert into t_rows select generate_series(1, 3)');
    assert.equal((await fx.db.query('select * from t_rows')).rowCount, 3);
    assert.equal((await fx.db.query('select * from t_rows where n > 5')).rowCount, 0);
    assert.equal((await fx.db.query('update t_rows set n = n + 10 where n < 3')).rowCount, 2);
    assert.equal((await fx.db.query('delete from t_rows where n > 10')).rowCount, 2);
  });

  test('a transaction commits on success and rolls back on error', async () => {
    await fx.db.exec('create table t_tx (n int)');
    await fx.db.transaction(async (tx) => {
      await tx.query('insert into t_tx values (1)');
    });
    await assert.rejects(
      fx.db.transaction(async (tx) => {
        await tx.query('insert into t_tx values (2)');
        throw new Error('boom');
      }),
      /boom/,
    );
    const { rows } = await fx.db.query<{ n: number }>('select n from t_tx');
    assert.deepEqual(
      rows.map((r) => r.n),
      [1],
    );
  });

  test('types: int8 as string, jsonb parsed, jsonb::text keeps every digit, timestamptz as Date', async () => {
    const { rows } = await fx.db.query<{ big: string; j: { a: number }; raw: string; at: Date }>(
      `select 9007199254740993::int8 as big, '{"a": 1}'::jsonb as j, '{"id": 9007199254740993123}'::jsonb::text as raw,
       now() as at`,
    );
    assert.equal(rows[0]!.big, '9007199254740993');
    assert.deepEqual(rows[0]!.j, { a: 1 });
    assert.match(rows[0]!.raw, /9007199254740993123/);
    assert.ok(rows[0]!.at instanceof Date);
  });

  test('LISTEN/NOTIFY delivers payloads; unlisten stops them', async () => {
    const got: string[] = [];
    const unlisten = await fx.db.listen('t_channel', (p) => got.push(p));
    await fx.db.notify('t_channel', 'hello');
    await waitFor(() => got.includes('hello'), 'the notification', 5_000);
    await unlisten();
    await fx.db.notify('t_channel', 'after');
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(got, ['hello']);
  });

  test('migrations are idempotent', async () => {
    assert.deepEqual(await migrate(fx.db), []);
  });
});
