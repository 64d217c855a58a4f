import { AppError } from '../../shared/app-error.ts';
import {
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { bucketsOf, defaultInterval, MAX_BUCKETS, utcDaysOf } from './time-buckets.ts';
import { addSums, exactVisitors, type HourlySums, trafficSums } from './traffic.sql.ts';
import type { TrafficQuery, TrafficResult, TrafficTotals } from './traffic-schemas.ts';
import { EXACT_PERSON_DAYS, loadSketches } from './visitor-sketches.sql.ts';

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
    // Series buckets, then the whole range, then the comparison period: one query each for sums and visitors.
    const all = [...buckets, range, ...(previous ? [previous] : [])];
    const sums = (await trafficSums(tx, ids, all)).map((byDomain) => addSums(byDomain.values()));
    const read =
      (sums[buckets.length] as HourlySums).personDays + (previous ? (sums.at(-1)?.personDays ?? 0) : 0);
    let visitors: number[];
    if (interval === 'hour' || read <= EXACT_PERSON_DAYS) {
      visitors = (await exactVisitors(tx, ids, all)).map((v) => v.total);
    } else {
      const spans = all.map((b) => utcDaysOf(b.start, b.end));
      const sketches = await loadSketches(tx, ids, ['v'], spans);
      visitors = spans.map((span) => sketches.count(ids, 'v', span));
    }
    const at = (i: number) => ({ sums: sums[i] as HourlySums, visitors: visitors[i] ?? 0 });
    const whole = at(buckets.length);
    const before = previous ? at(buckets.length + 1) : null;
    const comparison: TrafficTotals | null = before ? totalsOf(before.sums, before.visitors) : null;
    return {
      range: rangeOut(range),
      previous: previous ? rangeOut(previous) : null,
      domains,
      interval,
      totals: totalsOf(whole.sums, whole.visitors),
      comparison,
      series: buckets.map((b, i) => {
        const { sums: s, visitors: v } = at(i);
        const rates = trafficRates(s);
        return {
          bucket: b.label.toISOString(),
          visitors: v,
          pageviews: s.pageviews,
          sessions: s.sessions,
          bounceRate: rates.bounceRate,
          visitDurationS: rates.visitDurationS,
        };
      }),
    };
  });
}
