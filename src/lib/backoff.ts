/**
 * The one retry backoff: exponential, with "equal jitter" (half the step fixed, half random), so
 * the retries of a burst spread out instead of arriving together. `attempt` counts from 1.
 */
export function backoffMs(
  attempt: number,
  baseMs: number,
  maxMs: number = Number.POSITIVE_INFINITY,
  random: () => number = Math.random,
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
