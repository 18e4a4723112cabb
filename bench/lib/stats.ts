/** Percentiles and rates for bench output. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when empty. */
export function percentile(samples: ArrayLike<number>, p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = Float64Array.from(samples).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summary(samples: ArrayLike<number>): {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
} {
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < samples.length; i++) {
    sum += samples[i]!;
    if (samples[i]! > max) max = samples[i]!;
  }
  return {
    n: samples.length,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
    p99: percentile(samples, 99),
    max,
    mean: samples.length ? sum / samples.length : Number.NaN,
  };
}

export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : String(n);

export const ms = (n: number): string => `${fmt(n, n < 10 ? 2 : 1)} ms`;

/** Wall clock comparable across processes on one machine (unlike performance.now alone). */
export const wallNow = (): number => performance.timeOrigin + performance.now();
