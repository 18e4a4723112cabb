import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { pushPayload } from '../../src/notify/channels/push.js';
import type { TestApp } from '../helpers/app.js';
import { CHROMIUM_MISSING, launchChromium, startDashboardApp } from './support.js';

/**
 * Browser push in Chromium: the dashboard registers its service worker at the root scope; a push
 * message delivered to that worker through the DevTools protocol (as a push service would deliver
 * it, with the payload the server's push channel builds) is shown as a notification and announced
 * to the open page; the Subscribe button either subscribes or says clearly why it cannot.
 */

interface WorkerRegistration {
  registrationId: string;
  scopeURL: string;
  isDeleted: boolean;
}

describe('browser push in the dashboard', { skip: CHROMIUM_MISSING }, () => {
  let db: Database;
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let user: { id: string; apiKey: string };
  const registrations = new Map<string, WorkerRegistration>();
  const problems: string[] = [];

  before(async () => {
    db = await openPglite();
    await migrate(db);
    app = await startDashboardApp(db, { LOOKOUT_ALLOW_PRIVATE_URLS: 'true' });
    user = await app.createUser('owner@cozymugs.example');
    await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { profile: { brand: 'Cozy Mugs' } } });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(['notifications'], { origin: app.url });
    await context.addInitScript((key) => sessionStorage.setItem('lookout.apiKey', key), user.apiKey);
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    cdp = await context.newCDPSession(page);
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: WorkerRegistration[] }) => {
      for (const r of e.registrations) registrations.set(r.registrationId, r);
    });
    await cdp.send('ServiceWorker.enable');
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  test('the service worker is served from the root and registers with the whole dashboard as scope', async () => {
    const res = await app.call('GET', '/sw.js');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(res.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    await page.goto(`${app.url}/#preferences`);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${app.url}/`);
  });

  test('a push message reaches the worker: a notification is shown and the page is told', async () => {
    const received = page.evaluate(
      () =>
        new Promise<{ type: string; title: string; suggestionId: string }>((resolve) =>
          navigator.serviceWorker.addEventListener('message', (ev) => resolve(ev.data)),
        ),
    );
    const registration = [...registrations.values()].find((r) => r.scopeURL === `${app.url}/` && !r.isDeleted);
    assert.ok(registration, 'the DevTools protocol sees the registration');
    const suggestionId = '3f1c2a8e-5b7d-4c11-9e0a-2d6f8b9c0a11';
    // The payload exactly as the server's push channel builds it.
    const data = pushPayload({
      deliveryId: 'a1b2c3d4-0000-4000-8000-000000000001',
      userId: user.id,
      suggestionId,
      eventId: 'e1b2c3d4-0000-4000-8000-000000000001',
      eventType: 'shopify.inventory.low',
      title: 'Restock the Cozy Mug',
      body: 'Only 3 left: reorder 40 units before Friday.',
      createdAt: new Date(),
      links: { open: `${app.url}/?suggestion=${suggestionId}`, accept: '', dismiss: '' },
    });
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: app.url,
      registrationId: registration.registrationId,
      data,
    });
    assert.deepEqual(await received, { type: 'lookout.push', title: 'Restock the Cozy Mug', suggestionId });
    const shown = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      return (await reg.getNotifications()).map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data }));
    });
    assert.deepEqual(shown, [
      {
        title: 'Restock the Cozy Mug',
        body: 'Only 3 left: reorder 40 units before Friday.',
        tag: `suggestion-${suggestionId}`,
        data: {
          url: `${app.url}/?suggestion=${suggestionId}`,
          suggestionId,
          deliveryId: 'a1b2c3d4-0000-4000-8000-000000000001',
        },
      },
    ]);
  });

  test('a push whose link points elsewhere opens the dashboard instead', async () => {
    const registration = [...registrations.values()].find((r) => r.scopeURL === `${app.url}/` && !r.isDeleted)!;
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: app.url,
      registrationId: registration.registrationId,
      data: JSON.stringify({ title: 'Phish', body: 'x', url: 'https://evil.example/', suggestionId: 'other' }),
    });
    const url = await page.waitForFunction(async () => {
      const reg = await navigator.serviceWorker.ready;
      const n = (await reg.getNotifications()).find((x) => x.title === 'Phish');
      return n?.data.url;
    });
    assert.equal(await url.jsonValue(), app.url);
  });

  test('Subscribe this browser: subscribes and saves, or says clearly why it cannot', async (t) => {
    await page.goto(`${app.url}/#preferences`);
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('#p-brand')?.value === 'Cozy Mugs');
    const block = page.locator('#p-channels [data-kind="push"]');
    await block.getByLabel('Browser push', { exact: true }).check();
    // The channel's field label ("This browser") names the button; its text says what it does.
    await block.getByRole('button', { name: /This browser/ }).click();
    assert.equal(await block.locator('#p-ch-push-subscription').innerText(), 'Subscribe this browser');
    const status = block.locator('[role="status"]');
    await status.filter({ hasText: /subscribed|Could not/ }).waitFor();
    const text = await status.innerText();
    t.diagnostic(`status after Subscribe: ${text}`);
    const saved = (await app.call('GET', '/api/preferences', { key: user.apiKey })).body.channels.push;
    if (/Could not/.test(text)) {
      // Headless Chromium has no push service to register with: the error is shown, nothing saved.
      assert.match(text, /^Could not change push notifications: This browser could not subscribe to push \(.+\)\.$/);
      assert.equal(saved, undefined);
    } else {
      assert.equal(text, 'This browser is subscribed.');
      assert.deepEqual(saved, { subscribed: true });
      await block.getByRole('button', { name: 'Unsubscribe' }).click();
      await status.filter({ hasText: 'Not subscribed.' }).waitFor();
      assert.equal((await app.call('GET', '/api/preferences', { key: user.apiKey })).body.channels.push, undefined);
    }
    assert.deepEqual(problems, []);
  });
});
