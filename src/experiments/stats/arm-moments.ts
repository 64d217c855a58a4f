/**
 * Reduces one variation's sufficient statistics to the moments the delta method needs: the (possibly
 * CUPED-adjusted) mean A, the unadjusted mean U that relative lifts divide by, and the per-unit
 * variances/covariance of A and U. Keeping only these scalars keeps every test allocation-light.
 */
import { normQuantile } from './special/normal.ts';
import {
  type CupedStats,
  type MeanStats,
  type MomentSums,
  type ProportionStats,
  type QuantileStats,
  type RatioCupedStats,
  type RatioStats,
  sampleCovariance,
  sampleVariance,
  statMean,
  statVariance,
  type VariationStats,
} from './sufficient-stats.ts';

export type ArmMoments = {
  n: number;
  /** Adjusted mean (equals `unadjusted` without CUPED). */
  mean: number;
  /** Unadjusted mean: the baseline of relative lifts. */
  unadjusted: number;
  /** Per-unit variance of the adjusted mean's summand. */
  variance: number;
  /** Per-unit covariance between adjusted and unadjusted summands. */
  covAdjUnadj: number;
  /** Per-unit variance of the unadjusted summand. */
  varianceUnadj: number;
  /**
   * Mean at which the relative-lift gradient is evaluated. Under randomisation the adjusted and
   * unadjusted lifts share a limit; the reference engine plugs in the unadjusted one for mean CUPED
   * and the adjusted one for ratio CUPED, and we follow it so results agree to full precision.
   */
  gradientMean: number;
};

function plain(n: number, mean: number, variance: number): ArmMoments {
  return {
    n,
    mean,
    unadjusted: mean,
    variance,
    covAdjUnadj: variance,
    varianceUnadj: variance,
    gradientMean: mean,
  };
}

/** Covariance of post and pre: population form when both are proportions, sample form otherwise. */
export function cupedCovariance(s: CupedStats): number {
  if (s.post.type === 'proportion' && s.pre.type === 'proportion') {
    return s.n > 0 ? s.postPreSumOfProducts / s.n - (s.post.sum * s.pre.sum) / (s.n * s.n) : 0;
  }
  return sampleCovariance(s.n, s.post.sum, s.pre.sum, s.postPreSumOfProducts);
}

/** Delta-method per-unit variance of a ratio m/d from its parts. */
function ratioVariance(mM: number, mD: number, vM: number, vD: number, cov: number): number {
  return vM / (mD * mD) + (vD * mM * mM) / (mD * mD * mD * mD) - (2 * cov * mM) / (mD * mD * mD);
}

function ratioMoments(s: RatioStats): ArmMoments {
  const mM = s.m.sum / s.n;
  const mD = s.d.sum / s.n;
  const cov = sampleCovariance(s.n, s.m.sum, s.d.sum, s.mdSumOfProducts);
  return plain(s.n, mM / mD, ratioVariance(mM, mD, sampleVariance(s.m), sampleVariance(s.d), cov));
}

function cupedMoments(s: CupedStats, theta: number): ArmMoments {
  const post = statMean(s.post);
  const pre = statMean(s.pre);
  const vPost = statVariance(s.post);
  const vPre = statVariance(s.pre);
  const cov = cupedCovariance(s);
  return {
    n: s.n,
    mean: post - theta * pre,
    unadjusted: post,
    variance: vPost + theta * theta * vPre - 2 * theta * cov,
    covAdjUnadj: vPost - theta * cov,
    varianceUnadj: vPost,
    gradientMean: post,
  };
}

/** Gradient-weighted moments of the post ratio (u), the pre ratio (w) and their cross term. */
export type RatioCupedParts = { post: number; pre: number; vPost: number; vPre: number; cross: number };

export function ratioCupedParts(s: RatioCupedStats): RatioCupedParts {
  const n = s.n;
  const mp = s.mPost.sum / n;
  const dp = s.dPost.sum / n;
  const mq = s.mPre.sum / n;
  const dq = s.dPre.sum / n;
  // Gradients of m/d: (1/d, -m/d^2) for the post (u) and pre (w) ratios.
  const u1 = 1 / dp;
  const u2 = -mp / (dp * dp);
  const w1 = 1 / dq;
  const w2 = -mq / (dq * dq);
  const cov = (a: MomentSums, b: MomentSums, sp: number) => sampleCovariance(n, a.sum, b.sum, sp);
  const vmp = sampleVariance(s.mPost);
  const vdp = sampleVariance(s.dPost);
  const vmq = sampleVariance(s.mPre);
  const vdq = sampleVariance(s.dPre);
  const cMpDp = cov(s.mPost, s.dPost, s.mPostDPostSumOfProducts);
  const cMqDq = cov(s.mPre, s.dPre, s.mPreDPreSumOfProducts);
  const cMpMq = cov(s.mPost, s.mPre, s.mPostMPreSumOfProducts);
  const cMpDq = cov(s.mPost, s.dPre, s.mPostDPreSumOfProducts);
  const cDpMq = cov(s.dPost, s.mPre, s.mPreDPostSumOfProducts);
  const cDpDq = cov(s.dPost, s.dPre, s.dPostDPreSumOfProducts);
  return {
    post: mp / dp,
    pre: mq / dq,
    vPost: u1 * u1 * vmp + u2 * u2 * vdp + 2 * u1 * u2 * cMpDp,
    vPre: w1 * w1 * vmq + w2 * w2 * vdq + 2 * w1 * w2 * cMqDq,
    cross: u1 * w1 * cMpMq + u1 * w2 * cMpDq + u2 * w1 * cDpMq + u2 * w2 * cDpDq,
  };
}

function ratioCupedMoments(s: RatioCupedStats, theta: number): ArmMoments {
  const p = ratioCupedParts(s);
  return {
    n: s.n,
    mean: p.post - theta * p.pre,
    unadjusted: p.post,
    variance: p.vPost + theta * theta * p.vPre - 2 * theta * p.cross,
    covAdjUnadj: p.vPost - theta * p.cross,
    varianceUnadj: p.vPost,
    gradientMean: p.post - theta * p.pre,
  };
}

/** The quantile bounds are 95% intervals: their half-width over z(0.975) is the standard error. */
const Z_975 = normQuantile(0.975);

function quantileVariance(s: QuantileStats): number {
  const sd = (s.quantileUpper - s.quantileLower) / (2 * Z_975);
  const v = (s.nStar / s.n) * (s.n - 1) * sd * sd;
  return s.n >= 100 ? Math.max(v, 1e-5) : v;
}

function simpleMoments(s: MeanStats | ProportionStats): ArmMoments {
  return plain(s.n, statMean(s), s.n > 0 ? statVariance(s) : 0);
}

/** Moments of one arm; `theta` applies to the CUPED types only. */
export function armMoments(s: VariationStats, theta = 0): ArmMoments {
  switch (s.type) {
    case 'mean':
    case 'proportion':
      return simpleMoments(s);
    case 'ratio':
      return ratioMoments(s);
    case 'mean_ra':
      return cupedMoments(s, theta);
    case 'ratio_ra':
      return ratioCupedMoments(s, theta);
    case 'quantile':
      return plain(s.n, s.quantileHat, quantileVariance(s));
  }
}
