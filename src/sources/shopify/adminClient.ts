import { setTimeout as sleep } from 'node:timers/promises';
import { type AdminApiClient, createAdminApiClient } from '@shopify/admin-api-client';
import type { z } from 'zod';
import { backoffMs } from '../../lib/backoff.js';
import {
  type GraphqlErrorEntry,
  ShopifyAdminError,
  ShopifyAuthError,
  ShopifyGraphqlError,
  ShopifyRateLimitError,
  ShopifyTimeoutError,
} from './adminErrors.js';
import { type QueryCost, retryAfterMs, throttleWaitMs } from './retryPolicy.js';

export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface AdminClientOptions {
  /** The shop's *.myshopify.com domain. */
  shopDomain: string;
  accessToken: string;
  /** Pinned, e.g. "2026-04": Shopify changes field shapes between versions. */
  apiVersion: string;
  /** SHOPIFY_ADMIN_API_URL: replaces https://{shop} (tests and local fakes); the path is kept. */
  adminApiUrl?: string;
  fetch?: FetchLike;
  /** Per attempt, including reading the body. */
  timeoutMs?: number;
  /** Attempts per query, counting the first. */
  maxAttempts?: number;
  /** First backoff step for 5xx, network errors and timeouts. */
  baseBackoffMs?: number;
  /** No single wait exceeds this, whatever the server asks for. */
  maxWaitMs?: number;
  throttleMarginMs?: number;
  onRetry?: (info: RetryInfo) => void;
  onWarning?: (message: string) => void;
}

export type RetryReason = 'throttled' | 'rate_limited' | 'server_error' | 'network' | 'timeout';

export interface RetryInfo {
  /** The attempt that failed (1-based). */
  attempt: number;
  reason: RetryReason;
  waitMs: number;
  /** For THROTTLED: the bucket the wait was computed from. */
  cost?: QueryCost;
}

export interface QueryResult<T> {
  data: T;
  cost: QueryCost | null;
}

/** One failed attempt: either worth retrying after waitMs, or final. */
type AttemptFailure =
  | { retry: RetryReason; waitMs: number; error: ShopifyAdminError; cost?: QueryCost }
  | { retry: null; error: ShopifyAdminError };

/**
 * GraphQL Admin API client on @shopify/admin-api-client, which builds the URL, headers and body.
 * Its retries stay at 0: it reads Retry-After as milliseconds and knows nothing of THROTTLED
 * (which arrives as HTTP 200), so retrying is done here, cost-aware.
 */
export class ShopifyAdminClient {
  private readonly client: AdminApiClient;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly baseBackoffMs: number;
  private readonly maxWaitMs: number;
  private readonly throttleMarginMs: number;
  private readonly onRetry?: (info: RetryInfo) => void;
  /** The bucket as of the last response: callers may pace themselves with it. */
  lastCost: QueryCost | null = null;

  constructor(opts: AdminClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.baseBackoffMs = opts.baseBackoffMs ?? 500;
    this.maxWaitMs = opts.maxWaitMs ?? 60_000;
    this.throttleMarginMs = opts.throttleMarginMs ?? 25;
    this.onRetry = opts.onRetry;
    const fetchImpl: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
    const base = opts.adminApiUrl?.replace(/\/+$/, '');
    this.client = createAdminApiClient({
      storeDomain: opts.shopDomain,
      apiVersion: opts.apiVersion,
      accessToken: opts.accessToken,
      retries: 0,
      userAgentPrefix: 'Lookout',
      // The library forces https://{shop}/admin/api/{version}/graphql.json; keep its path, swap the origin.
      customFetchApi: (url, init) => fetchImpl(rewriteUrl(url, base), init),
      logger: (log) => {
        if (log.type === 'Unsupported_Api_Version')
          opts.onWarning?.(`Shopify API version ${opts.apiVersion} is not currently supported`);
      },
    });
  }

