/**
 * CUPED adjustment coefficient θ estimated from both arms of one comparison.
 * - mean/proportion: regression slope cov(post, pre) / var(pre) on the pooled units of both arms.
 * - ratio: the θ minimising Var(A_T - A_C) from the delta-method moments of post and pre ratios.
 */
import { ratioCupedParts } from './arm-moments.ts';
import {
  type CupedStats,
  type MeanStats,
  type ProportionStats,
  type RatioCupedStats,
  sampleCovariance,
  sampleVariance,
  type VariationStats,
} from './sufficient-stats.ts';

function sumSquares(s: MeanStats | ProportionStats): number {
  return s.type === 'proportion' ? s.sum : s.sumSquares;
}

/** Regression slope on the pooled units of both arms, computed from summed sums without allocating. */
export function pooledCupedTheta(a: CupedStats, b: CupedStats): number {
  const n = a.n + b.n;
  const pre = a.pre.sum + b.pre.sum;
  const post = a.post.sum + b.post.sum;
  const sp = a.postPreSumOfProducts + b.postPreSumOfProducts;
  const proportions =
    a.post.type === 'proportion' &&
    b.post.type === 'proportion' &&
    a.pre.type === 'proportion' &&
    b.pre.type === 'proportion';
  let vPre: number;
  let cov: number;
  if (proportions) {
    const p = pre / n;
    vPre = p * (1 - p);
    cov = sp / n - (post * pre) / (n * n);
  } else {
    vPre = sampleVariance({ n, sum: pre, sumSquares: sumSquares(a.pre) + sumSquares(b.pre) });
    cov = sampleCovariance(n, post, pre, sp);
  }
  if (!(vPre > 0)) return 0;
  return cov / vPre;
}

export function ratioCupedTheta(a: RatioCupedStats, b: RatioCupedStats): number {
  const pa = ratioCupedParts(a);
  const pb = ratioCupedParts(b);
  const denominator = pa.vPre / a.n + pb.vPre / b.n;
  if (!(denominator > 0)) return 0;
  return (pa.cross / a.n + pb.cross / b.n) / denominator;
}

/** θ for a control/treatment pair: the fixed θ when given, else the estimate; 0 for non-CUPED types. */
export function comparisonTheta(control: VariationStats, treatment: VariationStats): number {
  if (control.type === 'mean_ra' && treatment.type === 'mean_ra') {
    return control.theta ?? treatment.theta ?? pooledCupedTheta(control, treatment);
  }
  if (control.type === 'ratio_ra' && treatment.type === 'ratio_ra') {
    return control.theta ?? treatment.theta ?? ratioCupedTheta(control, treatment);
  }
  return 0;
}
