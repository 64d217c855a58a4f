import type { EngagementTotals } from '../metrics/engagement/engagement-schemas.ts';
import { getEngagementSummary } from '../metrics/engagement/get-engagement-summary.ts';
import { addDays, inScope, type MetricContext, MetricQuery } from '../metrics/metric-query.ts';
import { getOverview } from '../metrics/overview/get-overview.ts';
import { getMrrMetrics } from '../metrics/revenue/get-mrr-metrics.ts';
import type { MrrMetricsOut } from '../metrics/revenue/revenue-metric-schemas.ts';
import { sumCosts } from './cost-sum.sql.ts';

// The metric verbs KPIs read, each over the 30 UTC days ending at day D. One call of a verb gives
// every KPI bound to it, so a day costs at most one call per source.

export type SourceName = 'revenue30' | 'engagement30' | 'overview30' | 'costs30';
export const SOURCE_NAMES: readonly SourceName[] = ['revenue30', 'engagement30', 'overview30', 'costs30'];

export const SOURCE_WINDOW_DAYS = 30;

export interface SourceValues {
  revenue30?: MrrMetricsOut['total'];
  engagement30?: Pick<
    EngagementTotals,
    'mau' | 'stickiness' | 'crossDomainRate' | 'avgSessionDurationS' | 'retention30d'
  > & {
    /** Persons active each day of the window, oldest first. */
    dailyPersons: number[];
  };
  overview30?: { conversionRate: number };
  /** Σ costs of every category over the window, EUR. */
  costs30?: number;
}

/** The shared query of a source: the window's days in UTC, every domain the context sees, no comparison. */
export function windowQuery(day: string): MetricQuery {
  return MetricQuery.parse({ from: addDays(day, -(SOURCE_WINDOW_DAYS - 1)), to: day, compare: 'none' });
}

/** Runs the asked sources for day D (one transaction each, under the context's scope). */
export async function measureSources(
  ctx: MetricContext,
  day: string,
  sources: ReadonlySet<SourceName>,
): Promise<SourceValues> {
  const input = windowQuery(day);
  const values: SourceValues = {};
  if (sources.has('revenue30')) values.revenue30 = (await getMrrMetrics({ ctx, input })).total;
  if (sources.has('engagement30')) {
    const e = await getEngagementSummary({ ctx, input });
    const t = e.totals;
    values.engagement30 = {
      mau: t.mau,
      stickiness: t.stickiness,
      crossDomainRate: t.crossDomainRate,
      avgSessionDurationS: t.avgSessionDurationS,
      retention30d: t.retention30d,
      dailyPersons: e.series.map((p) => p.dau),
    };
  }
  if (sources.has('overview30'))
    values.overview30 = { conversionRate: (await getOverview({ ctx, input })).totals.conversionRate.value };
  if (sources.has('costs30'))
    values.costs30 = await inScope(ctx, (tx) => sumCosts(tx, { from: input.from as string, to: day }));
  return values;
}
