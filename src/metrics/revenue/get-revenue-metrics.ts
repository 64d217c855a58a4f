import { z } from 'zod';
import type { RevenueStream } from '../../config/portfolio/revenue-streams.ts';
import {
  inScope,
  type MetricContext,
  MetricQuery,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { revenueBreakdown } from './revenue-breakdown.ts';
import type { RevenueMetricsOut } from './revenue-metric-schemas.ts';
import { selectRevenueSeries } from './revenue-series.sql.ts';
import { defaultInterval, fillSeries, seriesBuckets } from './revenue-series.ts';
import { selectRevenueTotals } from './revenue-totals.sql.ts';

export const RevenueQuery = MetricQuery.extend({
  interval: z
    .enum(['day', 'week', 'month'])
    .optional()
    .describe('Series buckets: day, ISO week or month (default: day up to 92 days, else month)'),
});
export type RevenueQuery = z.infer<typeof RevenueQuery>;

/**
 * Earned revenue (completed, approved, paid; net of refunds) and pending revenue over the range,
 * by domain, stream and kind, with the comparison period, a series, and each stream's target.
 * `streams` is the portfolio's list; a caller limited to some domains sees only streams of
 * its domains (cross-platform streams and their targets are portfolio-wide plans).
 */
export async function getRevenueMetrics({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: { query: RevenueQuery; streams: readonly RevenueStream[] };
}): Promise<RevenueMetricsOut> {
  const { query } = input;
  const q = resolveQuery(query, ctx.now);
  const interval = query.interval ?? defaultInterval(q.range.days);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, query.domains);
    const domainIds = domains.map((d) => d.id);
    const hosts = new Set(domains.map((d) => d.host));
    const streams = input.streams.filter((s) =>
      s.domain ? hosts.has(s.domain) : s.crossPlatform === true && ctx.scope.kind === 'all',
    );
    const rows = await selectRevenueTotals(tx, { domainIds, current: q.range, previous: q.previous });
    const series = async (range: typeof q.range) =>
      fillSeries(
        seriesBuckets(range, interval),
        await selectRevenueSeries(tx, { domainIds, start: range.start, end: range.end, interval, tz: q.tz }),
      );
    return {
      range: rangeOut(q.range),
      previous: q.previous ? rangeOut(q.previous) : null,
      domains,
      currency: 'EUR',
      interval,
      ...revenueBreakdown({ rows, domains, streams, days: q.range.days, hasPrevious: q.previous !== null }),
      series: await series(q.range),
      previousSeries: q.previous ? await series(q.previous) : null,
    };
  });
}
