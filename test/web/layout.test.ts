import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { notifyUser } from '../../src/notify/notifyUser.js';
import type { TestApp } from '../helpers/app.js';
import { CHROMIUM_MISSING, insertSuggestion, launchChromium, startDashboardApp } from './support.js';

/**
 * Layout under content a template really produces: a Markdown table wider than any screen, long
 * unbroken tokens, a live pop-up arriving on every view. Nothing may run out of its column, and
 * the pop-up shows readable text (not Markdown source) without hiding the form's Save button.
 */

const WIDE_TABLE = [
  '## Restock plan',
  '',
  `| ${Array.from({ length: 14 }, (_, i) => `column number ${i + 1}`).join(' | ')} |`,
  `| ${Array.from({ length: 14 }, () => '---').join(' | ')} |`,
  `| ${Array.from({ length: 14 }, (_, i) => `value-${i}-${'x'.repeat(12)}`).join(' | ')} |`,
  '',
  `A token with no break: ${'https://example.com/'.padEnd(180, 'a')}`,
].join('\n');

const TOAST_BODY =
  '## TikTok hooks\n\n1. **POV:** you just found *the* mug\n2. Wait for the steam `#cozy`\n\n' +
  '| a | b |\n|---|---|\n| 1 | 2 |';

/** Elements of the feed whose right edge passes their column's (the bug: cards under the activity panel). */
async function overflowing(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth) out.push(`page is ${doc.scrollWidth} px wide in ${doc.clientWidth}`);
    for (const list of Array.from(document.querySelectorAll<HTMLElement>('#suggestion-list, #event-list'))) {
      const edge = list.getBoundingClientRect().right + 0.5;
      for (const child of Array.from(list.querySelectorAll<HTMLElement>(':scope > *, .card-meta, time, .card-title'))) {
        const r = child.getBoundingClientRect();
        if (r.width > 0 && r.right > edge)
          out.push(`${list.id} > ${child.className || child.tagName} ends at ${r.right} > ${edge}`);
      }
    }
    return out;
  });
}

function overlaps(a: { x: number; y: number; width: number; height: number }, b: typeof a): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('dashboard layout with wide content', { skip: CHROMIUM_MISSING }, () => {
  let db: Database;
  let app: TestApp;
  let browser: Browser;
  let user: { id: string; apiKey: string };

  before(async () => {
    db = await openPglite();
    await migrate(db);
    app = await startDashboardApp(db);
    user = await app.createUser('layout@example.com');
    for (let i = 0; i < 3; i++) {
      await insertSuggestion(db, {
        userId: user.id,
        eventType: 'shopify.inventory.low',
        title: `Restock plan ${i + 1} for a product with a rather long name that goes on`,
        body: WIDE_TABLE,
      });
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await db?.close();
  });

  for (const width of [1280, 375]) {
    test(`at ${width} px a wide table scrolls inside its card and nothing leaves its column`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(app.url);
      await page.getByLabel('API key').fill(user.apiKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('#suggestion-list .card').nth(2).waitFor();
      assert.deepEqual(await overflowing(page), []);
      // The table is still all there: its wrapper scrolls sideways.
      const wrap = page.locator('#suggestion-list .table-wrap').first();
      assert.ok(await wrap.evaluate((w) => w.scrollWidth > w.clientWidth), 'the wide table scrolls inside its card');
      // Timestamps are whole and visible.
      const time = page.locator('#suggestion-list .card time').first();
      assert.ok(await time.evaluate((t) => t.scrollWidth <= t.clientWidth + 1 && t.getBoundingClientRect().width > 0));
      await context.close();
    });
  }

  for (const [width, height] of [
    [1280, 720],
    [375, 667],
  ] as const) {
    test(
      `at ${width} px the live pop-up shows readable text, not Markdown, and never covers ` + `the Save button`,
      async () => {
        const context = await browser.newContext({ viewport: { width, height } });
        const page = await context.newPage();
        await page.goto(app.url);
        await page.getByLabel('API key').fill(user.apiKey);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('#conn[data-status="live"]').waitFor();
        await page.getByRole('link', { name: 'Preferences' }).click();
        const save = page.getByRole('button', { name: 'Save preferences' });
        await save.scrollIntoViewIfNeeded();

        await notifyUser(app.lookout.ctx.bus, {
          userId: user.id,
          suggestion: {
            id: `00000000-0000-4000-8000-${String(width).padStart(12, '0')}`,
            eventId: '00000000-0000-4000-8000-000000000002',
            eventType: 'shopify.product.created',
            title: 'TikTok hooks for the Aurora mug',
            body: TOAST_BODY,
            createdAt: new Date(),
          },
        });
        const toast = page.locator('.toast').last();
        await toast.waitFor();
        const text = await toast.innerText();
        assert.match(text, /TikTok hooks/);
        assert.match(text, /POV: you just found the mug/);
        assert.doesNotMatch(text, /##|\*\*|\||`|^\s*\d+\.\s/m, `raw Markdown in the pop-up: ${text}`);
        const toastBox = await toast.boundingBox();
        const saveBox = await save.boundingBox();
        assert.ok(toastBox && saveBox);
        assert.equal(overlaps(toastBox, saveBox), false, 'the pop-up covers the Save button');
        await save.click({ trial: true }); // Playwright's own check that nothing intercepts the click
        await context.close();
      },
    );
  }
});
