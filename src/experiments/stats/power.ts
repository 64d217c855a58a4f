/**
 * Power and minimum detectable effect for planning: per-unit metric moments, users per variation and
 * the engine's settings in; power or MDE out. Effects and MDEs are always lifts (fractions of the
 * control mean); `relative: false` only switches the analysis to absolute differences.
 */
import type { GaussianPrior } from './bayesian.ts';
import { sequentialHalfWidth } from './sequential.ts';
import { normCdf, normQuantile } from './special/normal.ts';

/** Per-unit mean and variance of the metric in control (binomial: variance p(1-p)). */
export type PowerMetric = { mean: number; variance: number };

export type PowerSettings = {
  alpha: number;
  /** Default true. */
  twoTailed?: boolean;
  /** Tuning of the confidence sequence when the analysis will be sequential. */
  sequentialTuning?: number | null;
  /** Default true: effects are relative lifts. */
  relative?: boolean;
};

/** Variance of the effect estimate: delta method for relative lifts (B is treatment, A control). */
export function frequentistVariance(
  varA: number,
  meanA: number,
  nA: number,
  varB: number,
  meanB: number,
  nB: number,
  relative: boolean,
): number {
  if (!relative) return varB / nB + varA / nA;
  return varB / (meanA * meanA * nB) + (varA * meanB * meanB) / (meanA * meanA * meanA * meanA * nA);
}

/** A lift expressed on the analysis scale. */
function onScale(m: PowerMetric, lift: number, s: PowerSettings): number {
  return s.relative === false ? lift * m.mean : lift;
}

function criticalZ(s: PowerSettings): number {
  return normQuantile(1 - (s.twoTailed === false ? s.alpha : s.alpha / 2));
}

/**
 * How much a confidence sequence widens the interval compared with a fixed-horizon one, as a factor
 * on the standard error (both arms count towards N).
 */
export function sequentialInflation(nTotal: number, s: PowerSettings): number {
  if (s.sequentialTuning == null) return 1;
  return sequentialHalfWidth(1, nTotal, s.alpha, s.sequentialTuning) / criticalZ(s);
}

/**
 * Standard error of the effect estimate, on the analysis scale, when the true lift is `effect`
 * (treatment variance taken equal to control's).
 */
export function effectStandardError(
  m: PowerMetric,
  effect: number,
  nPerVariation: number,
  s: PowerSettings,
): number {
  const relative = s.relative !== false;
  const meanB = m.mean * (1 + effect);
  const v = frequentistVariance(
    m.variance,
    m.mean,
    nPerVariation,
    m.variance,
    meanB,
    nPerVariation,
    relative,
  );
  return Math.sqrt(v) * sequentialInflation(2 * nPerVariation, s);
}

/** Probability of a significant result (either direction when two-tailed) for a true effect. */
export function frequentistPower(
  m: PowerMetric,
  effect: number,
  nPerVariation: number,
  s: PowerSettings,
): number {
  const z = criticalZ(s);
  const shift = onScale(m, effect, s) / effectStandardError(m, effect, nPerVariation, s);
  const upper = 1 - normCdf(z - shift);
  return s.twoTailed === false ? upper : upper + normCdf(-z - shift);
}

/**
 * Smallest positive effect reaching `targetPower` (the far tail ignored), in closed form: for relative
 * lifts the effect solves a quadratic because the treatment mean enters the variance. NaN if none.
 */
export function frequentistMde(
  m: PowerMetric,
  nPerVariation: number,
  targetPower: number,
  s: PowerSettings,
): number {
  const zSum = criticalZ(s) + normQuantile(targetPower);
  const f = sequentialInflation(2 * nPerVariation, s);
  if (s.relative === false)
    return (zSum * f * Math.sqrt((2 * m.variance) / nPerVariation)) / Math.abs(m.mean);
  const k = (zSum * zSum * f * f * m.variance) / (m.mean * m.mean * nPerVariation);
  if (k >= 1) return Number.NaN;
  return (k + Math.sqrt(k * k + 2 * k * (1 - k))) / (1 - k);
}

