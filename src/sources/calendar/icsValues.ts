/**
 * node-ical returns a property either as its value or, when the property had parameters
 * (`SUMMARY;LANGUAGE=es:Lanzamiento`), as `{params, val}`; and one ATTENDEE or several. These
 * helpers flatten that without `any`.
 */

export function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value !== null && typeof value === 'object' && 'val' in value) return textOf((value as { val: unknown }).val);
  return null;
}

/** Trimmed text, or null when empty. */
export function nonEmptyText(value: unknown): string | null {
  const text = textOf(value)?.trim();
  return text ? text : null;
}

/** `mailto:a@b.com` → `a@b.com`; a CN-only attendee falls back to its name. */
export function addressOf(value: unknown): string | null {
  const raw = nonEmptyText(value);
  if (raw) return raw.replace(/^mailto:/i, '');
  if (value !== null && typeof value === 'object' && 'params' in value) {
    const params = (value as { params: unknown }).params;
    if (params !== null && typeof params === 'object' && 'CN' in params)
      return nonEmptyText((params as { CN: unknown }).CN);
  }
  return null;
}

export function addressesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  return list.map(addressOf).filter((a): a is string => a !== null);
}

export function numberOf(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : Number(textOf(value));
  return Number.isFinite(n) ? n : fallback;
}

export function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}
