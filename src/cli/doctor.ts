import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { z } from 'zod';
import type { Config } from '../config.js';
import { ConfigError, loadConfig } from '../config.js';
import { readLock } from '../db/dataDirLock.js';
import { loadMigrations } from '../db/migrate.js';
import { openPglite } from '../db/pglite.js';
import { ShopifyAdminClient } from '../sources/shopify/adminClient.js';
import { normaliseBaseUrl } from '../suggest/llm.js';

/**
 * `lookout doctor`: the configuration a user is about to run with, checked one line at a time,
 * each failure with what to do about it. Nothing is changed: the database is not migrated, no
 * server is started, the only requests are reads (select 1, a shop query, a model list).
 */

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface Check {
  status: CheckStatus;
  what: string;
  /** What was found, or what to do about it. */
  detail: string;
}

const TIMEOUT_MS = 5_000;

const ShopAnswer = z.object({ shop: z.object({ name: z.string(), myshopifyDomain: z.string() }) });

/** The most telling part of an error: a system code (ECONNREFUSED) where there is one, else its message. */
function errText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: unknown; message?: unknown } | undefined;
  const code = (err as { code?: unknown }).code ?? cause?.code;
  if (typeof code === 'string') return code;
  return typeof cause?.message === 'string' ? `${err.message}: ${cause.message}` : err.message;
}

function withTimeout<T>(p: Promise<T>, what: string, ms = TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]);
}

function secrets(cfg: Config): Check[] {
  const checks: Check[] = [];
  checks.push(
    cfg.shopify.apiSecrets.length > 0
      ? { status: 'ok', what: 'SHOPIFY_API_SECRET', detail: `set (${cfg.shopify.apiSecrets.length} secret(s))` }
      : {
          status: 'warn',
          what: 'SHOPIFY_API_SECRET',
          detail:
            "not set: Shopify webhooks signed with the app secret will be refused (401). Set it to the app's " +
            'client secret (any value to try `lookout simulate`, the same in every terminal).',
        },
  );
  if (cfg.databaseUrl && !cfg.secretKey) {
    checks.push({
      status: 'warn',
      what: 'LOOKOUT_SECRET_KEY',
      detail:
        'not set with DATABASE_URL: this process uses a key from its data folder, and every process sharing the ' +
        'database needs the same one. Set it (openssl rand -hex 32).',
    });
  } else {
    checks.push({
      status: 'ok',
      what: 'LOOKOUT_SECRET_KEY',
      detail: cfg.secretKey ? 'set' : `generated and kept in ${cfg.dataDir}`,
    });
  }
  checks.push({
    status: 'ok',
    what: 'LOOKOUT_ADMIN_TOKEN',
    detail: cfg.adminToken ? 'set' : 'not set: one is generated and printed once at the first start',
  });
  return checks;
}

function publicUrl(cfg: Config): Check {
  const url = new URL(cfg.publicUrl);
  const local = /^(localhost|127\.|\[::1\]|0\.0\.0\.0)/.test(url.hostname);
  if (local) {
    return {
      status: cfg.shopify.apiKey ? 'warn' : 'ok',
      what: 'LOOKOUT_PUBLIC_URL',
      detail: `${cfg.publicUrl}: reachable from this machine only${
        cfg.shopify.apiKey
          ? '; Shopify (OAuth redirect, webhooks) needs a public https URL: set LOOKOUT_PUBLIC_URL'
          : ''
      }`,
    };
  }
  if (url.protocol !== 'https:') {
    return {
      status: 'warn',
      what: 'LOOKOUT_PUBLIC_URL',
      detail: `${cfg.publicUrl}: Shopify delivers webhooks to https URLs only; put Lookout behind TLS and use https://`,
    };
  }
  return { status: 'ok', what: 'LOOKOUT_PUBLIC_URL', detail: cfg.publicUrl };
}

