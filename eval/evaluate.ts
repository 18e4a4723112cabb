/**
 * The evaluation: every scenario through the offline generator and through the LLM path (the
 * fake OpenAI-compatible server answering from the prompt, or a real model when LOOKOUT_LLM_* is
 * set), scored by checks.ts. With the fake, scenarios marked `inventingCheck` also get an answer
 * that invents a figure and a product: the LLM path must reject it and fall back, saying why.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPglite } from '../src/db/pglite.js';
import { createGenerator } from '../src/suggest/index.js';
import { createLlmGenerator } from '../src/suggest/llm.js';
import { offlineGenerator } from '../src/suggest/offline/offlineGenerator.js';
import { renderOffline } from '../src/suggest/offline/renderOffline.js';
import type { SuggestionGenerator, SuggestionInput } from '../src/suggest/types.js';
import { inventingDraft, promptEventId, startFakeOpenAI } from '../test/fakes/openaiServer.js';
import { type Check, runChecks } from './checks.js';
import { runScenario } from './harness.js';
import { type Scenario, scenarios } from './scenarios.js';

export type GeneratorName = 'offline' | 'llm' | 'llm-inventing';

export interface ScenarioResult {
  scenario: Scenario;
  generator: GeneratorName;
  checks: Check[];
  ok: boolean;
  run: { generator: string; status: string; error: string | null; model: string | null };
  title: string;
  body: string;
  content: Record<string, unknown>;
}

export interface EvalOptions {
  /** Only scenarios whose id contains one of these. */
  filter?: string[];
  generators?: GeneratorName[];
  /** Where each output is written for review (Markdown, one file per scenario and generator). */
  outDir?: string;
  db?: Database;
  /** The environment LOOKOUT_LLM_* is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
}

function evalConfig(env: NodeJS.ProcessEnv): Config {
  return loadConfig({
    LOOKOUT_DATA_DIR: '/tmp/lookout-eval',
    LOG_LEVEL: 'silent',
    ...Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('LOOKOUT_LLM_'))),
  });
}

/** An inventing run passes when the LLM path refused the answer and fell back, with the reason. */
function inventingChecks(run: ScenarioResult['run']): Check[] {
  return [
    {
      name: 'invention rejected',
      ok: run.status === 'fallback' && /invent|not in the facts/i.test(run.error ?? ''),
      detail: `run ${run.status}: ${run.error ?? 'no error'}`.slice(0, 200),
    },
  ];
}

export async function evaluate(opts: EvalOptions = {}): Promise<ScenarioResult[]> {
  const env = opts.env ?? process.env;
  const config = evalConfig(env);
  const db = opts.db ?? (await openPglite());
  if (!opts.db) await migrate(db);
  const chosen = scenarios().filter((s) => !opts.filter?.length || opts.filter.some((f) => s.id.includes(f)));
  const generators = opts.generators ?? ['offline', 'llm', 'llm-inventing'];
  const realModel = config.llm !== undefined;

  // The LLM path: a real model when configured, else the fake server answering from the prompt.
  const fake = realModel ? undefined : await startFakeOpenAI();
  const inputs = new Map<string, SuggestionInput>();
  let inventing = false;
  fake?.setResponder((request) => {
    const input = inputs.get(promptEventId(request) ?? '');
    if (!input) return { kind: 'status', status: 400, message: 'unknown event' };
    const draft = renderOffline(input);
    return { kind: 'json', value: inventing ? inventingDraft(draft) : draft };
  });
  const llm: SuggestionGenerator = realModel
    ? createGenerator(config)
    : createLlmGenerator({
        baseUrl: fake!.baseUrl,
        model: 'fake-faithful',
        timeoutMs: 10_000,
        maxRetries: 0,
        fallback: offlineGenerator,
      });
  const capturing: SuggestionGenerator = {
    generate(input) {
      inputs.set(input.eventId, input);
      return llm.generate(input);
    },
  };

  const results: ScenarioResult[] = [];
  try {
    for (const s of chosen) {
      for (const g of generators) {
        if (g === 'llm-inventing' && (realModel || !s.inventingCheck)) continue;
        inventing = g === 'llm-inventing';
        const r = await runScenario(db, config, s, g === 'offline' ? offlineGenerator : capturing);
        const checks = g === 'llm-inventing' ? inventingChecks(r.run) : runChecks(s, r.output);
        // A faithful answer must be accepted: the fact check may not reject what only restates the facts.
        if (g === 'llm')
          checks.push({
            name: 'model answer used',
            ok: r.run.generator === 'llm' && r.run.status === 'succeeded',
            detail:
              r.run.status === 'succeeded' ? undefined : `run ${r.run.status}: ${r.run.error ?? ''}`.slice(0, 300),
          });
        const result: ScenarioResult = {
          scenario: s,
          generator: g,
          checks,
          ok: checks.every((c) => c.ok),
          run: r.run,
          title: r.output.title,
          body: r.output.body,
          content: r.output.content,
        };
        results.push(result);
        if (opts.outDir) writeOutput(opts.outDir, result);
      }
    }
  } finally {
    await fake?.close();
    if (!opts.db) await db.close();
  }
  return results;
}

