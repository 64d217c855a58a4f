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
  x AS MATERIALIZED (
    SELECT DISTINCT ON (subject) row_number() OVER () AS sid, variation, exposed_at, domain_id, user_id, visitor_id
      FROM (SELECT coalesce('u:' || e.user_id::text, 'v:' || e.domain_id::text || ':' || e.visitor_id) AS subject,
                   ${variationSql('e')} AS variation, e.occurred_at AS exposed_at, e.domain_id, e.user_id,
                   e.visitor_id, e.id
              FROM events e
             WHERE e.domain_id = ANY ($1::uuid[]) AND e.name = '${EXPOSURE_EVENT}'
               AND e.props->>'experiment' = $2 AND e.occurred_at >= $3 AND e.occurred_at < $4
               AND (e.user_id IS NOT NULL OR e.visitor_id IS NOT NULL)
               AND ${variationSql('e')} = ANY ($5::text[])) y
     ORDER BY subject, exposed_at, id
  )`;

/**
 * The subjects' events within the longest window ($6 days) after their exposure, before `until`,
 * as `m`. Two equi-joins (visitor on the exposure's domain, then user id without the events the
 * visitor join already took) let PostgreSQL hash-join instead of probing per subject.
 */
function matchedSql(join: string, extra: string): string {
  return `
    SELECT x.sid, x.exposed_at, ev.occurred_at, ev.name, ev.value_eur, ev.session_id
      FROM x JOIN events ev ON ${join}
     WHERE ev.domain_id = ANY ($1::uuid[]) AND ev.occurred_at >= $3 AND ev.occurred_at < $4
       AND ev.occurred_at >= x.exposed_at
       AND ev.occurred_at < least(x.exposed_at + make_interval(days => $6::integer), $4)
       AND ev.name <> '${EXPOSURE_EVENT}' ${extra}`;
}
const MATCHED_CTE = `
  m AS (${matchedSql('ev.domain_id = x.domain_id AND ev.visitor_id = x.visitor_id', '')}
    UNION ALL${matchedSql(
      'ev.user_id = x.user_id',
      'AND ev.user_id IS NOT NULL AND NOT coalesce(ev.domain_id = x.domain_id AND ev.visitor_id = x.visitor_id, false)',
    )}
  )`;

/** The metric's window in days: a retention metric's own horizon, else its `windowDays`. */
export function windowDays(metric: ExperimentMetric): number {
  return metric.kind === 'retention' ? metric.days : metric.windowDays;
}

export const isSessionSeconds = (m: ExperimentMetric) =>
  m.kind === 'engagement' && m.measure === 'session_seconds';

/**
 * One subject's value of metric i over its matched events `m` (`param` binds a value); shared
 * with the experiments fold (folding/subject-values.sql.ts).
 */
export function valueSql(metric: ExperimentMetric, i: number, param: (v: unknown) => string): string {
  if (isSessionSeconds(metric)) return `coalesce(sum(sess.t${i}), 0)::float8`;
  const inWindow = `m.occurred_at < m.exposed_at + make_interval(days => ${param(windowDays(metric))}::integer)`;
  switch (metric.kind) {
    case 'conversion':
      return `(count(*) FILTER (WHERE ${inWindow} AND m.name = ${param(metric.event)}) > 0)::integer::float8`;
    case 'revenue':
      return `coalesce(sum(m.value_eur) FILTER (WHERE ${inWindow}), 0)::float8`;
    case 'engagement':
      return `count(*) FILTER (WHERE ${inWindow} AND m.name = 'pageview')::float8`;
    case 'retention':
      // Came back on a later UTC day, at most `days` days after the exposure.
      return `(count(*) FILTER (WHERE ${inWindow}
                AND (m.occurred_at AT TIME ZONE 'UTC')::date > (m.exposed_at AT TIME ZONE 'UTC')::date) > 0)::integer::float8`;
  }
}

/**
 * For session-seconds metrics: `sess_spans` (per subject and session, the span of its events
 * inside metric i's window) and `sess_values` (their sum per subject, as v<i>), as further CTEs
 * over the matched events `m` (with a leading comma); '' without such a metric. Shared with the
 * experiments fold (folding/subject-values.sql.ts).
 */
export function sessionSecondsCtes(
  metrics: readonly ExperimentMetric[],
  param: (v: unknown) => string,
): string {
  const sessionMetrics = metrics.map((m, i) => [m, i] as const).filter(([m]) => isSessionSeconds(m));
  if (sessionMetrics.length === 0) return '';
  const spans = sessionMetrics
    .map(([m, i]) => {
      const inWindow = `m.occurred_at < m.exposed_at + make_interval(days => ${param(windowDays(m))}::integer)`;
      return `extract(epoch FROM max(m.occurred_at) FILTER (WHERE ${inWindow})
                      - min(m.occurred_at) FILTER (WHERE ${inWindow})) AS t${i}`;
    })
    .join(', ');
  return `,
  sess_spans AS (
    SELECT m.sid, ${spans}
      FROM m WHERE m.session_id IS NOT NULL GROUP BY m.sid, m.session_id
  ),
  sess_values AS (
    SELECT sess.sid, ${sessionMetrics.map(([m, i]) => `${valueSql(m, i, param)} AS v${i}`).join(', ')}
      FROM sess_spans sess GROUP BY sess.sid
  )`;
}

/**
 * One statement for all metrics of one experiment: first exposure per subject → the subject's
 * events in the longest window → one value per subject and metric → n, sum and sum of squares
 * per variation (columns n0/s0/q0, n1/s1/q1, ...). Params: $1 domains, $2 key, $3 from, $4 until,
 * $5 variation keys, $6 the longest window, then the metrics' own values.
 */
export function sufficientStatsSql(metrics: readonly ExperimentMetric[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length + 6}`;
  };
  const values = metrics.map((m, i) => `${isSessionSeconds(m) ? 'sess_values' : 'per'}.v${i}`);
  const perCols = metrics
    .map((m, i) => (isSessionSeconds(m) ? null : `${valueSql(m, i, param)} AS v${i}`))
    .filter((c) => c !== null);
  const sessionCte = sessionSecondsCtes(metrics, param);
  const columns = metrics
    .map((m, i) => {
      // Revenue per user counts identified subjects only.
      const only = m.kind === 'revenue' && m.per === 'user' ? ' FILTER (WHERE x.user_id IS NOT NULL)' : '';
      const v = `coalesce(${values[i]}, 0)`;
      return `count(*)${only}::integer AS n${i}, coalesce(sum(${v})${only}, 0)::float8 AS s${i},
       coalesce(sum(${v} * ${v})${only}, 0)::float8 AS q${i}`;
    })
    .join(',\n       ');
  const sql = `
WITH ${EXPOSURES_CTE},${MATCHED_CTE},
  per AS (SELECT m.sid${perCols.map((c) => `, ${c}`).join('')} FROM m GROUP BY m.sid)${sessionCte}
SELECT x.variation,
       ${columns}
  FROM x LEFT JOIN per ON per.sid = x.sid${sessionCte ? ' LEFT JOIN sess_values ON sess_values.sid = x.sid' : ''}
 GROUP BY x.variation`;
  return { sql, params };
}

