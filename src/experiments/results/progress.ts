import type { DecisionRules } from '../experiment-schema.ts';
import { normQuantile } from '../stats/special/normal.ts';

/**
 * How far the experiment is from the sample it needs to detect the minimum detectable effect
 * (relative, the seed's 5 %) with the seed's power (0.95) at a two-sided 5 % level, for the
 * smallest-weighted arm against the control: n = (z₁₋α/₂ + z_power)² · (σc² + σt²) / (mde · μc)².
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
  controlMean: number;
  controlVariance: number;
  weights: readonly number[];
  exposedTotal: number;
  dailyVisitors: number;
  rules: Pick<DecisionRules, 'power' | 'minimumDetectableEffect'>;
}): Progress {
  const { controlMean, controlVariance, weights, exposedTotal, dailyVisitors, rules } = input;
  const base = { exposedTotal, dailyVisitors };
  const delta = Math.abs(controlMean) * rules.minimumDetectableEffect;
  const control = weights[0] ?? 0;
  const smallest = Math.min(...weights.slice(1));
  if (!(delta > 0) || !(controlVariance > 0) || !(control > 0) || !(smallest > 0))
    return { ...base, neededTotal: null, moreVisitors: null, moreDays: null };
  const z = normQuantile(0.975) + normQuantile(rules.power);
  // Per-arm n for equal variances; the total follows from the smaller of the two arms' shares.
  const perArm = (z * z * 2 * controlVariance) / (delta * delta);
  const neededTotal = Math.ceil(perArm / Math.min(control, smallest));
  const moreVisitors = Math.max(0, neededTotal - exposedTotal);
  const moreDays =
    moreVisitors === 0 ? 0 : dailyVisitors > 0 ? Math.ceil(moreVisitors / dailyVisitors) : null;
  return { ...base, neededTotal, moreVisitors, moreDays };
}
