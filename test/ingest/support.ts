import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helpers/app.js';
import { shopifyHeaders } from '../helpers/shopify.js';

export const SHOPIFY_SECRET = 'test-shopify-secret';

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field, as a client would
  body: any;
  text: string;
  headers: Headers;
}

/** A user with a connected shop, ready to receive Shopify deliveries. */
export async function shopOwner(app: TestApp, shop: string): Promise<{ id: string; apiKey: string }> {
  const user = await app.createUser();
  const res = await app.call('POST', '/api/integrations', {
    key: user.apiKey,
    body: { kind: 'shopify', shopDomain: shop },
  });
  assert.equal(res.status, 201, res.text);
  return user;
}

/** A user with a Supabase integration; returns its bearer secret. */
export async function supabaseOwner(app: TestApp): Promise<{ id: string; apiKey: string; secret: string }> {
  const user = await app.createUser();
  const res = await app.call('POST', '/api/integrations', { key: user.apiKey, body: { kind: 'supabase' } });
  assert.equal(res.status, 201, res.text);
  return { ...user, secret: res.body.webhookSecret as string };
}

/** Posts a signed Shopify delivery of `body` (text, sent as its UTF-8 bytes). */
export function deliverShopify(
  app: TestApp,
  shop: string,
  body: string | Buffer,
  opts: { topic?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  return app.call('POST', '/webhooks/shopify', {
    raw: bytes,
    headers: {
      ...shopifyHeaders(opts.topic ?? 'orders/create', shop, bytes, SHOPIFY_SECRET, {
        'x-shopify-event-id': randomUUID(),
      }),
      ...opts.headers,
    },
  });
}

export function deliverSupabase(app: TestApp, secret: string, body: string): Promise<Answer> {
  return app.call('POST', '/webhooks/supabase', {
    raw: body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
  });
}

/** A Supabase row-insert body whose record holds `record` (JSON text). */
export function supabaseInsert(record: string): string {
  return `{"type":"INSERT","table":"orders","schema":"public","record":${record},"old_record":null}`;
}

/** Whether the answer is a server error: what no delivery may ever get, except 503 (retry). */
export function isServerError(status: number): boolean {
  return status >= 500 && status !== 503;
}
