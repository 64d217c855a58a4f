/**
 * Sufficient statistics per variation: everything the engine needs, nothing per unit. Sums are over
 * units (users); `n` counts units. Pre-period sums feed CUPED; cross-products feed covariances.
 */

/** Count, sum and sum of squares of one per-unit quantity. */
export type MomentSums = { n: number; sum: number; sumSquares: number };

export type MeanStats = { type: 'mean' } & MomentSums;

/** Binary per-unit outcome: sum counts conversions; variance is p(1-p) (population form). */
export type ProportionStats = { type: 'proportion'; n: number; sum: number };

/** Ratio of two per-unit sums (e.g. revenue per order): numerator m and denominator d. */
export type RatioStats = {
  type: 'ratio';
  n: number;
  m: MomentSums;
  d: MomentSums;
  /** Σ m_i d_i */
  mdSumOfProducts: number;
};

/** CUPED / regression adjustment of a mean or proportion by its pre-period value. */
export type CupedStats = {
  type: 'mean_ra';
  n: number;
  post: MeanStats | ProportionStats;
  pre: MeanStats | ProportionStats;
  /** Σ post_i pre_i */
  postPreSumOfProducts: number;
  /** Fixed adjustment coefficient; estimated from both arms when absent or null. */
  theta?: number | null;
};

/** Ratio metric with CUPED on numerator and denominator (pre-period ratio as covariate). */
export type RatioCupedStats = {
  type: 'ratio_ra';
  n: number;
  mPost: MomentSums;
  dPost: MomentSums;
  mPre: MomentSums;
  dPre: MomentSums;
  mPostMPreSumOfProducts: number;
  dPostDPreSumOfProducts: number;
  mPreDPreSumOfProducts: number;
  mPostDPostSumOfProducts: number;
  mPostDPreSumOfProducts: number;
  mPreDPostSumOfProducts: number;
  theta?: number | null;
};

/**
 * A sample quantile with its (cluster-aware) confidence bounds: n units, nStar observations, quantile
 * level nu, estimate and the 95% bounds used to derive its variance.
 */
export type QuantileStats = {
  type: 'quantile';
  n: number;
  nStar: number;
  nu: number;
  quantileHat: number;
  quantileLower: number;
  quantileUpper: number;
};

export type VariationStats =
  | MeanStats
  | ProportionStats
  | RatioStats
  | CupedStats
  | RatioCupedStats
  | QuantileStats;

/** Sample variance with n-1 in the denominator; 0 when n <= 1. */
export function sampleVariance(s: MomentSums): number {
  if (s.n <= 1) return 0;
  return (s.sumSquares - (s.sum * s.sum) / s.n) / (s.n - 1);
}

/** Sample covariance of two per-unit quantities with the same n. */
export function sampleCovariance(n: number, sumA: number, sumB: number, sumOfProducts: number): number {
  if (n <= 1) return 0;
  return (sumOfProducts - (sumA * sumB) / n) / (n - 1);
}

export function statMean(s: MeanStats | ProportionStats): number {
  return s.n > 0 ? s.sum / s.n : 0;
}

/** Variance of one per-unit value: p(1-p) for proportions, sample variance for means. */
export function statVariance(s: MeanStats | ProportionStats): number {
  if (s.type === 'proportion') {
    const p = statMean(s);
    return p * (1 - p);
  }
  return sampleVariance(s);
}
