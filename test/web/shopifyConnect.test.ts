import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { saveInstalledShop } from '../../src/ingest/shopifyConnect.js';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import type { TestApp } from '../helpers/app.js';
import { CHROMIUM_MISSING, launchChromium, startDashboardApp } from './support.js';

/** Connect Shopify and the subscriptions of an installed shop, driven in chromium (PGlite). */
describe('dashboard: Connect Shopify', { skip: CHROMIUM_MISSING }, () => {
  let db: Database;
  let app: TestApp;
  let fake: FakeShopifyAdmin;
  let browser: Browser;
  let user: { id: string; apiKey: string };
  const SHOP = 'browser-shop.myshopify.com';

  before(async () => {
    db = await openPglite();
    await migrate(db);
    fake = await FakeShopifyAdmin.start({ shopDomain: SHOP });
    app = await startDashboardApp(db, {
      SHOPIFY_API_KEY: 'test-api-key',
      LOOKOUT_PUBLIC_URL: 'https://lookout.example.com',
      SHOPIFY_ADMIN_API_URL: fake.url,
    });
    user = await app.createUser();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await fake?.close();
    await db?.close();
  });

  const signIn = async (p: Page) => {
    await p.goto(app.url);
    await p.getByLabel('API key').fill(user.apiKey);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.goto(`${app.url}/#integrations`);
    await p.getByRole('heading', { name: 'Integrations', level: 1 }).waitFor();
  };

  test('Connect Shopify sends the browser to the shop’s authorize page', async () => {
    const page = await browser.newPage();
    try {
      // Shopify cannot be reached from here: the authorize page is answered locally.
      let authorize: URL | undefined;
      await page.route('https://*.myshopify.com/**', async (route) => {
        authorize = new URL(route.request().url());
        await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>Approve Lookout</h1>' });
      });
      await signIn(page);
      await page.getByLabel('Shop domain').first().fill('nope.example.com');
      await page.getByRole('button', { name: 'Connect Shopify' }).click();
      await page.getByText('a *.myshopify.com domain').waitFor();

      await page.getByLabel('Shop domain').first().fill(SHOP);
      await page.getByRole('button', { name: 'Connect Shopify' }).click();
      await page.getByRole('heading', { name: 'Approve Lookout' }).waitFor();
      assert.equal(authorize?.host, SHOP);
      assert.equal(authorize?.pathname, '/admin/oauth/authorize');
      assert.equal(authorize?.searchParams.get('redirect_uri'), 'https://lookout.example.com/auth/shopify/callback');
    } finally {
      await page.close();
    }
  });

  test('an installed shop shows its subscriptions, the features a reduced grant turns off, and Repair', async () => {
    const row = await saveInstalledShop(db, app.lookout.ctx.secrets, {
      userId: user.id,
      shopDomain: SHOP,
      accessToken: fake.accessToken,
      scopes: ['read_products', 'read_inventory'],
    });
    const synced = await app.call('POST', `/api/integrations/${row.id}/webhooks/sync`, { key: user.apiKey });
    assert.equal(synced.status, 200, synced.text);
    const drifted = fake.subscriptionsOf(SHOP).find((w) => w.topic === 'PRODUCTS_UPDATE');
    assert.ok(drifted);
    drifted.uri = 'https://old-tunnel.example.net/webhooks/shopify';

    const page = await browser.newPage();
    try {
      await signIn(page);
      const card = page.locator(`#int-${row.id}`);
      await card.getByText('Off: new-order events').waitFor();
      await card.getByText('the shop did not grant read_orders').first().waitFor();
      assert.match((await card.locator('[data-topic="orders/create"]').textContent()) ?? '', /off/);
      assert.match((await card.locator('[data-topic="products/update"]').textContent()) ?? '', /subscribed/);

      await card.getByRole('button', { name: 'Repair subscriptions' }).click();
      await page.locator(`#int-${row.id} [data-topic="products/update"]`).getByText('address repaired').waitFor();
      assert.equal(drifted.uri, 'https://lookout.example.com/webhooks/shopify');
    } finally {
      await page.close();
    }
  });
});
