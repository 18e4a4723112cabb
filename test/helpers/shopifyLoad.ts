import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { signShopifyBody } from '../../src/sources/shopify/signature.js';

/** One Shopify delivery: the same headers (event id included) on every retry, as Shopify does. */
export interface Delivery {
  orderId: string;
  body: Buffer;
  headers: Record<string, string>;
  /** Every answer in order: an HTTP status, or `error: <code>` when no answer came. */
  answers: Array<number | string>;
  /** Bodies of answers other than 200, for the failure message. */
  bodies: string[];
}

/** `count` orders/create deliveries for `shop`, each with its own order id and Shopify event id. */
export function orderDeliveries(shop: string, secret: string, count: number, firstId = 1): Delivery[] {
  return Array.from({ length: count }, (_, i) => {
    const orderId = String(firstId + i);
    const body = Buffer.from(
      JSON.stringify({ id: Number(orderId), name: `#${orderId}`, total_price: '25.00', line_items: [] }),
    );
    return {
      orderId,
      body,
      headers: {
        'content-type': 'application/json',
        'x-shopify-topic': 'orders/create',
        'x-shopify-shop-domain': shop,
        'x-shopify-hmac-sha256': signShopifyBody(body, secret),
        'x-shopify-webhook-id': randomUUID(),
        'x-shopify-event-id': randomUUID(),
        'x-shopify-triggered-at': new Date().toISOString(),
        'x-shopify-api-version': '2026-04',
      },
      answers: [],
      bodies: [],
    };
  });
}

export interface Answer {
  status?: number;
  body: string;
  /** The connection failed (refused, reset) instead of answering. */
  error?: string;
  /** The whole request had been handed to the kernel (so to the server, on loopback) at this time. */
  sentAt?: number;
  /** When the answer (or the failure) came. */
  answeredAt?: number;
}

/**
 * POSTs one delivery over a keep-alive agent and records when the request was fully written:
 * on loopback, a request whose bytes are written is in the server's hands, whatever it does next.
 */
export function post(url: string, path: string, d: Delivery, agent: Agent, timeoutMs = 60_000): Promise<Answer> {
  return new Promise((settle) => {
    const answer: Answer = { body: '' };
    const resolve = (a: Answer) => settle({ ...a, answeredAt: performance.now() });
    const req = request(`${url}${path}`, { method: 'POST', headers: d.headers, agent }, (res) => {
      answer.status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (answer.body += chunk));
      res.on('end', () => resolve(answer));
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ ...answer, error: err.code ?? err.message }));
    });
    req.on('finish', () => (answer.sentAt = performance.now()));
    // A hang is a failure to answer, reported as such rather than as a stuck test.
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('no answer'), { code: 'NO_ANSWER' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ ...answer, error: err.code ?? err.message }));
    req.end(d.body);
  });
}

export function keepAliveAgent(maxSockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** Runs `fn` over `items` with at most `concurrency` at once. */
export async function eachConcurrently<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}
