/**
 * `npm run eval [-- FILTER...] [--offline]`: every scenario through both generators, a table of
 * the machine checks, the outputs in eval/out/ for reading, and the failures explained. Exits 1
 * when any scenario fails a check.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { evaluate, type GeneratorName, table } from './evaluate.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { offline: { type: 'boolean', default: false }, out: { type: 'string' } },
});
const outDir = values.out ?? fileURLToPath(new URL('./out/', import.meta.url));
const generators: GeneratorName[] | undefined = values.offline ? ['offline'] : undefined;
const llm = process.env.LOOKOUT_LLM_BASE_URL
  ? `model ${process.env.LOOKOUT_LLM_MODEL ?? '?'} at ${process.env.LOOKOUT_LLM_BASE_URL}`
  : 'the fake OpenAI-compatible server (answers from the prompt; some answers invent on purpose)';
console.log(`LLM path: ${llm}\noutputs: ${outDir}\n`);

const results = await evaluate({ filter: positionals, generators, outDir });
console.log(table(results));
const failed = results.filter((r) => !r.ok);
if (failed.length > 0) {
  console.log('\nfailures:');
  for (const r of failed) {
    for (const c of r.checks.filter((x) => !x.ok))
      console.log(`  ${r.scenario.id} [${r.generator}] ${c.name}: ${c.detail ?? ''}`);
  }
  process.exitCode = 1;
}
