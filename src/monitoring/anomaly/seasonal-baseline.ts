import { median } from './robust-stats.ts';
import type { ScoredSeries } from './robust-z-score.ts';
import { DEFAULT_SENSITIVITY, zThreshold } from './sensitivity.ts';
import { SortedWindow } from './sorted-window.ts';

// Hour-of-week baseline: expected(t) = level(t) + seasonal(hour of week of t). The level is the median
// of the previous 24 hours; the seasonal part is the median of the same hour-of-week's deviations from
// the level over the previous weeks. Keeping level and season apart means a level shift is relearnt in
// half a day instead of echoing in the weekly buckets for weeks. Hours are UTC (no time zone).

export const HOUR_MS = 3_600_000;
export const HOURS_PER_WEEK = 168;
/** 1970-01-01 was a Thursday: 3 days after Monday 00:00 UTC. */
const EPOCH_HOUR_OF_WEEK = 72;

/** 0 = Monday 00:00–00:59 UTC … 167 = Sunday 23:00–23:59 UTC. */
export function hourOfWeek(t: number): number {
  const hour = Math.floor(t / HOUR_MS) + EPOCH_HOUR_OF_WEEK;
  return ((hour % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

/** One point per UTC hour (t in epoch ms, ascending); a null or non-finite value is missing. */
export interface HourlyValue {
  t: number;
  value: number | null;
}

export interface SeasonalOptions {
  /** Previous weeks each hour-of-week bucket keeps, and how many it needs before a point is scored. */
  seasons: number;
  minSeasons: number;
  /** Hours before the point whose median is the level, and how many of them must be present. */
  levelHours: number;
  minLevelPoints: number;
  /** Previous residuals the z is taken against (336 = two weeks), and how many it needs. */
  residualWindow: number;
  minResiduals: number;
  /** |z| at or above this flags the point. */
  threshold: number;
  /** Points scoring |z| at or above this enter the level as their expected value (any sensitivity). */
  learnLimit: number;
}

export const SEASONAL_DEFAULTS: SeasonalOptions = {
  seasons: 4,
  minSeasons: 3,
  levelHours: 24,
  minLevelPoints: 12,
  residualWindow: 336,
  minResiduals: 48,
  threshold: zThreshold(DEFAULT_SENSITIVITY, 2),
  learnLimit: 3.5,
};

export interface SeasonalScoredSeries extends ScoredSeries {
  /** The baseline's expected value (null while warming up). */
  expected: (number | null)[];
  /** value − expected (null while warming up): the input of the level-shift detector. */
  residuals: (number | null)[];
}

export function seasonalBaselineScore(
  series: readonly HourlyValue[],
  options: Partial<SeasonalOptions> = {},
): SeasonalScoredSeries {
  const o = { ...SEASONAL_DEFAULTS, ...options };
  const buckets: number[][] = Array.from({ length: HOURS_PER_WEEK }, () => []);
  const recentResiduals = new SortedWindow(o.residualWindow);
  const out: SeasonalScoredSeries = { expected: [], residuals: [], scores: [], flags: [] };
  let levelStart = 0; // first index whose hour can be in the current point's level window

  for (let i = 0; i < series.length; i++) {
    const { t, value } = series[i] as HourlyValue;
    const hour = Math.floor(t / HOUR_MS);
    while (
      levelStart < i &&
      Math.floor((series[levelStart] as HourlyValue).t / HOUR_MS) < hour - o.levelHours
    ) {
      levelStart++;
    }
    // Outliers enter the level as their expected value, so a drop of a few hours does not bend it and
    // the window still holds a whole daily cycle; when they are the majority (a level shift flags every
    // point after it) the raw values are taken, so the new level is learnt.
    const rawLevel: number[] = [];
    const cleanedLevel: number[] = [];
    let replaced = 0;
    for (let j = levelStart; j < i; j++) {
      const v = (series[j] as HourlyValue).value;
      if (v === null || !Number.isFinite(v)) continue;
      rawLevel.push(v);
      const expectedThen = out.expected[j];
      if (
        Math.abs(out.scores[j] ?? 0) >= o.learnLimit &&
        expectedThen !== null &&
        expectedThen !== undefined
      ) {
        cleanedLevel.push(expectedThen);
        replaced++;
      } else cleanedLevel.push(v);
    }
    const levelValues = 2 * replaced <= rawLevel.length ? cleanedLevel : rawLevel;
    const level = levelValues.length >= o.minLevelPoints ? median(levelValues) : null;
    const bucket = buckets[hourOfWeek(t)] as number[];
    const present = value !== null && Number.isFinite(value);
    const seasonal = bucket.length >= o.minSeasons ? median(bucket) : null;

    let expected: number | null = null;
    let residual: number | null = null;
    let score: number | null = null;
    if (level !== null && seasonal !== null) {
      expected = level + seasonal;
      if (present) {
        residual = value - expected;
        if (recentResiduals.size >= o.minResiduals) {
          const { center, spread } = recentResiduals.centerSpread();
          score = (residual - center) / spread;
        }
        recentResiduals.push(residual);
      }
    }
    if (present && level !== null) {
      bucket.push(value - level);
      if (bucket.length > o.seasons) bucket.shift();
    }
    out.expected.push(expected);
    out.residuals.push(residual);
    out.scores.push(score);
    out.flags.push(score !== null && Math.abs(score) >= o.threshold);
  }
  return out;
}
