/**
 * Number and money formatting. Intl formatters are costly to build (tens of microseconds), so one
 * per language and currency is kept: the offline generator must stay above 5,000 drafts a second.
 */
import type { TemplateLanguage } from './vibe.js';

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(key: string, build: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = formatters.get(key);
  if (!f) {
    f = build();
    formatters.set(key, f);
  }
  return f;
}

const LOCALE: Record<TemplateLanguage, string> = { en: 'en-US', es: 'es-ES' };

/** "$19.99" when the currency is known, "19.99" otherwise (products carry no currency). */
export function money(amount: number, currency: string | undefined, lang: TemplateLanguage): string {
  const code = currency && /^[A-Z]{3}$/.test(currency) ? currency : undefined;
  const f = formatter(`${lang}|${code ?? ''}`, () =>
    code
      ? new Intl.NumberFormat(LOCALE[lang], { style: 'currency', currency: code })
      : new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  );
  return f.format(amount);
}

/** One decimal, in the user's language ("4.5" / "4,5"). */
export function decimal1(value: number, lang: TemplateLanguage): string {
  return formatter(
    `${lang}|d1`,
    () => new Intl.NumberFormat(LOCALE[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  ).format(value);
}

export function integer(value: number, lang: TemplateLanguage): string {
  return formatter(`${lang}|int`, () => new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 })).format(
    value,
  );
}

/**
 * Whole percent saved, rounded down: an ad must never claim more than the real discount
 * (24.99 -> 19.99 is 20.008%, said as 20%).
 */
export function percentOff(price: number, compareAt: number): number | undefined {
  if (!(compareAt > price) || price < 0) return undefined;
  const pct = Math.floor(((compareAt - price) / compareAt) * 100 + 1e-9);
  return pct >= 1 ? pct : undefined;
}

/** Joins names as prose: "A", "A and B", "A, B and C" (es: "y"). */
export function joinNames(names: readonly string[], lang: TemplateLanguage): string {
  const and = lang === 'es' ? 'y' : 'and';
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
}
