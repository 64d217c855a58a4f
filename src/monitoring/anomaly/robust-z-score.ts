import { DEFAULT_SENSITIVITY, zThreshold } from './sensitivity.ts';
import { SortedWindow } from './sorted-window.ts';

// Rolling robust z-score: each point against the median and MAD of the points before it (a trailing
// window, never the point itself or anything later), so a score is what a live check would have seen.

export interface RobustZOptions {
  /** Number of previous finite points the median and MAD are taken over (168 = one week hourly). */
  window: number;
  /** Fewer previous finite points than this: the point is not scored (warm-up). */
  minHistory: number;
  /** |z| at or above this flags the point. */
  threshold: number;
}

export const ROBUST_Z_DEFAULTS: RobustZOptions = {
  window: 168,
  minHistory: 24,
  threshold: zThreshold(DEFAULT_SENSITIVITY, 2),
};

/** Per-point signed scores (null: warm-up or missing value) and flags. */
export interface ScoredSeries {
  scores: (number | null)[];
  flags: boolean[];
}

/** Missing values (null, NaN, ±Infinity) are not scored and left out of every window. */
export function robustZScore(
  values: readonly (number | null)[],
  options: Partial<RobustZOptions> = {},
): ScoredSeries {
  const { window, minHistory, threshold } = { ...ROBUST_Z_DEFAULTS, ...options };
  const history = new SortedWindow(window);
  const scores: (number | null)[] = [];
  const flags: boolean[] = [];
  for (const value of values) {
    if (value === null || !Number.isFinite(value)) {
      scores.push(null);
      flags.push(false);
      continue;
    }
    if (history.size >= minHistory) {
      const { center, spread } = history.centerSpread();
      const z = (value - center) / spread;
      scores.push(z);
      flags.push(Math.abs(z) >= threshold);
    } else {
      scores.push(null);
      flags.push(false);
    }
    history.push(value);
  }
  return { scores, flags };
}
