/**
 * Upper bounds (seconds) of the request-duration buckets, shared by the exported Prometheus
 * histogram and the hourly history. Steps of about 1.5× rather than Prometheus' default 2–2.5×,
 * so an interpolated p95 can show a 20 % change. The stored bucket arrays of
 * `request_latency_hourly` follow these bounds (plus +Inf): changing them needs a migration.
 */
export const LATENCY_BUCKETS_SECONDS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.04, 0.06, 0.1, 0.15, 0.25, 0.4, 0.6, 1, 1.5, 2.5, 5, 10,
];

/** Per-bucket (not cumulative) counts: one per bound, then the +Inf bucket. */
export type BucketCounts = number[];

export function emptyBuckets(bounds: readonly number[] = LATENCY_BUCKETS_SECONDS): BucketCounts {
  return new Array<number>(bounds.length + 1).fill(0);
}

/** Index of the bucket a duration falls in (`le` semantics: a value equal to a bound is inside it). */
export function bucketIndex(seconds: number, bounds: readonly number[] = LATENCY_BUCKETS_SECONDS): number {
  for (let i = 0; i < bounds.length; i++) if (seconds <= (bounds[i] as number)) return i;
  return bounds.length;
}

export function addBuckets(into: BucketCounts, from: readonly number[]): void {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

/**
 * The q-quantile of bucketed observations, interpolated linearly inside its bucket exactly as
 * PromQL's histogram_quantile does (first bucket from 0; a rank in +Inf answers the highest bound).
 * Null when there are no observations.
 */
export function quantileFromBuckets(
  q: number,
  counts: readonly number[],
  bounds: readonly number[] = LATENCY_BUCKETS_SECONDS,
): number | null {
  const total = counts.reduce((sum, c) => sum + c, 0);
  if (total === 0) return null;
  const rank = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] as number;
    if (cumulative + count >= rank && count > 0) {
      if (i >= bounds.length) return bounds[bounds.length - 1] as number;
      const lower = i === 0 ? 0 : (bounds[i - 1] as number);
      const upper = bounds[i] as number;
      return lower + (upper - lower) * ((rank - cumulative) / count);
    }
    cumulative += count;
  }
  return bounds[bounds.length - 1] as number;
}
