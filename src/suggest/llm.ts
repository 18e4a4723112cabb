/**
 * The LLM generator: any OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio) through the
 * AI SDK. Structured output is validated with zod; the SDK retries 429 and 5xx with backoff
 * (honouring Retry-After); one AbortSignal bounds the whole call, retries included. Whatever goes
 * wrong (timeout, invalid JSON, schema mismatch, retries exhausted) the user still gets the offline
 * draft, and the run says so: status 'fallback', the error text, the model and the latency.
 */
import { performance } from 'node:perf_hooks';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, NoObjectGeneratedError, Output, RetryError, stepCountIs, type ToolSet } from 'ai';
import { z } from 'zod';
import { checkAgainstFacts } from './factCheck.js';
import { finalizeDraft } from './finalizeDraft.js';
import { renderFacts, templateEnv } from './offline/renderOffline.js';
import { assemblePrompt, factsOf, promptText } from './prompt.js';
import type { GenerationResult, SuggestionDraft, SuggestionGenerator, SuggestionInput } from './types.js';
import { resolveVibe } from './vibe.js';

/** What the model must return; `content` may be omitted (it becomes {}), title and body may not. */
export const draftSchema = z.object({
  title: z.string().min(1).describe('Names the product, table or file the suggestion is about'),
  body: z.string().min(1).describe('The suggestion in Markdown'),
  content: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('Structured parts: hooks, caption, hashtags, copy, sql, steps...'),
});

export interface LlmGeneratorOptions {
  /** The server's OpenAI base, e.g. http://127.0.0.1:11434/v1; a bare origin gets /v1 appended. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Bounds the whole generation, retries included. */
  timeoutMs: number;
  /** Used when the model fails; normally the offline generator. */
  fallback: SuggestionGenerator;
  fetch?: typeof globalThis.fetch;
  /** Retries after the first attempt on 429/5xx/network errors (default 2). */
  maxRetries?: number;
  /** Functions the model may call to fetch context it lacks (e.g. fetchProduct). */
  tools?: ToolSet;
  /** Model round trips allowed when tools are given (default 4). */
  maxSteps?: number;
  /**
   * Send the JSON schema as response_format json_schema (OpenAI, vLLM, Ollama >= 0.5 support it).
   * False sends json_object, for servers that only know that.
   */
  structuredOutputs?: boolean;
}

/** A bare origin ("http://127.0.0.1:8000") is almost always meant as its /v1 API. */
export function normaliseBaseUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  return url.toString().replace(/\/$/, '');
}

const PROVIDER = 'lookout';
const MAX_ERROR_TEXT = 500;

function clip(text: string): string {
  return text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text;
}

function describeApiError(err: APICallError): string {
  return `HTTP ${err.statusCode ?? '?'} from ${err.url}: ${clip(err.responseBody ?? err.message)}`;
}

/** One line for agent_runs.error that says what failed, not just that something did. */
export function describeLlmError(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut) return `timeout: no valid answer within ${timeoutMs} ms`;
  if (NoObjectGeneratedError.isInstance(err)) {
    const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return clip(`invalid output (${err.message}${cause})${err.text !== undefined ? `; model said: ${err.text}` : ''}`);
  }
  if (RetryError.isInstance(err)) {
    const last = APICallError.isInstance(err.lastError)
      ? describeApiError(err.lastError)
      : err.lastError instanceof Error
        ? err.lastError.message
        : String(err.lastError);
    return clip(`retries exhausted after ${err.errors.length} attempts (${err.reason}); last error: ${last}`);
  }
  if (APICallError.isInstance(err)) return describeApiError(err);
  return clip(err instanceof Error ? `${err.name}: ${err.message}` : String(err));
}

/**
 * What accepting may apply to a store or database comes from the facts, never from a model's
 * answer: the model's own `apply`, if any, is dropped and the template's is kept.
 */
function withFactsApply(draft: SuggestionDraft, input: SuggestionInput, facts: unknown): SuggestionDraft {
  const { apply: _dropped, ...content } = draft.content;
  let apply: unknown;
  try {
    apply = renderFacts(templateEnv(input), facts).content.apply;
  } catch {
    apply = undefined;
  }
  return { ...draft, content: apply === undefined ? content : { ...content, apply } };
}

