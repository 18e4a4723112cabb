import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { before, it } from 'node:test';
import type { Database, Queryable } from '../../src/db/database.js';
import {
  boughtTogether,
  catalogue,
  customerOrders,
  inventoryItemNames,
  lastLowStockAlert,
  latestProduct,
  ordersCoveredSince,
  periodEvents,
  previousOccurrence,
  productOfInventoryItem,
  productVersionBefore,
  sales,
} from '../../src/db/queries/history.js';
import { createUserWithKey } from '../../src/db/queries/users.js';
import { eventSubject } from '../../src/sources/index.js';
import { describeEachEngine } from '../helpers/engines.js';

const T = Date.parse('2026-04-20T10:00:00Z');
const ago = (days: number, minutes = 0) => new Date(T - days * 86_400_000 - minutes * 60_000);

interface Stored {
  type: string;
  json: string;
  at: Date;
  status?: string;
  outcome?: string;
  source?: string;
}

async function store(db: Queryable, userId: string, integrationId: string | null, e: Stored): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into background_events (user_id, integration_id, source, event_type, event_data, event_timestamp,
     received_at, dedupe_key, status, outcome, subject)
     values ($1, $2, $3, $4, $5::jsonb, $6, $6, $7, $8, $9, $10) returning id`,
    [
      userId,
      integrationId,
      e.source ?? 'shopify',
      e.type,
      e.json,
      e.at,
      randomUUID(),
      e.status ?? 'processed',
      e.outcome ?? null,
      // As every insert path does: the source reads the subject from the payload.
      eventSubject(e.source ?? 'shopify', e.type, e.json),
    ],
  );
  return rows[0]!.id;
}

const product = (id: number, title: string, price: string, extra = '') =>
  `{"id": ${id}, "admin_graphql_api_id": "gid://shopify/Product/${id}", "title": "${title}", "tags": "linen", ` +
  `"variants": [{"id": ${id}1, "price": "${price}", "inventory_item_id": ${id}9}]${extra}}`;
const order = (id: number, customer: number, lines: Array<[number, number, number, string]>, extra = '') =>
  `{"id": ${id}, "name": "#${id}", "currency": "EUR", "total_price": "10.00", ` +
  `"customer": {"id": ${customer}, "first_name": "Ana"}, "line_items": [${lines
    .map(
      ([p, v, q, t]) => `{"product_id": ${p}, "variant_id": ${v}, "quantity": ${q}, "title": "${t}", "price": "10.00"}`,
    )
    .join(', ')}]${extra}}`;

/** Records every statement, so its plan can be checked with EXPLAIN. */
function recording(db: Database): { q: Queryable; statements: Array<{ sql: string; params: readonly unknown[] }> } {
  const statements: Array<{ sql: string; params: readonly unknown[] }> = [];
  return {
    statements,
    q: {
      query: (sql, params = []) => {
        statements.push({ sql, params });
        return db.query(sql, params);
      },
    },
  };
}

describeEachEngine('history lookups', (fx) => {
  let userId: string;
  let otherUser: string;
  let integrationId: string;
  let burstLast: string;
  let updateId: string;

  before(async () => {
    userId = (await createUserWithKey(fx.db, { email: `history-${randomUUID()}@example.com` })).id;
    otherUser = (await createUserWithKey(fx.db, { email: `history-${randomUUID()}@example.com` })).id;
    const { rows } = await fx.db.query<{ id: string }>(
      `insert into integrations (user_id, kind, shop_domain, created_at) values ($1, 'shopify', $2, $3) returning id`,
      [userId, `history-${randomUUID().slice(0, 8)}.myshopify.com`, ago(7)],
    );
    integrationId = rows[0]!.id;
    const s = (e: Stored, user = userId) => store(fx.db, user, integrationId, e);

    // A product created, then updated twice in a burst still being processed.
    await s({ type: 'shopify.product.created', json: product(8001, 'Linen Shirt', '59.00'), at: ago(3) });
    await s({
      type: 'shopify.product.updated',
      json: product(8001, 'Linen Shirt', '55.00'),
      at: ago(0, 10),
      status: 'pending',
    });
    updateId = await s({
      type: 'shopify.product.updated',
      json: product(8001, 'Linen Shirt', '49.00'),
      at: ago(0, 2),
      status: 'processing',
    });
    // A product that existed before Lookout: only a burst of updates is known.
    await s({
      type: 'shopify.product.updated',
      json: product(8002, 'Canvas Tote', '26.00'),
      at: ago(0, 9),
      status: 'pending',
    });
    await s({
      type: 'shopify.product.updated',
      json: product(8002, 'Canvas Tote', '25.00'),
      at: ago(0, 6),
      status: 'pending',
    });
    burstLast = await s({
      type: 'shopify.product.updated',
      json: product(8002, 'Canvas Tote', '24.00'),
      at: ago(0, 3),
      status: 'processing',
    });
    // A deleted product, and one whose inventory item id is above 2^53.
    await s({ type: 'shopify.product.created', json: product(8003, 'Old Hat', '20.00'), at: ago(5) });
    await s({ type: 'shopify.product.deleted', json: '{"id": 8003}', at: ago(4) });
    await s({
      type: 'shopify.product.created',
      json:
        `{"id": 8004, "admin_graphql_api_id": "gid://shopify/Product/8004", "title": "Big Ids", "variants": ` +
        `[{"id": 80041, "inventory_item_id": 271878346596884015}]}`,
      at: ago(6),
    });

    // Orders: 3 shirts (size M) a day for 7 days; one cancelled, one test, one of size L, one too old.
    for (let d = 0; d < 7; d++)
      await s({
        type: 'shopify.order.created',
        json: order(7000 + d, 500 + d, [
          [8001, 80011, 3, 'Linen Shirt'],
          [8002, 80021, 1, 'Canvas Tote'],
        ]),
        at: ago(d + 0.5),
      });
    await s({
      type: 'shopify.order.created',
      json: order(7100, 501, [[8001, 80011, 50, 'Linen Shirt']], ', "cancelled_at": "2026-04-19T00:00:00Z"'),
      at: ago(1),
    });
    await s({
      type: 'shopify.order.created',
      json: order(7101, 501, [[8001, 80011, 40, 'Linen Shirt']], ', "test": true'),
      at: ago(1),
    });
    await s({ type: 'shopify.order.created', json: order(7102, 501, [[8001, 80012, 2, 'Linen Shirt']]), at: ago(2) });
    // Another user's order of the same product id: never counted.
    await s(
      { type: 'shopify.order.created', json: order(7200, 999, [[8001, 80011, 100, 'Linen Shirt']]), at: ago(1) },
      otherUser,
    );

    // Stock of the shirt's inventory item: alerted at 4, restocked to 30 later.
    await s({
      type: 'shopify.inventory.low',
      json: '{"inventory_item_id": 80019, "available": 4}',
      at: ago(2),
      outcome: 'suggested',
    });
    await s({
      type: 'shopify.inventory.updated',
      json: '{"inventory_item_id": 80019, "available": 30}',
      at: ago(1),
      outcome: 'not_low',
    });

    // A weekly meeting seen a week ago, and a column added during the week.
    await s({
      type: 'calendar.event.upcoming',
      json: '{"uid": "weekly@x", "start": "2026-04-14T09:00:00Z"}',
      at: ago(7),
      source: 'calendar',
    });
    await s({
      type: 'supabase.column.added',
      json: '{"schema": "public", "table": "orders", "column": "currency"}',
      at: ago(2),
      source: 'supabase',
    });
  });

  it('finds the version before an update: the last one processed, else the first of the burst', async () => {
    const stored = await productVersionBefore(fx.db, {
      userId,
      subject: 'gid://shopify/Product/8001',
      eventId: updateId,
      receivedAt: ago(0, 2),
    });
    assert.equal(stored?.basis, 'stored');
    assert.match(stored!.version.json, /"59.00"/);
    assert.equal(stored?.updates, 2, 'two updates since the stored version');
    const burst = await productVersionBefore(fx.db, {
      userId,
      subject: 'gid://shopify/Product/8002',
      eventId: burstLast,
      receivedAt: ago(0, 3),
    });
    assert.equal(burst?.basis, 'burst');
    assert.match(burst!.version.json, /"26.00"/);
    assert.equal(burst?.updates, 3, 'three quick edits, the first included');
    assert.equal(
      await productVersionBefore(fx.db, {
        userId: otherUser,
        subject: 'gid://shopify/Product/8001',
        eventId: updateId,
        receivedAt: ago(0),
      }),
      undefined,
    );
  });

  it(
    "counts a variant's sales over the days the stored orders cover, without cancelled, test " + "or others' orders",
    async () => {
      const since = await ordersCoveredSince(fx.db, userId, integrationId);
      assert.equal(since?.toISOString(), ago(7).toISOString(), 'the shop was connected 7 days ago');
      const m = await sales(fx.db, {
        userId,
        productId: '8001',
        variantId: '80011',
        windowDays: 14,
        asOf: new Date(T),
        coveredSince: since,
      });
      assert.deepEqual({ units: m?.units, orders: m?.orders, days: m?.days }, { units: 21, orders: 7, days: 7 });
      const all = await sales(fx.db, {
        userId,
        productId: '8001',
        windowDays: 14,
        asOf: new Date(T),
        coveredSince: since,
      });
      assert.deepEqual({ units: all?.units, orders: all?.orders }, { units: 23, orders: 8 }, 'both sizes');
      const young = await sales(fx.db, {
        userId,
        productId: '8001',
        variantId: '80011',
        windowDays: 14,
        asOf: new Date(T),
        coveredSince: since,
        productCreatedAt: ago(3),
      });
      assert.equal(young?.days, 3, 'a product created 3 days ago is measured over 3 days');
    },
  );

  it("counts a customer's earlier orders and what was bought together", async () => {
    const c = await customerOrders(fx.db, {
      userId,
      customerId: '501',
      before: new Date(T),
      excludeEventId: randomUUID(),
    });
    assert.equal(c.count, 3, 'the first-week order, the cancelled one and the size L one; not the test order');
    const together = await boughtTogether(fx.db, {
      userId,
      productId: '8001',
      before: new Date(T),
      excludeEventId: randomUUID(),
    });
    assert.deepEqual(together[0], { productId: '8002', title: 'Canvas Tote', orders: 7, price: 10 });
  });

  it(
    'lists the catalogue (latest versions, deleted products left out) and resolves inventory items ' +
      'with every digit',
    async () => {
      const titles = (await catalogue(fx.db, userId)).map((v) => JSON.parse(v.json).title);
      assert.ok(
        titles.includes('Linen Shirt') && titles.includes('Canvas Tote') && !titles.includes('Old Hat'),
        titles.join(),
      );
      const big = await productOfInventoryItem(fx.db, userId, '271878346596884015');
      assert.match(big!.json, /Big Ids/);
      assert.equal(
        await productOfInventoryItem(fx.db, userId, '271878346596884016'),
        undefined,
        'one digit off is another item',
      );
      assert.match((await latestProduct(fx.db, userId, '8003'))!.json, /Old Hat/);
    },
  );

  it('knows the last low-stock alert of an item and whether it was restocked since', async () => {
    const before = await lastLowStockAlert(fx.db, {
      userId,
      inventoryItemId: '80019',
      before: ago(1.5),
      threshold: 5,
      excludeIds: [],
    });
    assert.deepEqual(
      { available: before?.available, restocked: before?.restockedSince },
      { available: 4, restocked: false },
    );
    const after = await lastLowStockAlert(fx.db, {
      userId,
      inventoryItemId: '80019',
      before: new Date(T),
      threshold: 5,
      excludeIds: [],
    });
    assert.equal(after?.restockedSince, true);
    assert.equal(
      await lastLowStockAlert(fx.db, {
        userId: otherUser,
        inventoryItemId: '80019',
        before: new Date(T),
        threshold: 5,
        excludeIds: [],
      }),
      undefined,
    );
  });

  it("finds a meeting's previous occurrence and the events of the period", async () => {
    const prev = await previousOccurrence(fx.db, {
      userId,
      uid: 'weekly@x',
      before: new Date('2026-04-21T09:00:00Z'),
      notBefore: ago(31),
    });
    assert.equal(prev?.toISOString(), '2026-04-14T09:00:00.000Z');
    const rows = await periodEvents(fx.db, userId, ago(7), new Date(T));
    // Seven orders and the size L one count; the cancelled one is counted apart; the test one not at all.
    assert.equal(rows.orders.orders, 8);
    assert.equal(rows.orders.cancelled, 1);
    assert.equal(rows.orders.units, 3 * 7 + 7 + 2);
    assert.deepEqual(rows.orders.revenue, [{ currency: 'EUR', amount: 80 }]);
    assert.deepEqual(rows.orders.topProducts[0], { title: 'Linen Shirt', units: 23 });
    const names = await inventoryItemNames(fx.db, userId, ['80019', '271878346596884015', '1']);
    assert.deepEqual(names.get('80019'), { title: 'Linen Shirt', variant: null });
    assert.equal(names.get('271878346596884015')?.title, 'Big Ids');
    assert.equal(names.has('1'), false);
    assert.deepEqual(
      rows.schema.map((r) => r.event_type),
      ['supabase.column.added'],
    );
    assert.equal(rows.lowStock.length, 1);
  });

  it('uses an index for every lookup (EXPLAIN with sequential scans disabled)', async () => {
    const { q, statements } = recording(fx.db);
    const since = await ordersCoveredSince(q, userId, integrationId);
    await productVersionBefore(q, {
      userId,
      subject: 'gid://shopify/Product/8001',
      eventId: updateId,
      receivedAt: ago(0, 2),
    });
    await sales(q, {
      userId,
      productId: '8001',
      variantId: '80011',
      windowDays: 14,
      asOf: new Date(T),
      coveredSince: since,
    });
    await customerOrders(q, { userId, customerId: '501', before: new Date(T), excludeEventId: randomUUID() });
    await boughtTogether(q, { userId, productId: '8001', before: new Date(T), excludeEventId: randomUUID() });
    await catalogue(q, userId);
    await productOfInventoryItem(q, userId, '271878346596884015');
    await latestProduct(q, userId, '8003');
    await lastLowStockAlert(q, { userId, inventoryItemId: '80019', before: new Date(T), threshold: 5, excludeIds: [] });
    await previousOccurrence(q, { userId, uid: 'weekly@x', before: new Date(T), notBefore: ago(31) });
    await periodEvents(q, userId, ago(7), new Date(T));
    await inventoryItemNames(q, userId, ['80019', '271878346596884015']);
    assert.ok(statements.length >= 12);
    for (const { sql, params } of statements) {
      const plan = await fx.db.transaction(async (tx) => {
        // With sequential scans priced out, a plan still scanning background_events has no index to use.
        await tx.query('set local enable_seqscan = off');
        const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`explain ${sql}`, params);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      });
      assert.doesNotMatch(plan, /Seq Scan on background_events/, `no index for:\n${sql}\n${plan}`);
      assert.match(plan, /Index|Bitmap/, plan);
    }
  });
});
