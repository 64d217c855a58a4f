// One sensitivity for every detector. Each detector's native score is a z (a number of σ-equivalents);
// the probability-like score is 1 − the chance that clean Gaussian noise lands that far out, and the
// sensitivity fixes the chance the detector accepts: α(s) = 10^−(3 + 20·(1 − s)) per point.

/** Sensitivity the seed's anomaly alert uses. */
export const DEFAULT_SENSITIVITY = 0.95;

/** Per-point false alarm rate accepted on Gaussian noise: 1e-3 at s = 1, ÷10 for each 0.05 below. */
export function falseAlarmRate(sensitivity: number): number {
  const s = Math.min(1, Math.max(0, sensitivity));
  return 10 ** -(3 + 20 * (1 - s));
}

/** P(Z > z) for a standard normal Z, accurate in the far tail (relative error < 1.2e-7). */
export function upperTail(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}

/** Tail probability of a score: two-sided for signed z detectors, one-sided for the forest. */
export function tailProbability(z: number, sides: 1 | 2): number {
  return sides === 2 ? 2 * upperTail(Math.abs(z)) : upperTail(z);
}

/** The probability-like score in [0, 1]: 1 − tail. Display only; flags compare z with zThreshold. */
export function probabilityFromZ(z: number, sides: 1 | 2): number {
  return 1 - Math.min(1, tailProbability(z, sides));
}

/**
 * The z a point must reach (|z| for two-sided scores) to be flagged at this sensitivity. A point
 * checked by several tests (point and level-shift detector, several metrics) gives each an equal
 * share of α, so the point as a whole keeps the rate α(s) (Bonferroni).
 */
export function zThreshold(sensitivity: number, sides: 1 | 2, tests = 1): number {
  return zFromTail(falseAlarmRate(sensitivity) / tests, sides);
}

/** The z whose tail probability is p (p ≥ 1 gives 0; p ≤ 0 gives the largest z tried, 40). */
export function zFromTail(p: number, sides: 1 | 2): number {
  // tailProbability falls monotonically in z: bisect (60 halvings of [-40, 40] reach 1e-16).
  let lo = sides === 1 ? -40 : 0;
  let hi = 40;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (tailProbability(mid, sides) > p) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, erfcc). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 +
                            t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
