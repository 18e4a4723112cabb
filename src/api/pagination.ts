import { z } from 'zod';
import { badRequest } from '../lib/httpError.js';

/** Opaque cursors: base64url of the last item's sequence number. */
export function encodeCursor(seq: string | null): string | null {
  return seq === null ? null : Buffer.from(`s:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^s:(\d{1,19})$/.exec(text);
  if (!m) throw badRequest('cursor is not one this API returned', 'invalid_cursor');
  return m[1];
}

export const limitParam = z.coerce.number().int().min(1).max(200).default(50);
