import { createHash, timingSafeEqual } from 'node:crypto';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

/**
 * Supabase Database Webhooks are unsigned: the integration's secret travels as a custom header
 * `Authorization: Bearer SECRET`. Comparing sha256 digests keeps the comparison constant-time
 * whatever the lengths (timingSafeEqual throws on unequal lengths, which would leak the length).
 */
export function verifyBearerSecret(authHeader: string | undefined | null, secret: string): boolean {
  if (!authHeader || secret.length === 0) return false;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authHeader);
  if (!match) return false;
  const given = createHash('sha256').update(match[1]!, 'utf8').digest();
  const expected = createHash('sha256').update(secret, 'utf8').digest();
  return timingSafeEqual(given, expected);
}

export type StandardWebhookResult =
  | { ok: true; webhookId: string; timestamp: Date }
  | { ok: false; reason: 'missing_headers' | 'bad_signature' | 'bad_timestamp' | 'bad_secret' };

type HeaderValue = string | string[] | undefined;

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature`; HMAC-SHA256 over
 * `id.timestamp.body`, 5 minutes tolerance), checked by the `standardwebhooks` library.
 * A `whsec_<base64>` secret is decoded as the spec says; any other string is used as raw bytes,
 * so a secret generated as plain text works too (the library would reject it as bad base64).
 */
export function verifyStandardWebhook(
  rawBody: string,
  headers: Record<string, HeaderValue>,
  secret: string,
): StandardWebhookResult {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const v = Array.isArray(value) ? value[0] : value;
    if (v !== undefined) flat[name.toLowerCase()] = v;
  }
  const id = flat['webhook-id'];
  const ts = flat['webhook-timestamp'];
  if (!id || !ts || !flat['webhook-signature']) return { ok: false, reason: 'missing_headers' };

  let webhook: Webhook;
  try {
    webhook = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
  } catch {
    return { ok: false, reason: 'bad_secret' };
  }
  try {
    // jsonParse false: the library would JSON.parse the body and lose bigint digits; we keep raw text.
    webhook.verify(rawBody, flat, { jsonParse: false });
  } catch (err) {
    if (err instanceof WebhookVerificationError && /timestamp|Invalid Signature Headers/i.test(err.message)) {
      return { ok: false, reason: 'bad_timestamp' };
    }
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true, webhookId: id, timestamp: new Date(Number.parseInt(ts, 10) * 1000) };
}
