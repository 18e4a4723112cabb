import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import type { Database } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import { SecretBox } from '../../src/lib/secretBox.js';
import { ActionLinkKey } from '../../src/notify/actionLinks.js';
import { type ChannelSecrets, ChannelSet, type StoredChannelValues } from '../../src/notify/channels/channelSet.js';
import { type AnyChannelSpec, type ChannelField, defineChannel } from '../../src/notify/channels/channelSpec.js';
import { postToUserUrl } from '../../src/notify/channels/http.js';
import type { Channels } from '../../src/notify/channels/registry.js';
import { CHANNEL_KINDS, CHANNEL_SPECS, CHANNELS } from '../../src/notify/channels/registry.js';
import type { Notification, NotificationChannel } from '../../src/notify/channels/types.js';
import { DeliveryWorker, type TargetResolver } from '../../src/notify/deliveries.js';
import { type HttpReceiver, startHttpReceiver } from '../fakes/receivers.js';
import { testConfig } from '../helpers/app.js';
import { createScratchDatabase, describeEachEngine, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { createSuggestion, createUser } from './support.js';

/**
 * The channel registry: every channel's settings survive sealing, presenting and target
 * resolution with no secret shown, and a channel declared outside the registry's own files (a
 * test pager whose target is a browser push subscription) works through the same generic path.
 */

const box = new SecretBox('channel-registry-test-secret-0123456789');

// A channel shaped like Web Push: the user's browser supplies a subscription (endpoint + keys),
// sealed like any secret; the sender posts to the subscription's endpoint.
const PushSubscription = z
  .object({
    endpoint: z.url({ protocol: /^https?$/ }).max(2000),
    keys: z.object({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }).strict(),
  })
  .strict();
interface PagerTarget {
  endpoint: string;
  auth: string;
  topic: string;
}
class PagerSender implements NotificationChannel<PagerTarget> {
  readonly kind = 'pager';
  constructor(private readonly allowPrivate: boolean) {}
  async send(n: Notification, t: PagerTarget): Promise<void> {
    const body = JSON.stringify({ topic: t.topic, title: n.title, auth: t.auth });
    await postToUserUrl(t.endpoint, body, {}, { allowPrivate: this.allowPrivate });
  }
}
const pagerChannel = defineChannel({
  kind: 'pager',
  label: 'Test pager',
  settings: z.object({ topic: z.string().min(1).max(50), subscription: PushSubscription }),
  example: {
    topic: 'shop',
    subscription: {
      endpoint: 'https://push.example.com/send/abcdef123456',
      keys: { p256dh: 'BPk3y', auth: 'AuThS3cr3t' },
    },
  },
  fields: {
    topic: { label: 'Topic', input: 'text', placeholder: 'shop' },
    subscription: {
      label: 'This browser',
      input: 'browser',
      client: 'test-push',
      outboundUrl: (value) => (value as { endpoint: string }).endpoint,
      secret: { credentialKey: 'pagerSubscription', shown: { as: 'flag', flag: 'subscribed' } },
    },
  },
  target: (s): PagerTarget => ({ endpoint: s.subscription.endpoint, auth: s.subscription.keys.auth, topic: s.topic }),
  createSender: ({ config }) => new PagerSender(config.allowPrivateUrls),
  clientOptions: () => ({ applicationServerKey: 'BTestApplicationServerKey' }),
});

/** The production registry plus the pager, built exactly as registry.ts builds CHANNELS. */
const WITH_PAGER = new ChannelSet([...CHANNEL_SPECS, pagerChannel]);

const entries = (spec: AnyChannelSpec) => Object.entries(spec.fields as Record<string, ChannelField>);

/** Every string inside a value: what must never appear in a response. */
function leaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

/** Settings of a spec: its example with each field varied as its input kind allows, kept when valid. */
function settingsOf(spec: AnyChannelSpec): fc.Arbitrary<Record<string, unknown>> {
  const word = fc.stringMatching(/^[a-z][a-z0-9]{0,11}$/);
  const token = fc.stringMatching(/^[A-Za-z0-9]{8,24}$/);
  const byInput: Record<string, fc.Arbitrary<unknown>> = {
    url: fc.tuple(word, token).map(([host, path]) => `https://${host}.example.com/p/${path}`),
    email: fc.tuple(word, word).map(([local, host]) => `${local}@${host}.example.com`),
    text: word,
    password: token.map((t) => `whsec_${Buffer.from(t).toString('base64')}`),
    browser: fc.constant(undefined),
  };
  const example = spec.example as Record<string, unknown>;
  const schema = (spec.settings as z.ZodObject).strict();
  const fields = entries(spec).map(([name, f]) =>
    fc.oneof(fc.constant(example[name]), byInput[f.input]!, fc.constant(undefined)).map((v) => [name, v] as const),
  );
  return fc
    .tuple(...fields)
    .map((pairs) => Object.fromEntries(pairs.filter(([, v]) => v !== undefined)))
    .filter((s) => schema.safeParse(s).success);
}

describe('channel registry', () => {
  it('ChannelKind, the API schemas and the senders all come from CHANNEL_SPECS', () => {
    assert.deepEqual(CHANNEL_KINDS, ['slack', 'email', 'webhook', 'push']);
    assert.deepEqual(Object.keys(CHANNELS.updateSchema().shape), ['sse', ...CHANNEL_KINDS]);
    assert.deepEqual(Object.keys(CHANNELS.storedSchema().shape), ['sse', ...CHANNEL_KINDS]);
    const withSmtp = testConfig({ LOOKOUT_SMTP_URL: 'smtp://127.0.0.1:2525', LOOKOUT_ALLOW_PRIVATE_URLS: 'true' });
    const senders = CHANNELS.createSenders({ config: withSmtp, secrets: box });
    assert.deepEqual(Object.keys(senders), CHANNEL_KINDS);
    senders.email?.close?.();
    // Email needs SMTP: without it the channel is described as unavailable and has no sender.
    const bare = testConfig();
    assert.deepEqual(Object.keys(CHANNELS.createSenders({ config: bare, secrets: box })), ['slack', 'webhook', 'push']);
    const email = CHANNELS.describe({ config: bare, secrets: box }).find((c) => c.kind === 'email')!;
    assert.equal(email.available, false);
    assert.match(email.unavailableReason!, /LOOKOUT_SMTP_URL/);
  });

  for (const spec of WITH_PAGER.specs) {
    it(`${spec.kind}: any valid settings round-trip through sealing, presenting and resolution, secrets unseen`, () => {
      const secretNames = entries(spec)
        .filter(([, f]) => f.secret)
        .map(([n]) => n);
      fc.assert(
        fc.property(settingsOf(spec), (settings) => {
          const update = WITH_PAGER.applyUpdate({ sse: true }, {}, { [spec.kind]: settings });
          // What the API stored and will show, and the sealed column.
          assert.ok(WITH_PAGER.storedSchema().safeParse(update.channels).success);
          const sealed = box.sealJson(update.secrets);
          const opened = box.openJson<ChannelSecrets>(sealed);
          assert.deepEqual(opened, update.secrets);
          const full = { ...settings };
          for (const [name, f] of entries(spec))
            if (f.secret?.generate && full[name] === undefined)
              full[name] = update.generated[f.secret.generate.revealAs];
          const shown = WITH_PAGER.present(update.channels, opened);
          for (const secret of secretNames.flatMap((n) => leaves(full[n]))) {
            for (const [what, text] of [
              ['stored preferences', JSON.stringify(update.channels)],
              ['sealed credentials', sealed],
              ['response', JSON.stringify(shown)],
            ])
              assert.ok(!text!.includes(secret), `${spec.kind}: a secret appears in the ${what}`);
          }
          // Shown: every plain setting as given, each secret masked or as a flag.
          const view = shown[spec.kind] as Record<string, unknown>;
          for (const [name, f] of entries(spec)) {
            if (!f.secret) assert.equal(view[name], full[name]);
            else if (f.secret.shown.as === 'flag') assert.equal(view[f.secret.shown.flag], full[name] !== undefined);
            else assert.equal(typeof view[name], full[name] === undefined ? 'object' : 'string');
          }
          // Resolution: the sender gets exactly the settings given, secrets restored.
          const restored = WITH_PAGER.settingsOf(spec.kind, update.channels, opened);
          assert.deepEqual(restored, full);
          const target = WITH_PAGER.targetOf(spec.kind, restored);
          assert.deepEqual(target, spec.target((spec.settings as z.ZodObject).parse(full) as never));
          // The lenient reader sees the API's form (secrets elsewhere) and the inline form alike.
          assert.ok(WITH_PAGER.parseLenient(update.channels)[spec.kind]);
          const inline = WITH_PAGER.parseLenient({ [spec.kind]: full })[spec.kind];
          assert.deepEqual(WITH_PAGER.targetOf(spec.kind, inline), target);
          assert.equal(WITH_PAGER.parseLenient({ [spec.kind]: { ...full, enabled: false } })[spec.kind], undefined);
          // Switched off: the channel and every secret of it are gone.
          const off = WITH_PAGER.applyUpdate(update.channels, opened, { [spec.kind]: null });
          assert.equal(off.channels[spec.kind], undefined);
          assert.deepEqual(off.secrets, {});
          assert.equal(WITH_PAGER.hasOutbound(off.channels), false);
          assert.equal(WITH_PAGER.hasOutbound(update.channels), true);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('the API schema takes each example, refuses unknown keys and takes null to switch off', () => {
    const schema = WITH_PAGER.updateSchema();
    for (const spec of WITH_PAGER.specs) {
      assert.ok(schema.safeParse({ [spec.kind]: spec.example }).success, spec.kind);
      assert.ok(schema.safeParse({ [spec.kind]: null }).success, spec.kind);
      const extra = schema.safeParse({ [spec.kind]: { ...spec.example, colour: 'red' } });
      assert.ok(!extra.success);
      assert.deepEqual(extra.error.issues[0]!.path, [spec.kind]);
    }
    assert.ok(!schema.safeParse({ fax: { number: '1' } }).success, 'an unregistered kind is refused');
  });

  it('a malformed channel list is refused when the registry is built', () => {
    const [slack, email] = CHANNEL_SPECS;
    assert.throws(() => new ChannelSet([slack, slack]), /declared twice/);
    assert.throws(() => new ChannelSet([{ ...email, kind: 'sse' }]), /other than sse/);
    assert.throws(() => new ChannelSet([{ ...email, fields: {} as never }]), /must describe exactly/);
    assert.throws(() => new ChannelSet([slack, { ...slack, kind: 'slack2' }]), /credential key "slackWebhookUrl"/);
  });

  it('the dashboard gets field descriptors, the browser field and its public options', () => {
    const config = testConfig();
    const described = WITH_PAGER.describe({ config, secrets: box });
    assert.deepEqual(
      described.map((c) => c.kind),
      [...CHANNEL_KINDS, 'pager'],
    );
    const pager = described.find((c) => c.kind === 'pager')!;
    assert.deepEqual(pager, {
      kind: 'pager',
      label: 'Test pager',
      available: true,
      fields: [
        {
          name: 'topic',
          label: 'Topic',
          input: 'text',
          required: true,
          secret: false,
          outboundUrl: false,
          placeholder: 'shop',
        },
        {
          name: 'subscription',
          label: 'This browser',
          input: 'browser',
          required: true,
          secret: true,
          shown: 'flag',
          flag: 'subscribed',
          outboundUrl: true,
          client: 'test-push',
        },
      ],
      options: { applicationServerKey: 'BTestApplicationServerKey' },
    });
    const webhook = described.find((c) => c.kind === 'webhook')!;
    assert.deepEqual(
      webhook.fields.map((f) => [f.name, f.required, f.secret, f.generated ?? false, f.revealAs]),
      [
        ['url', true, false, false, undefined],
        ['secret', false, true, true, 'webhookSecret'],
      ],
    );
    // The production registry is untouched by the test's set.
    assert.equal(
      CHANNELS.describe({ config, secrets: box }).some((c) => c.kind === 'pager'),
      false,
    );
  });
});

/** Opens a fresh, unmigrated database of the engine. */
async function freshDatabase(engine: 'pglite' | 'postgres'): Promise<{ db: Database; drop: () => Promise<void> }> {
  if (engine === 'pglite') {
    const db = await openPglite();
    return { db, drop: () => db.close() };
  }
  const scratch = await createScratchDatabase();
  const db = await openPostgres({ connectionString: scratch.url, max: 2 });
  return {
    db,
    drop: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}

const channelChecks = (db: Database) =>
  db.query<{ conname: string }>(
    `select conname from pg_constraint
     where conrelid = 'notification_deliveries'::regclass and contype = 'c'
       and pg_get_constraintdef(oid) like '%channel%'`,
  );

for (const engine of POSTGRES_AVAILABLE ? (['pglite', 'postgres'] as const) : (['pglite'] as const)) {
  it(`[${engine}] migration 0009 drops the channel CHECK by the name the database gave it`, async () => {
    const { db, drop } = await freshDatabase(engine);
    try {
      const migrations = loadMigrations();
      const before0009 = migrations.findIndex((m) => m.name === 'channel_registry');
      assert.ok(before0009 > 0);
      await migrate(db, migrations.slice(0, before0009));
      assert.deepEqual(
        (await channelChecks(db)).rows.map((r) => r.conname),
        ['notification_deliveries_channel_check'],
      );
      await migrate(db, migrations);
      assert.deepEqual((await channelChecks(db)).rows, []);
    } finally {
      await drop();
    }
  });
}

describeEachEngine('a channel added through the registry', (fx) => {
  let push: HttpReceiver;
  before(async () => {
    push = await startHttpReceiver({ status: 201 });
  });
  after(async () => {
    await push.close();
  });

  it('is queued, resolved from sealed settings and sent, with no change outside its spec', async () => {
    const config = testConfig({ LOOKOUT_ALLOW_PRIVATE_URLS: 'true' });
    const settings = {
      topic: 'restock',
      subscription: { endpoint: `${push.url}/send/device-1`, keys: { p256dh: 'BPk3y', auth: 'AuThS3cr3t' } },
    };
    const update = WITH_PAGER.applyUpdate({ sse: true }, {}, { pager: settings });
    assert.deepEqual(update.outboundUrls, [`${push.url}/send/device-1`], 'the endpoint is checked by the SSRF guard');
    const userId = await createUser(fx.db, { channels: update.channels });
    await fx.db.query('update users set channel_credentials = $2 where id = $1', [
      userId,
      box.sealJson(update.secrets),
    ]);
    const suggestionId = await createSuggestion(fx.db, userId, 'Reorder the Aurora mug');
    // The database takes any kind: the registry is the one list.
    await fx.db.query(
      `insert into notification_deliveries (user_id, suggestion_id, channel) values ($1, $2, 'pager')`,
      [userId, suggestionId],
    );
    // The same resolution app.ts does, over this set: stored settings + unsealed secrets -> target.
    const resolveTarget = (async (id: string, channel: string) => {
      const { rows } = await fx.db.query<{
        preferences: { channels: StoredChannelValues };
        channel_credentials: string;
      }>('select preferences, channel_credentials from users where id = $1', [id]);
      const secrets = box.openJson<ChannelSecrets>(rows[0]!.channel_credentials);
      return WITH_PAGER.targetOf(channel, WITH_PAGER.settingsOf(channel, rows[0]!.preferences.channels, secrets));
    }) as TargetResolver;
    const worker = new DeliveryWorker({
      db: fx.db,
      channels: WITH_PAGER.createSenders({ config, secrets: box }) as unknown as Channels,
      resolveTarget,
      publicUrl: 'http://lookout.test',
      actionLinks: new ActionLinkKey('k'.repeat(48)),
    });
    const outcomes = await worker.runOnce();
    assert.deepEqual(
      outcomes.map((o) => [o.channel, o.status]),
      [['pager', 'delivered']],
    );
    const [req] = await push.waitFor(1);
    assert.equal(req!.path, '/send/device-1');
    assert.deepEqual(JSON.parse(req!.body), { topic: 'restock', title: 'Reorder the Aurora mug', auth: 'AuThS3cr3t' });
  });

  it('a kind this server does not know is given up on at once, not retried', async () => {
    const userId = await createUser(fx.db);
    const suggestionId = await createSuggestion(fx.db, userId);
    // Due a second ago: the database's clock has microseconds, the worker's milliseconds, so a row
    // due "now" could still be a fraction of a millisecond in the worker's future.
    await fx.db.query(
      `insert into notification_deliveries (user_id, suggestion_id, channel, next_attempt_at)
       values ($1, $2, 'fax', now() - interval '1 second')`,
      [userId, suggestionId],
    );
    const worker = new DeliveryWorker({
      db: fx.db,
      channels: {},
      publicUrl: 'http://lookout.test',
      actionLinks: new ActionLinkKey('k'.repeat(48)),
    });
    const outcomes = await worker.runOnce();
    assert.deepEqual(
      outcomes.map((o) => [o.channel, o.status, o.error]),
      [['fax', 'dead', 'fax is not enabled on this server']],
    );
  });
});
