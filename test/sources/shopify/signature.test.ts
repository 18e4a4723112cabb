import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signShopifyBody, verifyShopifyHmac } from '../../../src/sources/shopify/signature.js';

const body = Buffer.from('{"id":788032119674292922,"title":"Example T-Shirt"}');

describe('verifyShopifyHmac', () => {
  it('accepts the base64 HMAC-SHA256 of the raw body under the secret', () => {
    assert.equal(verifyShopifyHmac(body, signShopifyBody(body, 'secret-a'), ['secret-a']), true);
  });

  it('matches a known Shopify-style signature (openssl dgst -sha256 -hmac key -binary | base64)', () => {
    assert.equal(signShopifyBody('hello', 'key'), 'kwezuRXvtRcf8U2MtV+8x5jGwO8UVtZt7RpqpyOli3s=');
  });

  it('rejects a tampered body', () => {
    const signature = signShopifyBody(body, 'secret-a');
    const tampered = Buffer.from(body.toString().replace('922', '900'));
    assert.equal(verifyShopifyHmac(tampered, signature, ['secret-a']), false);
  });

  it('rejects a body that was re-serialised (whitespace matters)', () => {
    const pretty = Buffer.from('{"id": 1}');
    assert.equal(verifyShopifyHmac(Buffer.from('{"id":1}'), signShopifyBody(pretty, 's'), ['s']), false);
  });

  it('rejects a missing, empty or malformed header', () => {
    assert.equal(verifyShopifyHmac(body, undefined, ['secret-a']), false);
    assert.equal(verifyShopifyHmac(body, '', ['secret-a']), false);
    assert.equal(verifyShopifyHmac(body, 'not base64 at all!', ['secret-a']), false);
    const good = signShopifyBody(body, 'secret-a');
    assert.equal(verifyShopifyHmac(body, good.slice(0, 20), ['secret-a']), false);
    assert.equal(verifyShopifyHmac(body, `${good}AAAA`, ['secret-a']), false);
  });

  it('rejects a signature made with another secret, and any signature when no secret is configured', () => {
    assert.equal(verifyShopifyHmac(body, signShopifyBody(body, 'other'), ['secret-a']), false);
    assert.equal(verifyShopifyHmac(body, signShopifyBody(body, 'secret-a'), []), false);
  });

  it('accepts either secret during a rotation', () => {
    const secrets = ['new-secret', 'old-secret'];
    assert.equal(verifyShopifyHmac(body, signShopifyBody(body, 'old-secret'), secrets), true);
    assert.equal(verifyShopifyHmac(body, signShopifyBody(body, 'new-secret'), secrets), true);
    assert.equal(verifyShopifyHmac(body, signShopifyBody(body, 'retired'), secrets), false);
  });

  it('tolerates surrounding whitespace in the header', () => {
    assert.equal(verifyShopifyHmac(body, ` ${signShopifyBody(body, 'k')} `, ['k']), true);
  });
});
