/**
 * POST /webhooks/supabase end to end. The bodies are what Supabase's Database Webhooks send: a
 * real row trigger on a real PostgreSQL table ("the user's project", a scratch database) builds
 * them exactly as supabase_functions.http_request does, and we post what it captured.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { createScratchDatabase, describeEachEngine, POSTGRES_AVAILABLE } from '../helpers/engines.js';

const NO_POSTGRES =
  'PostgreSQL not reachable at TEST_DATABASE_URL: webhook bodies come from a real trigger, which needs it';

/** Row changes made in the user's project, and the webhook bodies its trigger captured (as text). */
interface Captured {
  insert: string;
  update: string;
  delete: string;
  /** Bodies of further changes, for the signed deliveries. */
  extra: string[];
  ownerId: string;
}

/** Creates the user's table with a trigger doing what Supabase's does, changes rows, returns the bodies. */
async function captureFromRealTrigger(url: string): Promise<Captured> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`
      create table public.todos (
        id bigint generated always as identity primary key,
        user_id uuid not null,
        title text not null,
        done boolean not null default false,
        big bigint
      );
      create table public.captured_webhooks (seq bigserial primary key, body jsonb not null);
      create function public.capture_webhook() returns trigger language plpgsql as $$
      begin
        insert into public.captured_webhooks (body) values (jsonb_build_object(
          'old_record', OLD, 'record', NEW, 'type', TG_OP, 'table', TG_TABLE_NAME, 'schema', TG_TABLE_SCHEMA));
        return coalesce(NEW, OLD);
      end $$;
      create trigger todos_webhook after insert or update or delete on public.todos
        for each row execute function public.capture_webhook();
    `);
    const ownerId = randomUUID();
    await client.query(
      `insert into public.todos (user_id, title, big) values ($1, 'Write the launch email', 9007199254740993123)`,
      [ownerId],
    );
    await client.query(`update public.todos set done = true where title = 'Write the launch email'`);
    await client.query(`delete from public.todos where title = 'Write the launch email'`);
    await client.query(`insert into public.todos (user_id, title) values ($1, 'Signed one'), ($1, 'Signed two')`, [
      ownerId,
    ]);
    const { rows } = await client.query<{ body: string }>(
      'select body::text as body from public.captured_webhooks order by seq',
    );
    assert.equal(rows.length, 5, 'the trigger fired once per row change');
    return {
      insert: rows[0]!.body,
      update: rows[1]!.body,
      delete: rows[2]!.body,
      extra: rows.slice(3).map((r) => r.body),
      ownerId,
    };
  } finally {
    await client.end();
  }
}

let captured: Captured | undefined;
let dropUserProject: (() => Promise<void>) | undefined;

before(async () => {
  if (!POSTGRES_AVAILABLE) return;
  const scratch = await createScratchDatabase('lookout_userproj');
  dropUserProject = scratch.drop;
  captured = await captureFromRealTrigger(scratch.url);
});
after(async () => {
  await dropUserProject?.();
});

/** A body for the authentication and validation checks: the trigger's when there is one. */
function someBody(): string {
  return (
    captured?.insert ??
    '{"type":"INSERT","table":"todos","schema":"public","record":{"id":1,"user_id":"u1","title":"x"},"old_record":null}'
  );
}

