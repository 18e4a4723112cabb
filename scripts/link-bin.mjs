// Makes `npx lookout` (and `npm exec lookout`) in this folder run dist/cli.js directly.
// package.json deliberately declares no `bin`: for a folder whose own package declares the bin
// it is asked for, npm 11's npx first installs that folder into its cache, which took 6 s on an
// idle machine and 23.5 s on a busy one at the first run (and ~0.6 s at every run after). A link
// in node_modules/.bin is found before any of that: about 1 s every time, npx's own start-up.
import { chmodSync, existsSync, lstatSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli.js');
const binDir = join(root, 'node_modules', '.bin');
if (existsSync(cli) && existsSync(join(root, 'node_modules'))) {
  chmodSync(cli, 0o755);
  mkdirSync(binDir, { recursive: true });
  const link = join(binDir, 'lookout');
  try {
    if (lstatSync(link)) rmSync(link);
  } catch {
    /* no link yet */
  }
  symlinkSync('../../dist/cli.js', link);
}
