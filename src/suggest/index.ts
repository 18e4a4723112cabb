/**
 * The suggest layer's entry point: prompt assembly and the two generators. Pure: the pipeline
 * stores the draft and the run (one transaction with the event update).
 */
import type { Config } from '../config.js';
import { createLlmGenerator } from './llm.js';
import { offlineGenerator } from './offline/offlineGenerator.js';
import type { SuggestionGenerator } from './types.js';

export { createLlmGenerator, type LlmGeneratorOptions } from './llm.js';
export { generateOffline, offlineGenerator } from './offline/offlineGenerator.js';
export { renderOffline } from './offline/renderOffline.js';
export { type PreviewOptions, previewSuggestion } from './preview.js';
export { type AssembledPrompt, assemblePrompt, promptText } from './prompt.js';
export type * from './types.js';

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