describeEachEngine('POST /webhooks/supabase', (fx) => {
  let app: TestApp;
  let userA: { id: string; apiKey: string };
  let userB: { id: string; apiKey: string };
  let integrationA: { id: string; webhookSecret: string };
  let integrationB: { id: string; webhookSecret: string };

  before(async () => {
    app = await startTestApp(fx.db, {}, { role: 'web' });
    userA = await app.createUser();
    userB = await app.createUser();
    const a = await app.call('POST', '/api/integrations', {
      key: userA.apiKey,
      body: { kind: 'supabase', projectUrl: 'https://abcd.supabase.co' },
    });
    assert.equal(a.status, 201, a.text);
    assert.equal(a.body.kind, 'supabase');
    assert.match(a.body.webhookSecret, /^whsec_/);
    integrationA = { id: a.body.id, webhookSecret: a.body.webhookSecret };
    const b = await app.call('POST', '/api/integrations', { key: userB.apiKey, body: { kind: 'supabase' } });
    assert.equal(b.status, 201, b.text);
    integrationB = { id: b.body.id, webhookSecret: b.body.webhookSecret };
    assert.notEqual(integrationA.webhookSecret, integrationB.webhookSecret);
  });
  after(() => app.close());

  const post = (body: string | Buffer, headers: Record<string, string>, query = '') =>
    app.call('POST', `/webhooks/supabase${query}`, {
      raw: body,
      headers: { 'content-type': 'application/json', ...headers },
    });
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

  test('the webhook secret is shown once: never in the integration list', async () => {
    const list = await app.call('GET', '/api/integrations', { key: userA.apiKey });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.ok(!list.text.includes(integrationA.webhookSecret), 'the list does not reveal the secret');
    assert.equal(list.body.items[0].webhookSecret, undefined);
  });

  test('insert, update and delete from a real trigger arrive as row events of the right user, stored once', {
    skip: POSTGRES_AVAILABLE ? false : NO_POSTGRES,
  }, async () => {
    const c = captured!;
    for (const body of [c.insert, c.update, c.delete]) {
      const res = await post(body, bearer(integrationA.webhookSecret));
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.status, 'stored');
    }
    // The same body again (pg_net or a proxy repeating itself): acknowledged, not stored twice.
    const again = await post(c.update, bearer(integrationA.webhookSecret));
    assert.equal(again.status, 200);
    assert.equal(again.body.status, 'duplicate');

    const list = await app.call('GET', '/api/events?source=supabase', { key: userA.apiKey });
    assert.equal(list.status, 200);
    const items = list.body.items as Array<{
      event_type: string;
      user_id: string;
      source: string;
      integration_id: string;
      // biome-ignore lint/suspicious/noExplicitAny: the payload is read field by field
      event_data: Record<string, any>;
    }>;
    assert.deepEqual(items.map((e) => e.event_type).sort(), [
      'supabase.row.deleted',
      'supabase.row.inserted',
      'supabase.row.updated',
    ]);
    for (const e of items) {
      assert.equal(e.user_id, userA.id);
      assert.equal(e.source, 'supabase');
      assert.equal(e.integration_id, integrationA.id);
      assert.equal(e.event_data.table, 'todos');
      assert.equal(e.event_data.schema, 'public');
    }
    const inserted = items.find((e) => e.event_type === 'supabase.row.inserted')!;
    assert.equal(inserted.event_data.record.user_id, c.ownerId, 'record.user_id kept in event_data');
    assert.equal(inserted.event_data.old_record, null);
    const deleted = items.find((e) => e.event_type === 'supabase.row.deleted')!;
    assert.equal(deleted.event_data.record, null);
    assert.equal(deleted.event_data.old_record.user_id, c.ownerId);
    const updated = items.find((e) => e.event_type === 'supabase.row.updated')!;
    assert.equal(updated.event_data.old_record.done, false);
    assert.equal(updated.event_data.record.done, true);
    // A bigint column keeps every digit through the API.
    assert.match(list.text, /9007199254740993123/);
    const { rows } = await fx.db.query<{ big: string }>(
      `select event_data#>>'{record,big}' as big from background_events where event_type = 'supabase.row.inserted'
       and user_id = $1`,
      [userA.id],
    );
    assert.equal(rows[0]?.big, '9007199254740993123');

    // The other user sees none of it.
    const other = await app.call('GET', '/api/events?source=supabase', { key: userB.apiKey });
    assert.deepEqual(other.body.items, []);
  });

  test('a wrong secret is 401 with the error body; no authentication is 401', async () => {
    const wrong = await post(someBody(), bearer(`whsec_${Buffer.from('not the secret at all').toString('base64')}`));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'unauthorized');
    assert.equal(typeof wrong.body.error.message, 'string');
    const garbage = await post(someBody(), { authorization: 'Basic dXNlcjpwYXNz' });
    assert.equal(garbage.status, 401);
    assert.equal(garbage.body.error.code, 'unauthorized');
    const none = await post(someBody(), {});
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'unauthorized');
    assert.equal(typeof none.body.error.message, 'string');
    // B's secret authenticates as B, never as A.
    const asB = await post(
      '{"type":"INSERT","table":"notes","schema":"public","record":{"id":1},"old_record":null}',
      bearer(integrationB.webhookSecret),
    );
    assert.equal(asB.status, 200);
    const bEvents = await app.call('GET', '/api/events?source=supabase', { key: userB.apiKey });
    assert.equal(bEvents.body.items.length, 1);
    assert.equal(bEvents.body.items[0].user_id, userB.id);
    const aEvents = await app.call('GET', '/api/events?source=supabase', { key: userA.apiKey });
    assert.ok(!aEvents.body.items.some((e: { event_data: { table: string } }) => e.event_data.table === 'notes'));
  });

  test(
    'malformed bodies are 400: not JSON, not UTF-8, missing type, unknown type, UPDATE ' + 'without old_record',
    async () => {
      const auth = bearer(integrationA.webhookSecret);
      const cases: Array<[string, string | Buffer]> = [
        ['not JSON', 'this is not json'],
        ['truncated JSON', someBody().slice(0, 20)],
        ['not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])],
        ['missing type', '{"table":"todos","schema":"public","record":{"id":1},"old_record":null}'],
        ['unknown type', '{"type":"TRUNCATE","table":"todos","schema":"public","record":null,"old_record":null}'],
        [
          'UPDATE without old_record',
          '{"type":"UPDATE","table":"todos","schema":"public","record":{"id":1},"old_record":null}',
        ],
        ['an array', '[1,2,3]'],
      ];
      for (const [what, body] of cases) {
        const res = await post(body, auth);
        assert.equal(res.status, 400, `${what}: ${res.text}`);
        assert.equal(typeof res.body.error.code, 'string', what);
        assert.equal(typeof res.body.error.message, 'string', what);
      }
      const { rows } = await fx.db.query<{ n: number }>(
        `select count(*)::int as n from background_events where event_data->>'type' = 'TRUNCATE'
       or event_data->>'table' is null`,
      );
      assert.equal(rows[0]!.n, 0);
    },
  );

  test(
    'Standard Webhooks signatures with ?integration=ID: valid accepted, tampered 401, without ' + '?integration 400',
    async () => {
      const body =
        captured?.extra[0] ??
        '{"type":"INSERT","table":"todos","schema":"public","record":{"id":2,"user_id":"u1","title":"Signed ' +
          'one"},"old_record":null}';
      const signer = new Webhook(integrationA.webhookSecret);
      const signed = (payload: string, msgId = `msg_${randomUUID()}`) => {
        const now = new Date();
        return {
          'webhook-id': msgId,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signer.sign(msgId, now, payload),
        };
      };
      const headers = signed(body);
      const ok = await post(body, headers, `?integration=${integrationA.id}`);
      assert.equal(ok.status, 200, ok.text);
      assert.equal(ok.body.status, 'stored');
      // The same delivery retried (same webhook-id): stored once.
      const retry = await post(body, headers, `?integration=${integrationA.id}`);
      assert.equal(retry.status, 200);
      assert.equal(retry.body.status, 'duplicate');
      const { rows } = await fx.db.query<{ user_id: string; event_type: string }>(
        `select user_id, event_type from background_events where integration_id = $1
       and event_data#>>'{record,title}' = 'Signed one'`,
        [integrationA.id],
      );
      assert.deepEqual(rows, [{ user_id: userA.id, event_type: 'supabase.row.inserted' }]);

      // Tampered: the body changed after signing.
      const other = captured?.extra[1] ?? body.replace('Signed one', 'Signed two');
      const h2 = signed(other);
      const tampered = await post(other.replace('Signed two', 'Signed 2!'), h2, `?integration=${integrationA.id}`);
      assert.equal(tampered.status, 401);
      assert.equal(tampered.body.error.code, 'unauthorized');
      // Signed with A's secret but claiming B's integration.
      const crossed = await post(other, h2, `?integration=${integrationB.id}`);
      assert.equal(crossed.status, 401);
      // An old timestamp (replay) is refused.
      const old = new Date(Date.now() - 3600_000);
      const stale = await post(
        other,
        {
          'webhook-id': 'msg_stale',
          'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
          'webhook-signature': signer.sign('msg_stale', old, other),
        },
        `?integration=${integrationA.id}`,
      );
      assert.equal(stale.status, 401);
      // Without ?integration the secret cannot be found.
      const noId = await post(other, h2);
      assert.equal(noId.status, 400);
      assert.equal(typeof noId.body.error.code, 'string');
      const badId = await post(other, h2, '?integration=not-a-uuid');
      assert.equal(badId.status, 400);
      const unknown = await post(other, h2, `?integration=${randomUUID()}`);
      assert.equal(unknown.status, 401);
    },
  );

  test('a body over 1 MiB is 413', async () => {
    const big =
      `{"type":"INSERT","table":"todos","schema":"public","old_record":null,"record":{"pad":"` +
      `${'x'.repeat(1024 * 1024)}"}}`;
    const res = await post(big, bearer(integrationA.webhookSecret));
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  test("a deleted integration's secret no longer authenticates", async () => {
    const u = await app.createUser();
    const created = await app.call('POST', '/api/integrations', { key: u.apiKey, body: { kind: 'supabase' } });
    const secret = created.body.webhookSecret as string;
    assert.equal((await post(someBody(), bearer(secret))).status, 200);
    assert.equal((await app.call('DELETE', `/api/integrations/${created.body.id}`, { key: u.apiKey })).status, 204);
    assert.equal((await post(captured?.update ?? someBody().replace('"x"', '"y"'), bearer(secret))).status, 401);
  });
});
