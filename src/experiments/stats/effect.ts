/**
 * Effect of a treatment arm against control with its delta-method variance: absolute (A_T - A_C) or
 * relative ((A_T - A_C) / |U_C|), where A is the (CUPED-adjusted) mean and U the unadjusted baseline.
 */
import type { ArmMoments } from './arm-moments.ts';

export type DifferenceType = 'absolute' | 'relative';

export type EffectError = 'INSUFFICIENT_UNITS' | 'BASELINE_ZERO' | 'ZERO_NEGATIVE_VARIANCE';

export type Effect = {
  estimate: number;
  /** Variance of the estimate (not per unit). */
  variance: number;
  /** Welch-Satterthwaite degrees of freedom from the per-unit arm variances. */
  dof: number;
  error: EffectError | null;
};

export function welchDof(vC: number, nC: number, vT: number, nT: number): number {
  const a = vC / nC;
  const b = vT / nT;
  return ((a + b) * (a + b)) / ((a * a) / (nC - 1) + (b * b) / (nT - 1));
}

/** Fills `out` (reused by hot loops) and returns it. */
export function computeEffect(
  c: ArmMoments,
  t: ArmMoments,
  difference: DifferenceType,
  out: Effect = { estimate: 0, variance: 0, dof: 0, error: null },
): Effect {
  out.estimate = 0;
  out.variance = 0;
  out.dof = 0;
  out.error = null;
  if (!(c.n >= 2 && t.n >= 2)) {
    out.error = 'INSUFFICIENT_UNITS';
    return out;
  }
  const diff = t.mean - c.mean;
  let variance: number;
  if (difference === 'absolute') {
    out.estimate = diff;
    variance = t.variance / t.n + c.variance / c.n;
  } else {
    const base = c.unadjusted;
    if (base === 0 || !Number.isFinite(base)) {
      out.error = 'BASELINE_ZERO';
      return out;
    }
    const b2 = base * base;
    const r = (t.gradientMean - c.gradientMean) / base;
    out.estimate = diff / Math.abs(base);
    // Gradient w.r.t. control: -(∇A + r∇U)/|U| with r the lift, expanded into the per-unit moments.
    variance =
      t.variance / (b2 * t.n) + (c.variance + 2 * r * c.covAdjUnadj + r * r * c.varianceUnadj) / (b2 * c.n);
  }
  out.variance = variance;
  if (!(variance > 0) || !Number.isFinite(variance)) {
    out.estimate = 0;
    out.error = 'ZERO_NEGATIVE_VARIANCE';
    return out;
  }
  out.dof = welchDof(c.variance, c.n, t.variance, t.n);
  return out;
}
