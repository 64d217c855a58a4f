// The per-subject rows of experiment_subjects, computed from raw events for experiments that share
// one metric list: each subject (a user when its exposure was identified, else a visitor on its
// domain) counts once, in the variation of its first exposure in [from, until), with one value per
// metric over its events in the metric's window after that instant (the semantics of
// ../sufficient-stats.sql.ts, which stays the reference the fold is tested against).
import type { ExperimentMetric } from '../experiment-schema.ts';
import {
  EXPOSURE_EVENT,
  isSessionSeconds,
  sessionSecondsCtes,
  valueSql,
  windowDays,
} from '../sufficient-stats.sql.ts';

/** Which subjects to compute: every exposed one, or those listed in the temp table `xf_dirty`. */
export type SubjectSource = 'all' | 'dirty';

/** The tracker sends the variation's index as a number; servers may send the key as a string. */
const VARIATION_SQL = `CASE WHEN jsonb_typeof(e.props->'variation') = 'number' AND e.props->>'variation' ~ '^[0-9]{1,3}$'
            THEN exp.variations[(e.props->>'variation')::integer + 1]
            ELSE e.props->>'variation' END`;

const EXPOSURE_COLUMNS = `exp.id AS experiment_id, exp.variations, exp.domain_ids, exp.until_at,
         coalesce('u:' || e.user_id::text, 'v:' || e.domain_id::text || ':' || e.visitor_id) AS subject,
         ${VARIATION_SQL} AS variation, e.occurred_at AS exposed_at, e.domain_id, e.user_id, e.visitor_id, e.id`;

const EXPOSURE_FILTER = `e.name = '${EXPOSURE_EVENT}' AND e.props->>'experiment' = exp.key
     AND e.domain_id = ANY (exp.domain_ids) AND e.occurred_at >= exp.from_at AND e.occurred_at < exp.until_at`;

function exposuresSql(source: SubjectSource): string {
  if (source === 'all')
    return `
  SELECT ${EXPOSURE_COLUMNS}
    FROM events e JOIN exp ON ${EXPOSURE_FILTER}
   WHERE e.user_id IS NOT NULL OR e.visitor_id IS NOT NULL`;
  // A dirty subject's exposures: by its user id, or by its visitor id when it is anonymous.
  return `
  SELECT ${EXPOSURE_COLUMNS}
    FROM xf_dirty d JOIN exp ON exp.id = d.experiment_id
    JOIN events e ON e.user_id = d.user_id
   WHERE d.user_id IS NOT NULL AND ${EXPOSURE_FILTER}
  UNION ALL
  SELECT ${EXPOSURE_COLUMNS}
    FROM xf_dirty d JOIN exp ON exp.id = d.experiment_id
    JOIN events e ON e.domain_id = d.domain_id AND e.visitor_id = d.visitor_id
   WHERE d.user_id IS NULL AND e.user_id IS NULL AND ${EXPOSURE_FILTER}`;
}

/**
 * INSERT INTO experiment_subjects for the experiments in $1 (jsonb: id, key, domain_ids,
 * variations, from_at, until_at), which all measure `metrics`. With source 'dirty' only the
 * subjects in `xf_dirty` (experiment_id, subject, domain_id, user_id, visitor_id) are computed.
 */
export function insertSubjectsSql(
  metrics: readonly ExperimentMetric[],
  source: SubjectSource,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length + 1}`;
  };
  const maxWindow = param(Math.max(1, ...metrics.map(windowDays)));
  const matched = (join: string, extra: string) => `
    SELECT x.sid, x.exposed_at, ev.occurred_at, ev.name, ev.value_eur, ev.session_id
      FROM x JOIN events ev ON ${join}
     WHERE ev.domain_id = ANY (x.domain_ids) AND ev.occurred_at >= x.exposed_at
       AND ev.occurred_at < least(x.exposed_at + make_interval(days => ${maxWindow}::integer), x.until_at)
       AND ev.name <> '${EXPOSURE_EVENT}' ${extra}`;
  const perCols = metrics.flatMap((m, i) =>
    isSessionSeconds(m) ? [] : [`${valueSql(m, i, param)} AS v${i}`],
  );
  const sessionCtes = sessionSecondsCtes(metrics, param);
  const values = metrics.map((m, i) => {
    const v = `coalesce(${isSessionSeconds(m) ? 'sv' : 'per'}.v${i}, 0)`;
    // Revenue per user counts identified subjects only.
    return m.kind === 'revenue' && m.per === 'user' ? `CASE WHEN x.user_id IS NOT NULL THEN ${v} END` : v;
  });
  const sql = `
WITH exp AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS j(id uuid, key text, domain_ids uuid[], variations text[], from_at timestamptz, until_at timestamptz)
), x AS MATERIALIZED (
  SELECT DISTINCT ON (experiment_id, subject) row_number() OVER () AS sid, experiment_id, subject, variation,
         exposed_at, domain_id, user_id, visitor_id, domain_ids, until_at
    FROM (${exposuresSql(source)}) y
   WHERE variation = ANY (variations)
   ORDER BY experiment_id, subject, exposed_at, id
), m AS (${matched('ev.domain_id = x.domain_id AND ev.visitor_id = x.visitor_id', '')}
  UNION ALL${matched(
    'ev.user_id = x.user_id',
    // Events the visitor branch already matched are not counted twice.
    'AND NOT coalesce(ev.domain_id = x.domain_id AND ev.visitor_id = x.visitor_id, false)',
  )}
), per AS (
  SELECT m.sid${perCols.map((c) => `, ${c}`).join('')} FROM m GROUP BY m.sid
)${sessionCtes}
INSERT INTO experiment_subjects (experiment_id, subject, variation, exposed_at, domain_id, user_id, visitor_id, metric_values)
SELECT x.experiment_id, x.subject, x.variation, x.exposed_at, x.domain_id, x.user_id, x.visitor_id,
       ARRAY[${values.join(', ')}]::float8[]
  FROM x LEFT JOIN per ON per.sid = x.sid${sessionCtes ? ' LEFT JOIN sess_values sv ON sv.sid = x.sid' : ''}`;
  return { sql, params };
}
