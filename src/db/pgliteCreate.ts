/**
 * `node pgliteCreate.js DATA_DIR`: creates an embedded database in DATA_DIR and exits. PGlite runs
 * initdb in WASM instances of its own that stay resident in the process that ran them (about
 * 500 MB measured): a server that creates its database here, in a child that exits, keeps only
 * the memory of the database it serves.
 */
import { createPglite } from './pglite.js';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: pgliteCreate DATA_DIR\n');
  process.exit(2);
}
const pg = await createPglite(dataDir);
await pg.close();