function writeOutput(dir: string, r: ScenarioResult): void {
  mkdirSync(dir, { recursive: true });
  const lines = [
    `<!-- ${r.scenario.id} · ${r.generator} · run ${r.run.generator}/${r.run.status}` +
      `${r.run.error ? ` (${r.run.error})` : ''} -->`,
    `<!-- ${r.scenario.about} -->`,
    `<!-- profile ${JSON.stringify(r.scenario.profile)} vibe ${JSON.stringify(r.scenario.vibe)} -->`,
    '',
    `# ${r.title}`,
    '',
    r.body,
    '',
    '---',
    '',
    '```json',
    JSON.stringify(r.content, null, 2),
    '```',
    '',
    '| check | ok | detail |',
    '| --- | --- | --- |',
    ...r.checks.map((c) => `| ${c.name} | ${c.ok ? 'yes' : '**NO**'} | ${(c.detail ?? '').replace(/\|/g, '\\|')} |`),
  ];
  writeFileSync(join(dir, `${r.scenario.id}.${r.generator}.md`), `${lines.join('\n')}\n`);
}

export const CHECK_NAMES = [
  'suggested',
  'facts',
  'numbers',
  'absent',
  'no invented number',
  'emoji',
  'length',
  'language',
  'no internal field',
  'no duplicate',
  'model answer used',
] as const;

/** The results as a fixed-width table: one row per scenario and generator, one column per check. */
export function table(results: ScenarioResult[]): string {
  const short: Record<string, string> = {
    suggested: 'sugg',
    facts: 'facts',
    numbers: 'nums',
    absent: 'absent',
    'no invented number': 'invent',
    emoji: 'emoji',
    length: 'len',
    language: 'lang',
    'no internal field': 'leak',
    'no duplicate': 'dup',
    'model answer used': 'used',
    'invention rejected': 'rejects',
  };
  const idWidth = Math.max(8, ...results.map((r) => r.scenario.id.length));
  const header =
    `${'scenario'.padEnd(idWidth)}  ${'generator'.padEnd(13)} ` +
    `${CHECK_NAMES.map((c) => short[c]!.padEnd(6)).join(' ')} result`;
  const rows = results.map((r) => {
    const cells =
      r.generator === 'llm-inventing'
        ? `${'(invents a figure and a product: must fall back)'.padEnd(CHECK_NAMES.length * 7 - 1)}`
        : CHECK_NAMES.map((name) => {
            const c = r.checks.find((x) => x.name === name);
            return (c ? (c.ok ? 'ok' : 'FAIL') : '-').padEnd(6);
          }).join(' ');
    return `${r.scenario.id.padEnd(idWidth)}  ${r.generator.padEnd(13)} ${cells} ${r.ok ? 'PASS' : 'FAIL'}`;
  });
  const passed = results.filter((r) => r.ok).length;
  return [header, ...rows, '', `${passed} passed, ${results.length - passed} failed`].join('\n');
}
