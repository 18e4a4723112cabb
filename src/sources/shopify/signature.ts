import { createHmac, timingSafeEqual } from 'node:crypto';

/** An HMAC-SHA256 digest is 32 bytes; Shopify sends it base64-encoded (44 characters). */
const DIGEST_BYTES = 32;

/** Signs a body the way Shopify does: base64 HMAC-SHA256 of the exact bytes under the secret. */
export function signShopifyBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

/**
 * Verifies X-Shopify-Hmac-Sha256 against every secret (several are valid during a rotation, and
 * webhooks created in the Shopify admin are signed with a per-store key).
 *
 * The HMAC covers the raw bytes: a body that was parsed and re-serialised no longer verifies.
 * The comparison is constant-time: a malformed header is compared against a zero buffer of the
 * right length rather than returning early, and every secret is tried even after a match, so
 * timing reveals neither how much of the signature was right nor which secret matched.
 */
export function verifyShopifyHmac(
  rawBody: Buffer,
  headerValue: string | undefined,
  secrets: readonly string[],
): boolean {
  return matchShopifyHmac(rawBody, headerValue, secrets).some(Boolean);
}

/**
 * Which of the secrets signed the body, one boolean per secret, with the same constant-time
 * discipline: every secret is tried, so timing does not reveal which one matched. Routing needs
 * the answer: the app's secret speaks for the shop, a per-store key only for its own integration.
 */
export function matchShopifyHmac(
  rawBody: Buffer,
  headerValue: string | undefined,
  secrets: readonly string[],
): boolean[] {
  if (headerValue === undefined) return secrets.map(() => false);
  const header = headerValue.trim();
  const decoded = Buffer.from(header, 'base64');
  // Buffer.from(…, 'base64') silently skips junk characters: insist on the canonical encoding.
  const wellFormed = decoded.length === DIGEST_BYTES && decoded.toString('base64') === header;
  const provided = Buffer.alloc(DIGEST_BYTES);
  if (wellFormed) decoded.copy(provided);
  return secrets.map((secret) => {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    return timingSafeEqual(expected, provided) && wellFormed;
  });
}
