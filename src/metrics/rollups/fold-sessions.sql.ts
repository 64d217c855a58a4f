// Session part of a fold. A session is a person's events with gaps under 30 minutes (Plausible).
// The stored sessions near the new events are taken out, merged with those events by the
// gaps-and-islands rule, and put back; every rollup gets the difference (old out, new in).
// Merging summaries is exact: a stored session's events are already chained by gaps < 30 min.

const SESSION_COLUMNS = `domain_id, person, started_at, last_at, first_id, pageviews, events, engaged, value_eur,
  entry_page, entry_at, entry_id, exit_page, exit_at, exit_id, source, referrer, channel, utm_source,
  utm_medium, utm_campaign, browser, os, device`;

const GAP = "interval '30 minutes'";

/**
 * Stored sessions a new event falls into or within 30 minutes of (they will be replaced). The new
 * events are first chained (gaps under 30 minutes): the sessions near any event of a chain are those
 * overlapping [first − 30 min, last + 30 min], found by one index probe per chain.
 */
export const CREATE_OLD_SESSIONS_SQL = `
CREATE TEMP TABLE fold_old_sessions ON COMMIT DROP AS
WITH marked AS (
  SELECT domain_id, person, occurred_at,
         CASE WHEN occurred_at - lag(occurred_at) OVER w < ${GAP} THEN 0 ELSE 1 END AS starts
    FROM fold_events
   WHERE person IS NOT NULL
  WINDOW w AS (PARTITION BY domain_id, person ORDER BY occurred_at)
), chains AS (
  SELECT domain_id, person, min(occurred_at) AS first_at, max(occurred_at) AS last_at
    FROM (SELECT m.*, sum(starts) OVER (PARTITION BY domain_id, person ORDER BY occurred_at
                                         ROWS UNBOUNDED PRECEDING) AS chain
            FROM marked m) x
   GROUP BY domain_id, person, chain
)
SELECT DISTINCT ON (s.domain_id, s.person, s.started_at) s.*
  FROM chains c
 CROSS JOIN LATERAL (
   SELECT ${SESSION_COLUMNS}
     FROM traffic_sessions t
    WHERE t.domain_id = c.domain_id AND t.person = c.person
      AND t.last_at > c.first_at - ${GAP} AND t.started_at < c.last_at + ${GAP}
   OFFSET 0) s`;

/**
 * The new sessions: old sessions and new events (each a one-event session) sorted by start; an
 * element starts a new island when it begins 30 minutes or more after everything before it ended.
 * First-event attributes, entry and exit pages are chosen by (time, event id), so the result does
 * not depend on which run saw which event.
 */
export const CREATE_NEW_SESSIONS_SQL = `
CREATE TEMP TABLE fold_new_sessions ON COMMIT DROP AS
WITH elements AS (
  SELECT ${SESSION_COLUMNS} FROM fold_old_sessions
  UNION ALL
  SELECT domain_id, person, occurred_at, occurred_at, id, is_pageview::int, 1,
         (NOT is_pageview AND interactive)::int, value_eur,
         CASE WHEN is_pageview THEN pathname END, CASE WHEN is_pageview THEN occurred_at END,
         CASE WHEN is_pageview THEN id END,
         CASE WHEN is_pageview THEN pathname END, CASE WHEN is_pageview THEN occurred_at END,
         CASE WHEN is_pageview THEN id END,
         source, referrer, channel, utm_source, utm_medium, utm_campaign, browser, os, device
    FROM fold_events
   WHERE person IS NOT NULL
),
ordered AS (
  SELECT el.*,
         max(last_at) OVER (PARTITION BY domain_id, person ORDER BY started_at, first_id
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM elements el
),
islands AS (
  SELECT o.*,
         sum(CASE WHEN prev_end IS NULL OR started_at - prev_end >= ${GAP} THEN 1 ELSE 0 END)
           OVER (PARTITION BY domain_id, person ORDER BY started_at, first_id ROWS UNBOUNDED PRECEDING) AS island
    FROM ordered o
)
-- One ordered aggregate per choice (first element, entry, exit), each keeping the whole element as
-- a traffic_sessions row, instead of one sorted aggregate per attribute (14 sorts per session).
SELECT domain_id, person, started_at, last_at, (f).first_id, pageviews, events, engaged, value_eur,
       (en).entry_page, (en).entry_at, (en).entry_id, (ex).exit_page, (ex).exit_at, (ex).exit_id,
       (f).source, (f).referrer, (f).channel, (f).utm_source, (f).utm_medium, (f).utm_campaign, (f).browser,
       (f).os, (f).device
  FROM (SELECT domain_id, person,
               min(started_at) AS started_at,
               max(last_at) AS last_at,
               sum(pageviews)::int AS pageviews,
               sum(events)::int AS events,
               sum(engaged)::int AS engaged,
               sum(value_eur) AS value_eur,
               (array_agg(ROW(${SESSION_COLUMNS})::traffic_sessions ORDER BY started_at, first_id))[1] AS f,
               (array_agg(ROW(${SESSION_COLUMNS})::traffic_sessions ORDER BY entry_at, entry_id)
                  FILTER (WHERE entry_at IS NOT NULL))[1] AS en,
               (array_agg(ROW(${SESSION_COLUMNS})::traffic_sessions ORDER BY exit_at DESC, exit_id DESC)
                  FILTER (WHERE exit_at IS NOT NULL))[1] AS ex
          FROM islands
         GROUP BY domain_id, person, island) g`;

