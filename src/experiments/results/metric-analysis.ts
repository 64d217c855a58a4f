import type { DecisionRules, ExperimentMetric } from '../experiment-schema.ts';
import { analyzePair } from '../stats/analyze-pair.ts';
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
  const [control, ...treatments] = stats;
  if (!control) return [];
  return treatments.map((t) => {
    const r = analyzePair(toVariationStats(metric, control), toVariationStats(metric, t), {
      engine: rules.engine,
      difference: 'relative',
      alpha: 0.05,
      sided: 'two-sided',
      sequentialTuning: rules.sequential ? 5000 : null,
      inverse: metric.direction === 'decrease',
      cuped: false,
    });
    return {
      variation: t.variation,
      improvement: r.estimate,
      ci: r.ci,
      chanceToWin: r.chanceToWin,
      pValue: r.pValue,
      error: r.error,
    };
  });
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
