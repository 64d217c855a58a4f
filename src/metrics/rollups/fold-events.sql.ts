// Event-level part of a fold: every counter here only grows, so it is an upsert with `+`.
// All statements read the temporary table fold_events, the batch between the old and new horizon.
// UTC hours and days are taken explicitly: the session time zone must not move a bucket.

const FOLD_COLUMNS = `e.id, e.domain_id, e.occurred_at, e.name, e.user_id,
       CASE WHEN e.user_id IS NOT NULL THEN 'u:' || e.user_id::text
            WHEN e.visitor_id IS NOT NULL THEN 'v:' || e.visitor_id END AS person,
       date_trunc('hour', e.occurred_at, 'UTC') AS hour,
       (e.occurred_at AT TIME ZONE 'UTC')::date AS day,
       e.name = 'pageview' AS is_pageview,
       e.interactive,
       coalesce(e.value_eur, 0) AS value_eur,
       coalesce(e.pathname, '') AS pathname,
       coalesce(e.source, '') AS source,
       -- Plausible's referrer report: the referring host, never our own pages.
       CASE WHEN e.channel = 'Internal' THEN ''
            ELSE coalesce(regexp_replace(lower(substring(e.referrer FROM '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#:@]+)')),
                                         '^www\\.', ''), '') END AS referrer,
       coalesce(e.channel, '') AS channel,
       -- The source counts as a UTM source only when the page URL was tagged (utm_source, ref or source).
       CASE WHEN e.source IS NOT NULL AND e.url ~ '[?&](utm_source|ref|source)=' THEN e.source END AS utm_source,
       e.medium AS utm_medium,
       e.campaign AS utm_campaign,
       coalesce(e.browser, '') AS browser,
       coalesce(e.os, '') AS os,
       coalesce(e.device, '') AS device`;

/**
 * $1 old horizon, $2 old pending xids, $3 new horizon, $4 xids in progress now: the events of
 * transactions that ended since the last run. One row per event, with what every rollup needs.
 * Two index lookups rather than one OR: PGlite never gathers statistics, and an OR it could not
 * estimate was planned as a scan of every event.
 */
export const CREATE_FOLD_EVENTS_SQL = `
CREATE TEMP TABLE fold_events ON COMMIT DROP AS
SELECT ${FOLD_COLUMNS}
  FROM events e
 WHERE e.ingest_xid >= $1::xid8 AND e.ingest_xid < $3::xid8 AND NOT (e.ingest_xid = ANY ($4::xid8[]))
UNION ALL
SELECT ${FOLD_COLUMNS}
  FROM events e
 WHERE e.ingest_xid = ANY ($2::xid8[]) AND e.ingest_xid < $1::xid8 AND NOT (e.ingest_xid = ANY ($4::xid8[]))`;

/**
 * Where every counter change of a run is gathered before it is applied, once, to each grain:
 * traffic_hourly (by hour), traffic_blocks and the breakdown tables (by day and block).
 */
export const CREATE_DELTA_TABLES_SQL = `
CREATE TEMP TABLE fold_traffic_delta (
  domain_id uuid NOT NULL, hour timestamptz, day date NOT NULL,
  pageviews bigint NOT NULL DEFAULT 0, events bigint NOT NULL DEFAULT 0, custom_events bigint NOT NULL DEFAULT 0,
  sessions bigint NOT NULL DEFAULT 0, bounces bigint NOT NULL DEFAULT 0, duration_s bigint NOT NULL DEFAULT 0,
  value_eur numeric NOT NULL DEFAULT 0, person_days bigint NOT NULL DEFAULT 0
) ON COMMIT DROP;
CREATE TEMP TABLE fold_breakdown_delta (
  domain_id uuid NOT NULL, dimension text NOT NULL, day date NOT NULL, value text NOT NULL,
  visitors bigint NOT NULL DEFAULT 0, pageviews bigint NOT NULL DEFAULT 0, events bigint NOT NULL DEFAULT 0,
  sessions bigint NOT NULL DEFAULT 0, bounces bigint NOT NULL DEFAULT 0, duration_s bigint NOT NULL DEFAULT 0,
  value_eur numeric NOT NULL DEFAULT 0
) ON COMMIT DROP`;