/** Old sessions out (sign −1), new in (+1): the deltas every session rollup receives. */
export const CREATE_SESSION_CHANGES_SQL = `
CREATE TEMP TABLE fold_session_changes ON COMMIT DROP AS
SELECT -1 AS sign, ${SESSION_COLUMNS} FROM fold_old_sessions
UNION ALL
SELECT 1 AS sign, ${SESSION_COLUMNS} FROM fold_new_sessions`;

export const DELETE_OLD_SESSIONS_SQL = `
DELETE FROM traffic_sessions s
 USING fold_old_sessions o
 WHERE s.domain_id = o.domain_id AND s.person = o.person AND s.started_at = o.started_at`;

export const INSERT_NEW_SESSIONS_SQL = `
INSERT INTO traffic_sessions (${SESSION_COLUMNS})
SELECT ${SESSION_COLUMNS} FROM fold_new_sessions`;

/** A session's breakdown values, one row per dimension; a null value is left out of that report. */
const SESSION_DIMENSIONS = `CROSS JOIN LATERAL (VALUES
  ('entry_page', s.entry_page), ('exit_page', s.exit_page), ('source', s.source), ('referrer', s.referrer),
  ('channel', s.channel), ('utm_source', s.utm_source), ('utm_medium', s.utm_medium),
  ('utm_campaign', s.utm_campaign), ('browser', s.browser), ('os', s.os), ('device', s.device)
) AS d(dimension, value)`;

const UTC_DAY = "(s.started_at AT TIME ZONE 'UTC')::date";

/**
 * Which dimension values each touched person has on each touched day, across all their sessions
 * that day: taken before and after the sessions change, the difference is the breakdown visitors.
 */
export function createPersonDayValuesSql(table: 'fold_values_before' | 'fold_values_after'): string {
  return `
CREATE TEMP TABLE ${table} ON COMMIT DROP AS
WITH touched AS (
  SELECT DISTINCT domain_id, person, (started_at AT TIME ZONE 'UTC')::date AS day FROM fold_session_changes
)
SELECT DISTINCT s.domain_id, s.person, t.day, d.dimension, d.value
  FROM touched t
 CROSS JOIN LATERAL (
   SELECT * FROM traffic_sessions x
    WHERE x.domain_id = t.domain_id AND x.person = t.person
      AND x.started_at >= t.day::timestamp AT TIME ZONE 'UTC'
      AND x.started_at < (t.day + 1)::timestamp AT TIME ZONE 'UTC'
   OFFSET 0) s
  ${SESSION_DIMENSIONS}
 WHERE d.value IS NOT NULL`;
}

const DURATION = 'floor(extract(epoch FROM s.last_at - s.started_at))::bigint';
const BOUNCE = '(s.pageviews = 1 AND s.engaged = 0)::int';

export const SESSION_TRAFFIC_DELTA_SQL = `
INSERT INTO fold_traffic_delta (domain_id, hour, day, sessions, bounces, duration_s)
SELECT s.domain_id, date_trunc('hour', s.started_at, 'UTC'), ${UTC_DAY}, sum(s.sign), sum(s.sign * ${BOUNCE}),
       sum(s.sign * ${DURATION})
  FROM fold_session_changes s
 GROUP BY 1, 2, 3`;

export const APPLY_SESSIONS_ACTIVITY_SQL = `
INSERT INTO activity_daily AS t (domain_id, day, person, user_id, sessions, duration_s)
SELECT s.domain_id, ${UTC_DAY}, s.person,
       CASE WHEN s.person LIKE 'u:%' THEN substr(s.person, 3)::uuid END,
       sum(s.sign), sum(s.sign * ${DURATION})
  FROM fold_session_changes s
 GROUP BY 1, 2, 3, 4
ON CONFLICT (domain_id, day, person) DO UPDATE
   SET sessions = t.sessions + EXCLUDED.sessions,
       duration_s = t.duration_s + EXCLUDED.duration_s`;

export const SESSION_BREAKDOWN_DELTA_SQL = `
INSERT INTO fold_breakdown_delta (domain_id, dimension, day, value, visitors, sessions, bounces, duration_s, pageviews)
SELECT domain_id, dimension, day, value, sum(visitors), sum(sessions), sum(bounces), sum(duration_s), sum(pageviews)
  FROM (SELECT s.domain_id, ${UTC_DAY} AS day, d.dimension, d.value, 0 AS visitors, s.sign AS sessions,
               s.sign * ${BOUNCE} AS bounces, s.sign * ${DURATION} AS duration_s, s.sign * s.pageviews AS pageviews
          FROM fold_session_changes s
          ${SESSION_DIMENSIONS}
         WHERE d.value IS NOT NULL
        UNION ALL
        SELECT domain_id, day, dimension, value, 1, 0, 0, 0, 0 FROM fold_values_after
        UNION ALL
        SELECT domain_id, day, dimension, value, -1, 0, 0, 0, 0 FROM fold_values_before) changes
 GROUP BY domain_id, dimension, day, value`;
