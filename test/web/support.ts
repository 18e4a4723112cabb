import { existsSync } from 'node:fs';
import type { Browser, LaunchOptions } from 'playwright-core';
import { statsRoutes } from '../../src/api/statsRoutes.js';
import { buildServer, type App } from '../../src/api/server.js';
import type { Database } from '../../src/db/database.js';
import { dashboardRoutes } from '../../src/web/dashboardRoutes.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

export const CHROMIUM = process.env.LOOKOUT_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING = existsSync(CHROMIUM)
  ? false
  : `browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set LOOKOUT_CHROMIUM)`;

export const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch(LAUNCH_OPTIONS);
}

/**
 * The test app with the dashboard and /api/stats. When app.ts registers both plugins (the normal
 * case) this is startTestApp as is. Until then, a second server serves them and forwards every
 * other request to the app, so the browser still sees one origin.
 */
export async function startDashboardApp(db: Database, env: Record<string, string> = {}): Promise<TestApp> {
  const app = await startTestApp(db, env);
  const probe = await fetch(`${app.url}/`);
  await probe.arrayBuffer();
  if (probe.status !== 404) return app;

  const front = await buildServer(app.lookout.ctx, [dashboardRoutes, statsRoutes, (scope: App) => forwardTo(scope, app.url)]);
  const address = await front.listen({ port: 0, host: '127.0.0.1' });
  return {
    ...app,
    url: address,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.key) headers.authorization = `Bearer ${o.key}`;
      let body: string | Uint8Array<ArrayBuffer> | undefined = typeof o.raw === 'string' || o.raw === undefined ? o.raw : new Uint8Array(o.raw);
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${address}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async close() {
      await front.close();
      await app.close();
    },
  };
}

function forwardTo(scope: App, target: string): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  scope.all('/api/*', forward);
  scope.all('/webhooks/*', forward);
  async function forward(req: { method: string; url: string; headers: Record<string, string | string[] | undefined>; body?: unknown }, reply: { raw: { on(e: 'close', f: () => void): void }; code(n: number): unknown; headers(h: Record<string, string>): unknown; send(b: unknown): unknown }) {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers.set(k, v);
    const abort = new AbortController();
    // The response closing (the browser went away) ends the upstream request, an SSE stream included.
    reply.raw.on('close', () => abort.abort());
    const res = await fetch(`${target}${req.url}`, {
      method: req.method, headers, signal: abort.signal,
      body: Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : undefined,
    });
    reply.code(res.status);
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => { if (k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection') out[k] = v; });
    reply.headers(out);
    return reply.send(res.body ?? '');
  }
}

/**
 * A suggestion row as the pipeline would write it: for tests that need one before (or without)
 * the worker, and for back-dated history in the chart.
 */
export async function insertSuggestion(db: Database, s: {
  userId: string; eventId?: string; eventType: string; title: string; body: string;
  status?: 'new' | 'accepted' | 'dismissed'; createdAt?: Date;
}): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `insert into suggestions (user_id, event_id, event_type, title, body, status, created_at, actioned_at)
     values ($1, coalesce($2::uuid, gen_random_uuid()), $3, $4, $5, $6, coalesce($7::timestamptz, now()),
             case when $6 = 'new' then null else coalesce($7::timestamptz, now()) end)
     returning id`,
    [s.userId, s.eventId ?? null, s.eventType, s.title, s.body, s.status ?? 'new', s.createdAt ?? null],
  );
  const id = rows[0]!.id;
  if (s.eventId) {
    await db.query(
      `update background_events set suggestion_generated = true, suggestion_id = $2, status = 'processed', processed_at = now()
       where id = $1 and user_id = $3`,
      [s.eventId, id, s.userId],
    );
  }
  return id;
}