export function createLlmGenerator(options: LlmGeneratorOptions): SuggestionGenerator {
  const provider = createOpenAICompatible({
    name: PROVIDER,
    baseURL: normaliseBaseUrl(options.baseUrl),
    apiKey: options.apiKey,
    fetch: options.fetch,
    supportsStructuredOutputs: options.structuredOutputs ?? true,
  });
  const model = provider.chatModel(options.model);
  const maxSteps = options.tools ? (options.maxSteps ?? 4) : 1;

  return {
    async generate(input: SuggestionInput): Promise<GenerationResult> {
      const started = performance.now();
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new DOMException(`timeout of ${options.timeoutMs} ms exceeded`, 'TimeoutError')),
        options.timeoutMs,
      );
      let promptLog = '';
      let invention: { error: string; tokensIn: number | null; tokensOut: number | null } | undefined;
      try {
        const facts = factsOf(input);
        const prompt = assemblePrompt(input, facts);
        promptLog = promptText(prompt);
        const vibe = resolveVibe(input.profile, input.vibe);
        const result = await generateText({
          model,
          system: prompt.system,
          prompt: prompt.user,
          output: Output.object({ schema: draftSchema }),
          tools: options.tools,
          stopWhen: stepCountIs(maxSteps),
          maxRetries: options.maxRetries ?? 2,
          abortSignal: controller.signal,
          // Non-strict: `content` is an open object, which OpenAI's strict mode cannot express.
          providerOptions: { [PROVIDER]: { strictJsonSchema: false } },
        });
        const raw = result.output;
        // A model's own `apply` is never used (withFactsApply puts the facts' parts back), nor checked.
        const { apply: _fromModel, ...modelContent } = raw.content ?? {};
        const answer: SuggestionDraft = { title: raw.title, body: raw.body, content: modelContent };
        // The better path only if it is faithful: an answer stating a figure or a name that is not in
        // the facts (or quoting the internal audience note) is not shown; the offline draft is.
        const check = checkAgainstFacts(answer, facts, {
          language: input.profile.language ?? 'en',
          audience: input.profile.audience,
        });
        if (!check.ok) {
          invention = {
            error: clip(`invented: ${check.problems.join('; ')}; model said: ${result.text}`),
            tokensIn: result.totalUsage.inputTokens ?? null,
            tokensOut: result.totalUsage.outputTokens ?? null,
          };
          throw new Error(invention.error);
        }
        const draft: SuggestionDraft = withFactsApply(finalizeDraft(answer, vibe), input, facts);
        return {
          draft,
          run: {
            generator: 'llm',
            model: options.model,
            prompt: promptLog,
            output: result.text,
            tokensIn: result.totalUsage.inputTokens ?? null,
            tokensOut: result.totalUsage.outputTokens ?? null,
            latencyMs: Math.round(performance.now() - started),
            status: 'succeeded',
            error: null,
          },
        };
      } catch (err) {
        const error = invention?.error ?? describeLlmError(err, controller.signal.aborted, options.timeoutMs);
        // Tokens a failed answer still cost (invalid JSON and invented answers are billed too).
        const usage = invention
          ? { inputTokens: invention.tokensIn ?? undefined, outputTokens: invention.tokensOut ?? undefined }
          : NoObjectGeneratedError.isInstance(err)
            ? err.usage
            : undefined;
        const fallback = await options.fallback.generate(input);
        return {
          draft: fallback.draft,
          run: {
            generator: 'llm',
            model: options.model,
            prompt: promptLog || fallback.run.prompt,
            output: fallback.run.output,
            tokensIn: usage?.inputTokens ?? null,
            tokensOut: usage?.outputTokens ?? null,
            latencyMs: Math.round(performance.now() - started),
            status: fallback.run.status === 'failed' ? 'failed' : 'fallback',
            error: fallback.run.error ? `${error}; fallback failed too: ${fallback.run.error}` : error,
          },
        };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
