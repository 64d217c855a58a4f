import {
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { trafficRates } from './get-traffic.ts';
import { utcDaysOf } from './time-buckets.ts';
import type { BreakdownQuery, BreakdownResult, Dimension } from './traffic-schemas.ts';

/** $1 domains, $2 dimension, $3/$4 UTC days [from, to), $5 limit, $6 offset. */
const BREAKDOWN_SQL = `
SELECT value,
       sum(visitors)::float8 AS visitors,
       sum(pageviews)::float8 AS pageviews,
       sum(sessions)::float8 AS sessions,
       sum(bounces)::float8 AS bounces,
       sum(duration_s)::float8 AS duration_s,
       (sum(sum(visitors)) OVER ())::float8 AS all_visitors,
       (count(*) OVER ())::int AS total
  FROM traffic_breakdown_daily
 WHERE domain_id = ANY ($1::uuid[]) AND dimension = $2 AND day >= $3::date AND day < $4::date
 GROUP BY value
 ORDER BY visitors DESC, pageviews DESC, value
 LIMIT $5 OFFSET $6`;

// Rollups keep '' for "none"; reports name it as Plausible does.
const NONE_LABEL: Partial<Record<Dimension, string>> = { source: 'Direct / None', referrer: 'Direct / None' };

interface Row {
  value: string;
  visitors: number;
  pageviews: number;
  sessions: number;
  bounces: number;
  duration_s: number;
  all_visitors: number;
  total: number;
}

/**
 * Top values of one dimension. Daily rollups: visitors are summed over the range's UTC days
 * (a person seen on three days counts three times); session figures count where sessions start.
 */
export async function getBreakdown({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: BreakdownQuery;
}): Promise<BreakdownResult> {
  const { range } = resolveQuery(input, ctx.now);
  const days = utcDaysOf(range.start, range.end);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const res = await tx.query<Row>(BREAKDOWN_SQL, [
      domains.map((d) => d.id),
      input.dimension,
      days.from,
      days.to,
      input.limit,
      input.offset,
    ]);
    const perSession = input.dimension !== 'page';
    return {
      range: rangeOut(range),
      domains,
      dimension: input.dimension,
      total: res.rows[0]?.total ?? 0,
      rows: res.rows.map((r) => {
        const rates = trafficRates({
          pageviews: r.pageviews,
          sessions: r.sessions,
          bounces: r.bounces,
          durationS: r.duration_s,
        });
        return {
          value: r.value === '' ? (NONE_LABEL[input.dimension] ?? '(none)') : r.value,
          visitors: r.visitors,
          pageviews: r.pageviews,
          ...(perSession
            ? { sessions: r.sessions, bounceRate: rates.bounceRate, visitDurationS: rates.visitDurationS }
            : {}),
          share: r.all_visitors === 0 ? 0 : Math.round((r.visitors / r.all_visitors) * 10_000) / 10_000,
        };
      }),
    };
  });
}
