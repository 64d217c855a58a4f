/**
 * Always-valid inference: asymptotic confidence sequences (Waudby-Smith et al., arXiv 2103.06476,
 * eq. 9). The interval stays valid however often it is looked at; `tuning` is the sample size (both
 * arms) at which the sequence is tightest.
 */
import type { Sided, TestOutcome } from './frequentist.ts';

export const DEFAULT_SEQUENTIAL_TUNING = 5000;

/** Mixing parameter ρ for a target level a and the tuning sample size. */
export function sequentialRho(a: number, tuning: number): number {
  const l = -2 * Math.log(a);
  return Math.sqrt((l + Math.log(l + 1)) / tuning);
}

/** Two-sided half-width at level alpha for an effect with variance `variance` after N units. */
export function sequentialHalfWidth(variance: number, nTotal: number, alpha: number, tuning: number): number {
  const rho = sequentialRho(alpha, tuning);
  const nr2 = nTotal * rho * rho;
  const s2 = variance * nTotal;
  const nRho = nTotal * rho;
  return Math.sqrt(s2) * Math.sqrt((2 * (nr2 + 1) * Math.log(Math.sqrt(nr2 + 1) / alpha)) / (nRho * nRho));
}

/** One-sided half-width: the bound uses ρ tuned for 2·alpha. */
export function sequentialOneSidedHalfWidth(
  variance: number,
  nTotal: number,
  alpha: number,
  tuning: number,
): number {
  const rho = sequentialRho(2 * alpha, tuning);
  const nr2 = nTotal * rho * rho;
  const nRho = nTotal * rho;
  const s2 = variance * nTotal;
  return Math.sqrt(((s2 * 2 * (nr2 + 1)) / (nRho * nRho)) * Math.log(1 + Math.sqrt(nr2 + 1) / (2 * alpha)));
}

const ONE_SIDED_P_MIN = 1e-5;
/** Search range cap: "p >= 0.4999" means the bound never excludes zero for alpha < 0.5. */
export const ONE_SIDED_P_MAX = 0.4999;

const GRID = 24;

/**
 * Smallest level in [1e-5, 0.4999] at which the one-sided bound excludes zero. The half-width is not
 * monotone in the level (ρ is tuned for 2·alpha and vanishes as alpha → 0.5), so a coarse log grid
 * finds the first rejecting level before bisecting; none rejecting reports the cap.
 */
function oneSidedPValue(
  estimate: number,
  variance: number,
  nTotal: number,
  tuning: number,
  sided: Sided,
): number {
  const signed = sided === 'greater' ? estimate : -estimate;
  const rejects = (a: number) => signed - sequentialOneSidedHalfWidth(variance, nTotal, a, tuning) > 0;
  if (rejects(ONE_SIDED_P_MIN)) return ONE_SIDED_P_MIN;
  const ratio = Math.log(ONE_SIDED_P_MAX / ONE_SIDED_P_MIN);
  let lo = ONE_SIDED_P_MIN;
  for (let i = 1; i <= GRID; i++) {
    const hi = i === GRID ? ONE_SIDED_P_MAX : ONE_SIDED_P_MIN * Math.exp((ratio * i) / GRID);
    if (rejects(hi)) return bisect(rejects, lo, hi);
    lo = hi;
  }
  return ONE_SIDED_P_MAX;
}

function bisect(rejects: (a: number) => boolean, lo: number, hi: number): number {
  for (let i = 0; i < 60 && hi - lo > 1e-12; i++) {
    const mid = 0.5 * (lo + hi);
    if (rejects(mid)) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

export function sequentialTest(
  estimate: number,
  variance: number,
  nTotal: number,
  alpha: number,
  sided: Sided,
  tuning = DEFAULT_SEQUENTIAL_TUNING,
): TestOutcome {
  if (sided === 'two-sided') {
    const half = sequentialHalfWidth(variance, nTotal, alpha, tuning);
    const rho = sequentialRho(alpha, tuning);
    const nr2 = nTotal * rho * rho;
    // Mixture e-value at the same ρ; its reciprocal is an always-valid p-value.
    const logE =
      (rho * rho * ((estimate * estimate * nTotal) / variance)) / (2 * (nr2 + 1)) - 0.5 * Math.log(nr2 + 1);
    return { pValue: Math.min(1, Math.exp(-logE)), ci: [estimate - half, estimate + half] };
  }
  const half = sequentialOneSidedHalfWidth(variance, nTotal, alpha, tuning);
  const pValue = oneSidedPValue(estimate, variance, nTotal, tuning, sided);
  return sided === 'greater'
    ? { pValue, ci: [estimate - half, Number.POSITIVE_INFINITY] }
    : { pValue, ci: [Number.NEGATIVE_INFINITY, estimate + half] };
}
