import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply } from 'fastify';
import type { App } from '../api/server.js';
import type { AppContext } from '../context.js';

/**
 * The dashboard: static HTML, CSS and ES modules from ./public (copied beside the compiled file by
 * scripts/copy-assets.mjs), served at `/` and `/ui/*`. No build step and no inline script, so the
 * Content-Security-Policy can forbid everything that is not a file of this folder.
 */

export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** Strict: scripts, styles and fetches from this origin only; nothing inline, nothing framed. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Every servable file, read once: the dashboard is a few dozen kilobytes. */
export function loadAssets(dir = PUBLIC_DIR): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const path of listFiles(dir)) {
    const type = CONTENT_TYPES[extname(path)];
    if (!type) continue;
    const body = readFileSync(path);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(relative(dir, path).split(sep).join('/'), { body, type, etag });
  }
  return assets;
}

export function dashboardRoutes(app: App, _ctx: AppContext): void {
  const assets = loadAssets();

  const send = (reply: FastifyReply, ifNoneMatch: string | undefined, asset: Asset) => {
    reply.headers(SECURITY_HEADERS);
    // File names carry no content hash, so browsers revalidate each time: a 304 costs a round trip
    // but a new release is never mixed with a cached older module.
    reply.header('cache-control', 'no-cache');
    reply.header('etag', asset.etag);
    if (ifNoneMatch === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  };

  app.get('/', { schema: { hide: true } }, async (req, reply) => {
    const index = assets.get('index.html');
    if (!index) return reply.code(404).send({ error: { code: 'not_found', message: 'dashboard files are missing' } });
    return send(reply, req.headers['if-none-match'], index);
  });

  // The service worker lives at the root so that its scope is the whole dashboard (a worker's
  // scope defaults to its own folder); the notifications it shows link to /?suggestion=ID.
  app.get('/sw.js', { schema: { hide: true } }, async (req, reply) => {
    const worker = assets.get('sw.js');
    if (!worker) return reply.code(404).send({ error: { code: 'not_found', message: 'dashboard files are missing' } });
    return send(reply, req.headers['if-none-match'], worker);
  });

  app.get('/ui/*', { schema: { hide: true } }, async (req, reply) => {
    const name = (req.params as { '*': string })['*'];
    const asset = name === 'index.html' ? undefined : assets.get(name);
    if (!asset)
      return reply
        .code(404)
        .headers(SECURITY_HEADERS)
        .send({ error: { code: 'not_found', message: `no file ${name}` } });
    return send(reply, req.headers['if-none-match'], asset);
  });
}
