import type { Tx } from '../../db/types.ts';
import {
  change,
  type DateRange,
  inScope,
  type MetricContext,
  type MetricQuery,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { trafficRates } from '../traffic/get-traffic.ts';
import { utcDaysOf } from '../traffic/time-buckets.ts';
import { addSums, exactVisitors, type HourlySums, trafficSums } from '../traffic/traffic.sql.ts';
import { EXACT_PERSON_DAYS, loadSketches } from '../traffic/visitor-sketches.sql.ts';
import { selectConverters } from './converters.sql.ts';
import { selectOverviewMoney } from './money.sql.ts';
import type { OverviewFigures, OverviewOut } from './overview-schemas.ts';

interface TrafficPart {
  visitors: number;
  pageviews: number;
  bounceRate: number;
  converters: number;
}

/** Key of the figures for all the domains together. */
const ALL = '';

const figure = (value: number, previous: number | null) => ({
  value,
  previous,
  change: change(value, previous),
});

const conversion = (t: TrafficPart | undefined) =>
  t && t.visitors > 0 ? Math.round((t.converters / t.visitors) * 10_000) / 10_000 : 0;

const eur = (cents: number) => Math.round(cents) / 100;

/**
 * Traffic of each domain and of all together for each period, from the rollups: sums in one
 * statement, distinct visitors and converters exact while small, else from the sketches.
 */
async function trafficOf(tx: Tx, ids: string[], periods: DateRange[]) {
  const sums = await trafficSums(tx, ids, periods);
  const read = sums.reduce((n, byDomain) => n + addSums(byDomain.values()).personDays, 0);
  const keys = [ALL, ...ids];
  const idsOf = (key: string) => (key === ALL ? ids : [key]);
  let visitors: (p: number, key: string) => number;
  let converters: (p: number, key: string) => number;
  if (read <= EXACT_PERSON_DAYS) {
    const exact = await exactVisitors(tx, ids, periods);
    const conv: Map<string, number>[] = [];
    for (const p of periods) conv.push(await selectConverters(tx, ids, utcDaysOf(p.start, p.end)));
    visitors = (p, key) => (key === ALL ? exact[p]?.total : exact[p]?.byDomain.get(key)) ?? 0;
    converters = (p, key) => conv[p]?.get(key) ?? 0;
  } else {
    const spans = periods.map((p) => utcDaysOf(p.start, p.end));
    const sketches = await loadSketches(tx, ids, ['v', 'g'], spans);
    visitors = (p, key) => sketches.count(idsOf(key), 'v', spans[p] as (typeof spans)[number]);
    converters = (p, key) => sketches.count(idsOf(key), 'g', spans[p] as (typeof spans)[number]);
  }
  return periods.map((_, p) => {
    const out = new Map<string, TrafficPart>();
    for (const key of keys) {
      const s: HourlySums = addSums(idsOf(key).flatMap((id) => sums[p]?.get(id) ?? []));
      out.set(key, {
        visitors: visitors(p, key),
        pageviews: s.pageviews,
        bounceRate: trafficRates(s).bounceRate,
        converters: converters(p, key),
      });
    }
    return out;
  });
}

/**
 * Every domain side by side plus totals: visitors, page views, bounce rate, revenue, MRR and
 * conversion, each with its comparison. The same rollups and formulas as the domain and revenue
 * pages, in one transaction with a handful of grouped statements.
 */
export async function getOverview({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MetricQuery;
}): Promise<OverviewOut> {
  const { range, previous } = resolveQuery(input, ctx.now);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const ids = domains.map((d) => d.id);
    const [traffic, previousTraffic = null] = await trafficOf(
      tx,
      ids,
      previous ? [range, previous] : [range],
    );
    const money = await selectOverviewMoney(tx, ids, range, previous);
    const moneyOf = (m: Map<string, { current: number; previous: number }>, key: string) => {
      const rows = key === ALL ? [...m.values()] : [m.get(key) ?? { current: 0, previous: 0 }];
      return {
        current: eur(rows.reduce((n, r) => n + r.current, 0)),
        previous: eur(rows.reduce((n, r) => n + r.previous, 0)),
      };
    };
    const figures = (key: string): OverviewFigures => {
      const t = traffic?.get(key);
      const p = previousTraffic?.get(key);
      const rev = moneyOf(money.revenue, key);
      const mrr = moneyOf(money.mrr, key);
      return {
        visitors: figure(t?.visitors ?? 0, p ? p.visitors : null),
        pageviews: figure(t?.pageviews ?? 0, p ? p.pageviews : null),
        bounceRate: figure(t?.bounceRate ?? 0, p ? p.bounceRate : null),
        revenueEur: figure(rev.current, previous ? rev.previous : null),
        mrrEur: figure(mrr.current, previous ? mrr.previous : null),
        conversionRate: figure(conversion(t), previousTraffic ? conversion(p) : null),
      };
    };
    return {
      range: rangeOut(range),
      previous: previous ? rangeOut(previous) : null,
      domains: domains.map((domain) => ({ domain, figures: figures(domain.id) })),
      totals: figures(ALL),
    };
  });
}
