import { median } from './robust-stats.ts';
import type { ScoredSeries } from './robust-z-score.ts';
import { DEFAULT_SENSITIVITY, zThreshold } from './sensitivity.ts';
import { SortedWindow } from './sorted-window.ts';

// Level shifts: a point detector sees a 4σ step as a run of borderline points; the median of the last
// few points against the median of a long reference before them sees it as one clear jump. The
// difference is standardised against its own trailing history, so autocorrelated inputs (residuals of
// the seasonal baseline) are calibrated as well as white noise.

export interface LevelShiftOptions {
  /** Points in the recent window, the current one included: a shift shows once about half are shifted. */
  recent: number;
  /** Points in the reference window just before the recent one. */
  reference: number;
  /** Fewer reference points than this: no statistic yet. */
  minReference: number;
  /** Previous statistics the standardisation uses, and how many it needs before scoring. */
  calibration: number;
  minCalibration: number;
  /** |z| at or above this flags the point. */
  threshold: number;
}

export const LEVEL_SHIFT_DEFAULTS: LevelShiftOptions = {
  recent: 6,
  reference: 168,
  minReference: 48,
  calibration: 504,
  minCalibration: 48,
  threshold: zThreshold(DEFAULT_SENSITIVITY, 2),
};

/** Signed z of median(recent) − median(reference) per point; missing values are skipped. */
export function levelShiftScore(
  values: readonly (number | null)[],
  options: Partial<LevelShiftOptions> = {},
): ScoredSeries {
  const o = { ...LEVEL_SHIFT_DEFAULTS, ...options };
  const recent: number[] = [];
  const reference = new SortedWindow(o.reference);
  const statistics = new SortedWindow(o.calibration);
  const scores: (number | null)[] = [];
  const flags: boolean[] = [];
  for (const value of values) {
    scores.push(null);
    flags.push(false);
    if (value === null || !Number.isFinite(value)) continue;
    recent.push(value);
    if (recent.length > o.recent) reference.push(recent.shift() as number);
    if (reference.size < o.minReference) continue;
    const statistic = median(recent) - reference.median();
    if (statistics.size >= o.minCalibration) {
      const { center, spread } = statistics.centerSpread();
      const z = (statistic - center) / spread;
      scores[scores.length - 1] = z;
      flags[flags.length - 1] = Math.abs(z) >= o.threshold;
    }
    statistics.push(statistic);
  }
  return { scores, flags };
}