export const EVENT_TRAFFIC_DELTA_SQL = `
INSERT INTO fold_traffic_delta (domain_id, hour, day, pageviews, events, custom_events, value_eur)
SELECT domain_id, hour, day, count(*) FILTER (WHERE is_pageview), count(*), count(*) FILTER (WHERE NOT is_pageview),
       sum(value_eur)
  FROM fold_events
 GROUP BY domain_id, hour, day`;

export const FOLD_ACTIVITY_HOURLY_SQL = `
INSERT INTO activity_hourly (domain_id, hour, person)
SELECT DISTINCT domain_id, hour, person FROM fold_events WHERE person IS NOT NULL
ON CONFLICT DO NOTHING`;

/**
 * Person-days: upserted, and each row the upsert created (xmax = 0: inserted, not updated) adds one
 * to the day's person_days, the size of an exact distinct count over that day.
 */
export const FOLD_ACTIVITY_DAILY_SQL = `
WITH ins AS (
  INSERT INTO activity_daily AS t (domain_id, day, person, user_id, pageviews, events, value_eur)
  SELECT domain_id, day, person, user_id, count(*) FILTER (WHERE is_pageview), count(*), sum(value_eur)
    FROM fold_events
   WHERE person IS NOT NULL
   GROUP BY domain_id, day, person, user_id
  ON CONFLICT (domain_id, day, person) DO UPDATE
     SET pageviews = t.pageviews + EXCLUDED.pageviews,
         events = t.events + EXCLUDED.events,
         value_eur = t.value_eur + EXCLUDED.value_eur
  RETURNING t.domain_id, t.day, t.xmax = 0 AS is_new
)
INSERT INTO fold_traffic_delta (domain_id, day, person_days)
SELECT domain_id, day, count(*) FROM ins WHERE is_new GROUP BY domain_id, day`;

/**
 * Pages viewed and goals reached, per person and day, into person_day_steps; a person new to that
 * (day, page|goal) adds one visitor to its breakdown row (rows the upsert created: xmax = 0).
 */
export const FOLD_STEPS_SQL = `
WITH c AS (
  SELECT domain_id,
         CASE WHEN is_pageview THEN 'page' ELSE 'goal' END AS kind,
         CASE WHEN is_pageview THEN pathname ELSE name END AS value,
         day, person, count(*) AS n, sum(value_eur) AS v, min(occurred_at) AS f, max(occurred_at) AS l
    FROM fold_events
   GROUP BY 1, 2, 3, 4, 5
), ins AS (
  INSERT INTO person_day_steps AS s (domain_id, kind, value, day, person, first_at, last_at)
  SELECT domain_id, kind, value, day, person, f, l FROM c WHERE person IS NOT NULL
  ON CONFLICT (domain_id, kind, value, day, person) DO UPDATE
     SET first_at = least(s.first_at, EXCLUDED.first_at), last_at = greatest(s.last_at, EXCLUDED.last_at)
  RETURNING s.domain_id, s.kind, s.value, s.day, s.xmax = 0 AS is_new
), fresh AS (
  SELECT domain_id, kind, value, day, count(*) AS n FROM ins WHERE is_new GROUP BY 1, 2, 3, 4
), sums AS (
  SELECT domain_id, kind, value, day, coalesce(sum(n) FILTER (WHERE kind = 'page'), 0) AS pageviews,
         sum(n) AS events, sum(v) AS value_eur
    FROM c GROUP BY 1, 2, 3, 4
)
INSERT INTO fold_breakdown_delta (domain_id, dimension, day, value, visitors, pageviews, events, value_eur)
SELECT s.domain_id, s.kind, s.day, s.value, coalesce(f.n, 0), s.pageviews, s.events, s.value_eur
  FROM sums s
  LEFT JOIN fresh f ON f.domain_id = s.domain_id AND f.kind = s.kind AND f.value = s.value AND f.day = s.day`;
