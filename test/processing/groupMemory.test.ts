import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Database, Queryable, QueryResult } from '../../src/db/database.js';
import { insertEvents } from '../../src/db/queries/events.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import { DECISION_FIELDS } from '../../src/events/registry.js';
import type { EventType, NewEvent } from '../../src/events.js';
import { createLogger } from '../../src/lib/logger.js';
import { Metrics } from '../../src/metrics.js';
import { type Preferences, ProfileSchema, readStoredPreferences, VibeSchema } from '../../src/preferences.js';
import { importanceScore, passesFilters } from '../../src/processing/decide.js';
import { EventWorker } from '../../src/processing/eventWorker.js';
import { parsePayload } from '../../src/processing/payload.js';
import { createGenerator } from '../../src/suggest/index.js';
import type { SuggestionGenerator, SuggestionInput } from '../../src/suggest/types.js';
import { testConfig } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { ROOT } from '../helpers/processes.js';

/** Every stored payload carries this text; the decision fields never do. */
const PAYLOAD_MARK = 'whole-payload-text';
const ORDER_FIXTURE = readFileSync(join(ROOT, 'fixtures/shopify/2026-04/orders__create.json'), 'utf8');

/** Counts the whole payloads a database hands back (rows holding PAYLOAD_MARK), per query. */
function countingPayloads(db: Database): { db: Database; perQuery: number[]; total: () => number } {
  const perQuery: number[] = [];
  const count = <R>(res: QueryResult<R>): QueryResult<R> => {
    let n = 0;
    for (const row of res.rows as Array<Record<string, unknown>>)
      if (Object.values(row).some((v) => typeof v === 'string' && v.includes(PAYLOAD_MARK))) n++;
    perQuery.push(n);
    return res;
  };
  const wrap = (q: Queryable): Queryable['query'] =>
    (async (sql: string, params?: readonly unknown[]) => count(await q.query(sql, params))) as Queryable['query'];
  const counted: Database = {
    ...db,
    engine: db.engine,
    query: wrap(db),
    transaction: (fn) => db.transaction((tx) => fn({ ...tx, exec: (s) => tx.exec(s), query: wrap(tx) })),
    exec: (s) => db.exec(s),
    listen: (c, f) => db.listen(c, f),
    notify: (c, p) => db.notify(c, p),
    ping: () => db.ping(),
    close: () => db.close(),
  };
  return { db: counted, perQuery, total: () => perQuery.reduce((a, b) => a + b, 0) };
}

/** The real offline generator, remembering what it was given. */
function recording(inner: SuggestionGenerator): SuggestionGenerator & { inputs: SuggestionInput[] } {
  const inputs: SuggestionInput[] = [];
  return {
    inputs,
    generate(input) {
      inputs.push(input);
      return inner.generate(input);
    },
  };
}

async function storeOrders(db: Database, userId: string, count: number): Promise<void> {
  const events: NewEvent[] = [];
  for (let i = 0; i < count; i++) {
    const id = (7_300_000_000_000_000_000n + BigInt(i)).toString();
    const body = JSON.parse(ORDER_FIXTURE) as Record<string, unknown>;
    body.note = `${PAYLOAD_MARK} ${i}`;
    events.push({
      userId,
      integrationId: null,
      source: 'shopify',
      eventType: 'shopify.order.created',
      eventDataJson: JSON.stringify(body).replace('820982911946154508', id),
      eventTimestamp: new Date(),
      dedupeKey: `group-memory-${userId}-${i}`,
      via: 'webhook',
    });
  }
  for (let i = 0; i < events.length; i += 500) await insertEvents(db, events.slice(i, i + 500));
}