async function database(cfg: Config): Promise<Check[]> {
  const expected = loadMigrations().length;
  const migrated = (applied: number): Check =>
    applied === expected
      ? { status: 'ok', what: 'migrations', detail: `${applied} of ${expected} applied` }
      : {
          status: applied > expected ? 'fail' : 'warn',
          what: 'migrations',
          detail:
            applied > expected
              ? `${applied} applied but this version knows ${expected}: the database was migrated by a newer Lookout`
              : `${applied} of ${expected} applied: \`lookout migrate\` (or any start) applies the rest`,
        };
  if (cfg.databaseUrl) {
    const client = new pg.Client({ connectionString: cfg.databaseUrl, connectionTimeoutMillis: TIMEOUT_MS });
    client.on('error', () => {});
    try {
      await withTimeout(client.connect(), 'PostgreSQL');
      const { rows } = await client.query<{ n: number }>(
        `select case when to_regclass('lookout_migrations') is null then 0
                else (select count(*)::int from lookout_migrations) end as n`,
      );
      return [
        { status: 'ok', what: 'database', detail: `PostgreSQL at ${new URL(cfg.databaseUrl).host} answers` },
        migrated(rows[0]?.n ?? 0),
      ];
    } catch (err) {
      return [
        {
          status: 'fail',
          what: 'database',
          detail:
            `cannot reach PostgreSQL at ${safeHost(cfg.databaseUrl)} (${errText(err)}): check DATABASE_URL, ` +
            `or unset it for the embedded database`,
        },
      ];
    } finally {
      await client.end().catch(() => {});
    }
  }
  const holder = readLock(cfg.dataDir);
  if (holder) {
    return [
      {
        status: 'ok',
        what: 'database',
        detail:
          `embedded, in ${cfg.dataDir}, served by a running lookout (pid ${holder.pid}` +
          `${holder.url ? `, ${holder.url}` : ''})`,
      },
    ];
  }
  if (!existsSync(join(cfg.dataDir, 'pgdata'))) {
    return [{ status: 'ok', what: 'database', detail: `embedded, in ${cfg.dataDir}: created at the first start` }];
  }
  let db: Awaited<ReturnType<typeof openPglite>> | undefined;
  try {
    db = await openPglite(join(cfg.dataDir, 'pgdata'));
    const { rows } = await db.query<{ n: number }>(
      `select case when to_regclass('lookout_migrations') is null then 0
              else (select count(*)::int from lookout_migrations) end as n`,
    );
    return [{ status: 'ok', what: 'database', detail: `embedded, in ${cfg.dataDir}` }, migrated(rows[0]?.n ?? 0)];
  } catch (err) {
    return [{ status: 'fail', what: 'database', detail: `cannot open ${cfg.dataDir}: ${errText(err)}` }];
  } finally {
    await db?.close();
  }
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the configured URL';
  }
}

async function port(cfg: Config): Promise<Check> {
  const holder = cfg.databaseUrl ? undefined : readLock(cfg.dataDir);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      resolve(
        err.code === 'EADDRINUSE' && holder?.url?.endsWith(`:${cfg.port}`)
          ? { status: 'ok', what: 'port', detail: `${cfg.port} is served by the running lookout` }
          : {
              status: 'fail',
              what: 'port',
              detail:
                `${cfg.host}:${cfg.port} is not available (${err.code}): stop what uses it, or set ` +
                `PORT (e.g. PORT=${cfg.port + 1})`,
            },
      );
    });
    probe.listen(cfg.port, cfg.host, () =>
      probe.close(() => resolve({ status: 'ok', what: 'port', detail: `${cfg.host}:${cfg.port} is free` })),
    );
  });
}

async function shopify(cfg: Config): Promise<Check> {
  const { storeUrl, accessToken } = cfg.shopify;
  if (!storeUrl) return { status: 'skip', what: 'Shopify store', detail: 'SHOPIFY_STORE_URL not set' };
  if (!accessToken) {
    return {
      status: 'warn',
      what: 'Shopify store',
      detail: `${storeUrl}: no SHOPIFY_ACCESS_TOKEN, so no polling fallback (webhooks only)`,
    };
  }
  const shopDomain = storeUrl.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  try {
    const client = new ShopifyAdminClient({
      shopDomain,
      accessToken,
      apiVersion: cfg.shopify.apiVersion,
      adminApiUrl: cfg.shopify.adminApiUrl,
      timeoutMs: TIMEOUT_MS,
      maxAttempts: 1,
    });
    const { data } = await client.query('query { shop { name myshopifyDomain } }', {}, ShopAnswer);
    const found = { name: data.shop.name, domain: data.shop.myshopifyDomain };
    return found.domain === shopDomain
      ? { status: 'ok', what: 'Shopify store', detail: `${found.domain} (${found.name}) accepts the access token` }
      : {
          status: 'fail',
          what: 'Shopify store',
          detail:
            `the access token belongs to ${found.domain}, not ${shopDomain}: fix SHOPIFY_STORE_URL or ` +
            `SHOPIFY_ACCESS_TOKEN`,
        };
  } catch (err) {
    return {
      status: 'fail',
      what: 'Shopify store',
      detail: `${shopDomain} refused or did not answer (${errText(err)}): check SHOPIFY_ACCESS_TOKEN and its scopes`,
    };
  }
}

