import type { MetricQuery } from '../metric-query.ts';
import {
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { utcDaysOf } from './time-buckets.ts';
import type { GoalsResult } from './traffic-schemas.ts';

/**
 * $1 domains, $2/$3 UTC days [from, to). Goals are custom event names; uniques are exact distinct
 * persons over the days (person_day_steps), events and value come from the daily breakdown.
 */
const GOALS_SQL = `
WITH g AS (
  SELECT value AS goal, sum(events)::float8 AS events, sum(value_eur)::text AS value_eur
    FROM traffic_breakdown_daily
   WHERE domain_id = ANY ($1::uuid[]) AND dimension = 'goal' AND day >= $2::date AND day < $3::date
   GROUP BY value
), u AS (
  SELECT value AS goal, count(DISTINCT person)::int AS uniques
    FROM person_day_steps
   WHERE domain_id = ANY ($1::uuid[]) AND kind = 'goal' AND day >= $2::date AND day < $3::date
   GROUP BY value
)
SELECT g.goal, coalesce(u.uniques, 0) AS uniques, g.events, g.value_eur
  FROM g LEFT JOIN u ON u.goal = g.goal
 ORDER BY uniques DESC, g.events DESC, g.goal`;

const VISITORS_SQL = `
SELECT count(DISTINCT person)::int AS visitors
  FROM activity_daily
 WHERE domain_id = ANY ($1::uuid[]) AND day >= $2::date AND day < $3::date`;

/** Goals and conversion rates: uniques ÷ distinct visitors of the same UTC days. */
export async function getGoals({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MetricQuery;
}): Promise<GoalsResult> {
  const { range } = resolveQuery(input, ctx.now);
  const days = utcDaysOf(range.start, range.end);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const params = [domains.map((d) => d.id), days.from, days.to];
    const visitors = (await tx.query<{ visitors: number }>(VISITORS_SQL, params)).rows[0]?.visitors ?? 0;
    const res = await tx.query<{ goal: string; uniques: number; events: number; value_eur: string }>(
      GOALS_SQL,
      params,
    );
    return {
      range: rangeOut(range),
      domains,
      visitors,
      goals: res.rows.map((r) => ({
        goal: r.goal,
        uniques: r.uniques,
        events: r.events,
        conversionRate: visitors === 0 ? 0 : Math.round((r.uniques / visitors) * 10_000) / 10_000,
        valueEur: Math.round(Number(r.value_eur) * 100) / 100,
      })),
    };
  });
}
