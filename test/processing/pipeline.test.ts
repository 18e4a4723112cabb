import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../../src/db/database.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { fixtureBody, shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = 'test-shopify-secret';
let shopCounter = 0;

interface Connected {
  user: { id: string; apiKey: string };
  shop: string;
}

async function connectShop(app: TestApp, prefs?: unknown): Promise<Connected> {
  const user = await app.createUser();
  const shop = `pipeline-${++shopCounter}-${Date.now()}.myshopify.com`;
  assert.equal((await app.connectShop(user, shop)).ownership.status, 'proven');
  if (prefs) assert.equal((await app.call('PUT', '/api/preferences', { key: user.apiKey, body: prefs })).status, 200);
  return { user, shop };
}

/** Sends a product-like payload as a signed webhook of `topic`. */
async function deliver(app: TestApp, c: Connected, topic: string, payload: Record<string, unknown>): Promise<void> {
  const body = Buffer.from(JSON.stringify(payload));
  const res = await app.call('POST', '/webhooks/shopify', {
    raw: body,
    headers: shopifyHeaders(topic, c.shop, body, SECRET),
  });
  assert.equal(res.status, 200, res.text);
}

function product(id: number, extra: Record<string, unknown> = {}) {
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    title: `Linen Shirt ${id}`,
    product_type: 'Shirts',
    vendor: 'Acme',
    tags: 'linen, summer',
    status: 'active',
    updated_at: new Date().toISOString(),
    variants: [{ id: id * 10, price: '49.00', compare_at_price: '59.00', inventory_quantity: 12 }],
    ...extra,
  };
}

async function eventsOf(db: Database, userId: string) {
  const { rows } = await db.query<{
    id: string;
    status: string;
    outcome: string | null;
    suggestion_generated: boolean;
    suggestion_id: string | null;
    event_type: string;
  }>(
    'select id, status, outcome, suggestion_generated, suggestion_id, event_type from background_events where ' +
      'user_id = $1 order by received_at, seq',
    [userId],
  );
  return rows;
}

