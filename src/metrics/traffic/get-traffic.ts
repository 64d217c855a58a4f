import { AppError } from '../../shared/app-error.ts';
import {
  type DateRange,
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { bucketsOf, defaultInterval, MAX_BUCKETS } from './time-buckets.ts';
import { distinctVisitors, type HourlySums, hourlySums } from './traffic.sql.ts';
import type { TrafficQuery, TrafficResult, TrafficTotals } from './traffic-schemas.ts';

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** The rates of docs/metrics.md "Traffic": all per session, 0 when there is no session. */
export function trafficRates(s: Pick<HourlySums, 'pageviews' | 'sessions' | 'bounces' | 'durationS'>) {
  return {
    bounceRate: round(ratio(s.bounces, s.sessions), 4),
    visitDurationS: Math.round(ratio(s.durationS, s.sessions)),
    viewsPerVisit: round(ratio(s.pageviews, s.sessions), 2),
  };
}

function totalsOf(sums: HourlySums, visitors: number): TrafficTotals {
  return {
    visitors,
    pageviews: sums.pageviews,
    sessions: sums.sessions,
    ...trafficRates(sums),
    events: sums.events,
    revenueEur: round(sums.valueEur, 2),
  };
}

function addSums(all: HourlySums[]): HourlySums {
  const zero: HourlySums = {
    pageviews: 0,
    events: 0,
    customEvents: 0,
    sessions: 0,
    bounces: 0,
    durationS: 0,
    valueEur: 0,
  };
  return all.reduce(
    (acc, s) => ({
      pageviews: acc.pageviews + s.pageviews,
      events: acc.events + s.events,
      customEvents: acc.customEvents + s.customEvents,
      sessions: acc.sessions + s.sessions,
      bounces: acc.bounces + s.bounces,
      durationS: acc.durationS + s.durationS,
      valueEur: acc.valueEur + s.valueEur,
    }),
    zero,
  );
}

/** Visitors, page views, sessions, bounce rate, visit duration: totals, comparison and a series. */
export async function getTraffic({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: TrafficQuery;
}): Promise<TrafficResult> {
  const { range, previous } = resolveQuery(input, ctx.now);
  const interval = input.interval ?? defaultInterval(range.days);
  const buckets = bucketsOf(range, interval);
  if (buckets.length > MAX_BUCKETS)
    throw new AppError(
      'invalid_request',
      `${interval} buckets over ${range.days} days are more than ${MAX_BUCKETS}; choose a coarser interval`,
      'interval',
    );
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const ids = domains.map((d) => d.id);
    const whole = (r: DateRange) => [{ start: r.start, end: r.end }];
    const sums = await hourlySums(tx, ids, buckets);
    const seriesVisitors = await distinctVisitors(tx, ids, buckets);
    const [visitors] = await distinctVisitors(tx, ids, whole(range));
    let comparison: TrafficTotals | null = null;
    if (previous) {
      const [prevSums] = await hourlySums(tx, ids, whole(previous));
      const [prevVisitors] = await distinctVisitors(tx, ids, whole(previous));
      comparison = totalsOf(prevSums as HourlySums, prevVisitors ?? 0);
    }
    return {
      range: rangeOut(range),
      previous: previous ? rangeOut(previous) : null,
      domains,
      interval,
      totals: totalsOf(addSums(sums), visitors ?? 0),
      comparison,
      series: buckets.map((b, i) => {
        const s = sums[i] as HourlySums;
        const rates = trafficRates(s);
        return {
          bucket: b.label.toISOString(),
          visitors: seriesVisitors[i] ?? 0,
          pageviews: s.pageviews,
          sessions: s.sessions,
          bounceRate: rates.bounceRate,
          visitDurationS: rates.visitDurationS,
        };
      }),
    };
  });
}
