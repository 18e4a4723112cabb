/**
 * Numbers, money, percentages, dates and lists in the user's locale. Intl formatters are costly to
 * build (tens of microseconds), so one per locale and style is kept: the offline generator must
 * stay well above 5,000 drafts a second.
 */

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>();

function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.ListFormat>(key: string, build: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = build();
    cache.set(key, f);
  }
  return f;
}

/** Whole percent saved, rounded down: an ad must never claim more than the real discount. */
export function percentOff(price: number, compareAt: number): number | undefined {
  if (!(compareAt > price) || price < 0) return undefined;
  const pct = Math.floor(((compareAt - price) / compareAt) * 100 + 1e-9);
  return pct >= 1 ? pct : undefined;
}

export class Formatter {
  constructor(readonly locale: string) {}

  /** "$19.99" / "19,99 €" when the currency is known, "19.99" otherwise (products carry none). */
  money(amount: number, currency: string | undefined): string {
    const code = currency && /^[A-Z]{3}$/.test(currency) ? currency : undefined;
    return cached(`${this.locale}|m|${code ?? ''}`, () =>
      code
        ? new Intl.NumberFormat(this.locale, { style: 'currency', currency: code })
        : new Intl.NumberFormat(this.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    ).format(amount);
  }

  /** One decimal ("4.5" / "4,5"). */
  decimal1(value: number): string {
    return cached(
      `${this.locale}|d1`,
      () => new Intl.NumberFormat(this.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
    ).format(value);
  }

  integer(value: number): string {
    return cached(`${this.locale}|int`, () => new Intl.NumberFormat(this.locale, { maximumFractionDigits: 0 })).format(
      value,
    );
  }

  /** A whole percentage as the locale writes it ("16%", "16 %"). */
  percent(value: number): string {
    return cached(
      `${this.locale}|pct`,
      () => new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 }),
    ).format(value / 100);
  }

  /** A day in a plan: "Wed, Apr 22" / "mié, 22 abr". */
  day(iso: string | number, timeZone = 'UTC'): string {
    return this.date(iso, 'day', timeZone);
  }

  /** A date in prose: "April 8" / "8 de abril". */
  longDate(iso: string | number, timeZone = 'UTC'): string {
    return this.date(iso, 'long', timeZone);
  }

  /** A day and time: "Thu, Apr 23, 4:00 PM UTC" / "jeu. 23 avr., 16:00 UTC". */
  dayTime(iso: string | number, timeZone = 'UTC'): string {
    return this.date(iso, 'dayTime', timeZone);
  }

  private date(iso: string | number, style: 'day' | 'long' | 'dayTime', timeZone: string): string {
    const t = typeof iso === 'number' ? iso : Date.parse(iso);
    if (Number.isNaN(t)) return String(iso);
    const zone = validZone(timeZone);
    const options: Intl.DateTimeFormatOptions =
      style === 'day'
        ? { weekday: 'short', month: 'short', day: 'numeric' }
        : style === 'long'
          ? { month: 'long', day: 'numeric' }
          : // A 24-hour clock in every language: "16:00", never "4:00 PM" next to a fact that says 16.
            {
              weekday: 'short',
              month: 'short',
              day: 'numeric',
              hour: '2-digit',
              minute: '2-digit',
              hourCycle: 'h23',
              timeZoneName: 'short',
            };
    return cached(
      `${this.locale}|${style}|${zone}`,
      () => new Intl.DateTimeFormat(this.locale, { ...options, timeZone: zone }),
    ).format(t);
  }

  /** "A", "A and B", "A, B and C", in the locale's words. */
  list(items: readonly string[]): string {
    return cached(
      `${this.locale}|list`,
      () => new Intl.ListFormat(this.locale, { style: 'long', type: 'conjunction' }),
    ).format(items);
  }
}

const zones = new Map<string, string>();

/** The zone if Intl knows it, else UTC; checked once per zone (building a formatter is costly). */
function validZone(zone: string): string {
  let valid = zones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      valid = zone;
    } catch {
      valid = 'UTC';
    }
    if (zones.size > 1000) zones.clear();
    zones.set(zone, valid);
  }
  return valid;
}

const formatters = new Map<string, Formatter>();

export function formatterFor(locale: string): Formatter {
  let f = formatters.get(locale);
  if (!f) {
    f = new Formatter(locale);
    formatters.set(locale, f);
  }
  return f;
}
