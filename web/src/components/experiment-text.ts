import type { Experiment, ExperimentMetric, ExperimentOut, ResultsOut } from '../api/types.ts';

// The words and numbers of the experiments pages, kept apart from the markup so one phrasing
// serves the list, the results page and the recommendation.

const whole = new Intl.NumberFormat('en');
const DAY_MS = 86_400_000;

export type MetricResult = ResultsOut['metrics'][number];
export type Effect = NonNullable<MetricResult['effects']>[number];

/** A relative lift (0.041) as "+4.1%"; a minus sign for drops. */
export function signedPercent(x: number, digits = 1): string {
  const v = x * 100;
  const text = Math.abs(v).toFixed(digits);
  if (Number(text) === 0) return `${(0).toFixed(digits)}%`;
  return `${v > 0 ? '+' : '−'}${text}%`;
}

/** A probability (0.9934) as "99.3%", never rounding to a certainty it does not have. */
export function chancePercent(p: number): string {
  const v = p * 100;
  if (v > 99.9 && v < 100) return '>99.9%';
  if (v < 0.1 && v > 0) return '<0.1%';
  return `${v.toFixed(1)}%`;
}

export function formatPValue(p: number | null): string {
  if (p === null) return '—';
  if (p < 0.0001) return '<0.0001';
  return p.toFixed(4);
}

export function formatWhole(n: number): string {
  return whole.format(Math.round(n));
}

/** The interval as "+2.0% … +6.2%". */
export function intervalText(ci: readonly [number, number]): string {
  return `${signedPercent(ci[0])} … ${signedPercent(ci[1])}`;
}

export function isBinaryKind(kind: string): boolean {
  return kind === 'conversion' || kind === 'retention';
}

/** "Conversion to signup", "Revenue per visitor"…: what a metric measures, in words. */
export function describeMetric(m: ExperimentMetric): string {
  switch (m.kind) {
    case 'conversion':
      return `Conversion to ${m.event}`;
    case 'revenue':
      return `Revenue per ${m.per}`;
    case 'engagement':
      return m.measure === 'pageviews' ? 'Page views per visitor' : 'Session seconds per visitor';
    case 'retention':
      return `Returned within ${m.days} days`;
  }
}

export function metricTitle(m: ExperimentMetric): string {
  return m.name ?? m.key;
}

/** Every metric of a definition by key (results carry only the key). */
export function metricsByKey(e: Experiment): Map<string, ExperimentMetric> {
  const all = [e.metrics.primary, ...e.metrics.secondary, ...e.metrics.guardrails];
  return new Map(all.map((m) => [m.key, m]));
}

export function variationName(e: Experiment, key: string): string {
  return e.variations.find((v) => v.key === key)?.name ?? key;
}

/** Whole days since the start (to the stop when stopped); null before it started. */
export function daysRunning(
  x: Pick<ExperimentOut, 'startedAt' | 'stoppedAt'>,
  now = Date.now(),
): number | null {
  if (!x.startedAt) return null;
  const end = x.stoppedAt ? Date.parse(x.stoppedAt) : now;
  return Math.max(0, Math.floor((end - Date.parse(x.startedAt)) / DAY_MS));
}

/** "About 12,400 more visitors, 9 days at the current traffic" and friends. */
export function progressText(p: ResultsOut['progress']): string {
  if (p.neededTotal === null) {
    return p.exposedTotal === 0
      ? 'No visitor has been exposed yet: the needed sample is estimated once the control has data.'
      : 'The needed sample is estimated once the control has conversions (its variance is still zero).';
  }
  if (p.moreVisitors === 0) {
    return `Enough visitors: ${formatWhole(p.exposedTotal)} exposed of the ${formatWhole(p.neededTotal)} needed.`;
  }
  const visitors = `About ${formatWhole(p.moreVisitors ?? 0)} more visitors`;
  if (p.moreDays === null)
    return `${visitors}; no exposures in the last 7 days to estimate how long that takes.`;
  const days = p.moreDays === 1 ? '1 day' : `${formatWhole(p.moreDays)} days`;
  return `${visitors}, ${days} at the current ${formatWhole(p.dailyVisitors)} a day.`;
}

/** Share of the needed sample already in, 0..1 (null while unknown). */
export function progressShare(p: ResultsOut['progress']): number | null {
  if (p.neededTotal === null || p.neededTotal <= 0) return null;
  return Math.min(1, p.exposedTotal / p.neededTotal);
}

/**
 * The recommendation as a person would say it, with the figures behind it: "Ship Variant B: 99.3%
 * chance to beat the control, +4.1% (CI +2.0% … +6.2%) on Conversion to signup".
 */
export function recommendationHeadline(r: ResultsOut, e: Experiment): string {
  const rec = r.recommendation;
  const primary = r.metrics.find((m) => m.role === 'primary');
  const effectOf = (metric: MetricResult | undefined, variation: string | undefined) =>
    metric?.effects?.find((x) => x.variation === variation);
  switch (rec.action) {
    case 'ship': {
      const eff = effectOf(primary, rec.variation);
      const name = variationName(e, rec.variation ?? '');
      if (!eff) return `Ship ${name}.`;
      return `Ship ${name}: ${chancePercent(eff.chanceToWin)} chance to beat the control, ${signedPercent(eff.improvement)} (CI ${intervalText(eff.ci)}) on ${metricTitle(e.metrics.primary)}.`;
    }
    case 'stop_guardrail': {
      const metric = r.metrics.find((m) => m.key === rec.metric);
      const eff = effectOf(metric, rec.variation);
      const name = variationName(e, rec.variation ?? '');
      const def = metricsByKey(e).get(rec.metric ?? '');
      const what = def ? metricTitle(def) : rec.metric;
      if (!eff) return `Stop: ${name} harms the guardrail ${what}.`;
      return `Stop: ${name} harms the guardrail ${what}, ${signedPercent(eff.improvement)} (CI ${intervalText(eff.ci)}); ${chancePercent(1 - eff.chanceToWin)} chance it is worse.`;
    }
    case 'keep_control':
      return 'Keep the control: every variation is clearly worse on the primary metric.';
    case 'keep_running': {
      const best = [...(primary?.effects ?? [])].sort((a, b) => b.chanceToWin - a.chanceToWin)[0];
      if (!best) return 'Keep running: no visitor has been exposed yet.';
      return `Keep running: the best so far, ${variationName(e, best.variation)}, has a ${chancePercent(best.chanceToWin)} chance to beat the control (${signedPercent(best.improvement)}); that is not yet sure enough to decide.`;
    }
  }
}
