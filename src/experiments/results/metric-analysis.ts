import type { DecisionRules, ExperimentMetric } from '../experiment-schema.ts';
import { analyzeExperiment } from '../stats/analyze-experiment.ts';
import { checkSrm } from '../stats/srm.ts';
import type { VariationStats } from '../stats/sufficient-stats.ts';
import type { SufficientStats } from '../sufficient-stats.sql.ts';

/**
 * The one place that talks to L's statistics engine (src/experiments/stats): our per-variation
 * sums in, one effect per treatment out. Effects are relative (0.03 = +3 %) against the first
 * variation (the control), with a 95 % interval.
 */
export interface VariationEffect {
  variation: string;
  /** Relative lift of the metric's mean over the control's. */
  improvement: number;
  ci: [number, number];
  /** P(this variation is better than the control), "better" in the metric's direction. */
  chanceToWin: number;
  pValue: number | null;
  /** Why no effect could be estimated (too few units, zero baseline…), else null. */
  error: string | null;
}

export function isBinary(metric: ExperimentMetric): boolean {
  return metric.kind === 'conversion' || metric.kind === 'retention';
}

export function toVariationStats(metric: ExperimentMetric, s: SufficientStats): VariationStats {
  return isBinary(metric)
    ? { type: 'proportion', n: s.n, sum: s.sum }
    : { type: 'mean', n: s.n, sum: s.sum, sumSquares: s.sumSquares };
}

export function analyzeMetric(
  metric: ExperimentMetric,
  stats: readonly SufficientStats[],
  rules: DecisionRules,
): VariationEffect[] {
  if (stats.length < 2) return [];
  const result = analyzeExperiment({
    variations: stats.map((s) => toVariationStats(metric, s)),
    metric: { type: isBinary(metric) ? 'binomial' : 'mean', inverse: metric.direction === 'decrease' },
    engine: rules.engine,
    difference: 'relative',
    alpha: 0.05,
    sequential: rules.sequential,
    cuped: false,
  });
  return result.comparisons.map((c) => ({
    variation: (stats[c.variation] as SufficientStats).variation,
    improvement: c.estimate,
    ci: c.ci,
    chanceToWin: c.chanceToWin,
    pValue: c.pValue,
    error: c.error,
  }));
}

/** Sample ratio mismatch: exposed counts against the weights (chi-square, flagged below p 0.001). */
export function sampleRatioMismatch(
  stats: readonly SufficientStats[],
  weights: readonly number[],
): { pValue: number; warning: boolean } | null {
  const total = stats.reduce((s, v) => s + v.n, 0);
  if (total === 0) return null;
  const r = checkSrm(
    stats.map((s) => s.n),
    weights,
  );
  return { pValue: r.pValue, warning: r.flagged };
}
