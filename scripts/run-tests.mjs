#!/usr/bin/env node
// `npm test`: runs every test file with Node's test runner (TypeScript through tsx).
// Database tests run on PGlite always, and on PostgreSQL when TEST_DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test) answers; otherwise they say so and run on PGlite only.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;
const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

// Tests that start `lookout` as a process run the built CLI, as `npm start` does: build first
// (this also stops the run early on a type error).
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('build failed: fix the type errors above');
  process.exit(build.status ?? 1);
}

// Lint and format check (Biome): a finding fails the run like a failing test.
const lint = spawnSync(join(root, 'node_modules', '.bin', 'biome'), ['check', '.'], { cwd: root, stdio: 'inherit' });
if (lint.status !== 0) {
  console.error('lint failed: `npm run format` fixes formatting; the rest needs a change');
  process.exit(lint.status ?? 1);
}

const onPostgres = await postgresAnswers();
console.log(
  onPostgres
    ? `database tests: PGlite and PostgreSQL (${url.replace(/:[^:@/]*@/, ':***@')})`
    : `database tests: PGlite only (no PostgreSQL answered at ${url}; set TEST_DATABASE_URL to add it)`,
);

const filter = process.argv.slice(2);
const files = findTests(join(root, 'test'))
  .filter((f) => filter.length === 0 || filter.some((x) => f.includes(x)))
  .sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=120000', ...files],
  {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      TEST_DATABASE_URL: url,
      LOOKOUT_TEST_POSTGRES: onPostgres ? '1' : '0',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    },
  },
);
process.exit(result.status ?? 1);
