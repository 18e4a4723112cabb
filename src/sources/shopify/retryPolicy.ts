/**
 * How long to wait before retrying the Admin API. Pure functions, so the arithmetic is testable
 * without a clock.
 */

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

/**
 * THROTTLED: the bucket holds fewer points than the query asked for and refills at restoreRate
 * points per second, so waiting for exactly the deficit is the shortest wait that can succeed.
 * The margin absorbs timer granularity and clock drift between us and Shopify.
 */
export function throttleWaitMs(cost: QueryCost, marginMs: number): number {
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  const deficit = Math.max(0, cost.requestedQueryCost - currentlyAvailable);
  if (restoreRate <= 0) return marginMs;
  return Math.ceil((deficit / restoreRate) * 1000) + marginMs;
}

/**
 * 429 Retry-After is in SECONDS (Shopify sends "2.0"); @shopify/graphql-client would read it as
 * milliseconds, which is why its own retries stay off. An HTTP-date is accepted too.
 */
export function retryAfterMs(header: string | null | undefined, fallbackMs: number, now = Date.now()): number {
  if (!header) return fallbackMs;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - now);
}
