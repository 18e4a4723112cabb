/**
 * The suggest layer's entry point: prompt assembly and the two generators. Pure: the pipeline
 * stores the draft and the run (one transaction with the event update).
 */
import type { Config } from '../config.js';
import { createLlmGenerator } from './llm.js';
import { offlineGenerator } from './offline/offlineGenerator.js';
import type { SuggestionGenerator } from './types.js';

export type * from './types.js';
export { assemblePrompt, promptText, type AssembledPrompt } from './prompt.js';
export { offlineGenerator, generateOffline } from './offline/offlineGenerator.js';
export { renderOffline } from './offline/renderOffline.js';
export { createLlmGenerator, type LlmGeneratorOptions } from './llm.js';
export { previewSuggestion, type PreviewOptions } from './preview.js';

/** The LLM generator (falling back to templates) when a model server is configured, else templates. */
export function createGenerator(config: Config): SuggestionGenerator {
  if (!config.llm) return offlineGenerator;
  return createLlmGenerator({
    baseUrl: config.llm.baseUrl,
    model: config.llm.model,
    apiKey: config.llm.apiKey,
    timeoutMs: config.llm.timeoutMs,
    fallback: offlineGenerator,
  });
}
