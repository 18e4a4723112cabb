/**
 * Keeps the user's banned words out of the output. Whole words are removed from prose (so "art"
 * does not maim "start"); a hashtag is dropped when it merely contains one, since #cheapshirts
 * still says "cheap".
 */

export interface AvoidMatcher {
  words: string[];
  wholeWord: RegExp;
}

const cache = new Map<string, AvoidMatcher>();

function escapeRegExp(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function compileAvoid(words: readonly string[]): AvoidMatcher | undefined {
  if (words.length === 0) return undefined;
  const key = words.join('\u0000');
  let matcher = cache.get(key);
  if (!matcher) {
    const lower = words.map((w) => w.toLowerCase());
    // Longest first, so "game changer" is removed before "game".
    const alternation = [...lower]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
    matcher = {
      words: lower,
      wholeWord: new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternation})(?![\\p{L}\\p{N}_])`, 'giu'),
    };
    // Vibes are few per deployment; the bound only guards against pathological callers.
    if (cache.size > 1000) cache.clear();
    cache.set(key, matcher);
  }
  return matcher;
}

export function containsAvoided(text: string, matcher: AvoidMatcher | undefined): boolean {
  if (!matcher) return false;
  const lower = text.toLowerCase();
  return matcher.words.some((w) => lower.includes(w));
}

/** Drops hashtags that contain an avoided word anywhere. */
export function filterHashtags(tags: string[], matcher: AvoidMatcher | undefined): string[] {
  return matcher ? tags.filter((t) => !containsAvoided(t, matcher)) : tags;
}

const HASHTAG = /#[\p{L}\p{N}_]+/gu;

/** Removes avoided words from prose and tidies the gap they leave. */
export function scrubText(text: string, matcher: AvoidMatcher | undefined): string {
  if (!matcher || !containsAvoided(text, matcher)) return text;
  let out = text.replace(HASHTAG, (tag) => (containsAvoided(tag, matcher) ? '' : tag));
  // A marker (a private-use character) where a word was, so a sentence that now starts lower-case
  // gets its capital back.
  out = out.replace(matcher.wholeWord, '\uE000');
  out = out.replace(
    /(^|[.!?]\s+)\uE000[\s\uE000]*(\p{Ll})/gmu,
    (_m, pre: string, ch: string) => `${pre}${ch.toUpperCase()}`,
  );
  out = out.replace(/\uE000/g, '');
  return out
    .replace(/ {2,}/g, ' ')
    .replace(/ +([,.;:!?)])/g, '$1')
    .replace(/\( +/g, '(')
    .replace(/\(\)/g, '')
    .replace(/^ +| +$/gm, '');
}
