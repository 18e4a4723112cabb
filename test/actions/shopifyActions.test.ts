/**
 * Actions on accept against the fake Admin API: a product's copy and a discount applied once,
 * recorded, undone; refused without the scope (stored grant, and Shopify's ACCESS_DENIED);
 * failing with Shopify's userErrors; a replayed or concurrent accept applies nothing twice; a
 * user acts only on their own suggestions.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { connect, PRODUCT_CREATED, PRODUCT_ID, storeSuggestion } from './support.js';

const SHOP = 'demo-shop.myshopify.com';
const OLD_DESCRIPTION = '<p>The old words.</p>';

describeEachEngine('Shopify actions on accept', (fx) => {
  let app: TestApp;
  let fake: FakeShopifyAdmin;
  let user: { id: string; apiKey: string };
  let integrationId: string;

  before(async () => {
    fake = await FakeShopifyAdmin.start({ shopDomain: SHOP });
    app = await startTestApp(fx.db, { SHOPIFY_ADMIN_API_URL: fake.url }, { role: 'web' });
    user = await app.createUser();
    integrationId = await connect(app, user.id, { kind: 'shopify', shopDomain: SHOP, accessToken: fake.accessToken });
  });
  after(async () => {
    await app?.close();
    await fake?.close();
  });

  const resetProduct = () =>
    fake.addProduct({
      id: PRODUCT_ID,
      title: 'Example T-Shirt',
      handle: 'example-t-shirt',
      tags: ['example', 'mens', 't-shirt'],
      descriptionHtml: OLD_DESCRIPTION,
      seo: { title: null, description: null },
    });
  const newSuggestion = (u = user, integration = integrationId) =>
    storeSuggestion(fx.db, {
      userId: u.id,
      integrationId: integration,
      eventType: 'shopify.product.created',
      source: 'shopify',
      payload: PRODUCT_CREATED,
      brand: 'Lookout Tees',
    });
  const setActions = async (key: string, actions: Record<string, boolean>) => {
    const r = await app.call('PUT', '/api/preferences', { key, body: { actions } });
    assert.equal(r.status, 200, r.text);
    return r.body;
  };
  const accept = (id: string, body: unknown, key = user.apiKey) =>
    app.call('POST', `/api/suggestions/${id}/accept`, { key, body });

  test('generation stores the parts an action applies, beside unchanged text', async () => {
    const s = await newSuggestion();
    const apply = s.content.apply as { shopify: Record<string, unknown> };
    assert.equal(apply.shopify.productId, PRODUCT_ID);
    assert.match((apply.shopify.description as { html: string }).html, /^<p>.+<\/p>$/s);
    assert.deepEqual(apply.shopify.tags, ['example', 'mens', 't-shirt', 'Shirts', 'Acme', 'Lookout Tees']);
    // 24.99 -> 19.99 is the 20% the copy states.
    assert.deepEqual(apply.shopify.discount, {
      code: 'EXAMPLETSHIRT20',
      title: 'Example T-Shirt: 20% off',
      percentage: 0.2,
    });
    assert.ok(!s.body.includes('EXAMPLETSHIRT20'), 'the rendered text does not change');
    assert.ok(s.body.includes(String(s.content.copy)), 'the copy applied is the copy shown');
  });

  test('preferences default every action off, validate the switches, and accept alone still works', async () => {
    const prefs = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.deepEqual(prefs.body.actions, {
      shopifyProductCopy: false,
      shopifyDiscount: false,
      supabaseComments: false,
    });
    const bad = await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { actions: { deleteAll: true } } });
    assert.equal(bad.status, 400);
    resetProduct();
    const s = await newSuggestion();
    const plain = await app.call('POST', `/api/suggestions/${s.id}/accept`, { key: user.apiKey });
    assert.equal(plain.status, 200, plain.text);
    assert.equal(plain.body.status, 'accepted');
    assert.equal(plain.body.actions, undefined);
    const off = await accept(s.id, { apply: true });
    assert.equal(off.status, 200);
    assert.deepEqual(
      off.body.actions.map((a: { part: string; status: string }) => [a.part, a.status]),
      [
        ['description', 'skipped'],
        ['seo', 'skipped'],
        ['tags', 'skipped'],
        ['discount', 'skipped'],
      ],
    );
    assert.match(off.body.actions[0].error, /actions\.shopifyProductCopy/);
    assert.equal(fake.mutations().length, 0, 'nothing reached the store');
  });

  test('proposals show old -> new; each part applied once; a replay applies nothing again; undo restores', async () => {
    resetProduct();
    await setActions(user.apiKey, { shopifyProductCopy: true, shopifyDiscount: true });
    const s = await newSuggestion();
    const proposals = await app.call('GET', `/api/suggestions/${s.id}/actions`, { key: user.apiKey });
    assert.equal(proposals.status, 200, proposals.text);
    const description = proposals.body.items.find((a: { part: string }) => a.part === 'description');
    assert.deepEqual(description.old, { descriptionHtml: OLD_DESCRIPTION });
    assert.equal(
      description.new.descriptionHtml,
      (s.content.apply as { shopify: { description: { html: string } } }).shopify.description.html,
    );
    assert.equal(description.enabled, true);
    const before = fake.mutations().length;

    const body = { apply: true, parts: ['description', 'seo', 'tags', 'discount'] };
    const first = await accept(s.id, body);
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(
      first.body.actions.map((a: { part: string; status: string }) => [a.part, a.status]),
      body.parts.map((p) => [p, 'applied']),
    );
    const product = fake.products.get(PRODUCT_ID)!;
    assert.notEqual(product.descriptionHtml, OLD_DESCRIPTION);
    assert.ok(product.seo?.title?.includes('Example T-Shirt'));
    assert.ok(product.tags.includes('Lookout Tees'));
    const discounts = [...fake.discounts.values()].filter((d) => d.code === 'EXAMPLETSHIRT20');
    assert.equal(discounts.length, 1);
    assert.deepEqual(discounts[0]!.productIds, [PRODUCT_ID]);
    assert.equal(discounts[0]!.percentage, 0.2);
    assert.equal(fake.mutations().length - before, 4, 'one mutation per part');

    const replay = await accept(s.id, body);
    assert.equal(replay.status, 200);
    assert.ok(
      replay.body.actions.every((a: { status: string; recorded?: boolean }) => a.status === 'applied' && a.recorded),
    );
    assert.equal(fake.mutations().length - before, 4, 'the replay called nothing');

    const recorded = await app.call('GET', `/api/suggestions/${s.id}/actions`, { key: user.apiKey });
    const tags = recorded.body.items.find((a: { part: string }) => a.part === 'tags');
    assert.equal(tags.status, 'applied');
    assert.deepEqual(tags.old, { tags: ['example', 'mens', 't-shirt'] }, 'the previous value is kept');

    // A later edit in Shopify is not overwritten: that part's undo is refused, the others go through.
    const applied = [...product.tags];
    product.tags = [...applied, 'edited-in-admin'];
    const partial = await app.call('POST', `/api/suggestions/${s.id}/undo`, {
      key: user.apiKey,
      body: { parts: ['tags'] },
    });
    assert.equal(partial.body.items[0].status, 'applied');
    assert.match(partial.body.items[0].error, /undo failed: the product's tags changed since it was applied/);
    assert.ok(product.tags.includes('edited-in-admin'));
    product.tags = applied;

    const undo = await app.call('POST', `/api/suggestions/${s.id}/undo`, { key: user.apiKey });
    assert.equal(undo.status, 200, undo.text);
    assert.ok(
      undo.body.items.every((a: { status: string }) => a.status === 'undone'),
      undo.text,
    );
    assert.equal(product.descriptionHtml, OLD_DESCRIPTION);
    assert.deepEqual(product.tags, ['example', 'mens', 't-shirt']);
    assert.deepEqual(product.seo, { title: null, description: null });
    assert.equal([...fake.discounts.values()].filter((d) => d.code === 'EXAMPLETSHIRT20').length, 0);
    const undoAgain = await app.call('POST', `/api/suggestions/${s.id}/undo`, { key: user.apiKey, body: {} });
    assert.ok(
      undoAgain.body.items.every((a: { status: string; recorded?: boolean }) => a.status === 'undone' && a.recorded),
    );
    const afterUndo = fake.mutations().length;
    const reapply = await accept(s.id, body);
    assert.ok(
      reapply.body.actions.every((a: { status: string }) => a.status === 'undone'),
      'undone stays undone',
    );
    assert.equal(fake.mutations().length, afterUndo);
  });

  test('concurrent accepts of the same part create one discount', async () => {
    resetProduct();
    for (const d of fake.discounts.values()) fake.discounts.delete(d.id);
    const s = await newSuggestion();
    const before = fake.operations().filter((o) => o === 'LookoutActionDiscountCreate').length;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => accept(s.id, { apply: true, parts: ['discount'] })),
    );
    for (const a of answers) assert.equal(a.status, 200, a.text);
    const creates = fake.operations().filter((o) => o === 'LookoutActionDiscountCreate').length - before;
    assert.equal(creates, 1);
    assert.equal([...fake.discounts.values()].filter((d) => d.code === 'EXAMPLETSHIRT20').length, 1);
    const ran = answers.flatMap((a) => a.body.actions).filter((a: { recorded?: boolean }) => !a.recorded);
    assert.equal(ran.length, 1);
    assert.equal(ran[0].status, 'applied');
    const rows = await fx.db.query('select * from suggestion_actions where suggestion_id = $1', [s.id]);
    assert.equal(rows.rows.length, 1);
  });

  test("a failure shows Shopify's message; a failed part can be tried again and applies once", async () => {
    resetProduct();
    for (const d of fake.discounts.values()) fake.discounts.delete(d.id);
    const taken = fake.discounts.size;
    fake.discounts.set('1', {
      id: '1',
      title: 'someone else',
      code: 'EXAMPLETSHIRT20',
      startsAt: '2026-01-01T00:00:00Z',
      percentage: 0.1,
      productIds: [],
      appliesOncePerCustomer: false,
    });
    const s = await newSuggestion();
    const failed = await accept(s.id, { apply: true, parts: ['discount'] });
    assert.equal(failed.body.actions[0].status, 'failed');
    assert.match(failed.body.actions[0].error, /Code must be unique\. Please try a different code\./);
    const shown = await app.call('GET', `/api/suggestions/${s.id}/actions`, { key: user.apiKey });
    assert.match(shown.body.items.find((a: { part: string }) => a.part === 'discount').error, /Code must be unique/);
    fake.discounts.delete('1');
    const retried = await accept(s.id, { apply: true, parts: ['discount'] });
    assert.equal(retried.body.actions[0].status, 'applied');
    assert.equal(fake.discounts.size, taken + 1);
    // Shopify down (503 on both attempts of the read): failed with what happened, applied when tried again.
    const outage = await newSuggestion();
    fake.failNext(503, { times: 2 });
    const down = await accept(outage.id, { apply: true, parts: ['tags'] });
    assert.equal(down.body.actions[0].status, 'failed');
    assert.match(down.body.actions[0].error, /Shopify: HTTP 503/);
    const back = await accept(outage.id, { apply: true, parts: ['tags'] });
    assert.equal(back.body.actions[0].status, 'applied', back.text);
    const missing = await newSuggestion();
    fake.products.delete(PRODUCT_ID);
    const gone = await accept(missing.id, { apply: true, parts: ['tags'] });
    assert.equal(gone.body.actions[0].status, 'failed');
    assert.match(gone.body.actions[0].error, /Shopify: .*no longer exists|Product does not exist/);
  });

  test('refused without the scope: from the stored grant before any call, and from ACCESS_DENIED', async () => {
    resetProduct();
    const limited = await app.createUser();
    await setActions(limited.apiKey, { shopifyProductCopy: true, shopifyDiscount: true });
    // The grant the install recorded lacks write_products: refused before Shopify is asked.
    const recordedGrant = await connect(app, limited.id, {
      kind: 'shopify',
      shopDomain: SHOP,
      accessToken: fake.accessToken,
      scopes: ['read_products', 'write_discounts'],
    });
    const s1 = await newSuggestion(limited, recordedGrant);
    const calls = fake.requests.length;
    const refused = await accept(s1.id, { apply: true, parts: ['description'] }, limited.apiKey);
    assert.equal(refused.body.actions[0].status, 'failed');
    assert.match(refused.body.actions[0].error, /write_products/);
    assert.equal(fake.requests.length, calls, 'no request reached Shopify');

    // No recorded grant: Shopify itself answers ACCESS_DENIED, and the scope is named.
    fake.addToken('shpat_limited_token', SHOP);
    fake.setScopes('shpat_limited_token', ['read_products']);
    const unknownGrant = await connect(app, limited.id, {
      kind: 'shopify',
      shopDomain: SHOP,
      accessToken: 'shpat_limited_token',
    });
    const s2 = await newSuggestion(limited, unknownGrant);
    const denied = await accept(s2.id, { apply: true, parts: ['tags', 'discount'] }, limited.apiKey);
    const byPart = Object.fromEntries(
      denied.body.actions.map((a: { part: string; error: string; status: string }) => [a.part, a]),
    );
    assert.equal(byPart.tags.status, 'failed');
    assert.match(byPart.tags.error, /write_products/);
    assert.match(byPart.tags.error, /Access denied for productUpdate field/);
    assert.equal(byPart.discount.status, 'failed');
    assert.match(byPart.discount.error, /write_discounts/);
    assert.deepEqual(fake.products.get(PRODUCT_ID)!.tags, ['example', 'mens', 't-shirt'], 'nothing changed');
  });

  test("another user's suggestion is a 404 for proposals, accept-with-apply and undo; bad bodies are 400", async () => {
    resetProduct();
    const s = await newSuggestion();
    const other = await app.createUser();
    await setActions(other.apiKey, { shopifyProductCopy: true, shopifyDiscount: true });
    const calls = fake.requests.length;
    for (const [method, path, body] of [
      ['GET', `/api/suggestions/${s.id}/actions`, undefined],
      ['POST', `/api/suggestions/${s.id}/accept`, { apply: true }],
      ['POST', `/api/suggestions/${s.id}/undo`, {}],
      ['GET', '/api/suggestions/not-a-uuid/actions', undefined],
    ] as const) {
      const r = await app.call(method, path, { key: other.apiKey, body });
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
    }
    assert.equal(fake.requests.length, calls);
    const unauth = await app.call('POST', `/api/suggestions/${s.id}/undo`, {});
    assert.equal(unauth.status, 401);
    for (const body of [
      { apply: 'yes' },
      { apply: true, parts: ['drop table'] },
      { apply: true, parts: [] },
      { x: 1 },
    ]) {
      const r = await accept(s.id, body);
      assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.text}`);
    }
    const rows = await fx.db.query('select 1 from suggestion_actions where suggestion_id = $1', [s.id]);
    assert.equal(rows.rows.length, 0);
  });
});
