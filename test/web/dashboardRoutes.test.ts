import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { TestApp } from '../helpers/app.js';
import { describeEachEngine } from '../helpers/engines.js';
import { startDashboardApp } from './support.js';

// No browser needed: what the server promises about the dashboard's files.
describeEachEngine('dashboard files', (fx) => {
  let app: TestApp;
  before(async () => {
    app = await startDashboardApp(fx.db);
  });
  after(() => app.close());

  test('/ is the dashboard, with a strict CSP and revalidation', async () => {
    const res = await fetch(`${app.url}/`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const d of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
    ])
      assert.ok(csp.includes(d), d);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const html = await res.text();
    assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(html), 'no inline script');
    assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handler');
    assert.ok(!/\sstyle=/i.test(html), 'no inline style');
  });

  test('assets have their content types and answer 304 to a matching ETag', async () => {
    for (const [path, type] of [
      ['/ui/js/app.js', 'text/javascript'],
      ['/ui/styles.css', 'text/css'],
      ['/ui/favicon.svg', 'image/svg+xml'],
    ] as const) {
      const res = await fetch(`${app.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.ok(res.headers.get('content-type')?.startsWith(type), `${path}: ${res.headers.get('content-type')}`);
      const etag = res.headers.get('etag')!;
      await res.arrayBuffer();
      const again = await fetch(`${app.url}${path}`, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304, path);
    }
  });

  test('nothing outside the public folder is served', async () => {
    for (const path of [
      '/ui/../dashboardRoutes.ts',
      '/ui/%2e%2e/dashboardRoutes.ts',
      '/ui/nope.js',
      '/ui/index.html',
    ]) {
      const res = await fetch(`${app.url}${path}`);
      assert.equal(res.status, 404, path);
      await res.arrayBuffer();
    }
  });
});
