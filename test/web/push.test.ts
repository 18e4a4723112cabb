import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { pushPayload } from '../../src/notify/channels/push.js';
import { enqueueNotifications } from '../../src/notify/deliveries.js';
import { type FakePushService, startFakePushService } from '../fakes/pushService.js';
import type { TestApp } from '../helpers/app.js';
import { CHROMIUM_MISSING, insertSuggestion, launchChromium, startDashboardApp } from './support.js';

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

/** The worker's notification with this tag, once it is shown. */
async function notification(page: Page, tag: string): Promise<{ title: string; url: string }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const title = await page.evaluate(async (t) => {
      const reg = await navigator.serviceWorker.ready;
      const n = (await reg.getNotifications({ tag: t }))[0];
      return n ? { title: n.title, url: n.data?.url as string } : undefined;
    }, tag);
    if (title !== undefined) return title;
    if (Date.now() > deadline) throw new Error(`no notification tagged ${tag}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('browser push in the dashboard', { skip: CHROMIUM_MISSING }, () => {
  let db: Database;
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let user: { id: string; apiKey: string };
  let push: FakePushService;
  const registrations = new Map<string, WorkerRegistration>();
  const problems: string[] = [];

  before(async () => {
    db = await openPglite();
    await migrate(db);
    push = await startFakePushService();
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
    await push?.close();
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

  test('a push whose link points to another origin opens this dashboard', async () => {
    const registration = [...registrations.values()].find((r) => r.scopeURL === `${app.url}/` && !r.isDeleted)!;
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: app.url,
      registrationId: registration.registrationId,
      data: JSON.stringify({ title: 'Phish', body: 'x', url: 'https://evil.example/', suggestionId: 'other' }),
    });
    assert.deepEqual(await notification(page, 'suggestion-other'), { title: 'Phish', url: `${app.url}/` });
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
    await status.filter({ hasText: /^This browser is subscribed\.$|Could not/ }).waitFor();
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

  test('the whole way: Subscribe saves the subscription, the server pushes, the worker shows it', async () => {
    // Headless Chromium cannot register with a push service, so this page's PushManager hands out
    // a subscription of the local push service instead (the one browser API replaced here).
    const subscription = push.subscribe();
    const tab = await context.newPage();
    tab.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // A string, not a function: the test compiler's helpers do not exist in the page.
    await tab.addInitScript(`{
      const sub = ${JSON.stringify(subscription)};
      let current = null;
      const made = { toJSON() { return sub; }, async unsubscribe() { current = null; return true; } };
      PushManager.prototype.subscribe = async function () { current = made; return made; };
      PushManager.prototype.getSubscription = async function () { return current; };
    }`);
    await tab.goto(`${app.url}/#preferences`);
    await tab.waitForFunction(() => document.querySelector<HTMLInputElement>('#p-brand')?.value === 'Cozy Mugs');
    const block = tab.locator('#p-channels [data-kind="push"]');
    await block.getByLabel('Browser push', { exact: true }).check();
    await block.getByRole('button', { name: /This browser/ }).click();
    const status = block.locator('[role="status"]');
    await status.filter({ hasText: /^This browser is subscribed\.$|Could not/ }).waitFor();
    assert.equal(await status.innerText(), 'This browser is subscribed.');
    const shown = (await app.call('GET', '/api/preferences', { key: user.apiKey })).body.channels.push;
    assert.deepEqual(shown, { subscribed: true });
    assert.equal(await block.getByLabel('Browser push', { exact: true }).isChecked(), true);

    // A suggestion's delivery: the server's own delivery worker encrypts and signs it for the
    // local push service, which decrypts it with the subscription's keys.
    const suggestionId = await insertSuggestion(db, {
      userId: user.id,
      eventType: 'shopify.inventory.low',
      title: 'Reorder the Harbor Jacket',
      body: 'Two left in M.',
    });
    await enqueueNotifications(db, { userId: user.id, suggestionId, channels: ['push'] });
    const [message] = await push.waitFor(1, 15_000);
    assert.equal(JSON.parse(message!.payload).title, 'Reorder the Harbor Jacket');
    // What the push service would hand the browser, delivered to the dashboard's worker.
    const registration = [...registrations.values()].find((r) => r.scopeURL === `${app.url}/` && !r.isDeleted)!;
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: app.url,
      registrationId: registration.registrationId,
      data: message!.payload,
    });
    const shownThere = await notification(tab, `suggestion-${suggestionId}`);
    assert.equal(shownThere.title, 'Reorder the Harbor Jacket');
    assert.equal(shownThere.url, `${app.url}/?suggestion=${suggestionId}`);

    await block.getByRole('button', { name: 'Unsubscribe' }).click();
    await block.locator('[role="status"]').filter({ hasText: 'Not subscribed.' }).waitFor();
    assert.equal((await app.call('GET', '/api/preferences', { key: user.apiKey })).body.channels.push, undefined);
    assert.deepEqual(push.rejected, []);
    assert.deepEqual(problems, []);
    await tab.close();
  });
});
