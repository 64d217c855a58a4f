import type { Queryable } from '../db/types.ts';
import type { ExperimentMetric } from './experiment-schema.ts';

/** The event the tracker add-on (and `?record=1` on the assignment endpoint) sends on exposure. */
export const EXPOSURE_EVENT = 'Experiment Viewed';

/**
 * Per variation: how many subjects were exposed (n), and the sum and sum of squares of their
 * metric values. A conversion's value is 0/1, so `sum` is the number converted.
 */
export interface SufficientStats {
  variation: string;
  n: number;
  sum: number;
  sumSquares: number;
}

/**
 * The exposure's variation key ($5: the keys in order). The tracker sends the variation's index
 * as a number (assignment/README-contract.md); servers may send the key as a string.
 */
function variationSql(alias: string): string {
  return `CASE WHEN jsonb_typeof(${alias}.props->'variation') = 'number'
                AND ${alias}.props->>'variation' ~ '^[0-9]{1,3}$'
               THEN ($5::text[])[(${alias}.props->>'variation')::integer + 1]
               ELSE ${alias}.props->>'variation' END`;
}

// Each subject (a user when known, else a visitor id on its domain) counts once, in the variation
// of its FIRST exposure in [from, until); only its events in the metric's window after that moment
// count. Events of the subject match by user id, or by visitor id on the exposure's domain.
const EXPOSURES_CTE = `
  exposures AS (
    SELECT DISTINCT ON (subject) subject, variation, exposed_at, domain_id, user_id, visitor_id
      FROM (SELECT coalesce('u:' || e.user_id::text, 'v:' || e.domain_id::text || ':' || e.visitor_id) AS subject,
                   ${variationSql('e')} AS variation, e.occurred_at AS exposed_at, e.domain_id, e.user_id,
                   e.visitor_id, e.id
              FROM events e
             WHERE e.domain_id = ANY ($1::uuid[]) AND e.name = '${EXPOSURE_EVENT}'
               AND e.props->>'experiment' = $2 AND e.occurred_at >= $3 AND e.occurred_at < $4
               AND (e.user_id IS NOT NULL OR e.visitor_id IS NOT NULL)
               AND ${variationSql('e')} = ANY ($5::text[])
               AND ($7::boolean = false OR e.user_id IS NOT NULL)) x
     ORDER BY subject, exposed_at, id
  )`;

/** The subject's events in [exposed_at, exposed_at + window) and before `until`, as alias `ev`. */
const SUBJECT_EVENTS = `
  FROM events ev
 WHERE ev.domain_id = ANY ($1::uuid[]) AND ev.occurred_at >= x.exposed_at
   AND ev.occurred_at < least(x.exposed_at + make_interval(days => $6::integer), $4)
   AND ev.name <> '${EXPOSURE_EVENT}'
   AND ((x.user_id IS NOT NULL AND ev.user_id = x.user_id)
        OR (ev.domain_id = x.domain_id AND ev.visitor_id = x.visitor_id))`;

/** One subject's value of the metric ($8: the goal event name, when there is one). */
function valueSql(metric: ExperimentMetric): string {
  switch (metric.kind) {
    case 'conversion':
      return `(SELECT count(*) > 0 ${SUBJECT_EVENTS} AND ev.name = $8)::integer::float8`;
    case 'revenue':
      return `(SELECT coalesce(sum(ev.value_eur), 0) ${SUBJECT_EVENTS})::float8`;
    case 'engagement':
      return metric.measure === 'pageviews'
        ? `(SELECT count(*) ${SUBJECT_EVENTS} AND ev.name = 'pageview')::float8`
        : `(SELECT coalesce(sum(s.seconds), 0) FROM (
             SELECT extract(epoch FROM max(ev.occurred_at) - min(ev.occurred_at)) AS seconds
             ${SUBJECT_EVENTS} AND ev.session_id IS NOT NULL GROUP BY ev.session_id) s)::float8`;
    case 'retention':
      // Came back on a later UTC day, at most `days` days after the exposure.
      return `(SELECT count(*) > 0 ${SUBJECT_EVENTS}
                AND (ev.occurred_at AT TIME ZONE 'UTC')::date > (x.exposed_at AT TIME ZONE 'UTC')::date)::integer::float8`;
  }
}

/** The metric's window in days: a retention metric's own horizon, else its `windowDays`. */
function windowDays(metric: ExperimentMetric): number {
  return metric.kind === 'retention' ? metric.days : metric.windowDays;
}

export function sufficientStatsSql(metric: ExperimentMetric): string {
  return `
WITH ${EXPOSURES_CTE},
  valued AS (SELECT x.variation, ${valueSql(metric)} AS value FROM exposures x)
SELECT variation, count(*)::integer AS n, coalesce(sum(value), 0)::float8 AS sum,
       coalesce(sum(value * value), 0)::float8 AS sum_squares
  FROM valued GROUP BY variation`;
}

export interface SufficientStatsQuery {
  experimentKey: string;
  domainIds: readonly string[];
  variations: readonly string[];
  metric: ExperimentMetric;
  from: Date;
  until: Date;
}

/** Sufficient statistics of one metric, one row per variation in definition order (zeros when unseen). */
export async function sufficientStats(db: Queryable, q: SufficientStatsQuery): Promise<SufficientStats[]> {
  const perUser = q.metric.kind === 'revenue' && q.metric.per === 'user';
  const params: unknown[] = [
    q.domainIds,
    q.experimentKey,
    q.from,
    q.until,
    q.variations,
    windowDays(q.metric),
    perUser,
  ];
  if (q.metric.kind === 'conversion') params.push(q.metric.event);
  const res = await db.query<{ variation: string; n: number; sum: number; sum_squares: number }>(
    sufficientStatsSql(q.metric),
    params,
  );
  const byVariation = new Map(res.rows.map((r) => [r.variation, r]));
  return q.variations.map((variation) => {
    const r = byVariation.get(variation);
    return { variation, n: r?.n ?? 0, sum: Number(r?.sum ?? 0), sumSquares: Number(r?.sum_squares ?? 0) };
  });
}

/** Exposed subjects per UTC day over the last `days` days: the current traffic for "D more days". */
export async function dailyExposures(
  db: Queryable,
  q: {
    experimentKey: string;
    domainIds: readonly string[];
    variations: readonly string[];
    since: Date;
    until: Date;
  },
): Promise<number> {
  const res = await db.query<{ subjects: number }>(
    `SELECT count(DISTINCT coalesce('u:' || user_id::text, 'v:' || domain_id::text || ':' || visitor_id))::integer AS subjects
       FROM events
      WHERE domain_id = ANY ($1::uuid[]) AND name = '${EXPOSURE_EVENT}' AND props->>'experiment' = $2
        AND occurred_at >= $3 AND occurred_at < $4 AND ${variationSql('events')} = ANY ($5::text[])
        AND (user_id IS NOT NULL OR visitor_id IS NOT NULL)`,
    [q.domainIds, q.experimentKey, q.since, q.until, q.variations],
  );
  const days = Math.max((q.until.getTime() - q.since.getTime()) / 86_400_000, 1 / 24);
  return (res.rows[0]?.subjects ?? 0) / days;
}
