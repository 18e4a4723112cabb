/**
 * The last pass over any draft, offline or from a model: the vibe's hard rules (no emoji, no
 * avoided words) are enforced here once, instead of trusting every template and every model.
 * Code (fenced blocks, `sql` and `command` parts) keeps its avoided words: rewriting an
 * identifier would make the statement wrong; the prose around it is still scrubbed.
 */
import { type AvoidMatcher, compileAvoid, filterHashtags, scrubText } from './avoidWords.js';
import { stripEmoji } from './emoji.js';
import type { SuggestionDraft } from './types.js';
import type { ResolvedVibe } from './vibe.js';

const CODE_KEYS = new Set(['sql', 'command', 'commands', 'statements']);
const FENCE = /(```[\s\S]*?```)/g;

interface Rules {
  noEmoji: boolean;
  avoid: AvoidMatcher | undefined;
}

function prose(text: string, rules: Rules): string {
  const t = rules.avoid ? scrubText(text, rules.avoid) : text;
  return rules.noEmoji ? stripEmoji(t) : t;
}

function code(text: string, rules: Rules): string {
  return rules.noEmoji ? stripEmoji(text) : text;
}

function markdown(text: string, rules: Rules): string {
  if (!rules.avoid || !text.includes('```')) return prose(text, rules);
  return text
    .split(FENCE)
    .map((part) => (part.startsWith('```') ? code(part, rules) : prose(part, rules)))
    .join('');
}

function walk(value: unknown, rules: Rules, inCode: boolean, key: string | undefined): unknown {
  if (typeof value === 'string') return inCode ? code(value, rules) : markdown(value, rules);
  if (Array.isArray(value)) {
    const items =
      key === 'hashtags'
        ? filterHashtags(
            value.filter((v): v is string => typeof v === 'string'),
            rules.avoid,
          )
        : value;
    return items.map((v) => walk(v, rules, inCode, undefined));
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, rules, inCode || CODE_KEYS.has(k), k);
    return out;
  }
  return value;
}

export function finalizeDraft(draft: SuggestionDraft, v: ResolvedVibe): SuggestionDraft {
  const rules: Rules = { noEmoji: v.emoji === 'none', avoid: compileAvoid(v.avoidWords) };
  if (!rules.noEmoji && !rules.avoid) return draft;
  return {
    title: prose(draft.title, rules),
    body: markdown(draft.body, rules),
    content: walk(draft.content, rules, false, undefined) as Record<string, unknown>,
  };
}
