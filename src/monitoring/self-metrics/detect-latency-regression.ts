const HOUR_MS = 3_600_000;

/** One UTC hour of request latency, over all routes of the history or one route. */
export interface HourlyP95 {
  hour: Date;
  requests: number;
  /** Interpolated from the hour's buckets; null for an hour without requests. */
  p95Ms: number | null;
}

export interface LatencyRegressionOptions {
  /** Regressed when current > baseline × (1 + threshold). The seed's rule: 0.2. */
  threshold: number;
  /** Hours of baseline before the current hour. */
  baselineHours: number;
  /** Hours with fewer requests are ignored: a p95 of a handful of requests is noise. */
  minRequestsPerHour: number;
  /** Fewer usable baseline hours than this: no verdict (a new install has no baseline yet). */
  minBaselineHours: number;
}

export const DEFAULT_REGRESSION_OPTIONS: LatencyRegressionOptions = {
  threshold: 0.2,
  baselineHours: 7 * 24,
  minRequestsPerHour: 20,
  minBaselineHours: 24,
};

export interface LatencyRegression {
  regressed: boolean;
  /** Why: regressed, within_baseline, or no verdict for lack of data. */
  reason: 'regressed' | 'within_baseline' | 'too_few_requests' | 'insufficient_baseline';
  /** The hour judged: the last complete UTC hour before `now`. */
  hour: Date;
  /** p95 of that hour, ms. */
  current: number | null;
  /** Median of the usable hourly p95s of the 7 days before it, ms. */
  baseline: number | null;
  /** current / baseline. */
  ratio: number | null;
  baselineHoursUsed: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The performance-regression rule: the last complete hour's p95 more than 20 % above the
 * baseline, the median of the hourly p95s of the previous 7 days. A median of hours (not one p95
 * over the week) keeps one bad hour or a night of light traffic from moving the baseline.
 */
export function detectLatencyRegression(
  hourly: readonly HourlyP95[],
  now: Date,
  options: LatencyRegressionOptions = DEFAULT_REGRESSION_OPTIONS,
): LatencyRegression {
  const hourStart = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const baselineStart = hourStart - options.baselineHours * HOUR_MS;
  const usable = (h: HourlyP95): h is HourlyP95 & { p95Ms: number } =>
    h.p95Ms !== null && h.requests >= options.minRequestsPerHour;

  const currentEntry = hourly.find((h) => h.hour.getTime() === hourStart);
  const baselineP95s = hourly
    .filter((h) => h.hour.getTime() >= baselineStart && h.hour.getTime() < hourStart && usable(h))
    .map((h) => h.p95Ms as number);
  const current = currentEntry && usable(currentEntry) ? currentEntry.p95Ms : null;
  const baseline =
    baselineP95s.length >= options.minBaselineHours && baselineP95s.length > 0 ? median(baselineP95s) : null;
  const result = {
    hour: new Date(hourStart),
    current,
    baseline,
    ratio: current !== null && baseline !== null && baseline > 0 ? current / baseline : null,
    baselineHoursUsed: baselineP95s.length,
  };
  if (current === null) return { ...result, regressed: false, reason: 'too_few_requests' };
  if (result.ratio === null) return { ...result, regressed: false, reason: 'insufficient_baseline' };
  const regressed = result.ratio > 1 + options.threshold;
  return { ...result, regressed, reason: regressed ? 'regressed' : 'within_baseline' };
}
