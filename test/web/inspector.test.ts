import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { type HttpReceiver, startHttpReceiver } from '../fakes/receivers.js';
import type { TestApp } from '../helpers/app.js';
import { ROOT } from '../helpers/processes.js';
import { shopifyHeaders } from '../helpers/shopify.js';
import { waitFor } from '../helpers/wait.js';
import { CHROMIUM_MISSING, launchChromium, startDashboardApp } from './support.js';

/**
 * The event inspector in Debian's chromium: opened from a suggestion card and from the activity
 * list, it shows the event's processing, payload, suggestion, agent runs and deliveries; Regenerate
 * rewrites the suggestion with the preferences of now and the feed follows. One engine (PGlite):
 * the API underneath is tested on both. UPDATE_SCREENSHOTS=1 writes docs/screenshots/inspector.png.
 */

const SECRET = 'test-shopify-secret';
const SHOP = 'inspect-mugs.myshopify.com';
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === '1'
    ? join(ROOT, 'docs/screenshots')
    : mkdtempSync(join(tmpdir(), 'lookout-shots-'));

describe('event inspector in a browser', { skip: CHROMIUM_MISSING }, () => {
  let db: Database;
  let app: TestApp;
  let hook: HttpReceiver;
  let browser: Browser;
  let page: Page;
  let user: { id: string; apiKey: string };
  const problems: string[] = [];

  before(async () => {
    db = await openPglite();
    await migrate(db);
    hook = await startHttpReceiver();
    app = await startDashboardApp(db, { LOOKOUT_ALLOW_PRIVATE_URLS: 'true' });
    user = await app.createUser('owner@inspect.example');
    await app.connectShop(user, SHOP);
    const prefs = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: {
        profile: { brand: 'Inspect Mugs' },
        vibe: { tone: 'friendly', emoji: 'none' },
        flow: { batchWindowSeconds: 0, debounceSeconds: 0 },
        channels: { webhook: { url: `${hook.url}/lookout` } },
      },
    });
    assert.equal(prefs.status, 200, prefs.text);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    await context.addInitScript(() => sessionStorage.setItem('lookout.pollMs', '300'));
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await hook?.close();
    await db?.close();
  });

  test('Details opens the inspector; Regenerate rewrites the suggestion with the current preferences', async () => {
    const body = Buffer.from(
      '{"id": 9007199254740993, "admin_graphql_api_id": "gid://shopify/Product/9007199254740993", ' +
        '"title": "Lighthouse Mug", "product_type": "Mugs", "vendor": "Inspect Mugs"}',
    );
    const sent = await app.call('POST', '/webhooks/shopify', {
      raw: body,
      headers: shopifyHeaders('products/create', SHOP, body, SECRET),
    });
    assert.equal(sent.status, 200, sent.text);
    const suggestion = await waitFor(async () => {
      const r = await app.call('GET', '/api/suggestions?limit=5', { key: user.apiKey });
      return r.body.items[0] as { id: string; eventId: string; title: string; body: string } | undefined;
    }, 'the suggestion');
    await hook.waitFor(1, 15_000);

    await page.goto(app.url);
    await page.getByLabel('API key').fill(user.apiKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const card = page.locator(`#s-${suggestion.id}`);
    await card.waitFor();
    assert.equal(await page.locator('#view-signin').isVisible(), false, 'the sign-in card is gone once signed in');

    await card.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog.locator('#insp-facts [data-status="processed"]').waitFor();
    assert.equal(await dialog.locator('#inspector-title').innerText(), 'Product created');
    // The payload as stored, every digit of an id above 2^53.
    assert.match(await dialog.locator('#insp-payload-text').innerText(), /9007199254740993/);
    assert.equal(await dialog.locator('#insp-suggestion-title').innerText(), suggestion.title);
    assert.match(await dialog.locator('#insp-relation').innerText(), /Written for this event/);
    assert.equal(await dialog.locator('#insp-runs li').count(), 1);
    await dialog.locator('#insp-delivery-table tr[data-channel="webhook"][data-status="delivered"]').waitFor();
    await page.screenshot({ path: join(SHOTS, 'inspector.png') });

    // The user changes their vibe elsewhere; Regenerate writes the suggestion again with it.
    const changed = await app.call('PUT', '/api/preferences', {
      key: user.apiKey,
      body: { vibe: { tone: 'bold', emoji: 'lots', length: 'short' } },
    });
    assert.equal(changed.status, 200, changed.text);
    await dialog.getByRole('button', { name: 'Regenerate with my current preferences' }).click();
    await dialog.locator('#insp-runs li').nth(1).waitFor();
    assert.equal(await dialog.locator('#insp-runs li[data-current="true"]').count(), 1);
    const after = (await app.call('GET', `/api/suggestions/${suggestion.id}`, { key: user.apiKey })).body as {
      title: string;
      body: string;
    };
    assert.notEqual(after.body, suggestion.body);
    assert.equal(await dialog.locator('#insp-suggestion-title').innerText(), after.title);
    // Still one suggestion for the event, and no second notification.
    const all = await app.call('GET', '/api/suggestions?limit=50', { key: user.apiKey });
    assert.equal(all.body.items.filter((s: { eventId: string }) => s.eventId === suggestion.eventId).length, 1);
    assert.equal(hook.requests.length, 1);

    // Escape closes it; the card in the feed shows the new text.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await waitFor(async () => (await card.locator('.card-title').innerText()) === after.title, 'the card updated');
  });

  test('Details in the live activity list inspects that event', async () => {
    const item = page.locator('#event-list li[data-type="shopify.product.created"]').first();
    await item.getByRole('button', { name: 'Details' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#insp-facts').waitFor();
    assert.match(await dialog.locator('#insp-facts').innerText(), /Attempts\s+1/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('at 375 px wide the inspector fits without sideways scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      const card = page.locator('#suggestion-list .card').first();
      await card.getByRole('button', { name: 'Details' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.locator('#insp-delivery-table').waitFor();
      const widths = await page.evaluate(() => {
        const d = document.getElementById('inspector')!;
        return { page: document.documentElement.scrollWidth, dialog: d.scrollWidth, dialogClient: d.clientWidth };
      });
      assert.ok(widths.page <= 375, `page ${widths.page} px wide`);
      assert.ok(
        widths.dialog <= widths.dialogClient,
        `dialog content ${widths.dialog} px in ${widths.dialogClient} px`,
      );
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  test('no console errors or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});
