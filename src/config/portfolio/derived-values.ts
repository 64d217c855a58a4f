import { DURATION_RE, type Duration } from './common.ts';
import type { KpiDerivedMetric, KpiMetric } from './kpis.ts';
import type { Risk } from './risks.ts';

/** Values computed from the portfolio rather than stored in it, so they cannot disagree with their inputs. */

/** Risk score = probability × impact (not stored in the file, so it cannot disagree). */
export function riskScore(risk: Pick<Risk, 'probability' | 'impact'>): number {
  return risk.probability * risk.impact;
}

/** Value of a derived metric from its inputs' `current` or `target`; undefined when an input is missing or zero. */
export function derivedMetricValue(
  derived: KpiDerivedMetric,
  metrics: readonly KpiMetric[],
  which: 'current' | 'target',
): number | undefined {
  const numerator = metrics.find((m) => m.key === derived.numerator)?.[which];
  const denominator = metrics.find((m) => m.key === derived.denominator)?.[which];
  if (numerator === undefined || denominator === undefined || denominator === 0) return undefined;
  return numerator / denominator;
}

const MINUTES = { minute: 1, hour: 60, day: 1440, week: 10_080, month: 43_200 } as const;

/** Minutes in a {@link Duration}; a month counts as 30 days. */
export function durationMinutes(duration: Duration): number {
  const m = DURATION_RE.exec(duration);
  if (!m) throw new Error(`not a duration: ${duration}`);
  return Number(m[1]) * MINUTES[m[2] as keyof typeof MINUTES];
}
