#!/usr/bin/env node
// `npm run bench [NAME...]`: runs every bench/*.bench.ts (or those whose name contains one of the
// arguments) one after another, each as `node --import tsx bench/X.bench.ts`, with a header.
// Benchmarks are not tests: a missed goal prints GOAL MISSED (or the bench's own "goal MISSED" /
// FAIL line) and does not fail the run; a bench that crashes (uncaught error, signal, time-out)
// does, and the run exits non-zero. A summary of every goal line closes the run.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const benchDir = join(root, 'bench');
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 600) * 1000;
const filters = process.argv.slice(2);
const all = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
const chosen = all.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (chosen.length === 0) {
  console.error(`no bench matches ${filters.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}

const GOAL_LINE = /GOAL (MET|MISSED)|\bgoal (met|MISSED)\b|\(goal [<>≤≥]|^\s*(PASS|FAIL)\s*$/;
const STACK_LINE = /^\s+at .+\(?.+:\d+:\d+\)?$/m;

// Child processes of the benches run the compiled build, as `npm start` does: build first.
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('build failed');
  process.exit(build.status ?? 1);
}

function runOne(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', file)], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      err += d;
      process.stderr.write(d);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const goals = (out + err)
        .split('\n')
        .filter((l) => GOAL_LINE.test(l))
        .map((l) => l.trim());
      // Some benches (supabase-schema) set exit code 1 when their goal is missed: without an
      // error trace on stderr that is a missed goal, not a crash.
      const crashed =
        timedOut || signal !== null || (code !== 0 && (code !== 1 || STACK_LINE.test(err) || /Error\b/.test(err)));
      resolve({ file, code, signal, timedOut, crashed, goals, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const results = [];
for (const file of chosen) {
  console.log(`\n${'='.repeat(100)}\n== ${file}   (node --import tsx bench/${file})\n${'='.repeat(100)}`);
  const r = await runOne(file);
  results.push(r);
  const how = r.timedOut
    ? `TIMED OUT after ${TIMEOUT_MS / 1000} s`
    : r.signal
      ? `killed by ${r.signal}`
      : `exit code ${r.code}`;
  console.log(`-- ${file}: ${r.crashed ? 'CRASHED' : 'finished'} (${how}) in ${r.seconds.toFixed(1)} s`);
}

console.log(`\n${'='.repeat(100)}\n== summary\n${'='.repeat(100)}`);
for (const r of results) {
  console.log(`${r.crashed ? 'CRASHED ' : 'ran     '} ${r.file} (${r.seconds.toFixed(0)} s)`);
  for (const g of r.goals) console.log(`           ${g}`);
  if (!r.crashed && r.code === 1)
    console.log('           (exit code 1 without an error: the bench reports a missed goal that way)');
}
const crashed = results.filter((r) => r.crashed);
if (crashed.length > 0) {
  console.log(`\n${crashed.length} bench(es) crashed: ${crashed.map((r) => r.file).join(', ')}`);
  process.exit(1);
}
