/**
 * `lookout suggest preview --event-type T --fixture F`: the suggestion for a saved payload, so an
 * operator can tune a vibe without sending webhooks. The fixture is parsed with lossless-json, the
 * way stored payloads are read, so ids above 2^53 keep every digit.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'lossless-json';
import type { z } from 'zod';
import { EVENT_TYPES } from '../events/registry.js';
import type { EventType } from '../events.js';
import { ProfileSchema, VibeSchema } from '../preferences.js';
import { offlineGenerator } from './offline/offlineGenerator.js';
import type { GenerationResult, SuggestionContext, SuggestionGenerator, UserProfile, Vibe } from './types.js';

export interface PreviewOptions {
  eventType: string;
  fixturePath: string;
  /** Validated with the API's own schemas: preview accepts exactly what PUT /api/preferences accepts. */
  profile?: unknown;
  vibe?: unknown;
  context?: SuggestionContext;
  /** Defaults to the offline generator; pass createGenerator(config) to preview the model. */
  generator?: SuggestionGenerator;
}

export class PreviewError extends Error {
  override readonly name = 'PreviewError';
}

function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

function validated<T>(what: 'profile' | 'vibe', schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${[what, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new PreviewError(`invalid --${what}: ${issues.join('; ')}`);
}

export async function previewSuggestion(options: PreviewOptions): Promise<GenerationResult> {
  const profile: UserProfile = validated('profile', ProfileSchema, options.profile);
  const vibe: Vibe = validated('vibe', VibeSchema, options.vibe);
  if (!isEventType(options.eventType)) {
    throw new PreviewError(`unknown event type "${options.eventType}"; expected one of: ${EVENT_TYPES.join(', ')}`);
  }
  let text: string;
  try {
    text = await readFile(options.fixturePath, 'utf8');
  } catch (err) {
    throw new PreviewError(
      `cannot read fixture ${options.fixturePath}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  let eventData: unknown;
  try {
    eventData = parse(text);
  } catch (err) {
    throw new PreviewError(
      `fixture ${options.fixturePath} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return (options.generator ?? offlineGenerator).generate({
    eventType: options.eventType,
    eventId: `preview:${options.fixturePath.split('/').pop() ?? 'fixture'}`,
    eventData,
    context: options.context,
    profile,
    vibe,
  });
}
