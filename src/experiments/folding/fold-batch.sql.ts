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
 * subjects with a new event on one of the experiment's domains inside their longest metric
 * window (and before the experiment's stop). Recomputing
 * a subject from its raw events, rather than adding the new ones, keeps late events exact.
 */
export const CREATE_DIRTY_SQL = `
CREATE TEMP TABLE xf_dirty ON COMMIT DROP AS
WITH exp AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS j(id uuid, key text, domain_ids uuid[], variations text[], from_at timestamptz, until_at timestamptz,
                max_window integer)
), known AS MATERIALIZED (
  -- The new events' known subjects first, by index from each event (the caller turns sequential
  -- scans off for this statement); only then the experiments they belong to.
  SELECT s.experiment_id, s.subject, s.domain_id, s.user_id, s.visitor_id, s.exposed_at, b.occurred_at,
         b.domain_id AS event_domain
    FROM xf_events b JOIN experiment_subjects s ON s.domain_id = b.domain_id AND s.visitor_id = b.visitor_id
   WHERE b.experiment IS NULL AND b.occurred_at >= s.exposed_at
  UNION ALL
  SELECT s.experiment_id, s.subject, s.domain_id, s.user_id, s.visitor_id, s.exposed_at, b.occurred_at, b.domain_id
    FROM xf_events b JOIN experiment_subjects s ON s.user_id = b.user_id
   WHERE b.experiment IS NULL AND b.occurred_at >= s.exposed_at
)
SELECT DISTINCT ON (experiment_id, subject) experiment_id, subject, domain_id, user_id, visitor_id FROM (
  SELECT exp.id AS experiment_id,
         coalesce('u:' || b.user_id::text, 'v:' || b.domain_id::text || ':' || b.visitor_id) AS subject,
         b.domain_id, b.user_id, b.visitor_id
    FROM xf_events b JOIN exp ON b.experiment = exp.key AND b.domain_id = ANY (exp.domain_ids)
   WHERE b.occurred_at >= exp.from_at AND b.occurred_at < exp.until_at
     AND (b.user_id IS NOT NULL OR b.visitor_id IS NOT NULL)
  UNION ALL
  SELECT k.experiment_id, k.subject, k.domain_id, k.user_id, k.visitor_id
    FROM known k JOIN exp ON exp.id = k.experiment_id
   WHERE k.occurred_at < exp.until_at AND k.event_domain = ANY (exp.domain_ids)
     AND k.occurred_at < k.exposed_at + make_interval(days => exp.max_window)
) d
ORDER BY experiment_id, subject`;

export const DELETE_DIRTY_SQL = `
DELETE FROM experiment_subjects s USING xf_dirty d
 WHERE s.experiment_id = d.experiment_id AND s.subject = d.subject`;

/** $1 experiment ids: their statistics summed again from all their subjects (after a rebuild). */
export const REPLACE_STATS_SQL = [
  'DELETE FROM experiment_stats WHERE experiment_id = ANY ($1::uuid[])',
  `INSERT INTO experiment_stats (experiment_id, variation, metric_index, n, sum, sum_squares)
   SELECT s.experiment_id, s.variation, (u.i - 1)::integer, count(u.v),
          coalesce(sum(u.v::numeric), 0), coalesce(sum(u.v::numeric * u.v::numeric), 0)
     FROM experiment_subjects s CROSS JOIN LATERAL unnest(s.metric_values) WITH ORDINALITY AS u(v, i)
    WHERE s.experiment_id = ANY ($1::uuid[])
    GROUP BY s.experiment_id, s.variation, u.i`,
] as const;

export const CREATE_STATS_DELTA_SQL = `
CREATE TEMP TABLE xf_stats_delta (
  experiment_id uuid NOT NULL, variation text NOT NULL, metric_index integer NOT NULL,
  n bigint NOT NULL, sum numeric NOT NULL, sum_squares numeric NOT NULL
) ON COMMIT DROP`;

/**
 * The dirty subjects' current contribution to the statistics, with sign $1: -1 before they are
 * recomputed, +1 after. Numeric sums keep the deltas exact (migration 0022).
 */
export const ADD_DIRTY_CONTRIBUTION_SQL = `
INSERT INTO xf_stats_delta (experiment_id, variation, metric_index, n, sum, sum_squares)
SELECT s.experiment_id, s.variation, (u.i - 1)::integer, $1::integer * count(u.v),
       $1::integer * coalesce(sum(u.v::numeric), 0), $1::integer * coalesce(sum(u.v::numeric * u.v::numeric), 0)
  FROM xf_dirty d
  JOIN experiment_subjects s ON s.experiment_id = d.experiment_id AND s.subject = d.subject
 CROSS JOIN LATERAL unnest(s.metric_values) WITH ORDINALITY AS u(v, i)
 GROUP BY s.experiment_id, s.variation, u.i`;

// An UPDATE then an INSERT rather than ON CONFLICT: the CHECK (n >= 0) would be applied to the
// negative delta row proposed for insertion before the conflict is resolved.
const GROUPED_DELTA = `SELECT experiment_id, variation, metric_index, sum(n) AS n, sum(sum) AS sum, sum(sum_squares) AS sum_squares
    FROM xf_stats_delta GROUP BY experiment_id, variation, metric_index`;
export const APPLY_STATS_DELTA_SQL = [
  `UPDATE experiment_stats t SET n = t.n + d.n, sum = t.sum + d.sum, sum_squares = t.sum_squares + d.sum_squares
     FROM (${GROUPED_DELTA}) d
    WHERE t.experiment_id = d.experiment_id AND t.variation = d.variation AND t.metric_index = d.metric_index`,
  `INSERT INTO experiment_stats (experiment_id, variation, metric_index, n, sum, sum_squares)
   SELECT d.* FROM (${GROUPED_DELTA}) d
    WHERE NOT EXISTS (SELECT 1 FROM experiment_stats t WHERE t.experiment_id = d.experiment_id
                         AND t.variation = d.variation AND t.metric_index = d.metric_index)`,
] as const;
