/**
 * Checks a model's draft against the facts it was given: every figure it states must be one of the
 * facts' numbers (or a small count of its own list: 0 to 10), every name it puts forward (bold text,
 * the titles of the products it recommends) must appear in the facts, and the internal audience
 * description must not be repeated. A draft that fails is not shown: the offline draft is, and the
 * agent run says what was invented.
 */
import { stableJson } from './stableJson.js';
import type { SuggestionDraft } from './types.js';

export interface FactCheck {
  ok: boolean;
  /** What was not in the facts, for the agent run's error. */
  problems: string[];
}

interface Found {
  value: number;
  decimals: number;
  raw: string;
}

/**
 * Numbers as a language writes them: "1,234.5" (en), "1.234,5" (es, de), "1 234,5" (fr); ISO
 * timestamps give their parts ("2026-04-21T16:00" holds 21 and 16).
 */
export function numbersIn(text: string, convention: 'dot' | 'comma'): Found[] {
  let t = text.replace(/[\u202f\u00a0]/g, ' ').replace(/(\d)T(\d)/g, '$1 $2');
  if (convention === 'comma') t = t.replace(/(\d) (?=\d{3}(?!\d))/g, '$1');
  const decimalMark = convention === 'dot' ? '.' : ',';
  const groupMark = convention === 'dot' ? ',' : '.';
  const grouped = new RegExp(`^\\d{1,3}(\\${groupMark}\\d{3})+(\\${decimalMark}\\d+)?$`);
  const out: Found[] = [];
  for (const m of t.matchAll(/(?<![\p{L}\p{N}_])\d+(?:[.,]\d+)*(?![\p{L}\p{N}_])/gu)) {
    const raw = m[0];
    const s = grouped.test(raw) ? raw.split(groupMark).join('') : raw;
    const parts = s.split(decimalMark);
    if (parts.length > 2 || parts.some((p) => /[.,]/.test(p))) {
      // A version or a dotted date, not a number of this language: each run of digits on its own.
      for (const d of raw.split(/[.,]/)) out.push({ value: Number(d), decimals: 0, raw: d });
      continue;
    }
    out.push({ value: Number(parts.join('.')), decimals: parts[1]?.length ?? 0, raw });
  }
  return out;
}

function sameFigure(n: Found, fact: number): boolean {
  if (Math.abs(fact - n.value) < 1e-9) return true;
  // Rounded or truncated to the decimals written: 1.3333 is "1.3", 16.9% off is "16%".
  const f = 10 ** n.decimals;
  return Math.abs(Math.round(fact * f) / f - n.value) < 1e-9 || Math.abs(Math.floor(fact * f) / f - n.value) < 1e-9;
}

function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** Titles of what the draft recommends: content arrays of objects with a title. */
function recommendedTitles(content: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const value of Object.values(content)) {
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      const title = item && typeof item === 'object' ? (item as Record<string, unknown>).title : undefined;
      if (typeof title === 'string' && title.trim() !== '') out.push(title);
    }
  }
  return out;
}

export function checkAgainstFacts(
  draft: SuggestionDraft,
  facts: unknown,
  opts: { language: string; audience?: string },
): FactCheck {
  const factsText = stableJson(facts);
  const convention = /^(es|fr|de|it|pt|nl)/i.test(opts.language) ? 'comma' : 'dot';
  const known = [...numbersIn(factsText, 'dot'), ...numbersIn(factsText, convention)].map((n) => n.value);
  const text = [draft.title, draft.body, ...strings(draft.content)].join('\n');
  const problems: string[] = [];

  const invented = numbersIn(text, convention)
    .filter((n) => !(Number.isInteger(n.value) && n.value <= 10 && n.decimals === 0))
    .filter((n) => !known.some((f) => sameFigure(n, f)))
    .map((n) => n.raw);
  if (invented.length > 0) problems.push(`numbers not in the facts: ${[...new Set(invented)].slice(0, 10).join(', ')}`);

  const foldedFacts = fold(factsText);
  const names = [
    ...[...text.matchAll(/\*\*([^*\n]+)\*\*(?!\s*:)/g)].map((m) => m[1]!.trim()).filter((n) => !/\d/.test(n)),
    ...recommendedTitles(draft.content),
  ];
  const unknownNames = names.filter((n) => fold(n) !== '' && !foldedFacts.includes(fold(n)));
  if (unknownNames.length > 0)
    problems.push(`names not in the facts: ${[...new Set(unknownNames)].slice(0, 10).join(', ')}`);

  if (opts.audience) {
    const words = fold(opts.audience).split(' ').filter(Boolean);
    const hay = fold(text);
    for (let i = 0; i + 4 <= words.length; i++) {
      const gram = words.slice(i, i + 4).join(' ');
      if (hay.includes(gram)) {
        problems.push(`repeats the internal audience description ("${gram}")`);
        break;
      }
    }
  }
  return { ok: problems.length === 0, problems };
}