describeEachEngine('processing pipeline', (fx) => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp(fx.db, {}, { role: 'all' });
  });
  after(() => app.close());

  test('a product webhook becomes a suggestion with its agent run, in one commit', async () => {
    const c = await connectShop(app, { flow: { batchWindowSeconds: 0 } });
    const body = fixtureBody('products/create');
    await app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('products/create', c.shop, body, SECRET),
    });
    const list = await waitFor(async () => {
      const r = await app.call('GET', '/api/suggestions', { key: c.user.apiKey });
      return r.body.items.length > 0 ? r.body : undefined;
    }, 'the suggestion');
    const s = list.items[0];
    assert.equal(s.eventType, 'shopify.product.created');
    assert.equal(s.status, 'new');
    assert.match(s.title + s.body, /Example T-Shirt/);
    assert.ok(Array.isArray(s.content.hooks) && s.content.hooks.length === 3, 'three TikTok hooks');
    const [event] = await eventsOf(fx.db, c.user.id);
    assert.equal(event!.status, 'processed');
    assert.equal(event!.suggestion_generated, true);
    assert.equal(event!.suggestion_id, s.id);
    const runs = await fx.db.query<{
      generator: string;
      status: string;
      prompt: string;
      output: string | null;
      latency_ms: number;
    }>('select generator, status, prompt, output, latency_ms from agent_runs where id = $1', [s.agentRunId]);
    assert.equal(runs.rows[0]!.generator, 'offline');
    assert.equal(runs.rows[0]!.status, 'succeeded');
    assert.ok(runs.rows[0]!.prompt.length > 50);
    // The offline draft is the suggestion itself: not written a second time as the run's output.
    assert.equal(runs.rows[0]!.output, null);

    const accepted = await app.call('POST', `/api/suggestions/${s.id}/accept`, { key: c.user.apiKey });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.status, 'accepted');
    const ev = await app.call('GET', `/api/events/${event!.id}`, { key: c.user.apiKey });
    assert.equal(ev.body.user_actioned, true);
    const other = await app.createUser();
    assert.equal((await app.call('POST', `/api/suggestions/${s.id}/dismiss`, { key: other.apiKey })).status, 404);
  });

  test('auto_suggest off: the event is kept and processed, with no suggestion', async () => {
    const c = await connectShop(app, { autoSuggest: false });
    await deliver(app, c, 'products/create', product(101));
    const rows = await waitFor(async () => {
      const r = await eventsOf(fx.db, c.user.id);
      return r.every((e) => e.status === 'processed') && r.length === 1 ? r : undefined;
    }, 'processing');
    assert.equal(rows[0]!.suggestion_generated, false);
    assert.equal(rows[0]!.outcome, 'auto_suggest_off');
  });

  test('filters: only product types the user chose make suggestions', async () => {
    const c = await connectShop(app, { filters: { productTypes: ['Shoes'] }, flow: { batchWindowSeconds: 0 } });
    await deliver(app, c, 'products/create', product(201, { product_type: 'Shirts' }));
    await deliver(app, c, 'products/create', product(202, { product_type: 'Shoes', title: 'Trail Shoe' }));
    const rows = await waitFor(async () => {
      const r = await eventsOf(fx.db, c.user.id);
      return r.length === 2 && r.every((e) => e.status === 'processed') ? r : undefined;
    }, 'processing');
    assert.deepEqual(rows.map((r) => r.outcome).sort(), ['filtered', 'suggested']);
  });

  test('rate limit: at most N suggestions per type per hour, the rest kept without one', async () => {
    const c = await connectShop(app, { flow: { maxPerTypePerHour: 2, batchWindowSeconds: 0 } });
    for (let i = 0; i < 5; i++)
      await deliver(app, c, 'orders/create', {
        id: 3000 + i,
        admin_graphql_api_id: `gid://shopify/Order/${3000 + i}`,
        total_price: '30.00',
        line_items: [{ title: 'Tee', quantity: 1, price: '30.00' }],
        customer: { first_name: 'Ana' },
      });
    const rows = await waitFor(async () => {
      const r = await eventsOf(fx.db, c.user.id);
      return r.length === 5 && r.every((e) => e.status === 'processed') ? r : undefined;
    }, 'processing');
    assert.equal(rows.filter((r) => r.suggestion_generated).length, 2);
    assert.equal(rows.filter((r) => r.outcome === 'rate_limited').length, 3);
  });

  test('debounce: 20 updates to one product make one suggestion from the latest state, referenced by all', async () => {
    const c = await connectShop(app, { flow: { debounceSeconds: 1 } });
    for (let i = 0; i < 20; i++) {
      await deliver(
        app,
        c,
        'products/update',
        product(301, { title: `Linen Shirt v${i}`, updated_at: new Date(Date.now() + i * 1000).toISOString() }),
      );
    }
    const rows = await waitFor(async () => {
      const r = await eventsOf(fx.db, c.user.id);
      return r.length === 20 && r.every((e) => e.status === 'processed') ? r : undefined;
    }, 'the debounced suggestion');
    const ids = new Set(rows.map((r) => r.suggestion_id));
    assert.equal(ids.size, 1, 'one suggestion');
    assert.ok(rows.every((r) => r.suggestion_generated));
    const s = await app.call('GET', '/api/suggestions', { key: c.user.apiKey });
    assert.equal(s.body.items.length, 1);
    assert.match(s.body.items[0].title + s.body.items[0].body, /Linen Shirt v19/, 'made from the latest state');
    assert.equal(s.body.items[0].coveredEvents, 20);
  });

  test('batching: a bulk import of 200 products makes one summary suggestion', async () => {
    // The worker's clock is the test's: however slowly the 200 deliveries arrive on a loaded
    // machine, the burst is quiet only when the test moves the clock past the window.
    let offsetMs = 0;
    const clocked = await startTestApp(fx.db, {}, { role: 'all', clock: () => new Date(Date.now() + offsetMs) });
    try {
      const c = await connectShop(clocked, { flow: { batchWindowSeconds: 60, batchMinEvents: 10 } });
      await Promise.all(
        Array.from({ length: 200 }, (_, i) => deliver(clocked, c, 'products/create', product(10_000 + i))),
      );
      // Every delivery is claimed and found not quiet yet: each waits for the window.
      await waitFor(async () => {
        const { rows } = await fx.db.query<{ n: number }>(
          `select count(*)::int as n from background_events where user_id = $1 and status = 'pending'
           and run_at > now()`,
          [c.user.id],
        );
        return rows[0]!.n === 200;
      }, 'the burst waiting for its window');
      assert.equal((await eventsOf(fx.db, c.user.id)).filter((e) => e.status === 'processed').length, 0);
      offsetMs = 61_000 * 6; // past the window, and past the longest wait
      clocked.lookout.worker!.wake();
      const rows = await waitFor(async () => {
        const r = await eventsOf(fx.db, c.user.id);
        return r.every((e) => e.status === 'processed') ? r : undefined;
      }, 'the batch summary');
      assertOneSummary(rows);
      const s = await clocked.call('GET', '/api/suggestions', { key: c.user.apiKey });
      assert.equal(s.body.items.length, 1);
      assert.match(s.body.items[0].title + s.body.items[0].body, /200/);
    } finally {
      await clocked.close();
    }
  });

  test('batching with the real clock: a bulk import settles by itself once quiet', async () => {
    const c = await connectShop(app, { flow: { batchWindowSeconds: 1, batchMinEvents: 10 } });
    await Promise.all(Array.from({ length: 20 }, (_, i) => deliver(app, c, 'products/create', product(20_000 + i))));
    const rows = await waitFor(
      async () => {
        const r = await eventsOf(fx.db, c.user.id);
        return r.length === 20 && r.every((e) => e.status === 'processed') ? r : undefined;
      },
      'the import processed',
      30_000,
    );
    // However the arrivals were spaced, every product is covered by a suggestion.
    assert.ok(rows.every((r) => r.suggestion_generated));
  });

  function assertOneSummary(rows: Awaited<ReturnType<typeof eventsOf>>) {
    assert.equal(rows.length, 200);
    assert.equal(new Set(rows.map((r) => r.suggestion_id)).size, 1);
    assert.ok(rows.every((r) => r.suggestion_generated));
  }

  test(
    "inventory levels: low against the user's threshold makes a restock suggestion; " + 'healthy stock does not',
    async () => {
      const c = await connectShop(app, { thresholds: { lowStock: 3 }, flow: { debounceSeconds: 0 } });
      await deliver(app, c, 'inventory_levels/update', {
        inventory_item_id: 555,
        location_id: 1,
        available: 40,
        admin_graphql_api_id: 'gid://shopify/InventoryLevel/1?inventory_item_id=555',
        updated_at: new Date().toISOString(),
      });
      await deliver(app, c, 'inventory_levels/update', {
        inventory_item_id: 556,
        location_id: 1,
        available: 2,
        admin_graphql_api_id: 'gid://shopify/InventoryLevel/1?inventory_item_id=556',
        updated_at: new Date().toISOString(),
      });
      const rows = await waitFor(async () => {
        const r = await eventsOf(fx.db, c.user.id);
        return r.length === 2 && r.every((e) => e.status === 'processed') ? r : undefined;
      }, 'processing');
      assert.deepEqual(
        rows.map((r) => [r.event_type, r.outcome]),
        [
          ['shopify.inventory.updated', 'not_low'],
          ['shopify.inventory.low', 'suggested'],
        ],
      );
    },
  );
});

