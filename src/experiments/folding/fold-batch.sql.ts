// The incremental part of the experiments fold: which subjects the newly committed events touch.
import { EXPOSURE_EVENT } from '../sufficient-stats.sql.ts';

/**
 * $1 old horizon, $2 old pending xids, $3 new horizon, $4 xids in progress now (as in the rollups'
 * fold-events.sql.ts): the events of transactions that ended since the last run.
 */
export const CREATE_BATCH_SQL = `
CREATE TEMP TABLE xf_events ON COMMIT DROP AS
SELECT e.domain_id, e.occurred_at, e.name, e.user_id, e.visitor_id,
       CASE WHEN e.name = '${EXPOSURE_EVENT}' THEN e.props->>'experiment' END AS experiment
  FROM events e
 WHERE e.ingest_xid >= $1::xid8 AND e.ingest_xid < $3::xid8 AND NOT (e.ingest_xid = ANY ($4::xid8[]))
UNION ALL
SELECT e.domain_id, e.occurred_at, e.name, e.user_id, e.visitor_id,
       CASE WHEN e.name = '${EXPOSURE_EVENT}' THEN e.props->>'experiment' END
  FROM events e
 WHERE e.ingest_xid = ANY ($2::xid8[]) AND e.ingest_xid < $1::xid8 AND NOT (e.ingest_xid = ANY ($4::xid8[]))`;

/**
 * The subjects to recompute, among the experiments in $1 (jsonb as in subject-values.sql.ts):
 * those with a new exposure (possibly earlier than the one known: a late event), and known
 * subjects with a new event on one of the experiment's domains after their exposure (and
 * before its stop). Recomputing
 * a subject from its raw events, rather than adding the new ones, keeps late events exact.
 */
export const CREATE_DIRTY_SQL = `
CREATE TEMP TABLE xf_dirty ON COMMIT DROP AS
WITH exp AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS j(id uuid, key text, domain_ids uuid[], variations text[], from_at timestamptz, until_at timestamptz)
)
SELECT DISTINCT ON (experiment_id, subject) experiment_id, subject, domain_id, user_id, visitor_id FROM (
  SELECT exp.id AS experiment_id,
         coalesce('u:' || b.user_id::text, 'v:' || b.domain_id::text || ':' || b.visitor_id) AS subject,
         b.domain_id, b.user_id, b.visitor_id
    FROM xf_events b JOIN exp ON b.experiment = exp.key AND b.domain_id = ANY (exp.domain_ids)
   WHERE b.occurred_at >= exp.from_at AND b.occurred_at < exp.until_at
     AND (b.user_id IS NOT NULL OR b.visitor_id IS NOT NULL)
  UNION ALL
  SELECT s.experiment_id, s.subject, s.domain_id, s.user_id, s.visitor_id
    FROM xf_events b JOIN experiment_subjects s ON s.domain_id = b.domain_id AND s.visitor_id = b.visitor_id
    JOIN exp ON exp.id = s.experiment_id
   WHERE b.experiment IS NULL AND b.occurred_at >= s.exposed_at AND b.occurred_at < exp.until_at
  UNION ALL
  SELECT s.experiment_id, s.subject, s.domain_id, s.user_id, s.visitor_id
    FROM xf_events b JOIN experiment_subjects s ON s.user_id = b.user_id
    JOIN exp ON exp.id = s.experiment_id
   WHERE b.experiment IS NULL AND b.occurred_at >= s.exposed_at AND b.occurred_at < exp.until_at
     AND b.domain_id = ANY (exp.domain_ids)
) d
ORDER BY experiment_id, subject`;

export const DELETE_DIRTY_SQL = `
DELETE FROM experiment_subjects s USING xf_dirty d
 WHERE s.experiment_id = d.experiment_id AND s.subject = d.subject`;

/** $1 experiment ids: their statistics summed again from their subjects. */
export const REPLACE_STATS_SQL = [
  'DELETE FROM experiment_stats WHERE experiment_id = ANY ($1::uuid[])',
  `INSERT INTO experiment_stats (experiment_id, variation, metric_index, n, sum, sum_squares)
   SELECT s.experiment_id, s.variation, (u.i - 1)::integer, count(u.v), coalesce(sum(u.v), 0), coalesce(sum(u.v * u.v), 0)
     FROM experiment_subjects s CROSS JOIN LATERAL unnest(s.metric_values) WITH ORDINALITY AS u(v, i)
    WHERE s.experiment_id = ANY ($1::uuid[])
    GROUP BY s.experiment_id, s.variation, u.i`,
] as const;
