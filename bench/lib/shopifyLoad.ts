/**
 * The load generator for the webhook benches, run as a child process (fork of this file) so it
 * does not share the server's event loop. It sends signed Shopify deliveries over keep-alive
 * connections (node:http Agent, keepAlive, maxSockets = connections), either closed-loop
 * (`connections` requests always in flight, as fast as the server answers) or open-loop at a
 * fixed rate (sends are scheduled on the clock whatever the answers; latency is never hidden by
 * back-pressure). Every body is the products/create fixture with its own product id, so each
 * delivery is a distinct event (the dedupe key of a product creation is shop + product id).
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { signShopifyBody } from '../../src/sources/shopify/signature.js';
import { wallNow } from './stats.js';

export const FIXTURE_PRODUCT_ID = '788032119674292922';
export const PRODUCT_FIXTURE = fileURLToPath(
  new URL('../../fixtures/shopify/2026-04/products__create.json', import.meta.url),
);

export interface LoadSpec {
  url: string;
  secret: string;
  shops: string[];
  /** First product id (a decimal string above 2^53); each delivery takes the next one. */
  idBase: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Open loop at this many deliveries per second; absent: closed loop. */
  rate?: number;
}

export interface LoadResult {
  /** Responses by status (all requests, warm-up included). */
  statuses: Record<string, number>;
  errors: number;
  /** Requests started inside the measured window and answered 200. */
  measuredOk: number;
  measuredSeconds: number;
  /** Latency (ms) of each measured 200. */
  latencies: number[];
  /** Open loop: product id and wall-clock send time of each 200 (all, warm-up included). */
  sends?: Array<[string, number]>;
  sent: number;
}

/** The fixture body with `id` in place of the product id (text replace: no JS number involved). */
export function productBody(template: string, id: string): Buffer {
  return Buffer.from(template.replaceAll(FIXTURE_PRODUCT_ID, id));
}

/** Runs a load in a child process and resolves with its result. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--load-child'], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (m: LoadResult) => {
      resolve(m);
      child.kill();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(spec);
  });
}

async function generate(spec: LoadSpec): Promise<LoadResult> {
  const template = readFileSync(PRODUCT_FIXTURE, 'utf8');
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections, maxFreeSockets: spec.connections });
  const target = new URL('/webhooks/shopify', spec.url);
  let next = BigInt(spec.idBase);
  const statuses: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  const latencies: number[] = [];
  const sends: Array<[string, number]> = [];
  const t0 = wallNow();
  const measureFrom = t0 + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;
  let measuredOk = 0;

  const one = (): Promise<void> => {
    const id = (next++).toString();
    const shop = spec.shops[sent % spec.shops.length]!;
    const body = productBody(template, id);
    const headers = {
      'content-type': 'application/json',
      'content-length': String(body.length),
      'x-shopify-topic': 'products/create',
      'x-shopify-shop-domain': shop,
      'x-shopify-hmac-sha256': signShopifyBody(body, spec.secret),
      'x-shopify-webhook-id': randomUUID(),
      'x-shopify-event-id': randomUUID(),
      'x-shopify-triggered-at': new Date().toISOString(),
      'x-shopify-api-version': '2026-04',
    };
    sent++;
    return new Promise<void>((resolve) => {
      const started = wallNow();
      const req = http.request(target, { method: 'POST', agent, headers }, (res) => {
        res.resume();
        res.on('end', () => {
          const done = wallNow();
          const status = String(res.statusCode);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (res.statusCode === 200) {
            if (spec.rate) sends.push([id, started]);
            if (started >= measureFrom && done <= measureTo) {
              measuredOk++;
              latencies.push(done - started);
            }
          }
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  };

  if (spec.rate) {
    const interval = 1000 / spec.rate;
    const inflight = new Set<Promise<void>>();
    for (let i = 0; ; i++) {
      const at = t0 + i * interval;
      if (at >= measureTo) break;
      const wait = at - wallNow();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = one().finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
  } else {
    await Promise.all(
      Array.from({ length: spec.connections }, async () => {
        while (wallNow() < measureTo) await one();
      }),
    );
  }
  agent.destroy();
  return {
    statuses,
    errors,
    measuredOk,
    measuredSeconds: spec.durationMs / 1000,
    latencies,
    sends: spec.rate ? sends : undefined,
    sent,
  };
}

if (process.argv.includes('--load-child')) {
  process.once('message', (spec: LoadSpec) => {
    generate(spec).then(
      (r) => process.send!(r),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
