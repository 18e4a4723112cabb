/**
 * What a machine can check about a suggestion, written independently of the generators: facts
 * present, recomputed figures present, no number that is not in the facts the generator was given,
 * emoji and length rules, the language, no internal profile field, no repeated sentence.
 */
import { franc } from 'franc-min';
import type { Language, Scenario } from './scenarios.js';

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface Output {
  title: string;
  body: string;
  content: Record<string, unknown>;
  /** The prompt of the agent run: the facts the generator was given. */
  prompt: string;
  /** Suggestions the pipeline made for the scenario. */
  suggestions: number;
}

const ISO3: Record<Language, string> = { en: 'eng', es: 'spa', fr: 'fra', de: 'deu' };

/** Word budgets of prose (code blocks and table rows excluded), per length setting. */
export const WORD_BUDGET = { short: 150, medium: 350, long: 700 } as const;

const EMOJI = /[\p{Extended_Pictographic}\p{Regional_Indicator}]/gu;

function normalise(text: string): string {
  return text.replace(/[\u202f\u00a0]/g, ' ');
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** The prose a reader reads: no fenced code, no table rows, no inline code, no URLs or hashtags. */
export function prose(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, ' ')
    .split('\n')
    .filter((l) => !/^\s*\|/.test(l))
    .join('\n')
    .replace(/`[^`]*`/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/#[\p{L}\p{N}_]+/gu, ' ')
    .replace(/[*_>#-]+/g, ' ');
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** Numbers written in `lang`'s conventions, as values with their decimals. */
export function numbersIn(
  text: string,
  lang: Language | 'json',
): Array<{ value: number; decimals: number; raw: string }> {
  let t = normalise(text);
  // ISO timestamps: "2026-04-20T10:00" holds the day and the hour as numbers of their own.
  t = t.replace(/(\d)T(\d)/g, '$1 $2');
  // French groups thousands with a (narrow) space: "1 234,50".
  if (lang === 'fr') t = t.replace(/(\d) (?=\d{3}(?!\d))/g, '$1');
  const out: Array<{ value: number; decimals: number; raw: string }> = [];
  for (const m of t.matchAll(/(?<![\p{L}\p{N}_])\d+(?:[.,]\d+)*(?![\p{L}\p{N}_])/gu)) {
    const raw = m[0];
    let s = raw;
    const decimalMark = lang === 'en' || lang === 'json' ? '.' : ',';
    const groupMark = decimalMark === '.' ? ',' : '.';
    // "1,234" (en) / "1.234" (es, de) groups thousands; anything else is a decimal mark.
    if (new RegExp(`^\\d{1,3}(\\${groupMark}\\d{3})+(\\${decimalMark}\\d+)?$`).test(s)) s = s.split(groupMark).join('');
    const parts = s.split(decimalMark);
    if (parts.length > 2 || parts.some((p) => /[.,]/.test(p))) {
      // Not a number in this language (a version, a date with dots): keep each run of digits.
      for (const d of raw.split(/[.,]/)) out.push({ value: Number(d), decimals: 0, raw: d });
      continue;
    }
    out.push({ value: Number(parts.join('.')), decimals: parts[1]?.length ?? 0, raw });
  }
  return out;
}

function matches(n: { value: number; decimals: number }, fact: number): boolean {
  if (Math.abs(fact - n.value) < 1e-9) return true;
  const f = 10 ** n.decimals;
  return Math.abs(Math.round(fact * f) / f - n.value) < 1e-9 || Math.abs(Math.floor(fact * f) / f - n.value) < 1e-9;
}

/** 0-10 are counts of what the text itself lists ("3 hooks", "step 2"); anything else must be a fact. */
export function inventedNumbers(text: string, lang: Language, prompt: string, allowed: string[]): string[] {
  const facts = [
    ...numbersIn(prompt, 'json').map((n) => n.value),
    ...numbersIn(prompt, lang).map((n) => n.value),
    ...allowed.flatMap((a) => numbersIn(a, lang).map((n) => n.value)),
  ];
  return numbersIn(text, lang)
    .filter((n) => !(Number.isInteger(n.value) && n.value <= 10 && n.decimals === 0))
    .filter((n) => !facts.some((f) => matches(n, f)))
    .map((n) => n.raw);
}

function sentences(text: string): string[] {
  return prose(text)
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim().toLowerCase().replace(/\s+/g, ' '))
    .filter((s) => words(s).length >= 6);
}

export function detectLanguage(text: string): string {
  return franc(text, { only: Object.values(ISO3), minLength: 10 });
}

export function runChecks(s: Scenario, out: Output): Check[] {
  const text = normalise(`${out.title}\n${out.body}`);
  const lower = text.toLowerCase();
  const all = normalise([out.title, out.body, ...strings(out.content)].join('\n'));
  const checks: Check[] = [];
  const expected = s.expect.suggestions ?? 1;
  checks.push({
    name: 'suggested',
    ok: out.suggestions === expected,
    detail: out.suggestions === expected ? undefined : `${out.suggestions} suggestion(s), expected ${expected}`,
  });

  const missing = s.expect.mustSay.filter((f) => !lower.includes(normalise(f).toLowerCase()));
  checks.push({
    name: 'facts',
    ok: missing.length === 0,
    detail: missing.length ? `missing: ${missing.join(' | ')}` : undefined,
  });

  const numbers = (s.expect.numbers ?? []).filter((n) => !text.includes(n.text));
  checks.push({
    name: 'numbers',
    ok: numbers.length === 0,
    detail: numbers.length ? `missing: ${numbers.map((n) => `${n.what} ${n.text}`).join(', ')}` : undefined,
  });

  const forbidden = (s.expect.mustNotSay ?? []).filter((f) => lower.includes(normalise(f).toLowerCase()));
  checks.push({
    name: 'absent',
    ok: forbidden.length === 0,
    detail: forbidden.length ? `says: ${forbidden.join(' | ')}` : undefined,
  });

  // The facts the generator was given: the prompt's event and facts lines (not its instructions).
  const factLines = out.prompt
    .split('\n')
    .filter((l) => /^(Event|Facts|Context|Batch items?):/.test(l))
    .join('\n');
  const invented = inventedNumbers(
    text,
    s.expect.language,
    factLines || out.prompt,
    (s.expect.numbers ?? []).map((n) => n.text),
  );
  checks.push({
    name: 'no invented number',
    ok: invented.length === 0,
    detail: invented.length ? `not in the facts: ${[...new Set(invented)].slice(0, 8).join(', ')}` : undefined,
  });

  // Title and body: the content repeats the same parts for copy buttons.
  const emoji = (text.match(EMOJI) ?? []).length;
  const level = (s.vibe.emoji as string | undefined) ?? 'some';
  const emojiOk =
    level === 'none' ? emoji === 0 : level === 'some' ? emoji <= 3 : !s.expect.customerFacing || emoji >= 1;
  checks.push({ name: 'emoji', ok: emojiOk, detail: emojiOk ? undefined : `${emoji} emoji for "${level}"` });

  const length = ((s.vibe.length as string | undefined) ?? 'medium') as keyof typeof WORD_BUDGET;
  const count = words(prose(out.body)).length;
  checks.push({
    name: 'length',
    ok: count <= WORD_BUDGET[length] && count > 0,
    detail:
      count <= WORD_BUDGET[length] && count > 0
        ? undefined
        : `${count} words for "${length}" (max ${WORD_BUDGET[length]})`,
  });

  const proseText = prose(`${out.title}\n${out.body}`);
  if (words(proseText).length >= 15) {
    const detected = detectLanguage(proseText);
    checks.push({
      name: 'language',
      ok: detected === ISO3[s.expect.language],
      detail:
        detected === ISO3[s.expect.language] ? undefined : `detected ${detected}, expected ${ISO3[s.expect.language]}`,
    });
  } else checks.push({ name: 'language', ok: true, detail: 'too short to detect' });

  const audience = typeof s.profile.audience === 'string' ? s.profile.audience : undefined;
  let leak: string | undefined;
  if (audience) {
    const w = words(audience.toLowerCase());
    const hay = all.toLowerCase().replace(/\s+/g, ' ');
    for (let i = 0; i + 4 <= w.length && !leak; i++) {
      const gram = w.slice(i, i + 4).join(' ');
      if (hay.includes(gram)) leak = gram;
    }
  }
  checks.push({ name: 'no internal field', ok: !leak, detail: leak ? `audience leaked: "${leak}"` : undefined });

  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const sentence of sentences(out.body)) {
    if (seen.has(sentence)) dupes.add(sentence);
    seen.add(sentence);
  }
  checks.push({
    name: 'no duplicate',
    ok: dupes.size === 0,
    detail: dupes.size ? `repeated: ${[...dupes][0]!.slice(0, 80)}` : undefined,
  });
  return checks;
}
