import type { Experiment, ExperimentMetric } from '../api/types.ts';
import { formatEur, formatPercent } from '../format.ts';
import { EffectInterval, intervalScale } from './effect-interval.tsx';
import {
  chancePercent,
  describeMetric,
  formatPValue,
  formatWhole,
  intervalText,
  isBinaryKind,
  type MetricResult,
  signedPercent,
  variationName,
} from './experiment-text.ts';

function formatMean(metric: ExperimentMetric, mean: number | null): string {
  if (mean === null) return '—';
  if (isBinaryKind(metric.kind)) return formatPercent(mean, 2);
  if (metric.kind === 'revenue') return formatEur(mean);
  return mean.toFixed(2);
}

function formatSum(metric: ExperimentMetric, sum: number): string {
  return metric.kind === 'revenue' ? formatEur(sum) : formatWhole(sum);
}

const ERRORS: Record<string, string> = {
  INSUFFICIENT_UNITS: 'fewer than 2 visitors in an arm',
  BASELINE_ZERO: 'the control is at zero, so a relative change is undefined',
  ZERO_NEGATIVE_VARIANCE: 'no variation in the values yet',
};

/**
 * One metric's per-variation table: exposed subjects, conversions or totals, the rate or mean, the
 * relative effect against the control with its interval drawn, the chance to beat the control and,
 * for the frequentist engine, the p-value.
 */
export function MetricResults(props: {
  result: MetricResult;
  metric: ExperimentMetric;
  experiment: Experiment;
}) {
  const { result, metric, experiment } = props;
  const engine = experiment.decision.engine;
  const binary = isBinaryKind(metric.kind);
  const subjects = metric.kind === 'revenue' && metric.per === 'user' ? 'Users' : 'Visitors';
  const effects = new Map((result.effects ?? []).map((e) => [e.variation, e]));
  const scale = intervalScale((result.effects ?? []).filter((e) => !e.error).map((e) => e.ci));
  const intervalLabel = engine === 'bayesian' ? '95% credible interval' : '95% confidence interval';
  return (
    <div className="table-wrap">
      <table className="table cards exp-table" data-testid={`metric-${result.key}`} data-role={result.role}>
        <thead>
          <tr>
            <th>Variation</th>
            <th>{subjects}</th>
            <th>{binary ? 'Conversions' : 'Total'}</th>
            <th>{binary ? 'Rate' : 'Mean'}</th>
            <th>Effect</th>
            <th className="exp-ci-head">{intervalLabel}</th>
            <th>Chance to win</th>
            {engine === 'frequentist' && <th>p-value</th>}
          </tr>
        </thead>
        <tbody>
          {result.variations.map((v, i) => {
            const eff = effects.get(v.variation);
            return (
              <tr key={v.variation} data-variation={v.variation}>
                <td>
                  <strong>{variationName(experiment, v.variation)}</strong>
                  {i === 0 && <span className="hint"> control</span>}
                </td>
                <td data-label={subjects} data-testid="cell-n">
                  {formatWhole(v.n)}
                </td>
                <td data-label={binary ? 'Conversions' : 'Total'} data-testid="cell-sum">
                  {formatSum(metric, v.sum)}
                </td>
                <td data-label={binary ? 'Rate' : 'Mean'} data-testid="cell-mean">
                  {formatMean(metric, v.mean)}
                </td>
                {i === 0 || !eff ? (
                  <>
                    <td data-label="Effect">{i === 0 ? 'baseline' : '—'}</td>
                    <td data-label={intervalLabel} />
                    <td data-label="Chance to win">—</td>
                    {engine === 'frequentist' && <td data-label="p-value">—</td>}
                  </>
                ) : eff.error ? (
                  <td colSpan={engine === 'frequentist' ? 4 : 3} className="hint" data-testid="cell-error">
                    No estimate yet: {ERRORS[eff.error] ?? eff.error}
                  </td>
                ) : (
                  <>
                    <td data-label="Effect" data-testid="cell-effect">
                      <span className="cell-stack">
                        <strong>{signedPercent(eff.improvement)}</strong>
                        <span className="hint" data-testid="cell-ci">
                          {intervalText(eff.ci)}
                        </span>
                      </span>
                    </td>
                    <td data-label={intervalLabel} className="exp-ci-cell">
                      <EffectInterval
                        estimate={eff.improvement}
                        ci={eff.ci}
                        scale={scale}
                        direction={metric.direction}
                      />
                    </td>
                    <td data-label="Chance to win" data-testid="cell-chance">
                      {chancePercent(eff.chanceToWin)}
                    </td>
                    {engine === 'frequentist' && (
                      <td data-label="p-value" data-testid="cell-p">
                        {formatPValue(eff.pValue)}
                      </td>
                    )}
                  </>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="hint exp-table-note">
        {describeMetric(metric)}
        {metric.direction === 'decrease' ? ', lower is better' : ''}; counted{' '}
        {metric.kind === 'retention' ? metric.days : metric.windowDays} days after a visitor's first exposure.
        Effects are relative to the control.
      </p>
    </div>
  );
}
