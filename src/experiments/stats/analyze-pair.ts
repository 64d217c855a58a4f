/** One treatment against control under one engine: the unit every experiment analysis is made of. */
import { type ArmMoments, armMoments } from './arm-moments.ts';
import { bayesianPosterior, FLAT_PRIOR, type GaussianPrior, scalePrior } from './bayesian.ts';
import { comparisonTheta } from './cuped-theta.ts';
import { computeEffect, type DifferenceType, type Effect, type EffectError } from './effect.ts';
import { type Sided, welchTest } from './frequentist.ts';
import { sequentialTest } from './sequential.ts';
import { normSf } from './special/normal.ts';
import type { VariationStats } from './sufficient-stats.ts';

export type Engine = 'frequentist' | 'bayesian';

export type PairOptions = {
  engine: Engine;
  difference: DifferenceType;
  alpha: number;
  /** Frequentist only; Bayesian intervals are always central. */
  sided: Sided;
  /** Tuning sample size of the confidence sequence; null/undefined = fixed-horizon test. */
  sequentialTuning?: number | null;
  prior?: GaussianPrior;
  /** Lower is better (e.g. bounce rate): chance to win and risk are mirrored. */
  inverse?: boolean;
  /** false disables CUPED even for pre-period statistics (θ = 0). */
  cuped?: boolean;
};

export type PairResult = {
  /** Point estimate (Bayesian: posterior mean). */
  estimate: number;
  ci: [number, number];
  /** Standard error (Bayesian: posterior sd). */
  se: number;
  /** Frequentist p-value (null for the Bayesian engine). */
  pValue: number | null;
  /** P(treatment better than control); for frequentist, from the flat-prior normal approximation. */
  chanceToWin: number;
  /** Bayesian expected loss [choosing control, choosing treatment]; null for frequentist. */
  risk: [number, number] | null;
  dof: number;
  theta: number;
  control: ArmMoments;
  treatment: ArmMoments;
  error: EffectError | null;
};

function defaultResult(p: PairOptions, control: ArmMoments, treatment: ArmMoments, e: Effect, theta: number) {
  const result: PairResult = {
    estimate: 0,
    ci: [0, 0],
    se: 0,
    pValue: p.engine === 'frequentist' ? 1 : null,
    chanceToWin: 0.5,
    risk: p.engine === 'bayesian' ? [0, 0] : null,
    dof: 0,
    theta,
    control,
    treatment,
    error: e.error,
  };
  return result;
}

export function analyzePair(
  controlStats: VariationStats,
  treatmentStats: VariationStats,
  p: PairOptions,
): PairResult {
  const theta = p.cuped === false ? 0 : comparisonTheta(controlStats, treatmentStats);
  const control = armMoments(controlStats, theta);
  const treatment = armMoments(treatmentStats, theta);
  const relative = p.difference === 'relative';
  const e = computeEffect(control, treatment, p.difference);
  if (e.error) return defaultResult(p, control, treatment, e, theta);
  const se = Math.sqrt(e.variance);
  if (p.engine === 'bayesian') {
    const prior = scalePrior(p.prior ?? FLAT_PRIOR, relative, control.unadjusted);
    const b = bayesianPosterior(e.estimate, e.variance, prior, p.alpha, p.inverse);
    return {
      estimate: b.mean,
      ci: b.ci,
      se: b.sd,
      pValue: null,
      chanceToWin: b.chanceToWin,
      risk: b.risk,
      dof: e.dof,
      theta,
      control,
      treatment,
      error: null,
    };
  }
  const test =
    p.sequentialTuning != null
      ? sequentialTest(e.estimate, e.variance, control.n + treatment.n, p.alpha, p.sided, p.sequentialTuning)
      : welchTest(e.estimate, e.variance, e.dof, p.alpha, p.sided);
  const win = normSf(-e.estimate / se);
  return {
    estimate: e.estimate,
    ci: test.ci,
    se,
    pValue: test.pValue,
    chanceToWin: p.inverse ? 1 - win : win,
    risk: null,
    dof: e.dof,
    theta,
    control,
    treatment,
    error: null,
  };
}
