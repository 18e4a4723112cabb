/**
 * Offline suggestion throughput and prompt assembly time on one core.
 * Run: npx tsx bench/suggest.bench.ts   (goal: over 5,000 offline suggestions per second)
 * The mix is every fixture case of the suggest tests (real Shopify webhooks, Supabase and calendar
 * payloads) under rotating vibes (en/es, each emoji level and length, avoided words).
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { generateOffline } from '../src/suggest/offline/offlineGenerator.js';
import { renderOffline } from '../src/suggest/offline/renderOffline.js';
import { assemblePrompt } from '../src/suggest/prompt.js';
import type { SuggestionInput, Vibe } from '../src/suggest/types.js';
import { allCases, inputFor } from '../test/suggest/suggestFixtures.js';

const VIBES: Vibe[] = [
  { tone: 'friendly', emoji: 'some', length: 'medium' },
  { tone: 'professional', emoji: 'none', length: 'short', avoidWords: ['cheap', 'deal'] },
  { tone: 'playful', emoji: 'lots', length: 'long' },
  { tone: 'bold', emoji: 'none', length: 'long', avoidWords: ['amazing'] },
];

const inputs: SuggestionInput[] = [];
for (const c of allCases()) {
  for (const [i, vibe] of VIBES.entries()) {
    inputs.push(inputFor(c, { brand: 'Acme', audience: 'students', language: i % 2 === 0 ? 'en' : 'es' }, vibe));
  }
}

/** Runs fn over the mix for at least `ms`, returning operations per second. */
function measure(
  fn: (input: SuggestionInput) => unknown,
  ms: number,
): { opsPerSec: number; usPerOp: number; ops: number } {
  let ops = 0;
  let sink = 0;
  const started = performance.now();
  let now = started;
  while (now - started < ms) {
    for (const input of inputs) {
      const out = fn(input);
      if (out) sink += 1;
    }
    ops += inputs.length;
    now = performance.now();
  }
  if (sink !== ops) throw new Error('unreachable');
  const seconds = (now - started) / 1000;
  return { opsPerSec: ops / seconds, usPerOp: (seconds * 1e6) / ops, ops };
}

const cpu = cpus()[0];
console.log(`cpu: ${cpu?.model ?? 'unknown'} (${cpus().length} cores; this bench uses one)`);
console.log(
  `node ${process.version}; mix: ${allCases().length} cases × ${VIBES.length} vibes = ${inputs.length} inputs`,
);

// Warm-up of every measured function: JIT tiers and the Intl/regex caches.
measure(renderOffline, 1_000);
measure(generateOffline, 1_000);
measure(assemblePrompt, 1_000);

const render = measure(renderOffline, 2_000);
const full = measure(generateOffline, 2_000);
const prompt = measure(assemblePrompt, 2_000);

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
console.log(
  `offline drafts (renderOffline):            ${fmt(render.opsPerSec)}/s  (${render.usPerOp.toFixed(1)} µs/op)`,
);
console.log(`offline runs (draft + prompt + run record): ${fmt(full.opsPerSec)}/s  (${full.usPerOp.toFixed(1)} µs/op)`);
console.log(
  `prompt assembly (assemblePrompt):          ${prompt.usPerOp.toFixed(1)} µs/op  (${fmt(prompt.opsPerSec)}/s)`,
);
console.log(
  full.opsPerSec > 5_000
    ? 'goal met: > 5,000 offline suggestions/s on one core'
    : 'goal MISSED: < 5,000 offline suggestions/s',
);
