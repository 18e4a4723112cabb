/**
 * Actions on accept in the dashboard, driven in chromium against the fake Admin API: accepting a
 * product suggestion shows each change (now -> after) before anything is applied, the user picks
 * the parts, the outcome lists applied and failed parts (with Shopify's message), and Undo puts
 * the product back.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { connect, PRODUCT_CREATED, PRODUCT_ID, storeSuggestion } from '../actions/support.js';
import { FakeShopifyAdmin } from '../fakes/shopifyAdmin.js';
import type { TestApp } from '../helpers/app.js';
import { ROOT } from '../helpers/processes.js';
import { CHROMIUM_MISSING, launchChromium, startDashboardApp } from './support.js';

const SHOP = 'demo-shop.myshopify.com';
const OLD_DESCRIPTION = '<p>Plain old shirt.</p>';
/** UPDATE_SCREENSHOTS=1 writes the README's picture of the dialog. */
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs/screenshots')
    : mkdtempSync(join(tmpdir(), 'lookout-shots-'));

describe('actions on accept in the dashboard', { skip: CHROMIUM_MISSING }, () => {
  let db: Database;
  let app: TestApp;
  let fake: FakeShopifyAdmin;
  let browser: Browser;
  let page: Page;
  let user: { id: string; apiKey: string };
  const problems: string[] = [];

  before(async () => {
    db = await openPglite();
    await migrate(db);
    fake = await FakeShopifyAdmin.start({ shopDomain: SHOP });
    fake.addProduct({
      id: PRODUCT_ID,
      title: 'Example T-Shirt',
      handle: 'example-t-shirt',
      tags: ['example', 'mens', 't-shirt'],
      descriptionHtml: OLD_DESCRIPTION,
    });
    // A discount with the code the suggestion proposes already exists: that part fails, visibly.
    fake.discounts.set('1', {
      id: '1',
      title: 'earlier promotion',
      code: 'EXAMPLETSHIRT20',
      startsAt: '2026-01-01T00:00:00Z',
      percentage: 0.1,
      productIds: [],
      appliesOncePerCustomer: false,
    });
    app = await startDashboardApp(db, { SHOPIFY_ADMIN_API_URL: fake.url });
    user = await app.createUser('owner@example.com');
    const integrationId = await connect(app, user.id, {
      kind: 'shopify',
      shopDomain: SHOP,
      accessToken: fake.accessToken,
    });
    await storeSuggestion(db, {
      userId: user.id,
      integrationId,
      eventType: 'shopify.product.created',
      source: 'shopify',
      payload: PRODUCT_CREATED,
    });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await fake?.close();
    await db?.close();
  });

  test('accept shows the changes, applies the chosen parts, reports a failure, and undoes', async () => {
    await page.goto(app.url);
    await page.getByLabel('API key').fill(user.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Actions are off until the user turns them on in preferences.
    await page.getByRole('link', { name: 'Preferences' }).click();
    assert.equal(await page.getByLabel(/description, SEO and tags/).isChecked(), false);
    await page.getByLabel(/description, SEO and tags/).check();
    await page.getByLabel(/discount code a suggestion promises/).check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.locator('#preferences-status').filter({ hasText: 'Saved' }).waitFor();
    const saved = await app.call('GET', '/api/preferences', { key: user.apiKey });
    assert.deepEqual(saved.body.actions, { shopifyProductCopy: true, shopifyDiscount: true, supabaseComments: false });
    await page.getByRole('link', { name: 'Feed' }).click();
    const card = page.locator('article.suggestion').first();
    await card.getByRole('button', { name: 'Accept' }).click();

    const dialog = page.locator('#actions-dialog');
    await dialog.waitFor({ state: 'visible' });
    const description = dialog.locator('li.action-part[data-part="description"]');
    assert.equal(await description.locator('pre.old').textContent(), OLD_DESCRIPTION);
    assert.match((await description.locator('pre.new').textContent()) ?? '', /^<p>.+<\/p>$/s);
    assert.equal(fake.mutations().length, 0, 'nothing is applied before the user confirms');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'actions.png') });

    // The user leaves the SEO part out.
    await dialog.getByLabel(/SEO title and description/).uncheck();
    await dialog.getByRole('button', { name: 'Accept and apply' }).click();
    await dialog.locator('li.action-result').first().waitFor();
    const status = async (part: string) =>
      dialog.locator(`li.action-result[data-part="${part}"]`).getAttribute('data-status');
    assert.equal(await status('description'), 'applied');
    assert.equal(await status('tags'), 'applied');
    assert.equal(await status('discount'), 'failed');
    assert.match(
      (await dialog.locator('li.action-result[data-part="discount"]').textContent()) ?? '',
      /Code must be unique/,
    );
    assert.equal(await dialog.locator('li.action-result[data-part="seo"]').count(), 0);
    const product = fake.products.get(PRODUCT_ID)!;
    assert.notEqual(product.descriptionHtml, OLD_DESCRIPTION);
    assert.equal(product.seo, undefined, 'the part left out was not applied');

    await dialog.getByRole('button', { name: 'Undo' }).click();
    await dialog.locator('li.action-result[data-status="undone"]').first().waitFor();
    assert.equal(await status('description'), 'undone');
    assert.equal(product.descriptionHtml, OLD_DESCRIPTION);
    assert.deepEqual(product.tags, ['example', 'mens', 't-shirt']);
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The accepted card offers the record of what was done.
    await page.locator('[data-filter="all"]').click();
    await page.locator('article.suggestion').first().getByRole('button', { name: 'Changes' }).click();
    await dialog.locator('li.action-result[data-part="discount"][data-status="failed"]').waitFor();
    assert.deepEqual(problems, []);
  });
});
