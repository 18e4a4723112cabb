import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import type { TestApp } from '../helpers/app.js';
import { createScratchDatabase, POSTGRES_AVAILABLE } from '../helpers/engines.js';
import { waitFor } from '../helpers/wait.js';
import { queryable, run, SUPABASE_FUNCTIONS_STAND_IN } from '../sources/supabase/standIns.js';
import { CHROMIUM_MISSING, launchChromium, startDashboardApp } from './support.js';

/**
 * The dashboard's "Install webhooks" on a Supabase integration, in chromium, against a real
 * project database (PostgreSQL scratch database with a stand-in supabase_functions.http_request).
 */
const skip = CHROMIUM_MISSING || (POSTGRES_AVAILABLE ? false : 'PostgreSQL not reachable: a user database is needed');

describe('Supabase webhooks from the dashboard', { skip }, () => {
  let db: Database;
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  let userDb: { url: string; drop: () => Promise<void> };
  let client: pg.Client;
  let user: { id: string; apiKey: string };

  before(async () => {
    userDb = await createScratchDatabase('lookout_userproj');
    client = new pg.Client({ connectionString: userDb.url });
    client.on('error', () => {});
    await client.connect();
    await client.query(`create table public.orders (id bigint primary key, total numeric)`);
    await client.query(`create table public.items (id bigint primary key, name text)`);
    db = await openPglite();
    await migrate(db);
    app = await startDashboardApp(db, { LOOKOUT_ALLOW_PRIVATE_URLS: 'true', LOOKOUT_POLL_INTERVAL_S: '3600' });
    user = await app.createUser();
    const created = await app.call('POST', '/api/integrations', {
      key: user.apiKey,
      body: { kind: 'supabase', dbUrl: userDb.url },
    });
    assert.equal(created.status, 201, created.text);
    await waitFor(async () => {
      const r = await app.call('GET', `/api/integrations/${created.body.id}`, { key: user.apiKey });
      return r.body.health.lastPollAt;
    }, 'the baseline poll');
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
    await client?.end();
    await userDb?.drop();
  });

  const openPicker = async () => {
    await page.goto(app.url);
    if (await page.getByLabel('API key').isVisible()) {
      await page.getByLabel('API key').fill(user.apiKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await page.getByRole('link', { name: 'Integrations' }).click();
    const card = page.locator('.integration', { hasText: 'Supabase project' });
    await card.getByRole('button', { name: 'Install webhooks' }).click();
    await card.getByRole('group', { name: 'Tables whose row changes Lookout receives' }).waitFor();
    return card;
  };

  test('without webhooks enabled: the SQL to copy, which works once they are', async () => {
    const card = await openPicker();
    assert.deepEqual(
      await card.getByRole('checkbox').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
      ['public.items', 'public.orders'],
    );
    await card.getByRole('checkbox', { name: 'public.orders' }).check();
    await card.getByRole('button', { name: 'Install', exact: true }).click();
    const box = card.locator('.sql-needed');
    await box.waitFor();
    assert.match(await box.innerText(), /could not install the webhooks itself: .*Database > Webhooks/s);
    await card.getByRole('button', { name: 'Copy SQL' }).waitFor();
    const sql = await box.locator('pre').innerText();
    await run(queryable(client), SUPABASE_FUNCTIONS_STAND_IN);
    await client.query(sql);
    await client.query(`insert into public.orders values (1, 2)`);
    const { rows } = await client.query(`select body->>'table' as t from supabase_functions.calls`);
    assert.deepEqual(rows, [{ t: 'orders' }]);
    await client.query(`drop trigger lookout_webhook on public.orders`);
  });

  test('with webhooks enabled: picked tables are installed by Lookout', async () => {
    const card = await openPicker();
    await card.getByRole('checkbox', { name: 'public.items' }).check();
    await card.getByRole('button', { name: 'Install', exact: true }).click();
    await card.getByText('Installed on public.items (supabase_functions).').waitFor();
    const { rows } = await client.query(
      `select tgrelid::regclass::text as t from pg_trigger where tgname = 'lookout_webhook'`,
    );
    assert.deepEqual(rows, [{ t: 'items' }]);
  });
});
