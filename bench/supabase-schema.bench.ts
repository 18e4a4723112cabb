/**
 * Schema snapshot and diff time on a large project: 500 tables, 10,000 columns, 499 foreign keys.
 * Goal: snapshot + diff under 1 s. Run: `npx tsx bench/supabase-schema.bench.ts`
 * (PostgreSQL at TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { diffSchemas } from '../src/sources/supabase/schemaDiff.js';
import { SupabaseAdapter } from '../src/sources/supabase/supabaseAdapter.js';
import { createScratchDatabase } from '../test/helpers/engines.js';

const TABLES = 500;
const COLUMNS_PER_TABLE = 20; // id + 19 more: 10,000 columns in all
const RUNS = 7;

function schemaSql(): string {
  const parts: string[] = [];
  for (let t = 0; t < TABLES; t++) {
    const cols = [`id bigint generated always as identity primary key`];
    for (let c = 1; c < COLUMNS_PER_TABLE; c++) {
      if (c === 1 && t > 0) cols.push(`parent_id bigint references t${t - 1}(id) on delete cascade`);
      else if (c % 5 === 0) cols.push(`c${c} timestamptz not null default now()`);
      else if (c % 3 === 0) cols.push(`c${c} numeric(12,2) check (c${c} >= 0)`);
      else cols.push(`c${c} text`);
    }
    parts.push(`create table t${t} (${cols.join(', ')});`);
    if (t % 10 === 0) parts.push(`comment on table t${t} is 'table ${t}';`);
  }
  return parts.join('\n');
}

async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const scratch = await createScratchDatabase('lookout_bench');
const admin = new pg.Client({ connectionString: scratch.url });
const adapter = new SupabaseAdapter({ db: scratch.url });
try {
  await admin.connect();
  const setupStart = performance.now();
  await admin.query(schemaSql());
  await admin.query('analyze');
  const setupMs = performance.now() - setupStart;

  const before = await adapter.getCurrentSchema();
  const columns = before.tables.reduce((n, t) => n + t.columns.length, 0);
  const constraints = before.tables.reduce((n, t) => n + t.constraints.length, 0);

  const snapshotMs = await median(() => adapter.getCurrentSchema());
  const diffSameMs = await median(() => diffSchemas(before, before));

  // A busy migration: 50 renames, 50 retypes, 50 added columns, 10 dropped and 10 new tables.
  const ddl: string[] = [];
  for (let t = 0; t < 50; t++) {
    ddl.push(
      `alter table t${t} rename column c2 to c2_renamed`,
      `alter table t${t + 100} alter column c4 type varchar(100)`,
      `alter table t${t + 200} add column extra int`,
    );
  }
  for (let t = 499; t >= 490; t--) ddl.push(`drop table t${t}`, `create table n${t} (id int primary key)`);
  await admin.query(ddl.join(';\n'));

  let after = before;
  const snapshotAndDiffMs = await median(async () => {
    after = await adapter.getCurrentSchema();
    return diffSchemas(before, after);
  });
  const changes = diffSchemas(before, after);
  const serialisedKb = Buffer.byteLength(JSON.stringify(before)) / 1024;

  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  console.log(
    `supabase schema bench: ${before.tables.length} tables, ${columns} columns, ${constraints} constraints (setup ` +
      `${(setupMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, ${os.platform()} ` +
      `${os.release()}, node ${process.version}`,
  );
  const { rows } = await admin.query<{ v: string }>(`select current_setting('server_version') as v`);
  console.log(`PostgreSQL ${rows[0]?.v} over TCP (127.0.0.1); median of ${RUNS} runs`);
  console.log(`  getCurrentSchema                     ${snapshotMs.toFixed(1)} ms`);
  console.log(`  diffSchemas (no change)              ${diffSameMs.toFixed(1)} ms`);
  console.log(
    `  getCurrentSchema + diff (${changes.length} changes) ${snapshotAndDiffMs.toFixed(1)} ms  (goal < 1000 ms)`,
  );
  console.log(`  snapshot size as JSON                ${serialisedKb.toFixed(0)} KiB`);
  if (snapshotAndDiffMs >= 1000) process.exitCode = 1;
} finally {
  await admin.end().catch(() => {});
  await adapter.close();
  await scratch.drop();
}
