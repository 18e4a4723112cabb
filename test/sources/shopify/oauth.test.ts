import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  authorizeUrl,
  callbackIsFresh,
  missingScopes,
  oauthQueryMessage,
  verifyOAuthQuery,
} from '../../../src/sources/shopify/oauth.js';
import { topicEnum, webhooksToml } from '../../../src/sources/shopify/webhookSubscriptions.js';

const hex = (message: string, secret: string) => createHmac('sha256', secret).update(message).digest('hex');

describe('Shopify OAuth checks', () => {
  it('signs every parameter but hmac, sorted by name', () => {
    const q = new URLSearchParams('state=s1&shop=a.myshopify.com&code=c1&timestamp=1700000000&hmac=x');
    assert.equal(oauthQueryMessage(q), 'code=c1&shop=a.myshopify.com&state=s1&timestamp=1700000000');
  });

  it('accepts any of the rotated secrets, refuses others and malformed values', () => {
    const params = 'code=c1&shop=a.myshopify.com&state=s1&timestamp=1700000000';
    const withHmac = (h: string) => new URLSearchParams(`${params}&hmac=${h}`);
    assert.equal(verifyOAuthQuery(withHmac(hex(params, 'old')), ['new', 'old']), true);
    assert.equal(verifyOAuthQuery(withHmac(hex(params, 'new').toUpperCase()), ['new']), true);
    assert.equal(verifyOAuthQuery(withHmac(hex(params, 'other')), ['new', 'old']), false);
    assert.equal(verifyOAuthQuery(withHmac(hex(params, 'new').slice(0, 62)), ['new']), false);
    assert.equal(verifyOAuthQuery(withHmac('zz'.repeat(32)), ['new']), false);
    assert.equal(verifyOAuthQuery(new URLSearchParams(params), ['new']), false);
    assert.equal(verifyOAuthQuery(withHmac(hex(params, 'new')), []), false);
  });

  it('accepts a callback up to a day old and a little ahead of our clock', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const s = now.getTime() / 1000;
    assert.equal(callbackIsFresh(String(s - 86_400), now), true);
    assert.equal(callbackIsFresh(String(s - 86_401), now), false);
    assert.equal(callbackIsFresh(String(s + 60), now), true);
    assert.equal(callbackIsFresh(String(s + 3600), now), false);
    assert.equal(callbackIsFresh('1e9', now), false);
    assert.equal(callbackIsFresh('', now), false);
  });

  it('counts a write scope as its read scope', () => {
    assert.deepEqual(missingScopes(['read_products', 'read_orders'], ['write_products']), ['read_orders']);
    assert.deepEqual(missingScopes(['read_products'], ['read_products']), []);
  });

  it('builds the authorize URL with the scopes comma-separated', () => {
    const url = new URL(
      authorizeUrl({
        shopDomain: 'a.myshopify.com',
        apiKey: 'key',
        scopes: ['read_products', 'read_orders'],
        redirectUri: 'https://l.example.com/auth/shopify/callback',
        state: 'st',
      }),
    );
    assert.equal(url.searchParams.get('scope'), 'read_products,read_orders');
    assert.equal(url.searchParams.get('redirect_uri'), 'https://l.example.com/auth/shopify/callback');
  });

  it('names topics as the WebhookSubscriptionTopic enum and declares them for shopify.app.toml', () => {
    assert.equal(topicEnum('inventory_levels/update'), 'INVENTORY_LEVELS_UPDATE');
    assert.equal(topicEnum('app/uninstalled'), 'APP_UNINSTALLED');
    const toml = webhooksToml({ apiVersion: '2026-04', uri: 'https://l.example.com/webhooks/shopify' });
    assert.equal((toml.match(/\[\[webhooks\.subscriptions\]\]/g) ?? []).length, 1);
    assert.match(toml, /compliance_topics = \["customers\/data_request", "customers\/redact", "shop\/redact"\]/);
    assert.doesNotMatch(toml, /topics = \[[^\]]*customers\/redact[^\]]*\]\ncompliance/);
  });
});
