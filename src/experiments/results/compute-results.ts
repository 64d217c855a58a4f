import type { Queryable } from '../../db/types.ts';
import type { Experiment, ExperimentMetric } from '../experiment-schema.ts';
import { metricsOf } from '../folding/fold-experiment-stats.ts';
import { dailyNewSubjects, readFoldedStats } from '../folding/read-folded-stats.sql.ts';
import type { ExperimentRow } from '../store/experiment-rows.sql.ts';
import { type MetricResult, recommend } from './decide.ts';
import { analyzeMetric, isBinary, sampleRatioMismatch } from './metric-analysis.ts';
import { sampleProgress } from './progress.ts';
import type { ResultsOut } from './results-schema.ts';

const DAY_MS = 86_400_000;
/** The window whose exposures give the current daily traffic. */
const TRAFFIC_DAYS = 7;

/**
 * Folded sufficient statistics of every metric → the statistics engine → effects, SRM, progress
 * and the recommendation. The caller folds first (foldExperimentStats) so the counts are current.
 */
export async function computeResults(
  tx: Queryable,
  row: ExperimentRow,
  e: Experiment,
  now: Date,
): Promise<ResultsOut> {
  const from = row.started_at;
  const until = row.stopped_at && row.stopped_at < now ? row.stopped_at : now;
  const variations = e.variations.map((v) => v.key);
  const roles: [ExperimentMetric, 'primary' | 'secondary' | 'guardrail'][] = [
    [e.metrics.primary, 'primary'],
    ...e.metrics.secondary.map((m) => [m, 'secondary'] as [ExperimentMetric, 'secondary']),
    ...e.metrics.guardrails.map((m) => [m, 'guardrail'] as [ExperimentMetric, 'guardrail']),
  ];
  const metrics: ResultsOut['metrics'] = [];
  const analysed: { role: string; result: MetricResult }[] = [];
  const allStats = from
    ? await readFoldedStats(tx, { experimentId: row.id, variations, metricCount: metricsOf(e).length })
    : [];
  for (const [i, [metric, role]] of roles.entries()) {
    const stats = allStats[i] ?? variations.map((variation) => ({ variation, n: 0, sum: 0, sumSquares: 0 }));
    const exposed = stats.some((s) => s.n > 0);
    const effects = exposed ? analyzeMetric(metric, stats, e.decision) : null;
    if (effects) analysed.push({ role, result: { metric, effects } });
    metrics.push({
      key: metric.key,
      kind: metric.kind,
      role,
      direction: metric.direction,
      variations: stats.map((s) => ({ ...s, mean: s.n > 0 ? s.sum / s.n : null })),
      effects,
    });
  }
  const primaryStats = metrics[0]?.variations ?? [];
  // A bandit's weights change over time, so its counts cannot be checked against today's weights.
  const srm =
    e.mode === 'bandit'
      ? null
      : sampleRatioMismatch(
          primaryStats,
          e.variations.map((v) => v.weight),
        );
  const control = primaryStats[0];
  const controlMean = control && control.n > 0 ? control.sum / control.n : 0;
  const controlVariance =
    control && control.n > 1
      ? isBinary(e.metrics.primary)
        ? controlMean * (1 - controlMean)
        : (control.sumSquares - (control.sum * control.sum) / control.n) / (control.n - 1)
      : 0;
  const dailyVisitors = from
    ? await dailyNewSubjects(tx, {
        experimentId: row.id,
        since: new Date(Math.max(from.getTime(), until.getTime() - TRAFFIC_DAYS * DAY_MS)),
        until,
      })
    : 0;
  const progress = sampleProgress({
    binary: isBinary(e.metrics.primary),
    controlMean,
    controlVariance,
    weights: e.variations.map((v) => v.weight),
    exposedTotal: primaryStats.reduce((s, v) => s + v.n, 0),
    dailyVisitors,
    rules: e.decision,
  });
  const primary = analysed.find((a) => a.role === 'primary')?.result;
  const guardrails = analysed.filter((a) => a.role === 'guardrail').map((a) => a.result);
  const recommendation = primary
    ? recommend(primary, guardrails, e.decision)
    : { action: 'keep_running' as const, text: 'Keep running: nobody has been exposed yet.' };
  return {
    key: e.key,
    status: row.status,
    from: from ? from.toISOString() : null,
    until: until.toISOString(),
    metrics,
    srm,
    progress,
    recommendation,
  };
}
