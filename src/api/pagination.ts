import { z } from 'zod';
import { badRequest } from '../lib/httpError.js';

/**
 * Opaque cursors: base64url of `s:` and the last listed item's sequence number (a PostgreSQL
 * bigint, kept as text so no digit is lost). Lists are keyset-paginated on that sequence, newest
 * first: the next page holds the rows whose sequence is below the cursor's.
 */
export function encodeCursor(seq: string | null): string | null {
  return seq === null ? null : Buffer.from(`s:${seq}`).toString('base64url');
}

const BIGINT_MAX = 9_223_372_036_854_775_807n;
const CURSOR_TEXT = /^s:(0|[1-9]\d{0,18})$/;

/**
 * The sequence number a cursor holds, checked before it reaches SQL: anything this API did not
 * hand out (other alphabets, padding, numbers beyond bigint) is a 400, not a database error.
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () => badRequest('cursor is not one this API returned', 'invalid_cursor');
  // Buffer's base64url decoder skips characters outside the alphabet; a cursor must not.
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) throw invalid();
  const text = Buffer.from(cursor, 'base64url').toString('latin1');
  const digits = CURSOR_TEXT.exec(text)?.[1];
  if (digits === undefined || BigInt(digits) > BIGINT_MAX) throw invalid();
  return digits;
}

export const limitParam = z.coerce.number().int().min(1).max(200).default(50);

/** The query parameters every cursor-paginated list takes. */
export const pageParams = {
  limit: limitParam,
  cursor: z.string().max(100).optional().describe('nextCursor of the previous page'),
};
