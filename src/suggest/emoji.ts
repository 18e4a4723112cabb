/**
 * Emoji placement and removal. "none" must mean none anywhere (product titles included), so the
 * final pass strips every pictographic code point plus the joiners and selectors that build them.
 */
import type { ResolvedVibe } from './vibe.js';

// The joiner, the variation selector and the keycap combine with what precedes them: listed as
// alternatives rather than inside the class, where a combining mark reads as part of its neighbour.
const EMOJI_PARTS = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}]|\u200D|\uFE0F|\u20E3/gu;
const HAS_EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/u;

export function stripEmoji(text: string): string {
  if (!HAS_EMOJI.test(text)) return text;
  return text
    .replace(EMOJI_PARTS, '')
    .replace(/ {2,}/g, ' ')
    .replace(/^ +| +$/gm, '');
}

export function hasEmoji(text: string): boolean {
  return HAS_EMOJI.test(text);
}

/** Emoji sets per mood, picked by position so the same draft always gets the same ones. */
export const EMOJI_SETS = {
  launch: ['🔥', '✨', '👀', '💥', '🛍️'],
  money: ['💸', '🏷️', '💰'],
  love: ['💛', '🙌', '😊'],
  plan: ['🗓️', '🚀', '📣', '✅'],
  alert: ['⚠️', '📦', '⏳'],
  docs: ['📘', '🧱', '📝'],
} as const;

/**
 * The emoji (with its trailing space) for slot `index`: "some" decorates only the first slot of a
 * section, "lots" decorates every slot.
 */
export function emojiFor(v: ResolvedVibe, set: readonly string[], index: number): string {
  if (v.emoji === 'none') return '';
  if (v.emoji === 'some' && index !== 0) return '';
  return `${set[index % set.length] ?? ''} `;
}

/** Like emojiFor, but only at "lots": for technical text, where one emoji is already plenty. */
export function emojiIfLots(v: ResolvedVibe, set: readonly string[], index: number): string {
  return v.emoji === 'lots' ? `${set[index % set.length] ?? ''} ` : '';
}