  /** Runs one query; validates `data` against the schema so callers get typed values or an error. */
  async query<T>(operation: string, variables: Record<string, unknown>, schema: z.ZodType<T>): Promise<QueryResult<T>> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt(operation, variables, attempt);
      if ('data' in outcome) {
        const parsed = schema.safeParse(outcome.data);
        if (!parsed.success) {
          throw new ShopifyAdminError('invalid_response', `unexpected response shape: ${parsed.error.message}`);
        }
        return { data: parsed.data, cost: outcome.cost };
      }
      if (outcome.retry === null || attempt >= this.maxAttempts) {
        outcome.error.details.attempts = attempt;
        throw outcome.error;
      }
      const waitMs = Math.min(outcome.waitMs, this.maxWaitMs);
      this.onRetry?.({ attempt, reason: outcome.retry, waitMs, ...(outcome.cost ? { cost: outcome.cost } : {}) });
      await sleep(waitMs);
    }
  }

  private async attempt(
    operation: string,
    variables: Record<string, unknown>,
    attemptNo: number,
  ): Promise<{ data: unknown; cost: QueryCost | null } | AttemptFailure> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    const res = await this.client.request(operation, { variables, signal });
    const cost = readCost(res.extensions);
    if (cost) this.lastCost = cost;
    const failure = res.errors;
    if (!failure) return { data: res.data, cost };
    // The library reports non-2xx without reading the body: release the connection.
    if (failure.response && !failure.response.bodyUsed) await failure.response.body?.cancel().catch(() => {});

    const status = failure.networkStatusCode;
    if (signal.aborted) {
      return {
        retry: 'timeout',
        waitMs: this.backoff(attemptNo),
        error: new ShopifyTimeoutError('timeout', `no answer from Shopify within ${this.timeoutMs} ms`),
      };
    }
    if (status === undefined) {
      return {
        retry: 'network',
        waitMs: this.backoff(attemptNo),
        error: new ShopifyAdminError('network', failure.message ?? 'network error'),
      };
    }
    if (status === 401 || status === 403) {
      return {
        retry: null,
        error: new ShopifyAuthError('unauthorized', `Shopify refused the access token (HTTP ${status})`, { status }),
      };
    }
    if (status === 429) {
      const waitMs = retryAfterMs(failure.response?.headers.get('retry-after'), 1000);
      return {
        retry: 'rate_limited',
        waitMs,
        error: new ShopifyRateLimitError('rate_limited', 'HTTP 429 Too Many Requests', { status }),
      };
    }
    if (status >= 500) {
      return {
        retry: 'server_error',
        waitMs: this.backoff(attemptNo),
        error: new ShopifyAdminError('server_error', `HTTP ${status} from Shopify`, { status }),
      };
    }
    if (status !== 200) {
      return { retry: null, error: new ShopifyAdminError('http_error', `HTTP ${status} from Shopify`, { status }) };
    }
    const errors: GraphqlErrorEntry[] = (failure.graphQLErrors ?? []).map((e) => ({
      message: e.message,
      code: e.extensions?.code,
    }));
    if (errors.some((e) => e.code === 'THROTTLED')) {
      const waitMs = cost ? throttleWaitMs(cost, this.throttleMarginMs) : this.backoff(attemptNo);
      return {
        retry: 'throttled',
        waitMs,
        cost: cost ?? undefined,
        error: new ShopifyRateLimitError('rate_limited', 'THROTTLED: query cost exceeds the available bucket', {
          status,
        }),
      };
    }
    if (errors.length > 0) return { retry: null, error: new ShopifyGraphqlError(errors, status) };
    return {
      retry: null,
      error: new ShopifyAdminError('invalid_response', failure.message ?? 'response without data', { status }),
    };
  }

  private backoff(attemptNo: number): number {
    return backoffMs(attemptNo, this.baseBackoffMs);
  }
}

function rewriteUrl(libraryUrl: string, base: string | undefined): string {
  if (base === undefined) return libraryUrl;
  const { pathname, search } = new URL(libraryUrl);
  return `${base}${pathname}${search}`;
}

function readCost(extensions: unknown): QueryCost | null {
  if (typeof extensions !== 'object' || extensions === null) return null;
  const cost = (extensions as { cost?: unknown }).cost;
  if (typeof cost !== 'object' || cost === null) return null;
  const c = cost as Partial<QueryCost>;
  const t = c.throttleStatus;
  if (
    typeof c.requestedQueryCost !== 'number' ||
    !t ||
    typeof t.currentlyAvailable !== 'number' ||
    typeof t.restoreRate !== 'number'
  )
    return null;
  return {
    requestedQueryCost: c.requestedQueryCost,
    actualQueryCost: typeof c.actualQueryCost === 'number' ? c.actualQueryCost : null,
    throttleStatus: {
      maximumAvailable: t.maximumAvailable ?? 0,
      currentlyAvailable: t.currentlyAvailable,
      restoreRate: t.restoreRate,
    },
  };
}
