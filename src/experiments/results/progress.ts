import type { DecisionRules } from '../experiment-schema.ts';
import { sampleSizeTwoMeans, sampleSizeTwoProportions } from '../stats/sample-size.ts';

/**
 * How far the experiment is from the sample it needs to detect the minimum detectable effect
 * (relative, the seed's 5 %) with the seed's power (0.95) at a two-sided 5 % level: L's planning
 * formulas (two proportions, or a two-sample t-test for means) give n per arm, and the
 * smallest-weighted arm decides how many subjects the whole experiment needs.
 */
export interface Progress {
  /** Subjects the whole experiment needs (every arm at its weight), or null while unknown. */
  neededTotal: number | null;
  exposedTotal: number;
  /** "About N more visitors": 0 once enough are in. */
  moreVisitors: number | null;
  /** At the current daily rate of newly exposed subjects; null without traffic. */
  moreDays: number | null;
  dailyVisitors: number;
}

export function sampleProgress(input: {
  /** Conversion-type primary metric (proportions), else a mean. */
  binary: boolean;
  controlMean: number;
  controlVariance: number;
  weights: readonly number[];
  exposedTotal: number;
  dailyVisitors: number;
  rules: Pick<DecisionRules, 'power' | 'minimumDetectableEffect'>;
}): Progress {
  const { binary, controlMean, controlVariance, weights, exposedTotal, dailyVisitors, rules } = input;
  const base = { exposedTotal, dailyVisitors };
  const delta = Math.abs(controlMean) * rules.minimumDetectableEffect;
  const control = weights[0] ?? 0;
  const smallest = Math.min(...weights.slice(1));
  if (!(delta > 0) || !(controlVariance > 0) || !(control > 0) || !(smallest > 0))
    return { ...base, neededTotal: null, moreVisitors: null, moreDays: null };
  const test = { alpha: 0.05 };
  const treated = controlMean + delta;
  if (binary && !(treated < 1)) return { ...base, neededTotal: null, moreVisitors: null, moreDays: null };
  const perArm = binary
    ? sampleSizeTwoProportions(controlMean, treated, rules.power, test)
    : sampleSizeTwoMeans(delta, Math.sqrt(controlVariance), rules.power, test);
  const neededTotal = Math.ceil(perArm / Math.min(control, smallest));
  const moreVisitors = Math.max(0, neededTotal - exposedTotal);
  const moreDays =
    moreVisitors === 0 ? 0 : dailyVisitors > 0 ? Math.ceil(moreVisitors / dailyVisitors) : null;
  return { ...base, neededTotal, moreVisitors, moreDays };
}
