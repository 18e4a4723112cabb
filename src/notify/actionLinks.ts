import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * Accept / Dismiss links for Slack buttons and emails. A click carries no bearer header, so the
 * link itself is the credential: an HMAC over (suggestion, action, user, expiry) with a key
 * derived from LOOKOUT_SECRET_KEY. The token only authorises that one action on that one
 * suggestion until it expires.
 *
 * The GET route should not act on its own: mail scanners and link previewers fetch links. It
 * should answer a small confirmation page whose button POSTs the same token.
 */

export type SuggestionAction = 'accept' | 'dismiss';

/** An HMAC key for action links, derived from the operator's secret (never the secret itself). */
export class ActionLinkKey {
  readonly #key: Buffer;
  constructor(secret: string) {
    if (secret.length < 32) throw new Error('secret key must be at least 32 characters');
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'lookout', 'action-links-v1', 32));
  }
  mac(text: string): Buffer {
    return createHmac('sha256', this.#key).update(text).digest();
  }
}

export const DEFAULT_LINK_TTL_MS = 7 * 24 * 3600_000;

export interface ActionLinkClaims {
  suggestionId: string;
  userId: string;
  action: SuggestionAction;
}

const signedText = (c: ActionLinkClaims, exp: number) => `v1|${c.suggestionId}|${c.action}|${c.userId}|${exp}`;

/** The token alone: `<expiry seconds>.<user id>.<signature>`. */
export function createActionToken(key: ActionLinkKey, claims: ActionLinkClaims, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${exp}.${claims.userId}.${key.mac(signedText(claims, exp)).toString('base64url')}`;
}

/** `${publicUrl}/api/suggestions/:id/:action?token=...` */
export function signActionLink(
  key: ActionLinkKey,
  opts: ActionLinkClaims & { publicUrl: string; ttlMs?: number; now?: Date },
): string {
  const expiresAt = new Date((opts.now ?? new Date()).getTime() + (opts.ttlMs ?? DEFAULT_LINK_TTL_MS));
  const token = createActionToken(key, opts, expiresAt);
  const base = opts.publicUrl.replace(/\/$/, '');
  return (
    `${base}/api/suggestions/${encodeURIComponent(opts.suggestionId)}/${opts.action}?token=` +
    `${encodeURIComponent(token)}`
  );
}

export type ActionLinkCheck =
  | { ok: true; userId: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

/** Checks a token against the suggestion and action of the route it arrived on. */
export function verifyActionLink(
  key: ActionLinkKey,
  opts: { token: string; suggestionId: string; action: SuggestionAction; now?: Date },
): ActionLinkCheck {
  const match = /^(\d{1,12})\.([0-9a-fA-F-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(opts.token);
  if (!match) return { ok: false, reason: 'malformed' };
  const exp = Number(match[1]);
  const userId = match[2]!;
  const expected = key.mac(signedText({ suggestionId: opts.suggestionId, action: opts.action, userId }, exp));
  const given = Buffer.from(match[3]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  if (exp * 1000 <= (opts.now ?? new Date()).getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, userId, expiresAt: new Date(exp * 1000) };
}
