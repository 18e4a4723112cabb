/**
 * The default generator: templates, no network. Its run is logged like a model's (prompt
 * included), so an operator comparing offline and LLM suggestions sees the same figures.
 */
import { performance } from 'node:perf_hooks';
import { assemblePrompt, factsOf, promptText } from '../prompt.js';
import type { GenerationResult, SuggestionDraft, SuggestionGenerator, SuggestionInput } from '../types.js';
import { renderFacts, templateEnv } from './renderOffline.js';

/** What the user still sees if a template throws: the event named, and the failure logged. */
function minimalDraft(input: SuggestionInput): SuggestionDraft {
  return {
    title: `${input.eventType} (${input.eventId})`,
    body: 'Lookout could not write a suggestion for this event; the failure is in the agent run log.',
    content: {},
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export function generateOffline(input: SuggestionInput): GenerationResult {
  const started = performance.now();
  let prompt = '';
  try {
    // The facts are computed once: the logged prompt shows exactly what the draft was written from.
    const facts = factsOf(input);
    prompt = promptText(assemblePrompt(input, facts));
    const draft = renderFacts(templateEnv(input), facts);
    return {
      draft,
      run: {
        generator: 'offline',
        model: null,
        prompt,
        output: JSON.stringify(draft),
        tokensIn: null,
        tokensOut: null,
        latencyMs: Math.round(performance.now() - started),
        status: 'succeeded',
        error: null,
      },
    };
  } catch (err) {
    // A template bug must not lose the event: the pipeline still stores a (failed) run.
    const draft = minimalDraft(input);
    if (prompt === '') prompt = `(prompt assembly failed: ${errorText(err)})`;
    return {
      draft,
      run: {
        generator: 'offline',
        model: null,
        prompt,
        output: JSON.stringify(draft),
        tokensIn: null,
        tokensOut: null,
        latencyMs: Math.round(performance.now() - started),
        status: 'failed',
        error: errorText(err),
      },
    };
  }
}

export const offlineGenerator: SuggestionGenerator = {
  generate: (input) => Promise.resolve(generateOffline(input)),
};
