import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CreateOptions, createLookout, type Lookout } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { createUserWithKey } from '../../src/db/queries/users.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    LOOKOUT_DATA_DIR: mkdtempSync(join(tmpdir(), 'lookout-test-')),
    LOOKOUT_SECRET_KEY: 'test-secret-key-0123456789-0123456789',
    LOOKOUT_ADMIN_TOKEN: ADMIN_TOKEN,
    SHOPIFY_API_SECRET: 'test-shopify-secret',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // Load shedding answers by the clock; on a busy test machine a burst can wait past the
    // production bound, so only the tests about shedding set one.
    LOOKOUT_INGEST_MAX_WAIT_MS: '600000',
    ...env,
  });
}

export interface TestApp {
  lookout: Lookout;
  url: string;
  /** fetch against the app; `key` adds a bearer token. */
  call(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown; headers?: Record<string, string>; raw?: string | Buffer },
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field, as a client would
  ): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  createUser(email?: string): Promise<{ id: string; apiKey: string }>;
  /**
   * Connects a shop the way a user whose ownership is proven has it: the user creates the
   * integration (with `extra` fields such as webhookSecret), the operator vouches for it.
   */
  // biome-ignore lint/suspicious/noExplicitAny: the integration as the API returns it
  connectShop(user: { apiKey: string }, shop: string, extra?: Record<string, unknown>): Promise<any>;
  close(): Promise<void>;
}

let counter = 0;

/** A real Lookout listening on a loopback port, on the given (already migrated or fresh) database. */
export async function startTestApp(
  db: Database,
  env: Record<string, string> = {},
  opts: Omit<CreateOptions, 'db'> = {},
): Promise<TestApp> {
  const config = testConfig(env);
  const lookout = await createLookout(config, { ...opts, db, role: opts.role ?? 'all' });
  const url = await lookout.listen();
  const app: TestApp = {
    lookout,
    url,
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.key) headers.authorization = `Bearer ${o.key}`;
      let body: string | Buffer | undefined = o.raw;
      if (o.body !== undefined) {
        body = JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${path}`, {
        method,
        headers,
        body: typeof body === 'string' || body === undefined ? body : new Uint8Array(body),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    async connectShop(user, shop, extra = {}) {
      const created = await app.call('POST', '/api/integrations', {
        key: user.apiKey,
        body: { kind: 'shopify', shopDomain: shop, ...extra },
      });
      if (created.status !== 201) throw new Error(`could not create the integration of ${shop}: ${created.text}`);
      const proven = await app.call('POST', `/api/admin/integrations/${created.body.id}/prove`, { key: ADMIN_TOKEN });
      if (proven.status !== 200) throw new Error(`could not prove ${shop}: ${proven.text}`);
      return proven.body;
    },
    createUser(email) {
      counter += 1;
      return createUserWithKey(db, { email: email ?? `user${counter}-${Date.now()}@example.com` });
    },
    async close() {
      await lookout.close();
    },
  };
  return app;
}
