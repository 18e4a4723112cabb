import { isSafeNumber, parse } from 'lossless-json';

/**
 * Parses a stored payload for decisions and templates: numbers that fit a double become numbers,
 * larger ones (Shopify ids) stay strings with every digit.
 */
export function parsePayload(json: string): Record<string, unknown> {
  try {
    const value = parse(json, null, (digits: string) => (isSafeNumber(digits) ? Number(digits) : digits));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
