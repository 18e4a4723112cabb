/**
 * Resolves the user's profile and vibe into the few closed choices templates branch on, so an
 * unknown tone or a regional language tag ("es-MX") still picks a sensible template.
 */
import type { EmojiLevel, LengthLevel, UserProfile, Vibe } from './types.js';

export type Tone = 'friendly' | 'professional' | 'playful' | 'bold';
/** Languages the offline templates are written in; others fall back to English. */
export type TemplateLanguage = 'en' | 'es';

export interface ResolvedVibe {
  tone: Tone;
  emoji: EmojiLevel;
  length: LengthLevel;
  avoidWords: string[];
  language: TemplateLanguage;
}

const TONE_SYNONYMS: Record<string, Tone> = {
  friendly: 'friendly',
  casual: 'friendly',
  warm: 'friendly',
  professional: 'professional',
  formal: 'professional',
  serious: 'professional',
  playful: 'playful',
  fun: 'playful',
  witty: 'playful',
  funny: 'playful',
  bold: 'bold',
  edgy: 'bold',
  confident: 'bold',
  direct: 'bold',
};

export function resolveTone(tone: string | undefined): Tone {
  return TONE_SYNONYMS[(tone ?? '').trim().toLowerCase()] ?? 'friendly';
}

export function resolveLanguage(language: string | undefined): TemplateLanguage {
  return (language ?? '').trim().toLowerCase().split(/[-_]/)[0] === 'es' ? 'es' : 'en';
}

export function resolveVibe(profile: UserProfile, vibe: Vibe): ResolvedVibe {
  return {
    tone: resolveTone(vibe.tone),
    // 'some' by default: a hook or caption without any emoji reads flat on TikTok, one is enough.
    emoji: vibe.emoji === 'none' || vibe.emoji === 'lots' ? vibe.emoji : 'some',
    length: vibe.length === 'short' || vibe.length === 'long' ? vibe.length : 'medium',
    avoidWords: (vibe.avoidWords ?? []).map((w) => w.trim()).filter((w) => w.length > 0),
    language: resolveLanguage(profile.language),
  };
}

/** Picks a count by length: short, medium, long. */
export function byLength<T>(v: ResolvedVibe, short: T, medium: T, long: T): T {
  return v.length === 'short' ? short : v.length === 'long' ? long : medium;
}
