// Event-level part of a fold: every counter here only grows, so it is an upsert with `+`.
// All statements read the temporary table fold_events, the batch between the old and new horizon.
// UTC hours and days are taken explicitly: the session time zone must not move a bucket.

/**
 * $1 old horizon, $2 old pending xids, $3 new horizon, $4 xids in progress now: the events of
 * transactions that ended since the last run. One row per event, with what every rollup needs.
 */
export const CREATE_FOLD_EVENTS_SQL = `
CREATE TEMP TABLE fold_events ON COMMIT DROP AS
SELECT e.id, e.domain_id, e.occurred_at, e.name, e.user_id,
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
       coalesce(e.device, '') AS device
  FROM events e
 WHERE (e.ingest_xid >= $1::xid8 OR e.ingest_xid = ANY ($2::xid8[]))
   AND e.ingest_xid < $3::xid8 AND NOT (e.ingest_xid = ANY ($4::xid8[]))`;

export const FOLD_TRAFFIC_HOURLY_SQL = `
INSERT INTO traffic_hourly AS t (domain_id, hour, pageviews, events, custom_events, value_eur)
SELECT domain_id, hour, count(*) FILTER (WHERE is_pageview), count(*), count(*) FILTER (WHERE NOT is_pageview),
       sum(value_eur)
  FROM fold_events
 GROUP BY domain_id, hour
ON CONFLICT (domain_id, hour) DO UPDATE
   SET pageviews = t.pageviews + EXCLUDED.pageviews,
       events = t.events + EXCLUDED.events,
       custom_events = t.custom_events + EXCLUDED.custom_events,
       value_eur = t.value_eur + EXCLUDED.value_eur`;

export const FOLD_ACTIVITY_HOURLY_SQL = `
INSERT INTO activity_hourly (domain_id, hour, person)
SELECT DISTINCT domain_id, hour, person FROM fold_events WHERE person IS NOT NULL
ON CONFLICT DO NOTHING`;

export const FOLD_ACTIVITY_DAILY_SQL = `
INSERT INTO activity_daily AS t (domain_id, day, person, user_id, pageviews, events, value_eur)
SELECT domain_id, day, person, user_id, count(*) FILTER (WHERE is_pageview), count(*), sum(value_eur)
  FROM fold_events
 WHERE person IS NOT NULL
 GROUP BY domain_id, day, person, user_id
ON CONFLICT (domain_id, day, person) DO UPDATE
   SET pageviews = t.pageviews + EXCLUDED.pageviews,
       events = t.events + EXCLUDED.events,
       value_eur = t.value_eur + EXCLUDED.value_eur`;

/**
 * Pages viewed and goals reached, per person and day; is_new marks a person new to that
 * (day, page|goal), who adds one visitor to its breakdown row. Computed before person_day_steps
 * is written, in a statement of its own (a self-join in one statement would scan rows it cannot see).
 */
export const CREATE_FOLD_STEPS_SQL = `
CREATE TEMP TABLE fold_steps ON COMMIT DROP AS
WITH c AS (
  SELECT domain_id,
         CASE WHEN is_pageview THEN 'page' ELSE 'goal' END AS kind,
         CASE WHEN is_pageview THEN pathname ELSE name END AS value,
         day, person, count(*) AS n, sum(value_eur) AS v, min(occurred_at) AS f, max(occurred_at) AS l
    FROM fold_events
   GROUP BY 1, 2, 3, 4, 5
)
SELECT c.*, (c.person IS NOT NULL AND s.person IS NULL) AS is_new
  FROM c
  LEFT JOIN person_day_steps s
    ON s.domain_id = c.domain_id AND s.kind = c.kind AND s.value = c.value AND s.day = c.day AND s.person = c.person`;

export const FOLD_STEPS_SQL = `
INSERT INTO person_day_steps AS s (domain_id, kind, value, day, person, first_at, last_at)
SELECT domain_id, kind, value, day, person, f, l FROM fold_steps WHERE person IS NOT NULL
ON CONFLICT (domain_id, kind, value, day, person) DO UPDATE
   SET first_at = least(s.first_at, EXCLUDED.first_at), last_at = greatest(s.last_at, EXCLUDED.last_at)`;

export const FOLD_STEPS_BREAKDOWN_SQL = `
INSERT INTO traffic_breakdown_daily AS t (domain_id, dimension, day, value, visitors, pageviews, events, value_eur)
SELECT domain_id, kind, day, value, count(*) FILTER (WHERE is_new),
       coalesce(sum(n) FILTER (WHERE kind = 'page'), 0), sum(n), sum(v)
  FROM fold_steps
 GROUP BY domain_id, kind, day, value
ON CONFLICT (domain_id, dimension, day, value) DO UPDATE
   SET visitors = t.visitors + EXCLUDED.visitors,
       pageviews = t.pageviews + EXCLUDED.pageviews,
       events = t.events + EXCLUDED.events,
       value_eur = t.value_eur + EXCLUDED.value_eur`;
