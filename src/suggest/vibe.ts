/**
 * Resolves the user's profile and vibe into the closed choices the offline templates are written
 * for: a language of the catalogue (src/suggest/i18n) and one of its tones. What the templates
 * cannot honour (Italian, a "sarcastic" tone) is recorded in `unapplied`, and every offline draft
 * says so: a setting is never dropped silently. The LLM path takes the settings as given.
 */
import type { EmojiLevel, LengthLevel, UserProfile, Vibe } from './types.js';

/** The tones every language of the catalogue is written in. */
export const TONES = ['friendly', 'playful', 'refined', 'professional', 'minimal', 'bold'] as const;
export type Tone = (typeof TONES)[number];

/** The languages of the offline catalogue (one file each in src/suggest/i18n). */
export const LANGUAGES = ['en', 'es', 'fr', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Kept for callers that name the old type. */
export type TemplateLanguage = Language;

const DEFAULT_LOCALE: Record<Language, string> = { en: 'en-US', es: 'es-ES', fr: 'fr-FR', de: 'de-DE' };

/** What users write, mapped to the tone the templates use for it. */
const TONE_SYNONYMS: Record<string, Tone> = {
  friendly: 'friendly',
  casual: 'friendly',
  warm: 'friendly',
  calm: 'friendly',
  relaxed: 'friendly',
  approachable: 'friendly',
  playful: 'playful',
  fun: 'playful',
  witty: 'playful',
  funny: 'playful',
  cheeky: 'playful',
  quirky: 'playful',
  refined: 'refined',
  luxury: 'refined',
  luxurious: 'refined',
  elegant: 'refined',
  sophisticated: 'refined',
  premium: 'refined',
  upscale: 'refined',
  classy: 'refined',
  professional: 'professional',
  formal: 'professional',
  serious: 'professional',
  corporate: 'professional',
  expert: 'professional',
  minimal: 'minimal',
  minimalist: 'minimal',
  understated: 'minimal',
  concise: 'minimal',
  plain: 'minimal',
  simple: 'minimal',
  sober: 'minimal',
  bold: 'bold',
  edgy: 'bold',
  confident: 'bold',
  direct: 'bold',
  punchy: 'bold',
};

export interface UnappliedSetting {
  setting: 'language' | 'tone';
  /** What the user asked for. */
  requested: string;
  /** What the offline draft used instead. */
  used: string;
}

export interface ResolvedVibe {
  tone: Tone;
  emoji: EmojiLevel;
  length: LengthLevel;
  avoidWords: string[];
  language: Language;
  /** BCP 47 locale for numbers, money and dates: the user's region when given ("es-MX"). */
  locale: string;
  /** Settings the offline templates could not honour; the draft names them. */
  unapplied: UnappliedSetting[];
}

export function resolveTone(tone: string | undefined): Tone | undefined {
  const key = (tone ?? '').trim().toLowerCase();
  return key === '' ? 'friendly' : TONE_SYNONYMS[key];
}

/** The catalogue language for a tag ("es-MX" → es), or undefined when there is none. */
export function resolveLanguage(language: string | undefined): Language | undefined {
  const base = (language ?? '').trim().toLowerCase().split(/[-_]/)[0] || 'en';
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : undefined;
}

function localeFor(language: Language, tag: string | undefined): string {
  const t = (tag ?? '').trim().replace('_', '-');
  if (/^[a-z]{2}-[A-Za-z]{2}$/.test(t) && t.toLowerCase().startsWith(language)) {
    try {
      return Intl.getCanonicalLocales(t)[0] ?? DEFAULT_LOCALE[language];
    } catch {
      return DEFAULT_LOCALE[language];
    }
  }
  return DEFAULT_LOCALE[language];
}

export function resolveVibe(profile: UserProfile, vibe: Vibe): ResolvedVibe {
  const unapplied: UnappliedSetting[] = [];
  const requestedLanguage = profile.language?.trim();
  const language = resolveLanguage(requestedLanguage);
  if (!language && requestedLanguage) unapplied.push({ setting: 'language', requested: requestedLanguage, used: 'en' });
  const tone = resolveTone(vibe.tone);
  if (!tone && vibe.tone) unapplied.push({ setting: 'tone', requested: vibe.tone.trim(), used: 'friendly' });
  const resolvedTone = tone ?? 'friendly';
  // Refined and minimal copy reads cheaper with emoji: none unless the user asks for them.
  const defaultEmoji: EmojiLevel = resolvedTone === 'refined' || resolvedTone === 'minimal' ? 'none' : 'some';
  return {
    tone: resolvedTone,
    emoji: vibe.emoji === 'none' || vibe.emoji === 'lots' || vibe.emoji === 'some' ? vibe.emoji : defaultEmoji,
    length: vibe.length === 'short' || vibe.length === 'long' ? vibe.length : 'medium',
    avoidWords: (vibe.avoidWords ?? []).map((w) => w.trim()).filter((w) => w.length > 0),
    language: language ?? 'en',
    locale: localeFor(language ?? 'en', requestedLanguage),
    unapplied,
  };
}

/** Picks a count by length: short, medium, long. */
export function byLength<T>(v: ResolvedVibe, short: T, medium: T, long: T): T {
  return v.length === 'short' ? short : v.length === 'long' ? long : medium;
}

/** Words of prose (code and tables excluded) a draft may use, per length: the prompt says the same. */
export const WORD_BUDGET = { short: 150, medium: 350, long: 700 } as const;

/** Emoji allowed in a whole draft at "some"; "none" is zero, "lots" unbounded. */
export const EMOJI_BUDGET_SOME = 3;
