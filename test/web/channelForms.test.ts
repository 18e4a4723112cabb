import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { channelTarget } from '../../src/api/preferenceRoutes.js';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { getUser } from '../../src/db/queries/users.js';
import type { ChannelField } from '../../src/notify/channels/channelSpec.js';
import { CHANNEL_SPECS } from '../../src/notify/channels/registry.js';
import type { TestApp } from '../helpers/app.js';
import { CHROMIUM_MISSING, launchChromium, startDashboardApp } from './support.js';

/**
 * The channel part of the preferences page in a browser: rendered from GET /api/meta/channels
 * (one block per registered channel, its fields labelled as the spec says), a server-made signing
 * secret shown once, a stored secret kept when its field is left empty, a channel switched off.
 */

describe('channel forms in the browser', { skip: CHROMIUM_MISSING }, () => {
  let db: Database;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let user: { id: string; apiKey: string };
  const problems: string[] = [];

  const openPreferences = async () => {
    // A full load each time (goto to the same URL would only move the hash).
    if (page.url().startsWith(app.url)) await page.reload();
    else await page.goto(`${app.url}/#preferences`);
    await page.locator('#p-channels .channel').first().waitFor();
    // The form is filled once both the channels and the preferences have loaded.
    await page.waitForFunction(() => document.querySelector<HTMLInputElement>('#p-brand')?.value === 'Cozy Mugs');
  };
  const save = async () => {
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.locator('#preferences-status').filter({ hasText: 'Saved' }).waitFor();
    await page.locator('#preferences-status').evaluate((e) => {
      e.textContent = '';
    });
  };
  const prefs = async () => (await app.call('GET', '/api/preferences', { key: user.apiKey })).body;

  before(async () => {
    db = await openPglite();
    await migrate(db);
    // The sandbox has no DNS: saved URLs must not need resolving.
    app = await startDashboardApp(db, { LOOKOUT_ALLOW_PRIVATE_URLS: 'true' });
    user = await app.createUser('owner@cozymugs.example');
    await app.call('PUT', '/api/preferences', { key: user.apiKey, body: { profile: { brand: 'Cozy Mugs' } } });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript((key) => sessionStorage.setItem('lookout.apiKey', key), user.apiKey);
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  test('one block per registered channel, with the fields its spec declares', async () => {
    await openPreferences();
    const blocks = await page
      .locator('#p-channels .channel')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.kind));
    assert.deepEqual(
      blocks,
      CHANNEL_SPECS.map((s) => s.kind),
    );
    for (const spec of CHANNEL_SPECS) {
      const block = page.locator(`#p-channels [data-kind="${spec.kind}"]`);
      const toggle = block.getByLabel(spec.label, { exact: true });
      assert.equal(await toggle.isChecked(), false);
      for (const [, f] of Object.entries(spec.fields as Record<string, ChannelField>)) {
        const input = block.getByLabel(f.label);
        assert.equal(await input.isDisabled(), true, `${spec.kind}.${f.label} is disabled while the channel is off`);
        await toggle.check();
        assert.equal(await input.isDisabled(), false);
        await toggle.uncheck();
      }
    }
    // This server has no SMTP: the email block says so.
    assert.match(await page.locator('[data-kind="email"]').innerText(), /Not sent from this server yet: .*SMTP/);
  });

  test('a signing secret the server makes is shown once; an empty secret field keeps the stored one', async () => {
    const hook = page.locator('[data-kind="webhook"]');
    await hook.getByLabel('Signed webhook', { exact: true }).check();
    await hook.getByLabel('URL', { exact: true }).fill('https://example.com/hooks/lookout');
    await page.getByLabel('Slack', { exact: true }).check();
    await page.getByLabel('Incoming webhook URL').fill('https://hooks.slack.com/services/T1/B1/SECRETPATH');
    await save();
    const shown = await hook.locator('.hint').last().innerText();
    const revealed = /shown only once: (whsec_\S+)/.exec(shown)?.[1];
    assert.ok(revealed, `no revealed secret in "${shown}"`);
    const row = (await getUser(db, user.id))!;
    assert.equal(channelTarget(app.lookout.ctx.secrets, row, 'webhook')?.secret, revealed);

    // After a reload the secret is only said to exist, and saving again changes neither secret.
    await openPreferences();
    assert.equal(await hook.locator('.hint').last().innerText(), 'A signing secret is configured.');
    assert.match(
      await page.locator('[data-kind="slack"] .hint').last().innerText(),
      /Connected \(https:\/\/hooks\.slack\.com\/…\)/,
    );
    assert.equal(await page.getByLabel('Incoming webhook URL').inputValue(), '');
    assert.ok(!(await page.content()).includes('SECRETPATH'));
    await save();
    const again = (await getUser(db, user.id))!;
    assert.equal(channelTarget(app.lookout.ctx.secrets, again, 'webhook')?.secret, revealed);
    assert.equal(
      channelTarget(app.lookout.ctx.secrets, again, 'slack')?.webhookUrl,
      'https://hooks.slack.com/services/T1/B1/SECRETPATH',
    );
  });

  test('a channel switched off is removed; a required field left empty is caught before saving', async () => {
    await page.getByLabel('Slack', { exact: true }).uncheck();
    await save();
    assert.equal((await prefs()).channels.slack, undefined);
    assert.equal(channelTarget(app.lookout.ctx.secrets, (await getUser(db, user.id))!, 'slack'), undefined);

    await page.getByLabel('Email', { exact: true }).check();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.locator('#preferences-error').filter({ hasText: 'Email: Address is required.' }).waitFor();
    assert.equal(await page.getByLabel('Address').getAttribute('aria-invalid'), 'true');
    assert.equal((await prefs()).channels.email, undefined);
    await page.getByLabel('Address').fill('owner@cozymugs.example');
    await save();
    assert.deepEqual((await prefs()).channels.email, { to: 'owner@cozymugs.example' });
    assert.deepEqual(problems, []);
  });
});
