/**
 * Prompt assembly: profile + vibe + the type module's facts and task -> {system, user}. The facts
 * are exactly what the offline template renders, so the model and the template know the same
 * things, and the model's answer can be checked against them. Deterministic to the byte (sorted
 * keys, no clock), so a prompt can be cached, diffed and tested, and agent_runs shows exactly what
 * a model was asked.
 */
import { moduleFor } from './eventTypes/index.js';
import { stableJson } from './stableJson.js';
import type { SuggestionInput } from './types.js';
import { EMOJI_BUDGET_SOME, resolveTone, type Tone, WORD_BUDGET } from './vibe.js';

const LANGUAGE_NAMES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
  pt: 'Portuguese',
  it: 'Italian',
  nl: 'Dutch',
};

/** What each tone means, so every model reads "refined" the same way the templates do. */
const TONE_GUIDE: Record<Tone, string> = {
  friendly: 'warm and direct, like a shop owner talking to a regular; at most one exclamation mark',
  playful: 'light, witty, a little cheeky; jokes welcome, never at the customer',
  refined:
    'quiet luxury: understated, precise, elegant; no exclamation marks, no urgency ("hurry", "won\'t last"), no ' +
    'slang; a discount is stated discreetly if at all',
  professional: 'clear, factual and courteous; benefit-led; no slang, no hype',
  minimal: 'as few words as possible: short plain statements, no exclamation marks, no adjectives that add nothing',
  bold: 'punchy, confident, imperative; short sentences',
};

const EMOJI_RULE = {
  none: 'Use no emoji at all, anywhere.',
  some: `Use at most ${EMOJI_BUDGET_SOME} emoji in total.`,
  lots: 'Use emoji generously in customer-facing copy.',
} as const;

const LENGTH_RULE = {
  short: `Keep it short: at most ${WORD_BUDGET.short} words of prose (code and tables not counted).`,
  medium: `Medium length: at most ${WORD_BUDGET.medium} words of prose (code and tables not counted).`,
  long: `Be thorough: at most ${WORD_BUDGET.long} words of prose (code and tables not counted).`,
} as const;

export interface AssembledPrompt {
  system: string;
  user: string;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The facts a generator works from: the module's facts of this input. */
export function factsOf(input: SuggestionInput): unknown {
  return moduleFor(input).facts(input);
}

export function assemblePrompt(input: SuggestionInput, facts: unknown = factsOf(input)): AssembledPrompt {
  const { profile, vibe } = input;
  const module = moduleFor(input);
  const lang = (profile.language ?? 'en').trim() || 'en';
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? 'en';
  const avoid = [...new Set((vibe.avoidWords ?? []).map((w) => oneLine(w)).filter(Boolean))].sort();
  const who = [
    profile.brand ? `the brand "${oneLine(profile.brand)}"` : 'a merchant and builder',
    profile.niche ? `in the ${oneLine(profile.niche)} niche` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  const requestedTone = oneLine(vibe.tone ?? 'friendly') || 'friendly';
  const known = resolveTone(requestedTone);

  const system = [
    `You are Lookout, a proactive assistant writing for ${who}. You turn one store or database event into one ` +
      `useful suggestion.`,
    profile.audience
      ? `Internal note on the audience, to guide your choices only: ${oneLine(profile.audience)}. Never quote, ` +
        `paraphrase or mention this description in what you write.`
      : undefined,
    `Write everything in ${LANGUAGE_NAMES[base] ?? lang} (${lang}), headings included; keep product names, code ` +
      `and identifiers as given.`,
    `Tone: ${requestedTone}${known ? ` (${TONE_GUIDE[known]})` : ''}.`,
    EMOJI_RULE[vibe.emoji ?? (known === 'refined' || known === 'minimal' ? 'none' : 'some')],
    LENGTH_RULE[vibe.length ?? 'medium'],
    avoid.length > 0 ? `Never use these words: ${avoid.map((w) => JSON.stringify(w)).join(', ')}.` : undefined,
    'Never include customer personal data other than a first name.',
    'Use only the facts given: every number you write (prices, counts, days, dates, percentages) and every ' +
      'product, collection, table or file you name must appear in the facts. Do not compute new figures; the facts ' +
      'already contain the computed ones. Your answer is checked, and one that invents is discarded.',
    'Answer with a single JSON object and nothing else: {"title": string naming the product, table or file it is ' +
      'about, "body": Markdown string, "content": object with the structured parts named in the task}.',
  ]
    .filter(Boolean)
    .join('\n');

  const user = [
    `Event: ${input.eventType} (id ${input.eventId})`,
    input.batch
      ? `Batch: ${input.batch.count} events of this type; write one summary suggestion for all of them.`
      : undefined,
    `Task: ${module.task}`,
    `Facts: ${stableJson(facts)}`,
  ]
    .filter(Boolean)
    .join('\n');

  return { system, user };
}

/** The prompt as one text for agent_runs.prompt. */
export function promptText(p: AssembledPrompt): string {
  return `SYSTEM:\n${p.system}\n\nUSER:\n${p.user}`;
}
