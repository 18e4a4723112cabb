// tsc only emits .js: copy the non-TypeScript assets (SQL migrations, dashboard files) beside them.
// Each target folder is replaced whole, so a file renamed or removed in src/ (a migration
// renumbered, say) does not linger in dist/ and break the build's migration numbering.
import { cpSync, existsSync, rmSync } from 'node:fs';

for (const dir of ['db/migrations', 'web/public']) {
  const from = new URL(`../src/${dir}`, import.meta.url);
  const to = new URL(`../dist/${dir}`, import.meta.url);
  rmSync(to, { recursive: true, force: true });
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
