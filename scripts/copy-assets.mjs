// tsc only emits .js: copy the non-TypeScript assets (SQL migrations, dashboard files) beside them.
import { cpSync, existsSync } from 'node:fs';

for (const dir of ['db/migrations', 'web/public']) {
  const from = new URL(`../src/${dir}`, import.meta.url);
  if (existsSync(from)) cpSync(from, new URL(`../dist/${dir}`, import.meta.url), { recursive: true });
}
