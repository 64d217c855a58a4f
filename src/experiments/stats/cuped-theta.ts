/**
 * CUPED adjustment coefficient θ estimated from both arms of one comparison.
 * - mean/proportion: regression slope cov(post, pre) / var(pre) on the pooled units of both arms.
 * - ratio: the θ minimising Var(A_T - A_C) from the delta-method moments of post and pre ratios.
 */
import { cupedCovariance, ratioCupedParts } from './arm-moments.ts';
import {
  type CupedStats,
  type MeanStats,
  type ProportionStats,
  type RatioCupedStats,
  statVariance,
  type VariationStats,
} from './sufficient-stats.ts';

function pooled(a: MeanStats | ProportionStats, b: MeanStats | ProportionStats): MeanStats | ProportionStats {
  if (a.type === 'proportion' && b.type === 'proportion') {
    return { type: 'proportion', n: a.n + b.n, sum: a.sum + b.sum };
  }
  const ssA = a.type === 'proportion' ? a.sum : a.sumSquares;
  const ssB = b.type === 'proportion' ? b.sum : b.sumSquares;
  return { type: 'mean', n: a.n + b.n, sum: a.sum + b.sum, sumSquares: ssA + ssB };
}

export function pooledCupedTheta(a: CupedStats, b: CupedStats): number {
  const joint: CupedStats = {
    type: 'mean_ra',
    n: a.n + b.n,
    post: pooled(a.post, b.post),
    pre: pooled(a.pre, b.pre),
    postPreSumOfProducts: a.postPreSumOfProducts + b.postPreSumOfProducts,
  };
  const vPre = statVariance(joint.pre);
  if (!(vPre > 0)) return 0;
  return cupedCovariance(joint) / vPre;
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