/**
 * Bayesian power: probability that the posterior (prior on the lift, flat when improper) puts the
 * credible interval entirely on one side of zero, i.e. the estimate passes a prior-shifted cutpoint.
 */
export function bayesianPower(
  m: PowerMetric,
  effect: number,
  nPerVariation: number,
  prior: GaussianPrior,
  s: PowerSettings,
): number {
  const relative = s.relative !== false;
  const se = effectStandardError(m, effect, nPerVariation, { ...s, sequentialTuning: null });
  const v = se * se;
  const priorMean = relative ? prior.mean : prior.mean * Math.abs(m.mean);
  const priorPrecision = prior.proper ? 1 / (prior.variance * (relative ? 1 : m.mean * m.mean)) : 0;
  const z = criticalZ(s);
  const postSdTimesZ = z * Math.sqrt(1 / (1 / v + priorPrecision));
  // Posterior mean (est/v + μ0·τ0)/(1/v + τ0) beyond ±z·sd  <=>  est beyond these cutpoints.
  const precision = 1 / v + priorPrecision;
  const upperCut = v * (postSdTimesZ * precision - priorMean * priorPrecision);
  const lowerCut = v * (-postSdTimesZ * precision - priorMean * priorPrecision);
  const delta = onScale(m, effect, s);
  const up = 1 - normCdf((upperCut - delta) / se);
  return s.twoTailed === false ? up : up + normCdf((lowerCut - delta) / se);
}

/** Smallest positive lift with Bayesian power >= target, by bisection (power grows with the effect). */
export function bayesianMde(
  m: PowerMetric,
  nPerVariation: number,
  targetPower: number,
  prior: GaussianPrior,
  s: PowerSettings,
): number {
  let hi = 1e-6;
  while (bayesianPower(m, hi, nPerVariation, prior, s) < targetPower) {
    hi *= 2;
    if (hi > 1e6) return Number.NaN;
  }
  let lo = 0;
  for (let i = 0; i < 100 && hi - lo > 1e-12 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (bayesianPower(m, mid, nPerVariation, prior, s) >= targetPower) hi = mid;
    else lo = mid;
  }
  return hi;
}

export type MidExperimentInput = {
  /** Variance of the current relative-effect estimate and the units it was computed from (both arms). */
  effectVariance: number;
  nTotal: number;
  targetMde: number;
  targetPower: number;
  settings: PowerSettings;
  /** Bayesian power with this prior on the lift instead of a frequentist test. */
  prior?: GaussianPrior;
};

/** Power after multiplying the current sample by `multiple` (variance shrinks, N grows). */
export function powerAtMultiple(x: MidExperimentInput, multiple: number): number {
  const v = x.effectVariance / multiple;
  const s = x.settings;
  const z = criticalZ(s);
  if (x.prior?.proper) {
    const tau = 1 / x.prior.variance;
    const precision = 1 / v + tau;
    const zSd = z * Math.sqrt(1 / precision);
    const se = Math.sqrt(v);
    const up = v * (zSd * precision - x.prior.mean * tau);
    const lo = v * (-zSd * precision - x.prior.mean * tau);
    return 1 - normCdf((up - x.targetMde) / se) + normCdf((lo - x.targetMde) / se);
  }
  const se = Math.sqrt(v) * sequentialInflation(x.nTotal * multiple, s);
  const shift = x.targetMde / se;
  return 1 - normCdf(z - shift) + normCdf(-z - shift);
}

/**
 * Additional sample, as a multiple of the current one, needed to reach the target power for the
 * target MDE (0 when already there; NaN when unreachable within 1e6×).
 */
export function additionalSampleMultiple(x: MidExperimentInput): number {
  if (powerAtMultiple(x, 1) >= x.targetPower) return 0;
  let hi = 2;
  while (powerAtMultiple(x, hi) < x.targetPower) {
    hi *= 2;
    if (hi > 1e6) return Number.NaN;
  }
  let lo = hi / 2;
  for (let i = 0; i < 100 && hi - lo > 1e-10 * hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (powerAtMultiple(x, mid) >= x.targetPower) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}
