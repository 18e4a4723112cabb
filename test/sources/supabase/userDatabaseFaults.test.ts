import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isUnavailable } from '../../../src/db/database.js';
import { SupabaseAdapter } from '../../../src/sources/supabase/supabaseAdapter.js';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../../helpers/engines.js';
import { startTcpProxy } from '../../helpers/tcpProxy.js';

test("a user's frozen project database fails the schema read instead of hanging the poll; it works after the thaw", {
  skip: !POSTGRES_AVAILABLE && 'needs PostgreSQL as the user project database',
}, async () => {
  const scratch = await createScratchDatabase('lookout_userdb');
  const u = new URL(scratch.url);
  const proxy = await startTcpProxy({ host: u.hostname, port: Number(u.port || 5432) });
  u.host = `127.0.0.1:${proxy.port}`;
  const adapter = new SupabaseAdapter({ db: u.toString(), statementTimeoutMs: 300, source: { from: 'operator' } });
  try {
    await adapter.getCurrentSchema();
    proxy.pause();
    // Answered, not fast: the limit only turns a hang into a failure message.
    const outcome = await Promise.race([
      adapter.getCurrentSchema().then(
        () => 'answered',
        (err: unknown) => (isUnavailable(err) ? 'unavailable' : `failed: ${String(err)}`),
      ),
      new Promise((r) => setTimeout(() => r('still waiting after 30 s'), 30_000).unref()),
    ]);
    assert.equal(outcome, 'unavailable');
    proxy.resume();
    const again = await adapter.getCurrentSchema();
    assert.ok(again, 'a new connection reads the schema after the thaw');
    // A dropped connection is an error of that read, not of the process.
    proxy.cut();
    await assert.rejects(adapter.getCurrentSchema(), (err: unknown) => isUnavailable(err));
    proxy.restore();
    assert.ok(await adapter.getCurrentSchema());
  } finally {
    proxy.resume();
    proxy.restore();
    await adapter.close();
    await proxy.stop();
    await scratch.drop();
  }
});
