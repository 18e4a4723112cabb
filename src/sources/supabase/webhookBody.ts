import { createHash } from 'node:crypto';
import { isLosslessNumber, parse as parseLossless } from 'lossless-json';
import { z } from 'zod';

import { MAX_PAYLOAD_DEPTH, nestingExceeds } from '../../ingest/storablePayload.js';

/** An event type this source emits (its specs in eventTypes.ts are the list). */
type EventType = string;

export type { StandardWebhookResult } from './webhookAuth.js';
export { verifyBearerSecret, verifyStandardWebhook } from './webhookAuth.js';

/**
 * The body of a Supabase Database Webhook, as supabase_functions.http_request builds it:
 * `jsonb_build_object('old_record', OLD, 'record', NEW, 'type', TG_OP, 'table', TG_TABLE_NAME,
 * 'schema', TG_TABLE_SCHEMA)`. OLD is null on INSERT and NEW on DELETE.
 */
const RowObject = z.record(z.string(), z.unknown());
export const SupabaseWebhookBody = z
  .looseObject({
    type: z.enum(['INSERT', 'UPDATE', 'DELETE']),
    table: z.string().min(1),
    schema: z.string().min(1),
    record: RowObject.nullable().default(null),
    old_record: RowObject.nullable().default(null),
  })
  .refine((b) => b.type === 'DELETE' || b.record !== null, {
    message: 'record is required for INSERT and UPDATE',
    path: ['record'],
  })
  .refine((b) => b.type === 'INSERT' || b.old_record !== null, {
    message: 'old_record is required for UPDATE and DELETE',
    path: ['old_record'],
  });
export type SupabaseWebhookBody = z.infer<typeof SupabaseWebhookBody>;

const EVENT_TYPES: Record<SupabaseWebhookBody['type'], EventType> = {
  INSERT: 'supabase.row.inserted',
  UPDATE: 'supabase.row.updated',
  DELETE: 'supabase.row.deleted',
};

export interface ParsedSupabaseWebhook {
  eventType: EventType;
  operation: SupabaseWebhookBody['type'];
  schema: string;
  table: string;
  /** The body exactly as received: stored as is, never re-serialised (bigint ids keep their digits). */
  eventDataJson: string;
  dedupeKey: string;
  /** record.user_id (else old_record.user_id) as text, when the row has one. */
  recordUserId: string | null;
  /** Supabase sends no timestamp: the time we received it. */
  eventTimestamp: Date;
}

export type WebhookParseError = { code: 'invalid_json' | 'invalid_body' | 'payload_too_deep'; message: string };
export type WebhookParseResult = { ok: true; value: ParsedSupabaseWebhook } | { ok: false; error: WebhookParseError };

/**
 * Supabase sends no event id, so the key is sha256 of the raw body.
 * Gains: a repeated delivery of the same body (pg_net, a proxy retry, the same event posted by a
 * webhook and by a replay) is stored once.
 * Costs: two genuinely distinct changes with byte-identical bodies collapse into one (an UPDATE
 * that sets a row to the values it already had, repeated; or insert, delete, insert of the same
 * row). Rows with an updated_at column never collide. When Standard Webhooks headers are present,
 * their `webhook-id` is a true delivery id: pass it as `deliveryId` to key on it instead.
 * `scope` (the integration id) keeps two projects sending identical bodies apart.
 */
export function webhookDedupeKey(rawBody: string, opts: { scope?: string; deliveryId?: string } = {}): string {
  const prefix = opts.scope ? `${opts.scope}:` : '';
  if (opts.deliveryId) return `${prefix}webhook-id:${opts.deliveryId}`;
  return `${prefix}row:${createHash('sha256').update(rawBody, 'utf8').digest('hex')}`;
}

function userIdOf(row: Record<string, unknown> | null): string | null {
  const v = row?.user_id;
  if (typeof v === 'string') return v;
  // lossless-json keeps numbers as text: a bigint user id does not lose digits.
  if (isLosslessNumber(v)) return v.toString();
  return null;
}

export function parseSupabaseWebhook(
  rawBody: string,
  opts: { receivedAt?: Date; scope?: string; deliveryId?: string } = {},
): WebhookParseResult {
  // Before any parse: nesting this deep breaks the embedded database (see MAX_PAYLOAD_DEPTH).
  if (nestingExceeds(rawBody))
    return {
      ok: false,
      error: {
        code: 'payload_too_deep',
        message: `body nests arrays or objects deeper than ${MAX_PAYLOAD_DEPTH} levels`,
      },
    };
  let json: unknown;
  try {
    // Parsed only to validate and to read user_id; what is stored is rawBody itself.
    json = parseLossless(rawBody);
  } catch (err) {
    return { ok: false, error: { code: 'invalid_json', message: err instanceof Error ? err.message : 'invalid JSON' } };
  }
  const parsed = SupabaseWebhookBody.safeParse(json);
  if (!parsed.success) {
    return { ok: false, error: { code: 'invalid_body', message: z.prettifyError(parsed.error) } };
  }
  const body = parsed.data;
  return {
    ok: true,
    value: {
      eventType: EVENT_TYPES[body.type],
      operation: body.type,
      schema: body.schema,
      table: body.table,
      eventDataJson: rawBody,
      dedupeKey: webhookDedupeKey(rawBody, opts),
      recordUserId: userIdOf(body.record) ?? userIdOf(body.old_record),
      eventTimestamp: opts.receivedAt ?? new Date(),
    },
  };
}
