/**
 * `lookout events replay --dead` replays every dead event, however many: through a running
 * embedded server (the admin API, page by page) and directly on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { runCli, startServerProcess } from '../helpers/processes.js';

const DEAD = 1_500;

async function seedDeadEvents(db: Database): Promise<void> {
  await migrate(db);
  const user = await createUserWithKey(db, { email: 'dead-letters@example.com' });
  await db.query(
    `insert into background_events (user_id, event_type, source, event_data, event_timestamp, dedupe_key, status,
     attempts, last_error)
     select $1, 'shopify.product.created', 'shopify', jsonb_build_object('id', g), now(), 'dead:' || g, 'dead', 8,
       'gave up'
     from generate_series(1, $2::int) g`,
    [user.id, DEAD],
  );
}

test(
  'events replay --dead through a running embedded server replays every dead event, ' + 'past the first page',
  async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'lookout-dead-')), '.lookout');
    mkdirSync(dataDir);
    const db = await openPglite(join(dataDir, 'pgdata'));
    await seedDeadEvents(db);
    await db.close();
    const env = { LOOKOUT_DATA_DIR: dataDir, LOOKOUT_ADMIN_TOKEN: 'dead-replay-admin-token-123' };
    // web: the replayed events stay pending, so the count below is what the replay did.
    const server = await startServerProcess(env, ['--role', 'web']);
    try {
      const replay = await runCli(['events', 'replay', '--dead'], { ...env, PORT: new URL(server.url).port });
      assert.equal(replay.code, 0, replay.stderr);
      assert.match(replay.stdout, new RegExp(`replayed ${DEAD} events`));
      const dead = await runCli(['events', 'dead'], { ...env, PORT: new URL(server.url).port });
      assert.match(dead.stdout, /no dead events/);
    } finally {
      await server.stop();
    }
  },
);

test('events replay --dead on PostgreSQL replays every dead event', {
  skip: POSTGRES_AVAILABLE ? false : 'PostgreSQL not reachable at TEST_DATABASE_URL',
}, async () => {
  const scratch = await createScratchDatabase();
  try {
    const db = await openPostgres({ connectionString: scratch.url, max: 2 });
    await seedDeadEvents(db);
    await db.close();
    const env = {
      DATABASE_URL: scratch.url,
      LOOKOUT_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'lookout-dead-')), '.lookout'),
      LOOKOUT_SECRET_KEY: 'dead-replay-secret-key-0123456789-abcdef',
    };
    const replay = await runCli(['events', 'replay', '--dead'], env);
    assert.equal(replay.code, 0, replay.stderr);
    assert.match(replay.stdout, new RegExp(`replayed ${DEAD} events`));
    const left = await runCli(['events', 'dead', '--json'], env);
    assert.deepEqual(JSON.parse(left.stdout).events, []);
  } finally {
    await scratch.drop();
  }
});
