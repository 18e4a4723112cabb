/**
 * Defensive readers for webhook payloads. A payload may come from JSON.parse (ids above 2^53
 * already rounded), from lossless-json (every number a LosslessNumber) or from a GraphQL summary,
 * so templates never index into it directly.
 */
import { isLosslessNumber } from 'lossless-json';

export type Obj = Record<string, unknown>;

export function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLosslessNumber(value)
    ? (value as Obj)
    : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Follows keys into nested objects; undefined as soon as a step is missing. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    const o = obj(current);
    if (!o) return undefined;
    current = o[key];
  }
  return current;
}

/** A non-empty trimmed string; numbers keep every digit they still have. */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (isLosslessNumber(value)) return value.value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (isLosslessNumber(value)) return Number(value.value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'YES' || value === 'yes' || value === 'true' || value === 't') return true;
  if (value === 'NO' || value === 'no' || value === 'false' || value === 'f') return false;
  return undefined;
}

/**
 * The exact id of a Shopify resource. The GraphQL gid is a string and never loses digits, whereas
 * `id` parsed by JSON.parse already has (788032119674292922 reads as ...900), so the gid wins.
 */
export function shopifyId(value: unknown): string | undefined {
  const gid = str(at(value, 'admin_graphql_api_id')) ?? str(at(value, 'id'));
  if (gid?.startsWith('gid://')) {
    const tail = /\/(\d+)(?:\?.*)?$/.exec(gid);
    if (tail?.[1]) return tail[1];
  }
  return str(at(value, 'id'));
}

/** Plain text of a Shopify body_html, for quoting a sentence of it in copy. */
export function stripHtml(html: string): string {
  return html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Shortens free text at a word boundary, so quoted descriptions stay readable. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}
