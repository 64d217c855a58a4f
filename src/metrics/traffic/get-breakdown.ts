import {
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { dayBlocks, dayNumber } from '../rollups/hll.ts';
import { trafficRates } from './get-traffic.ts';
import { utcDaysOf } from './time-buckets.ts';
import type { BreakdownQuery, BreakdownResult, Dimension } from './traffic-schemas.ts';

/**
 * $1 domains, $2 dimension, $3 single UTC days, $4/$5 (level, block) of longer day blocks, $6 limit,
 * $7 offset. A long range reads a few block rows per value instead of one row per day.
 */
const BREAKDOWN_SQL = `
SELECT value,
       sum(visitors)::float8 AS visitors,
       sum(pageviews)::float8 AS pageviews,
       sum(sessions)::float8 AS sessions,
       sum(bounces)::float8 AS bounces,
       sum(duration_s)::float8 AS duration_s,
       (sum(sum(visitors)) OVER ())::float8 AS all_visitors,
       (count(*) OVER ())::int AS total
  FROM (SELECT value, visitors, pageviews, sessions, bounces, duration_s
          FROM traffic_breakdown_daily
         WHERE domain_id = ANY ($1::uuid[]) AND dimension = $2 AND day = ANY ($3::date[])
        UNION ALL
        SELECT b.value, b.visitors, b.pageviews, b.sessions, b.bounces, b.duration_s
          FROM unnest($4::int[], $5::int[]) AS k(level, block)
         CROSS JOIN LATERAL (
           SELECT * FROM breakdown_blocks
            WHERE domain_id = ANY ($1::uuid[]) AND dimension = $2 AND level = k.level AND block = k.block OFFSET 0) b) x
 GROUP BY value
 ORDER BY visitors DESC, pageviews DESC, value
 LIMIT $6 OFFSET $7`;

/** Days [from, to) as single days (level 0, read from the daily table) and longer blocks. */
export function breakdownBlocks(days: { from: string; to: string }) {
  const single: string[] = [];
  const levels: number[] = [];
  const blocks: number[] = [];
  for (const b of dayBlocks(dayNumber(days.from), dayNumber(days.to))) {
    if (b.level === 0) single.push(new Date(b.block * 86_400_000).toISOString().slice(0, 10));
    else {
      levels.push(b.level);
      blocks.push(b.block);
    }
  }
  return { single, levels, blocks };
}

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
    const parts = breakdownBlocks(days);
    const res = await tx.query<Row>(BREAKDOWN_SQL, [
      domains.map((d) => d.id),
      input.dimension,
      parts.single,
      parts.levels,
      parts.blocks,
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
