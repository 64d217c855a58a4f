// The bench's grouped variant of src/experiments/sufficient-stats.sql.ts (M's file, unchanged): the
// sufficient statistics of many experiments × metrics in ONE statement, same semantics — each
// subject counts once, in the variation of its first exposure, with its events in each metric's
// window after it, matched by user id or by visitor id on the exposure's domain. Hash joins replace
// the per-subject correlated subqueries. Supports conversion, revenue per visitor, page views, retention.
import type { Db } from '../../src/db/types.ts';
import type { ExperimentMetric } from '../../src/experiments/experiment-schema.ts';
import { EXPOSURE_EVENT, type SufficientStats } from '../../src/experiments/sufficient-stats.sql.ts';
import type { BenchExperiment } from './definitions.ts';

const windowDays = (m: ExperimentMetric) => (m.kind === 'retention' ? m.days : m.windowDays);

/** One subject's value of metric i over its matched events `m` ($n: the metric's goal event). */
function valueSql(metric: ExperimentMetric, param: (v: unknown) => string): string {
  const inWindow = `m.occurred_at < least(m.exposed_at + make_interval(days => ${param(windowDays(metric))}::integer), m.until_at)`;
  switch (metric.kind) {
    case 'conversion':
      return `(count(*) FILTER (WHERE ${inWindow} AND m.name = ${param(metric.event)}) > 0)::integer::float8`;
    case 'revenue':
      if (metric.per === 'user') throw new Error('grouped variant: revenue per user is not supported');
      return `coalesce(sum(m.value_eur) FILTER (WHERE ${inWindow}), 0)::float8`;
    case 'engagement':
      if (metric.measure !== 'pageviews')
        throw new Error('grouped variant: session seconds are not supported');
      return `count(*) FILTER (WHERE ${inWindow} AND m.name = 'pageview')::float8`;
    case 'retention':
      return `(count(*) FILTER (WHERE ${inWindow}
                AND (m.occurred_at AT TIME ZONE 'UTC')::date > (m.exposed_at AT TIME ZONE 'UTC')::date) > 0)::integer::float8`;
  }
}

export function groupedStatsSql(metrics: readonly ExperimentMetric[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length + 1}`;
  };
  const maxWindow = param(Math.max(...metrics.map(windowDays)));
  const values = metrics.map((m, i) => `${valueSql(m, param)} AS v${i}`).join(',\n         ');
  const sums = metrics
    .map(
      (_, i) => `coalesce(sum(v${i}), 0)::float8 AS s${i}, coalesce(sum(v${i} * v${i}), 0)::float8 AS q${i}`,
    )
    .join(',\n       ');
  const zeros = metrics.map((_, i) => `coalesce(p.v${i}, 0) AS v${i}`).join(', ');
  const matched = (join: string, extra: string) => `
    SELECT x.sid, x.exposed_at, x.until_at, ev.occurred_at, ev.name, ev.value_eur
      FROM x JOIN events ev ON ${join}
     WHERE ev.occurred_at >= x.exposed_at
       AND ev.occurred_at < least(x.exposed_at + make_interval(days => ${maxWindow}::integer), x.until_at)
       AND ev.name <> '${EXPOSURE_EVENT}' ${extra}`;
  const sql = `
WITH exp AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS j(key text, domain_ids uuid[], variations text[], from_at timestamptz, until_at timestamptz)
), x AS MATERIALIZED (
  SELECT DISTINCT ON (key, subject) row_number() OVER () AS sid, key, subject, variation, exposed_at, domain_id, user_id, visitor_id,
         domain_ids, until_at
    FROM (SELECT exp.key, exp.domain_ids, exp.until_at,
                 coalesce('u:' || e.user_id::text, 'v:' || e.domain_id::text || ':' || e.visitor_id) AS subject,
                 CASE WHEN jsonb_typeof(e.props->'variation') = 'number' AND e.props->>'variation' ~ '^[0-9]{1,3}$'
                      THEN exp.variations[(e.props->>'variation')::integer + 1]
                      ELSE e.props->>'variation' END AS variation,
                 e.occurred_at AS exposed_at, e.domain_id, e.user_id, e.visitor_id, e.id,
                 exp.variations AS variations
            FROM events e JOIN exp ON e.props->>'experiment' = exp.key AND e.domain_id = ANY (exp.domain_ids)
                                   AND e.occurred_at >= exp.from_at AND e.occurred_at < exp.until_at
           WHERE e.name = '${EXPOSURE_EVENT}' AND (e.user_id IS NOT NULL OR e.visitor_id IS NOT NULL)) y
   WHERE variation = ANY (variations)
   ORDER BY key, subject, exposed_at, id
), m AS (${matched('ev.domain_id = x.domain_id AND ev.visitor_id = x.visitor_id', '')}
  UNION ALL${matched(
    'ev.user_id = x.user_id',
    // Events the visitor branch already matched are not counted twice.
    `AND ev.domain_id = ANY (x.domain_ids)
       AND NOT coalesce(ev.domain_id = x.domain_id AND ev.visitor_id = x.visitor_id, false)`,
  )}
), per AS (
  SELECT m.sid,
         ${values}
    FROM m GROUP BY m.sid
), valued AS (
  SELECT x.key, x.variation, ${zeros} FROM x LEFT JOIN per p USING (sid)
)
SELECT key, variation, count(*)::integer AS n,
       ${sums}
  FROM valued GROUP BY key, variation`;
  return { sql, params };
}

/** key → one SufficientStats[] per metric (in the metrics' order), variations in definition order. */
export async function groupedSufficientStats(
  db: Db,
  experiments: readonly BenchExperiment[],
  metrics: readonly ExperimentMetric[],
): Promise<Map<string, SufficientStats[][]>> {
  const { sql, params } = groupedStatsSql(metrics);
  const doc = experiments.map((e) => ({
    key: e.key,
    domain_ids: e.domainIds,
    variations: e.variations,
    from_at: e.from.toISOString(),
    until_at: e.until.toISOString(),
  }));
  // The planner cannot estimate the exposures CTE and would loop over it with index scans; hash
  // joins over one pass of the table are what this statement is written for.
  const res = await db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_nestloop = off');
    await tx.query("SET LOCAL work_mem = '64MB'");
    return tx.query<Record<string, number | string>>(sql, [JSON.stringify(doc), ...params]);
  });
  const rows = new Map<string, Record<string, number | string>>();
  for (const r of res.rows) rows.set(`${r.key}\u0000${r.variation}`, r);
  const out = new Map<string, SufficientStats[][]>();
  for (const e of experiments) {
    out.set(
      e.key,
      metrics.map((_, i) =>
        e.variations.map((variation) => {
          const r = rows.get(`${e.key}\u0000${variation}`);
          return {
            variation,
            n: Number(r?.n ?? 0),
            sum: Number(r?.[`s${i}`] ?? 0),
            sumSquares: Number(r?.[`q${i}`] ?? 0),
          };
        }),
      ),
    );
  }
  return out;
}
