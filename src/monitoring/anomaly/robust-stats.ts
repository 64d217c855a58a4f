// Robust location and spread shared by every detector. The spread is expressed in units of a normal
// standard deviation so that one z threshold (see sensitivity.ts) means the same in each detector.

/** 1 / Φ⁻¹(3/4): MAD × this estimates σ for normal data. */
export const MAD_TO_SIGMA = 1.482602218505602;
/** √(π/2): the mean absolute deviation × this estimates σ for normal data. */
export const MEAN_ABS_DEV_TO_SIGMA = Math.sqrt(Math.PI / 2);
/** Floor of the spread relative to the centre's size, so a constant history still gives a finite z. */
export const SPREAD_EPSILON = 1e-9;

/** Median of finite values; NaN when there are none. Copies, never reorders the input. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface CenterSpread {
  center: number;
  /** σ-equivalent spread, always > 0. */
  spread: number;
  /** Which estimate gave the spread: MAD, the mean absolute deviation (MAD = 0) or the floor. */
  source: 'mad' | 'mean-abs-dev' | 'epsilon';
}

/**
 * Median and σ-equivalent spread of a sample. When more than half the sample equals the median the
 * MAD is 0; the mean absolute deviation still sees the rest. When every value is equal, the floor
 * makes any different value an extreme outlier and an equal one a z of 0.
 */
export function robustCenterSpread(values: ArrayLike<number>): CenterSpread {
  const center = median(values);
  const n = values.length;
  const deviations = new Float64Array(n);
  let sumAbs = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs((values[i] as number) - center);
    deviations[i] = d;
    sumAbs += d;
  }
  const mad = median(deviations);
  if (mad > 0) return { center, spread: mad * MAD_TO_SIGMA, source: 'mad' };
  const meanAbs = n > 0 ? sumAbs / n : 0;
  if (meanAbs > 0) return { center, spread: meanAbs * MEAN_ABS_DEV_TO_SIGMA, source: 'mean-abs-dev' };
  return { center, spread: SPREAD_EPSILON * Math.max(1, Math.abs(center)), source: 'epsilon' };
}
