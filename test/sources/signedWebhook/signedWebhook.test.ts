/**
 * POST /webhooks/signed/:integrationId end to end: a real Lookout on loopback, deliveries signed
 * with the standardwebhooks library as any sender would, both database engines.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { describeEachEngine } from '../../helpers/engines.js';
import { waitFor } from '../../helpers/wait.js';

interface Connected {
  user: { id: string; apiKey: string };
  id: string;
  secret: string;
}

/** Standard Webhooks headers for `body`, signed with `secret` at `at`. */
function signed(secret: string, body: string, opts: { id?: string; at?: Date } = {}): Record<string, string> {
  const id = opts.id ?? `msg_${randomUUID()}`;
  const at = opts.at ?? new Date();
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, at, body),
  };
}

const invoicePaid = (invoice: string) =>
  JSON.stringify({
    type: 'invoice.paid',
    timestamp: new Date().toISOString(),
    data: { id: invoice, amount_paid: 4200, currency: 'eur', customer: { email: 'ana@example.com' } },
  });

describeEachEngine('signed-webhook source', (fx) => {
  let app: TestApp;
  let a: Connected;
  let b: Connected;

  async function connect(name: string): Promise<Connected> {
    const user = await app.createUser();
    // Each delivery is its own suggestion at once: no debounce window to wait for.
    const prefs = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { flow: { debounceSeconds: 0 } },
    });
    assert.equal(prefs.status, 200, prefs.text);
    const created = await app.call('POST', '/api/integrations', { key: user.apiKey, body: { kind: 'signed', name } });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.kind, 'signed');
    assert.equal(created.body.name, name);
    assert.equal(created.body.webhookPath, `/webhooks/signed/${created.body.id}`);
    assert.match(created.body.webhookSecret, /^whsec_[A-Za-z0-9+/]+=*$/);
    return { user, id: created.body.id, secret: created.body.webhookSecret };
  }

  const post = (id: string, body: string, headers: Record<string, string>) =>
    app.call('POST', `/webhooks/signed/${id}`, { raw: body, headers });

  async function storedOf(userId: string) {
    const { rows } = await fx.db.query<{ id: string; dedupe_key: string; subject: string | null; status: string }>(
      `select id, dedupe_key, subject, status from background_events where user_id = $1 and source = 'signed'
       order by seq`,
      [userId],
    );
    return rows;
  }

  before(async () => {
    app = await startTestApp(fx.db, {}, { role: 'all' });
    a = await connect('Billing');
    b = await connect('Forms');
  });
  after(() => app.close());

  test('the signing secret is shown once, sealed at rest, and never listed', async () => {
    const list = await app.call('GET', '/api/integrations', { key: a.user.apiKey });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.ok(!list.text.includes(a.secret));
    const { rows } = await fx.db.query<{ credentials: string }>('select credentials from integrations where id = $1', [
      a.id,
    ]);
    assert.ok(rows[0]!.credentials.length > 0);
    assert.ok(!rows[0]!.credentials.includes(a.secret.slice('whsec_'.length)), 'the secret is not stored in clear');
  });

  test('a valid signature is stored once per webhook-id: a retry is a duplicate', async () => {
    const body = invoicePaid('in_dedupe');
    const headers = signed(a.secret, body);
    const first = await post(a.id, body, headers);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.status, 'stored');
    // The sender retries the same message (same id, re-signed at a later time).
    const retry = await post(a.id, body, signed(a.secret, body, { id: headers['webhook-id'] }));
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.body.status, 'duplicate');
    const rows = (await storedOf(a.user.id)).filter((r) => r.dedupe_key === `webhook-id:${headers['webhook-id']}`);
    assert.equal(rows.length, 1);
    // The source computed the subject at insert: the sender's type and the object.
    assert.equal(rows[0]!.subject, 'invoice.paid:in_dedupe');
  });

  test('a tampered body, a wrong secret, an expired or missing signature are 401 and store nothing', async () => {
    const before = (await storedOf(a.user.id)).length;
    const body = invoicePaid('in_tampered');
    const headers = signed(a.secret, body);
    const tampered = await post(a.id, body.replace('4200', '1'), headers);
    assert.equal(tampered.status, 401);
    assert.equal(tampered.body.error.code, 'unauthorized');

    const wrong = await post(a.id, body, signed(b.secret, body));
    assert.equal(wrong.status, 401);

    const expired = await post(a.id, body, signed(a.secret, body, { at: new Date(Date.now() - 6 * 60_000) }));
    assert.equal(expired.status, 401);
    assert.match(expired.body.error.message, /5 minutes/);
    const future = await post(a.id, body, signed(a.secret, body, { at: new Date(Date.now() + 6 * 60_000) }));
    assert.equal(future.status, 401);

    const missing = await post(a.id, body, { 'content-type': 'application/json' });
    assert.equal(missing.status, 401);
    assert.match(missing.body.error.message, /webhook-signature/);
    const noSignature = { ...headers };
    delete (noSignature as Record<string, string | undefined>)['webhook-signature'];
    assert.equal((await post(a.id, body, noSignature)).status, 401);

    assert.equal((await storedOf(a.user.id)).length, before);
  });

  test("a user cannot post into another user's integration, nor into an unknown one", async () => {
    const body = invoicePaid('in_cross');
    // B signs with B's own secret but addresses A's integration: A's secret does not verify it.
    const cross = await post(a.id, body, signed(b.secret, body));
    assert.equal(cross.status, 401);
    // An unknown id and a malformed id answer as a bad signature does: nothing tells them apart.
    const unknown = await post(randomUUID(), body, signed(a.secret, body));
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error.code, 'unauthorized');
    const malformed = await post('not-an-id', body, signed(a.secret, body));
    assert.equal(malformed.status, 401);
    // A's secret is not a Supabase secret either.
    const asBearer = await app.call('POST', '/webhooks/supabase', {
      raw: '{"type":"INSERT","table":"t","schema":"public","record":{"id":1},"old_record":null}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${a.secret}` },
    });
    assert.equal(asBearer.status, 401);
    assert.equal((await storedOf(a.user.id)).filter((r) => r.dedupe_key.includes('in_cross')).length, 0);
    const events = await app.call('GET', '/api/events?source=signed', { key: b.user.apiKey });
    assert.equal(events.status, 200);
    assert.ok(!events.text.includes('in_cross'));
  });

  test('a body that is not a JSON object is 400; a disabled integration is 401', async () => {
    for (const body of ['[1, 2]', '"text"', '{"unterminated": ']) {
      const res = await post(a.id, body, signed(a.secret, body));
      assert.equal(res.status, 400, `${body}: ${res.text}`);
    }
    const other = await connect('Soon disabled');
    await fx.db.query(`update integrations set status = 'disabled' where id = $1`, [other.id]);
    const body = invoicePaid('in_disabled');
    assert.equal((await post(other.id, body, signed(other.secret, body))).status, 401);
  });

  test('a delivery becomes a suggestion that says what arrived', async () => {
    const body = invoicePaid('in_suggest');
    const res = await post(b.id, body, signed(b.secret, body));
    assert.equal(res.status, 200, res.text);
    const suggestion = await waitFor(async () => {
      const r = await app.call('GET', '/api/suggestions?type=signed.event.received', { key: b.user.apiKey });
      return r.body?.items?.find((s: { body: string }) => s.body.includes('in_suggest'));
    }, 'the suggestion for the delivery');
    assert.match(suggestion.title, /invoice\.paid/);
    assert.match(suggestion.body, /amount_paid`: 4200/);
    assert.match(suggestion.body, /customer\.email`: ana@example\.com/);
    // Only B's: A sees no suggestion for it.
    const theirs = await app.call('GET', '/api/suggestions?type=signed.event.received', { key: a.user.apiKey });
    assert.ok(!theirs.text.includes('in_suggest'));
  });
});
