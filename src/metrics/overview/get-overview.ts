import {
  change,
  type DateRange,
  inScope,
  type MetricContext,
  type MetricDomain,
  type MetricQuery,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { getMrrMetrics } from '../revenue/get-mrr-metrics.ts';
import { getRevenueMetrics } from '../revenue/get-revenue-metrics.ts';
import { trafficRates } from '../traffic/get-traffic.ts';
import { utcDaysOf } from '../traffic/time-buckets.ts';
import { distinctVisitors, hourlySums } from '../traffic/traffic.sql.ts';
import { selectConverters } from './converters.sql.ts';
import type { OverviewFigures, OverviewOut } from './overview-schemas.ts';

interface TrafficPart {
  visitors: number;
  pageviews: number;
  bounceRate: number;
  converters: number;
}

const ALL = '';

/** Traffic of each domain and of all together over one range, from the rollups. */
async function trafficOf(ctx: MetricContext, domains: MetricDomain[], range: DateRange) {
  return inScope(ctx, async (tx) => {
    const whole = [{ start: range.start, end: range.end }];
    const converters = await selectConverters(
      tx,
      domains.map((d) => d.id),
      utcDaysOf(range.start, range.end),
    );
    const out = new Map<string, TrafficPart>();
    const groups: [string, string[]][] = [
      [ALL, domains.map((d) => d.id)],
      ...domains.map((d) => [d.id, [d.id]] as [string, string[]]),
    ];
    for (const [key, ids] of groups) {
      const [sums] = await hourlySums(tx, ids, whole);
      const [visitors] = await distinctVisitors(tx, ids, whole);
      out.set(key, {
        visitors: visitors ?? 0,
        pageviews: sums?.pageviews ?? 0,
        bounceRate: sums ? trafficRates(sums).bounceRate : 0,
        converters: converters.get(key) ?? 0,
      });
    }
    return out;
  });
}

const figure = (value: number, previous: number | null) => ({
  value,
  previous,
  change: change(value, previous),
});
const conversion = (t: TrafficPart | undefined) =>
  t && t.visitors > 0 ? Math.round((t.converters / t.visitors) * 10_000) / 10_000 : 0;

/**
 * Every domain side by side plus totals: visitors, page views, bounce rate, revenue, MRR and
 * conversion, each with its comparison. Reuses the traffic rollups and the revenue verbs, so the
 * overview never disagrees with the domain and revenue pages.
 */
export async function getOverview({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MetricQuery;
}): Promise<OverviewOut> {
  const { range, previous } = resolveQuery(input, ctx.now);
  const domains = await inScope(ctx, (tx) => resolveMetricDomains(tx, input.domains));
  const [traffic, previousTraffic, revenue, mrr] = await Promise.all([
    trafficOf(ctx, domains, range),
    previous ? trafficOf(ctx, domains, previous) : Promise.resolve(null),
    getRevenueMetrics({ ctx, input: { query: input, streams: [] } }),
    getMrrMetrics({ ctx, input }),
  ]);
  const figures = (key: string): OverviewFigures => {
    const t = traffic.get(key);
    const p = previousTraffic?.get(key);
    const rev =
      key === ALL
        ? { net: revenue.total.net, previousNet: revenue.previousTotal?.net ?? null }
        : revenue.byDomain.find((r) => r.domain.id === key);
    const m =
      key === ALL
        ? { current: mrr.total, previous: mrr.previousTotal }
        : mrr.byDomain.find((r) => r.domain.id === key);
    return {
      visitors: figure(t?.visitors ?? 0, p ? p.visitors : null),
      pageviews: figure(t?.pageviews ?? 0, p ? p.pageviews : null),
      bounceRate: figure(t?.bounceRate ?? 0, p ? p.bounceRate : null),
      revenueEur: figure(rev?.net ?? 0, previous ? (rev?.previousNet ?? 0) : null),
      mrrEur: figure(m?.current.mrr ?? 0, previous ? (m?.previous?.mrr ?? 0) : null),
      conversionRate: figure(conversion(t), previousTraffic ? conversion(p) : null),
    };
  };
  return {
    range: rangeOut(range),
    previous: previous ? rangeOut(previous) : null,
    domains: domains.map((domain) => ({ domain, figures: figures(domain.id) })),
    totals: figures(ALL),
  };
}
