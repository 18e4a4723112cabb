import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { channelTarget } from '../../src/api/preferenceRoutes.js';
import { getUser } from '../../src/db/queries/users.js';
import type { ChannelField } from '../../src/notify/channels/channelSpec.js';
import { CHANNEL_KINDS, CHANNEL_SPECS, type ChannelKind } from '../../src/notify/channels/registry.js';
import { PUBLIC_DNS, startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';

/**
 * /api/preferences and /api/meta/channels over every registered channel: each channel's example
 * settings are saved, shown without their secrets, resolved for the notifier with them, and
 * removed with their secrets; URL fields go through the SSRF guard. A new channel is covered here
 * by its spec alone.
 */

const fieldsOf = (kind: string) =>
  Object.entries(CHANNEL_SPECS.find((s) => s.kind === kind)!.fields as Record<string, ChannelField>);

function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

describeEachEngine('channel preferences over the registry', (fx) => {
  let app: TestApp;
  let user: { id: string; apiKey: string };

  before(async () => {
    // Host names resolve to a public address, so the examples' URLs pass the guard without DNS.
    app = await startTestApp(fx.db, {}, { resolveHost: PUBLIC_DNS });
    user = await app.createUser();
  });
  after(async () => {
    await app?.close();
  });

  const credentials = async () => {
    const row = (await getUser(fx.db, user.id))!;
    return {
      row,
      preferences: JSON.stringify(row.preferences),
      sealed: row.channel_credentials ?? '',
      opened: row.channel_credentials
        ? app.lookout.ctx.secrets.openJson<Record<string, unknown>>(row.channel_credentials)
        : {},
    };
  };

  test('GET /api/meta/channels describes every registered channel to a signed-in user', async () => {
    assert.equal((await app.call('GET', '/api/meta/channels')).status, 401);
    assert.equal((await app.call('GET', '/api/meta/channels', { key: 'lk_not_a_key' })).status, 401);
    const res = await app.call('GET', '/api/meta/channels', { key: user.apiKey });
    assert.equal(res.status, 200);
    const channels = res.body.channels as Array<{
      kind: string;
      label: string;
      available: boolean;
      unavailableReason?: string;
      fields: Array<{ name: string; label: string; secret: boolean; required: boolean }>;
    }>;
    assert.deepEqual(
      channels.map((c) => c.kind),
      CHANNEL_KINDS,
    );
    for (const c of channels) {
      const spec = CHANNEL_SPECS.find((s) => s.kind === c.kind)!;
      assert.equal(c.label, spec.label);
      assert.deepEqual(
        c.fields.map((f) => [f.name, f.label, f.secret]),
        fieldsOf(c.kind).map(([name, f]) => [name, f.label, Boolean(f.secret)]),
      );
    }
    // This server has no SMTP: email can be saved but is not sent, and the page can say why.
    const email = channels.find((c) => c.kind === 'email')!;
    assert.equal(email.available, false);
    assert.match(email.unavailableReason!, /SMTP/);
    assert.ok(channels.filter((c) => c.kind !== 'email').every((c) => c.available));
  });

  for (const spec of CHANNEL_SPECS) {
    const kind = spec.kind as ChannelKind;
    const example = spec.example as Record<string, unknown>;
    const secretNames = fieldsOf(kind)
      .filter(([, f]) => f.secret)
      .map(([n]) => n);

    test(`${kind}: saved, shown without its secrets, resolved with them, removed with them`, async () => {
      const put = await app.call('PUT', '/api/preferences', {
        key: user.apiKey,
        body: { channels: { [kind]: example } },
      });
      assert.equal(put.status, 200, put.text);
      const get = await app.call('GET', '/api/preferences', { key: user.apiKey });
      const stored = await credentials();
      for (const secret of secretNames.flatMap((n) => leaves(example[n]))) {
        assert.ok(!put.text.includes(secret), `${kind}: a secret in the PUT response`);
        assert.ok(!get.text.includes(secret), `${kind}: a secret in the GET response`);
        assert.ok(!stored.preferences.includes(secret), `${kind}: a secret in users.preferences`);
        assert.ok(!stored.sealed.includes(secret), `${kind}: a secret readable in users.channel_credentials`);
      }
      assert.deepEqual(get.body.channels[kind], put.body.channels[kind]);
      for (const [name, f] of fieldsOf(kind)) {
        if (!f.secret) assert.equal(get.body.channels[kind][name], example[name]);
        else if (f.secret.shown.as === 'flag') assert.equal(get.body.channels[kind][f.secret.shown.flag], true);
        else assert.equal(typeof get.body.channels[kind][name], 'string');
      }
      // The notifier's view: exactly the example's target, secrets restored.
      assert.deepEqual(channelTarget(app.lookout.ctx.secrets, stored.row, kind), spec.target(example as never));

      const off = await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { channels: { [kind]: null } } });
      assert.equal(off.status, 200);
      assert.equal(off.body.channels[kind], undefined);
      const cleared = await credentials();
      for (const [, f] of fieldsOf(kind))
        if (f.secret) assert.equal(cleared.opened[f.secret.credentialKey], undefined, 'the secret is dropped too');
      assert.equal(channelTarget(app.lookout.ctx.secrets, cleared.row, kind), undefined);
    });

    const generated = fieldsOf(kind).filter(([, f]) => f.secret?.generate);
    if (generated.length > 0) {
      test(`${kind}: a secret left out is generated, shown once, then kept on later saves`, async () => {
        const without = Object.fromEntries(Object.entries(example).filter(([n]) => !generated.some(([g]) => g === n)));
        const put = await app.call('PUT', '/api/preferences', {
          key: user.apiKey,
          body: { channels: { [kind]: without } },
        });
        assert.equal(put.status, 200, put.text);
        const revealed = generated.map(([, f]) => put.body[f.secret!.generate!.revealAs] as string);
        for (const value of revealed) assert.equal(typeof value, 'string');
        const get = await app.call('GET', '/api/preferences', { key: user.apiKey });
        for (const value of revealed) assert.ok(!get.text.includes(value));
        // Saving the channel again without the secret keeps the one made before (no new reveal).
        const again = await app.call('PUT', '/api/preferences', {
          key: user.apiKey,
          body: { channels: { [kind]: without } },
        });
        for (const [, f] of generated) assert.equal(again.body[f.secret!.generate!.revealAs], undefined);
        const { opened } = await credentials();
        assert.deepEqual(
          generated.map(([, f]) => opened[f.secret!.credentialKey]),
          revealed,
        );
        await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { channels: { [kind]: null } } });
      });
    }

    const urlFields = fieldsOf(kind).filter(([, f]) => f.outboundUrl === true);
    if (urlFields.length > 0) {
      test(`${kind}: a URL into the operator's network is refused with 400 and nothing is saved`, async () => {
        for (const [name] of urlFields) {
          const before = await credentials();
          const res = await app.call('PUT', '/api/preferences', {
            key: user.apiKey,
            body: { channels: { [kind]: { ...example, [name]: 'http://169.254.169.254/latest/meta-data' } } },
          });
          assert.equal(res.status, 400);
          assert.equal(res.body.error.code, 'url_not_allowed');
          const after = await credentials();
          assert.equal(after.preferences, before.preferences);
          assert.equal(after.row.channel_credentials, before.row.channel_credentials);
        }
      });
    }
  }

  test("a second user sees none of the first user's channels", async () => {
    const other = await app.createUser();
    for (const spec of CHANNEL_SPECS) {
      await app.call('PUT', '/api/preferences', {
        key: user.apiKey,
        body: { channels: { [spec.kind]: spec.example } },
      });
    }
    const mine = await app.call('GET', '/api/preferences', { key: user.apiKey });
    for (const kind of CHANNEL_KINDS) assert.ok(mine.body.channels[kind], kind);
    const theirs = await app.call('GET', '/api/preferences', { key: other.apiKey });
    for (const kind of CHANNEL_KINDS) assert.equal(theirs.body.channels[kind], undefined, kind);
  });
});
