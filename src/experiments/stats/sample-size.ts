/**
 * Classical sample-size and power formulas for planning (per group, two groups of equal size), with
 * the conventions of R's power.prop.test / power.t.test, and duration from daily traffic.
 */
import { noncentralTCdf } from './special/noncentral-t.ts';
import { normCdf, normQuantile } from './special/normal.ts';
import { tQuantile } from './special/student-t.ts';

/** Two-sided unless `oneSided`. */
export type PlanTest = { alpha: number; oneSided?: boolean };

function zAlpha(t: PlanTest): number {
  return normQuantile(1 - (t.oneSided ? t.alpha : t.alpha / 2));
}

/** R power.prop.test (strict = FALSE): pooled variance under H0, unpooled under H1. */
export function powerTwoProportions(n: number, p1: number, p2: number, t: PlanTest): number {
  const pbar = (p1 + p2) / 2;
  const h1 = Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return normCdf((Math.sqrt(n) * Math.abs(p1 - p2) - zAlpha(t) * Math.sqrt(2 * pbar * (1 - pbar))) / h1);
}

/** Power of the two-sample t-test with common sd (R power.t.test, strict = FALSE). */
export function powerTwoMeans(n: number, delta: number, sd: number, t: PlanTest): number {
  const df = 2 * (n - 1);
  const crit = tQuantile(1 - (t.oneSided ? t.alpha : t.alpha / 2), df);
  return 1 - noncentralTCdf(crit, df, Math.sqrt(n / 2) * (Math.abs(delta) / sd));
}

/** Root of an increasing function on [lo, hi] by bisection to relative precision 1e-12. */
export function solveIncreasing(f: (x: number) => number, target: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  for (let i = 0; i < 200 && b - a > 1e-12 * Math.max(1, Math.abs(b)); i++) {
    const m = 0.5 * (a + b);
    if (f(m) < target) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

/** Units per group for the two-proportion test (continuous: round up yourself). */
export function sampleSizeTwoProportions(p1: number, p2: number, power: number, t: PlanTest): number {
  return solveIncreasing((n) => powerTwoProportions(n, p1, p2, t), power, 2, 1e12);
}

/** Units per group for the two-sample t-test. */
export function sampleSizeTwoMeans(delta: number, sd: number, power: number, t: PlanTest): number {
  return solveIncreasing((n) => powerTwoMeans(n, delta, sd, t), power, 2, 1e12);
}

/**
 * Closed-form normal-approximation sizes per group for proportions, for comparison with calculators:
 * 'baseline-null' uses 2p1(1-p1) under H0 (Evan Miller's calculator), 'unpooled' the sum of both
 * binomial variances, 'baseline-only' 2p1(1-p1) under both hypotheses.
 */
export function normalSampleSize(
  p1: number,
  p2: number,
  power: number,
  t: PlanTest,
  formula: 'baseline-null' | 'unpooled' | 'baseline-only',
): number {
  const za = zAlpha(t);
  const zb = normQuantile(power);
  const d = p2 - p1;
  const v1 = p1 * (1 - p1);
  const v2 = p2 * (1 - p2);
  if (formula === 'baseline-null') return (za * Math.sqrt(2 * v1) + zb * Math.sqrt(v1 + v2)) ** 2 / (d * d);
  if (formula === 'unpooled') return ((za + zb) ** 2 * (v1 + v2)) / (d * d);
  return (2 * (za + zb) ** 2 * v1) / (d * d);
}

/** Normal-approximation units per group for a difference in means with known variance. */
export function normalSampleSizeMeans(delta: number, variance: number, power: number, t: PlanTest): number {
  const z = zAlpha(t) + normQuantile(power);
  return (2 * z * z * variance) / (delta * delta);
}

/** Days until every variation has `perVariation` units, given today's eligible daily traffic. */
export function expectedDurationDays(
  perVariation: number,
  variations: number,
  dailyUnits: number,
  trafficShare = 1,
): number {
  const daily = dailyUnits * trafficShare;
  if (!(daily > 0)) return Number.POSITIVE_INFINITY;
  return Math.ceil((perVariation * variations) / daily);
}
