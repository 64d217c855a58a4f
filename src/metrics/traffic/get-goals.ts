import type { MetricQuery } from '../metric-query.ts';
import {
  inScope,
  type MetricContext,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { dayBlocks, dayNumber } from '../rollups/hll.ts';
import { breakdownBlocks } from './get-breakdown.ts';
import { utcDaysOf } from './time-buckets.ts';
import type { GoalsResult } from './traffic-schemas.ts';
import { EXACT_PERSON_DAYS, loadSketches } from './visitor-sketches.sql.ts';

/**
 * $1 domains, $2 single UTC days, $3/$4 (level, block) of longer blocks: events and value per goal
 * (custom event name) from the breakdown rollups.
 */
const GOAL_EVENTS_SQL = `
SELECT value AS goal, sum(events)::float8 AS events, sum(value_eur)::text AS value_eur
  FROM (SELECT value, events, value_eur
          FROM traffic_breakdown_daily
         WHERE domain_id = ANY ($1::uuid[]) AND dimension = 'goal' AND day = ANY ($2::date[])
        UNION ALL
        SELECT b.value, b.events, b.value_eur
          FROM unnest($3::int[], $4::int[]) AS k(level, block)
         CROSS JOIN LATERAL (
           SELECT * FROM breakdown_blocks
            WHERE domain_id = ANY ($1::uuid[]) AND dimension = 'goal' AND level = k.level AND block = k.block OFFSET 0) b) x
 GROUP BY value`;

/** $1 domains, $2/$3 UTC days [from, to): exact uniques per goal (person_day_steps). */
const GOAL_UNIQUES_SQL = `
SELECT value AS goal, count(DISTINCT person COLLATE "C")::int AS uniques
  FROM person_day_steps
 WHERE domain_id = ANY ($1::uuid[]) AND kind = 'goal' AND day >= $2::date AND day < $3::date
 GROUP BY value`;

const VISITORS_SQL = `
SELECT count(DISTINCT person COLLATE "C")::int AS visitors
  FROM activity_daily
 WHERE domain_id = ANY ($1::uuid[]) AND day >= $2::date AND day < $3::date`;

/** $1 domains, $2/$3 (level, block): person-days of the blocks, the size of an exact count. */
const PERSON_DAYS_SQL = `
SELECT coalesce(sum(t.person_days), 0)::float8 AS n
  FROM unnest($2::int[], $3::int[]) AS k(level, block)
 CROSS JOIN LATERAL (
   SELECT person_days FROM traffic_blocks
    WHERE domain_id = ANY ($1::uuid[]) AND level = k.level AND block = k.block OFFSET 0) t`;

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
    const ids = domains.map((d) => d.id);
    const parts = breakdownBlocks(days);
    const events = await tx.query<{ goal: string; events: number; value_eur: string }>(GOAL_EVENTS_SQL, [
      ids,
      parts.single,
      parts.levels,
      parts.blocks,
    ]);
    const blocks = dayBlocks(dayNumber(days.from), dayNumber(days.to));
    const size = await tx.query<{ n: number }>(PERSON_DAYS_SQL, [
      ids,
      blocks.map((b) => b.level),
      blocks.map((b) => b.block),
    ]);
    let visitors: number;
    let uniquesOf: (goal: string) => number;
    if ((size.rows[0]?.n ?? 0) <= EXACT_PERSON_DAYS) {
      const params = [ids, days.from, days.to];
      visitors = (await tx.query<{ visitors: number }>(VISITORS_SQL, params)).rows[0]?.visitors ?? 0;
      const uniques = await tx.query<{ goal: string; uniques: number }>(GOAL_UNIQUES_SQL, params);
      const byGoal = new Map(uniques.rows.map((r) => [r.goal, r.uniques]));
      uniquesOf = (goal) => byGoal.get(goal) ?? 0;
    } else {
      const kinds = ['v', ...events.rows.map((r) => `g:${r.goal}`)];
      const sketches = await loadSketches(tx, ids, kinds, [days]);
      visitors = sketches.count(ids, 'v', days);
      uniquesOf = (goal) => sketches.count(ids, `g:${goal}`, days);
    }
    const res = {
      rows: events.rows
        .map((r) => ({ ...r, uniques: uniquesOf(r.goal) }))
        .sort(
          (a, b) =>
            b.uniques - a.uniques || b.events - a.events || (a.goal < b.goal ? -1 : a.goal > b.goal ? 1 : 0),
        ),
    };
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