export interface ExperimentStatsQuery {
  experimentKey: string;
  domainIds: readonly string[];
  variations: readonly string[];
  metrics: readonly ExperimentMetric[];
  from: Date;
  until: Date;
}

export interface SufficientStatsQuery extends Omit<ExperimentStatsQuery, 'metrics'> {
  metric: ExperimentMetric;
}

/**
 * Sufficient statistics of every metric of one experiment in one statement: one array per metric
 * (in the metrics' order), one row per variation in definition order (zeros when unseen).
 */
export async function experimentSufficientStats(
  db: Queryable,
  q: ExperimentStatsQuery,
): Promise<SufficientStats[][]> {
  if (q.metrics.length === 0) return [];
  const { sql, params } = sufficientStatsSql(q.metrics);
  const maxWindow = Math.max(...q.metrics.map(windowDays));
  // The planner cannot estimate the exposures CTE (~10 rows guessed) and would probe the events
  // once per subject; hash joins over one pass are what this statement is written for. JIT costs
  // seconds here for nothing. Both settings go back to the caller's values for the rest of its
  // transaction (`db` is always a transaction: the results verb and the decision job open one).
  const saved = await db.query<{ nestloop: string; jit: string }>(
    `SELECT current_setting('enable_nestloop') AS nestloop, current_setting('jit') AS jit,
            set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`,
  );
  const res = await db.query<Record<string, string | number>>(sql, [
    q.domainIds,
    q.experimentKey,
    q.from,
    q.until,
    q.variations,
    maxWindow,
    ...params,
  ]);
  const prev = saved.rows[0];
  if (prev)
    await db.query(`SELECT set_config('enable_nestloop', $1, true), set_config('jit', $2, true)`, [
      prev.nestloop,
      prev.jit,
    ]);
  const byVariation = new Map(res.rows.map((r) => [r.variation, r]));
  return q.metrics.map((_, i) =>
    q.variations.map((variation) => {
      const r = byVariation.get(variation);
      return {
        variation,
        n: Number(r?.[`n${i}`] ?? 0),
        sum: Number(r?.[`s${i}`] ?? 0),
        sumSquares: Number(r?.[`q${i}`] ?? 0),
      };
    }),
  );
}

/** Sufficient statistics of one metric, one row per variation in definition order (zeros when unseen). */
export async function sufficientStats(db: Queryable, q: SufficientStatsQuery): Promise<SufficientStats[]> {
  const { metric, ...rest } = q;
  const [stats] = await experimentSufficientStats(db, { ...rest, metrics: [metric] });
  return stats ?? [];
}
