import { after, before, describe } from 'node:test';
import type { Database } from '../../../src/db/database.js';
import { openPglite } from '../../../src/db/pglite.js';
import { openPostgres } from '../../../src/db/postgres.js';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../../helpers/engines.js';

/** "The user's Supabase project": an empty database, never migrated with Lookout's schema. */
export interface UserDatabase {
  engine: 'pglite' | 'postgres';
  db: Database;
  /** PostgreSQL only: the URL, for code that opens its own pool (SupabaseAdapter given a URL). */
  url?: string;
}

/**
 * Declares the suite on a real PostgreSQL scratch database (lookout_userdb_*) and on PGlite,
 * since the catalog SQL must run unchanged on both. Without PostgreSQL that half is skipped
 * with a reason rather than silently passing.
 */
export function describeOnUserDatabases(
  name: string,
  suite: (ud: UserDatabase) => void,
  engines: Array<'pglite' | 'postgres'> = ['postgres', 'pglite'],
): void {
  for (const engine of engines) {
    const skip =
      engine === 'postgres' && !POSTGRES_AVAILABLE
        ? 'PostgreSQL not reachable at TEST_DATABASE_URL: the real-database half of this suite did not run'
        : false;
    describe(`${name} [${engine}]`, { skip }, () => {
      const ud = { engine } as UserDatabase;
      let drop: (() => Promise<void>) | undefined;
      before(async () => {
        if (engine === 'pglite') {
          ud.db = await openPglite();
        } else {
          const scratch = await createScratchDatabase('lookout_userdb');
          drop = scratch.drop;
          ud.url = scratch.url;
          ud.db = await openPostgres({ connectionString: scratch.url, max: 2 });
        }
      });
      after(async () => {
        await ud.db?.close();
        await drop?.();
      });
      suite(ud);
    });
  }
}
