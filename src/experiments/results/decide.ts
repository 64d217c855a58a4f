import type { DecisionRules, ExperimentMetric } from '../experiment-schema.ts';
import type { VariationEffect } from './metric-analysis.ts';

/**
 * The seed's decision rules as a pure function: ship a variation once its chance to beat the
 * control on the primary metric reaches `chanceToWin` (0.99) with at least `minImprovement` (2 %)
 * in the good direction; keep the control when every variation is that surely worse; stop at once
 * when a guardrail metric is significantly worse (same threshold) in any variation.
 */
export type Recommendation =
  | { action: 'ship'; variation: string; text: string }
  | { action: 'keep_control'; text: string }
  | { action: 'stop_guardrail'; metric: string; variation: string; text: string }
  | { action: 'keep_running'; text: string };

export interface MetricResult {
  metric: ExperimentMetric;
  effects: readonly VariationEffect[];
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

/** Lift in the metric's good direction: +0.03 means 3 % better whichever way "better" points. */
export function goodLift(metric: ExperimentMetric, e: VariationEffect): number {
  return metric.direction === 'decrease' ? -e.improvement : e.improvement;
}

export function guardrailBreach(
  guardrails: readonly MetricResult[],
  rules: DecisionRules,
): Extract<Recommendation, { action: 'stop_guardrail' }> | null {
  for (const g of guardrails)
    for (const e of g.effects) {
      if (e.error) continue;
      const worse =
        rules.engine === 'bayesian'
          ? 1 - e.chanceToWin >= rules.chanceToWin
          : e.pValue !== null && e.pValue < 1 - rules.chanceToWin && goodLift(g.metric, e) < 0;
      if (worse)
        return {
          action: 'stop_guardrail',
          metric: g.metric.key,
          variation: e.variation,
          text: `Stop: "${e.variation}" is worse on the guardrail ${g.metric.key} (${pct(goodLift(g.metric, e))}, chance it is better ${pct(e.chanceToWin)}).`,
        };
    }
  return null;
}

export function recommend(
  primary: MetricResult,
  guardrails: readonly MetricResult[],
  rules: DecisionRules,
): Recommendation {
  const breach = guardrailBreach(guardrails, rules);
  if (breach) return breach;
  const usable = primary.effects.filter((e) => !e.error);
  const winners = usable
    .filter((e) => e.chanceToWin >= rules.chanceToWin && goodLift(primary.metric, e) >= rules.minImprovement)
    .sort((a, b) => goodLift(primary.metric, b) - goodLift(primary.metric, a));
  const best = winners[0];
  if (best)
    return {
      action: 'ship',
      variation: best.variation,
      text: `Ship "${best.variation}": ${pct(goodLift(primary.metric, best))} better on ${primary.metric.key} with a ${pct(best.chanceToWin)} chance to beat the control (rules: ≥ ${pct(rules.chanceToWin)} and ≥ ${pct(rules.minImprovement)}).`,
    };
  const allLose =
    usable.length > 0 &&
    usable.length === primary.effects.length &&
    usable.every(
      (e) => 1 - e.chanceToWin >= rules.chanceToWin && -goodLift(primary.metric, e) >= rules.minImprovement,
    );
  if (allLose)
    return {
      action: 'keep_control',
      text: `Keep the control: every variation is worse on ${primary.metric.key} with at least ${pct(rules.chanceToWin)} certainty.`,
    };
  return {
    action: 'keep_running',
    text: `Keep running: no variation has reached a ${pct(rules.chanceToWin)} chance to win with ≥ ${pct(rules.minImprovement)} improvement on ${primary.metric.key} yet.`,
  };
}
