import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import {
  parseSupabaseWebhook,
  verifyBearerSecret,
  verifyStandardWebhook,
} from '../../../src/sources/supabase/webhookBody.js';
import { describeOnUserDatabases } from './userDatabase.js';

/**
 * What Supabase's supabase_functions.http_request trigger builds, captured into a table instead
 * of posted by pg_net. `payload::text` is the text pg_net would send.
 */
const SUPABASE_LIKE_TRIGGER = `
  create table public.orders (id bigint primary key, user_id uuid, total numeric, note text);
  create table public.webhook_capture (seq serial primary key, body text not null);
  create function public.capture_webhook() returns trigger language plpgsql as $$
  begin
    insert into public.webhook_capture (body) values (jsonb_build_object(
      'old_record', OLD, 'record', NEW, 'type', TG_OP, 'table', TG_TABLE_NAME, 'schema', TG_TABLE_SCHEMA
    )::text);
    return null;
  end $$;
  create trigger orders_webhook after insert or update or delete on public.orders
    for each row execute function public.capture_webhook();`;

describeOnUserDatabases('Supabase webhook bodies from a real trigger', (ud) => {
  const USER = '6f1c8a52-4c0e-4f7b-9d1e-2a3b4c5d6e7f';
  let bodies: string[];

  before(async () => {
    await ud.db.exec(SUPABASE_LIKE_TRIGGER);
    // An id above 2^53 and a long decimal: they must reach storage digit for digit.
    await ud.db.query(`insert into public.orders values (9007199254740993, $1, 12345678901234567890.12, 'first')`, [
      USER,
    ]);
    await ud.db.query(`update public.orders set note = 'second' where id = 9007199254740993`);
    await ud.db.query(`delete from public.orders where id = 9007199254740993`);
    const { rows } = await ud.db.query<{ body: string }>(`select body from public.webhook_capture order by seq`);
    bodies = rows.map((r) => r.body);
  });

  it('insert, update and delete arrive as supabase.row.inserted, updated and deleted', () => {
    const parsed = bodies.map((b) => parseSupabaseWebhook(b));
    assert.deepEqual(
      parsed.map((p) => (p.ok ? [p.value.eventType, p.value.schema, p.value.table] : p.error.code)),
      [
        ['supabase.row.inserted', 'public', 'orders'],
        ['supabase.row.updated', 'public', 'orders'],
        ['supabase.row.deleted', 'public', 'orders'],
      ],
    );
  });

  it(
    'keeps the raw body as received (no digit lost) and extracts record.user_id, or ' + 'old_record.user_id on delete',
    () => {
      for (const body of bodies) {
        const p = parseSupabaseWebhook(body);
        assert.ok(p.ok);
        assert.equal(p.value.eventDataJson, body);
        assert.match(p.value.eventDataJson, /9007199254740993/);
        assert.match(p.value.eventDataJson, /12345678901234567890\.12/);
        assert.equal(p.value.recordUserId, USER);
      }
    },
  );

  it('the dedupe key is derived from the content: the same body twice is one key, different bodies differ', () => {
    const keys = bodies.map(
      (b) => (parseSupabaseWebhook(b) as { ok: true; value: { dedupeKey: string } }).value.dedupeKey,
    );
    assert.equal(new Set(keys).size, 3);
    const again = parseSupabaseWebhook(bodies[0]!);
    assert.ok(again.ok);
    assert.equal(again.value.dedupeKey, keys[0]);
    const scoped = parseSupabaseWebhook(bodies[0]!, { scope: 'integration-2' });
    assert.ok(scoped.ok);
    assert.notEqual(scoped.value.dedupeKey, keys[0]);
  });
});

describe('malformed webhook bodies are errors, not exceptions', () => {
  it('invalid JSON', () => {
    const r = parseSupabaseWebhook('{"type": "INSERT",');
    assert.ok(!r.ok);
    assert.equal(r.error.code, 'invalid_json');
  });
  it('wrong shape: unknown type, missing table, INSERT without record', () => {
    for (const body of [
      '{"type":"TRUNCATE","table":"t","schema":"public","record":null,"old_record":null}',
      '{"type":"INSERT","schema":"public","record":{},"old_record":null}',
      '{"type":"INSERT","table":"t","schema":"public","record":null,"old_record":null}',
      '[1,2]',
    ]) {
      const r = parseSupabaseWebhook(body);
      assert.ok(!r.ok, body);
      assert.equal(r.error.code, 'invalid_body');
    }
  });
  it('a numeric user_id keeps all its digits', () => {
    const r = parseSupabaseWebhook(
      '{"type":"INSERT","table":"t","schema":"public","record":{"user_id":9007199254740993},"old_record":null}',
    );
    assert.ok(r.ok);
    assert.equal(r.value.recordUserId, '9007199254740993');
  });
});

describe('bearer secret', () => {
  const secret = randomBytes(24).toString('base64url');
  it('accepts the right secret', () => {
    assert.equal(verifyBearerSecret(`Bearer ${secret}`, secret), true);
    assert.equal(verifyBearerSecret(`bearer ${secret}`, secret), true);
  });
  it('refuses a wrong, shorter, missing or malformed one', () => {
    assert.equal(verifyBearerSecret(`Bearer ${secret}x`, secret), false);
    assert.equal(verifyBearerSecret(`Bearer ${secret.slice(1)}`, secret), false);
    assert.equal(verifyBearerSecret('Bearer nope', secret), false);
    assert.equal(verifyBearerSecret(undefined, secret), false);
    assert.equal(verifyBearerSecret(secret, secret), false);
    assert.equal(verifyBearerSecret('Bearer ', ''), false);
  });
});

describe('Standard Webhooks signature', () => {
  const body =
    '{"type":"INSERT","table":"orders","schema":"public","record":{"id":9007199254740993},"old_record":null}';
  const signed = (secret: string, at = new Date(), payload = body) => {
    const wh = secret.startsWith('whsec_') ? new Webhook(secret) : new Webhook(secret, { format: 'raw' });
    return {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': wh.sign('msg_1', at, payload),
    };
  };
  const whsec = `whsec_${randomBytes(32).toString('base64')}`;

  it('verifies a body signed by the library (whsec_ secret), with headers in any case', () => {
    const headers = Object.fromEntries(Object.entries(signed(whsec)).map(([k, v]) => [k.toUpperCase(), v]));
    const r = verifyStandardWebhook(body, headers, whsec);
    assert.ok(r.ok);
    assert.equal(r.webhookId, 'msg_1');
  });
  it('verifies with a plain-text secret used as raw bytes', () => {
    const plain = 'a plain secret that is not base64!';
    assert.ok(verifyStandardWebhook(body, signed(plain), plain).ok);
  });
  it('refuses a tampered body, a wrong secret, an old timestamp and missing headers', () => {
    const headers = signed(whsec);
    assert.deepEqual(verifyStandardWebhook(body.replace('9007199254740993', '9007199254740994'), headers, whsec), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyStandardWebhook(body, headers, `whsec_${randomBytes(32).toString('base64')}`), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(verifyStandardWebhook(body, signed(whsec, new Date(Date.now() - 3_600_000)), whsec), {
      ok: false,
      reason: 'bad_timestamp',
    });
    assert.deepEqual(verifyStandardWebhook(body, { 'webhook-id': 'msg_1' }, whsec), {
      ok: false,
      reason: 'missing_headers',
    });
  });
});