describeEachEngine('product updates are described against the previous state', (fx) => {
  test('a price change is named in the suggestion', async () => {
    const app = await startTestApp(fx.db, {}, { role: 'all' });
    try {
      const c = await connectShop(app, { flow: { debounceSeconds: 0, batchWindowSeconds: 0 } });
      await deliver(
        app,
        c,
        'products/create',
        product(777, { title: 'Canvas Tote', variants: [{ id: 7770, price: '30.00', inventory_quantity: 5 }] }),
      );
      await waitFor(
        async () => (await eventsOf(fx.db, c.user.id)).every((e) => e.status === 'processed'),
        'the creation',
      );
      await deliver(
        app,
        c,
        'products/update',
        product(777, {
          title: 'Canvas Tote',
          updated_at: new Date(Date.now() + 5000).toISOString(),
          variants: [{ id: 7770, price: '24.00', inventory_quantity: 5 }],
        }),
      );
      const s = await waitFor(async () => {
        const r = await app.call('GET', '/api/suggestions?type=shopify.product.updated', { key: c.user.apiKey });
        return r.body.items[0];
      }, 'the update suggestion');
      assert.match(s.title + s.body, /Canvas Tote/);
      assert.match(s.body, /30(\.00)?/, 'the old price');
      assert.match(s.body, /24(\.00)?/, 'the new price');
    } finally {
      await app.close();
    }
  });
});

describeEachEngine('debounce never starves', (fx) => {
  test('a product updated more often than the window still gets its suggestion within six windows', async () => {
    // Time is the test's: twenty updates 30 s apart (a 60 s window is never quiet), then the
    // worker's clock is set 10 minutes after the first: past six windows, still inside the
    // window of the latest update.
    let clockMs = Date.now();
    const app = await startTestApp(fx.db, {}, { role: 'all', clock: () => new Date(clockMs) });
    try {
      const c = await connectShop(app, { flow: { debounceSeconds: 60 } });
      await app.call('POST', '/api/loop/stop', { key: c.user.apiKey });
      const first = Date.now() - 3_600_000;
      clockMs = first; // nothing is due yet for the worker while the updates are stored
      for (let n = 0; n < 20; n++) {
        const updatedAt = new Date(first + n * 30_000).toISOString();
        await deliver(app, c, 'products/update', product(888, { title: `Busy Lamp v${n}`, updated_at: updatedAt }));
      }
      // As if they had arrived 30 s apart over ten minutes.
      await fx.db.query(
        `update background_events e set received_at = $2::timestamptz + make_interval(secs => 30 * (x.n - 1)),
         run_at = $2
         from (select id, row_number() over (order by seq) as n from background_events where user_id = $1) x
         where e.id = x.id`,
        [c.user.id, new Date(first)],
      );
      clockMs = first + 600_000;
      app.lookout.worker!.wake();
      const rows = await waitFor(async () => {
        const r = await eventsOf(fx.db, c.user.id);
        return r.every((e) => e.status === 'processed') ? r : undefined;
      }, 'the debounced suggestion');
      assert.equal(new Set(rows.map((r) => r.suggestion_id)).size, 1, 'one suggestion, while updates kept coming');
      assert.ok(rows.every((r) => r.suggestion_generated));
      const s = await app.call('GET', '/api/suggestions', { key: c.user.apiKey });
      assert.match(s.body.items[0].title + s.body.items[0].body, /Busy Lamp v19/, 'from the latest state');
    } finally {
      await app.close();
    }
  });
});