describeEachEngine('a batch of thousands of events costs its sample, not its payloads', (fx) => {
  const N = 1_500;
  const BATCH = 100;
  let userId: string;
  before(async () => {
    ({ id: userId } = await createUserWithKey(fx.db, { email: `group-${randomUUID()}@example.com` }));
    await fx.db.query('update users set preferences = $2 where id = $1', [
      userId,
      // An hour's window: the burst stays unsettled for the first test whatever the machine's speed.
      JSON.stringify({ flow: { batchWindowSeconds: 3_600, batchMinEvents: 10 } }),
    ]);
    await storeOrders(fx.db, userId, N);
  });

  const workerOn = (
    db: Database,
    generator: SuggestionGenerator,
    now?: () => Date,
    metrics = new Metrics({ processMetrics: false }),
  ) =>
    new EventWorker(
      {
        db,
        generator,
        metrics,
        log: createLogger('silent'),
        config: testConfig(),
        now,
      },
      { batchSize: BATCH, concurrency: 1 },
    );

  test('while the burst is not quiet, claims are deferred without reading a single payload', async () => {
    const counted = countingPayloads(fx.db);
    const generator = recording(createGenerator(testConfig()));
    const worker = workerOn(counted.db, generator);
    let claimed = 0;
    for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) claimed += n;
    assert.equal(claimed, N, 'every event was claimed once and deferred');
    assert.equal(counted.total(), 0, 'no whole payload was read to defer them');
    assert.equal(generator.inputs.length, 0);
    const { rows } = await fx.db.query<{ n: number }>(
      `select count(*)::int as n from background_events where user_id = $1 and status = 'pending' and run_at > now()`,
      [userId],
    );
    assert.equal(rows[0]!.n, N);
  });

  test(
    `once quiet, one claim summarises all ${N} orders from thin projections, reading one whole ` + `payload: its own`,
    async () => {
      // Make the deferred events due again and let the clock say the window has passed.
      await fx.db.query(`update background_events set run_at = now() where user_id = $1`, [userId]);
      const counted = countingPayloads(fx.db);
      const generator = recording(createGenerator(testConfig()));
      const metrics = new Metrics({ processMetrics: false });
      const worker = workerOn(counted.db, generator, () => new Date(Date.now() + 2 * 3_600_000), metrics);
      assert.equal(await worker.runOnce(), BATCH);

      assert.equal(generator.inputs.length, 1, 'one summary suggestion');
      const input = generator.inputs[0]!;
      assert.equal(input.batch?.count, N, 'the summary counts every order of the burst');
      // Every order is in the summary (its counts add up), each as a thin projection the database
      // computed: a title and a price, not a payload.
      assert.equal(input.batch?.items.length, N, 'the generator sees every order, thinly');
      for (const item of input.batch?.items ?? []) assert.ok(JSON.stringify(item).length < 300, JSON.stringify(item));
      assert.ok(counted.total() <= 1, `whole payloads read: ${counted.total()} (the suggestion's own event)`);

      const { rows } = await fx.db.query<{ status: string; n: number; s: number }>(
        `select status, count(*)::int as n, count(distinct suggestion_id)::int as s from background_events
       where user_id = $1 group by status`,
        [userId],
      );
      assert.deepEqual(rows, [{ status: 'processed', n: N, s: 1 }]);

      // The metrics count every order the summary finished, not only the 100 claimed.
      const processed = (await metrics.eventsProcessed.get()).values;
      const byOutcome = Object.fromEntries(processed.map((v) => [v.labels.outcome, v.value]));
      assert.deepEqual(byOutcome, { suggested: 1, covered: N - 1 });
      assert.equal(
        (await metrics.processingLatency.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value,
        N,
      );
    },
  );
});

describeEachEngine('flow control off: each claimed event reads its own payload once', (fx) => {
  test('a claimed batch of 100 suggestions reads 100 payloads in one query', async () => {
    const { id: userId } = await createUserWithKey(fx.db, { email: `single-${randomUUID()}@example.com` });
    await fx.db.query('update users set preferences = $2 where id = $1', [
      userId,
      JSON.stringify({ flow: { batchWindowSeconds: 0, maxPerTypePerHour: 10_000 } }),
    ]);
    await storeOrders(fx.db, userId, 100);
    const counted = countingPayloads(fx.db);
    const generator = recording(createGenerator(testConfig()));
    const worker = new EventWorker(
      {
        db: counted.db,
        generator,
        metrics: new Metrics({ processMetrics: false }),
        log: createLogger('silent'),
        config: testConfig(),
      },
      { batchSize: 100 },
    );
    assert.equal(await worker.runOnce(), 100);
    assert.equal(generator.inputs.length, 100);
    assert.equal(counted.total(), 100);
    assert.equal(counted.perQuery.filter((n) => n > 0).length, 1);
  });
});

test('the decision fields are all that decisions read: judged on them alone, every fixture decides the same', () => {
  const fixtureDir = join(ROOT, 'fixtures/shopify/2026-04');
  const prefsWith = (stored: unknown): Preferences => ({
    ...readStoredPreferences(stored),
    autoSuggest: true,
    profile: ProfileSchema.parse({}),
    vibe: VibeSchema.parse({}),
  });
  const prefsVariants = [
    prefsWith({}),
    prefsWith({ filters: { productTypes: ['Shirts'], vendors: ['Acme'], tags: ['summer'] } }),
    prefsWith({ filters: { schemas: ['public'], tables: ['orders'] } }),
  ];
  const types: EventType[] = [
    'shopify.product.created',
    'shopify.product.updated',
    'shopify.order.created',
    'shopify.inventory.low',
    'supabase.table.created',
  ];
  const pick = (p: Record<string, unknown>) =>
    Object.fromEntries(DECISION_FIELDS.filter((f) => f in p).map((f) => [f, p[f]]));
  for (const file of readdirSync(fixtureDir)) {
    const full = parsePayload(readFileSync(join(fixtureDir, file), 'utf8'));
    const variants = [full, { ...full, status: 'draft', test: true, available: 0, total_price: '250.00' }];
    for (const payload of variants) {
      const picked = pick(payload);
      for (const type of types) {
        assert.equal(importanceScore(type, picked), importanceScore(type, payload), `${file} ${type}`);
        for (const prefs of prefsVariants)
          assert.equal(passesFilters(type, picked, prefs), passesFilters(type, payload, prefs), `${file} ${type}`);
      }
    }
  }
});