async function supabase(cfg: Config): Promise<Check> {
  if (!cfg.supabase.dbUrl) return { status: 'skip', what: 'Supabase database', detail: 'SUPABASE_DB_URL not set' };
  const client = new pg.Client({ connectionString: cfg.supabase.dbUrl, connectionTimeoutMillis: TIMEOUT_MS });
  client.on('error', () => {});
  try {
    await withTimeout(client.connect(), 'Supabase database');
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog',
       'information_schema')`,
    );
    return {
      status: 'ok',
      what: 'Supabase database',
      detail: `${safeHost(cfg.supabase.dbUrl)} answers (${rows[0]?.n ?? 0} tables visible)`,
    };
  } catch (err) {
    return {
      status: 'fail',
      what: 'Supabase database',
      detail:
        `cannot reach ${safeHost(cfg.supabase.dbUrl)} (${errText(err)}): check SUPABASE_DB_URL (the ` +
        `connection string in the project's database settings)`,
    };
  } finally {
    await client.end().catch(() => {});
  }
}

async function llm(cfg: Config): Promise<Check> {
  if (!cfg.llm)
    return { status: 'skip', what: 'LLM', detail: 'not configured: the built-in offline generator writes suggestions' };
  const base = normaliseBaseUrl(cfg.llm.baseUrl);
  try {
    const res = await fetch(`${base}/models`, {
      headers: cfg.llm.apiKey ? { authorization: `Bearer ${cfg.llm.apiKey}` } : {},
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (res.status === 401 || res.status === 403) {
      return {
        status: 'fail',
        what: 'LLM',
        detail: `${base} refused the key (HTTP ${res.status}): check LOOKOUT_LLM_API_KEY`,
      };
    }
    if (!res.ok) return { status: 'warn', what: 'LLM', detail: `${base}/models answered HTTP ${res.status}` };
    const body = (await res.json()) as { data?: Array<{ id?: string }> };
    const ids = (body.data ?? []).map((m) => m.id);
    return ids.includes(cfg.llm.model)
      ? { status: 'ok', what: 'LLM', detail: `${base} serves ${cfg.llm.model}` }
      : {
          status: 'warn',
          what: 'LLM',
          detail:
            `${base} answers but does not list ${cfg.llm.model} (it lists ` +
            `${ids.slice(0, 5).join(', ') || 'nothing'}): check LOOKOUT_LLM_MODEL`,
        };
  } catch (err) {
    return {
      status: 'fail',
      what: 'LLM',
      detail:
        `${base} did not answer (${errText(err)}): start the model server or fix LOOKOUT_LLM_BASE_URL; until ` +
        `then suggestions fall back to the offline generator`,
    };
  }
}

async function smtp(cfg: Config): Promise<Check> {
  if (!cfg.smtp) return { status: 'skip', what: 'email', detail: 'LOOKOUT_SMTP_URL not set: the email channel is off' };
  const transport = nodemailer.createTransport(cfg.smtp.url);
  try {
    await withTimeout(transport.verify(), 'SMTP');
    return { status: 'ok', what: 'email', detail: `${safeHost(cfg.smtp.url)} accepts a connection` };
  } catch (err) {
    return {
      status: 'fail',
      what: 'email',
      detail: `${safeHost(cfg.smtp.url)}: ${errText(err)}: check LOOKOUT_SMTP_URL`,
    };
  } finally {
    transport.close();
  }
}

/** Every check, in the order a newcomer meets them. A configuration that does not parse is the only check. */
export async function runDoctor(env: NodeJS.ProcessEnv = process.env): Promise<Check[]> {
  let cfg: Config;
  try {
    cfg = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.message
      .split('\n')
      .slice(1)
      .map((line) => ({ status: 'fail' as const, what: 'configuration', detail: line.trim() }));
  }
  const checks: Check[] = [{ status: 'ok', what: 'configuration', detail: 'every variable is valid' }];
  checks.push(...secrets(cfg), publicUrl(cfg));
  checks.push(...(await database(cfg)));
  checks.push(await port(cfg));
  checks.push(...(await Promise.all([shopify(cfg), supabase(cfg), llm(cfg), smtp(cfg)])));
  return checks;
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', skip: '-   ' };

export function formatChecks(checks: Check[]): string {
  const width = Math.max(...checks.map((c) => c.what.length));
  return checks.map((c) => `${MARK[c.status]}  ${c.what.padEnd(width)}  ${c.detail}`).join('\n');
}
