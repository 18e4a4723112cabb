import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionLinkKey, signActionLink, verifyActionLink } from '../../src/notify/actionLinks.js';
import { quietHoursEnd } from '../../src/notify/quietHours.js';

const key = new ActionLinkKey('k'.repeat(40));
const suggestionId = '6f1c1d2e-7d1a-4a8e-9d7e-1b2c3d4e5f60';
const userId = '0b0c5a9e-2f4d-4f6e-8a1b-9c8d7e6f5a4b';

describe('action links', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  const url = new URL(
    signActionLink(key, {
      publicUrl: 'https://lookout.example.com/',
      suggestionId,
      userId,
      action: 'accept',
      now,
      ttlMs: 3600_000,
    }),
  );
  const token = url.searchParams.get('token')!;

  it('points at the suggestion action route', () => {
    assert.equal(url.origin + url.pathname, `https://lookout.example.com/api/suggestions/${suggestionId}/accept`);
  });

  it('verifies for the same suggestion and action, and names the user', () => {
    const check = verifyActionLink(key, { token, suggestionId, action: 'accept', now });
    assert.deepEqual(check, { ok: true, userId, expiresAt: new Date('2026-03-01T13:00:00Z') });
  });

  it('refuses another action, another suggestion, another key, a tampered user, an expired token', () => {
    assert.deepEqual(verifyActionLink(key, { token, suggestionId, action: 'dismiss', now }), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyActionLink(key, { token, suggestionId: userId, action: 'accept', now }), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(
      verifyActionLink(new ActionLinkKey('x'.repeat(40)), { token, suggestionId, action: 'accept', now }),
      { ok: false, reason: 'bad_signature' },
    );
    const tampered = token.replace(userId, suggestionId);
    assert.deepEqual(verifyActionLink(key, { token: tampered, suggestionId, action: 'accept', now }), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(
      verifyActionLink(key, { token, suggestionId, action: 'accept', now: new Date('2026-03-01T13:00:01Z') }),
      { ok: false, reason: 'expired' },
    );
    assert.deepEqual(verifyActionLink(key, { token: 'garbage', suggestionId, action: 'accept', now }), {
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('quiet hours', () => {
  const paris = { start: '22:00', end: '07:00', timezone: 'Europe/Paris' };

  it('is null outside the window', () => {
    assert.equal(quietHoursEnd(paris, new Date('2026-01-15T12:00:00Z')), null);
    assert.equal(quietHoursEnd(undefined, new Date()), null);
  });

  it('ends at the local end time, across midnight', () => {
    // 23:30 in Paris (UTC+1 in January) -> 07:00 Paris = 06:00 UTC next day
    assert.deepEqual(quietHoursEnd(paris, new Date('2026-01-15T22:30:00Z')), new Date('2026-01-16T06:00:00Z'));
    // 03:10 in Paris
    assert.deepEqual(quietHoursEnd(paris, new Date('2026-01-16T02:10:42Z')), new Date('2026-01-16T06:00:00Z'));
  });

  it('follows a DST change inside the window', () => {
    // Night of 28-29 March 2026: Paris moves from UTC+1 to UTC+2; 07:00 local is 05:00 UTC.
    assert.deepEqual(quietHoursEnd(paris, new Date('2026-03-28T22:00:00Z')), new Date('2026-03-29T05:00:00Z'));
  });

  it('ignores an invalid window or zone', () => {
    assert.equal(quietHoursEnd({ start: '25:00', end: '07:00' }, new Date()), null);
    assert.equal(
      quietHoursEnd({ start: '22:00', end: '07:00', timezone: 'Mars/Olympus' }, new Date('2026-01-15T23:00:00Z')),
      null,
    );
  });
});
