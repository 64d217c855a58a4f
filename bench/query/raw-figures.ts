// The baseline: the overview's and the domain page's traffic figures computed straight from raw
// events, as a dashboard without rollups would (sessions rebuilt with window functions). Revenue
// and MRR come from the same tables either way, so they are left out of both sides' difference.
import type { Db } from '../../src/db/types.ts';

const PERSON = `coalesce('u:' || e.user_id::text, 'v:' || e.visitor_id)`;

// $1 domains, $2/$3 [start, end): one row per session (30-minute gap rule, as the rollups).
const SESSIONS_CTE = `
ev AS (
  SELECT e.domain_id, ${PERSON} AS person, e.occurred_at, e.name, e.interactive, e.pathname, e.source, e.channel,
         e.browser, e.os, e.device, e.campaign
    FROM events e
   WHERE e.domain_id = ANY ($1::uuid[]) AND e.occurred_at >= $2 AND e.occurred_at < $3
     AND (e.user_id IS NOT NULL OR e.visitor_id IS NOT NULL)
), marked AS (
  SELECT ev.*, CASE WHEN lag(occurred_at) OVER w IS NULL
                      OR occurred_at - lag(occurred_at) OVER w >= interval '30 minutes' THEN 1 ELSE 0 END AS starts
    FROM ev WINDOW w AS (PARTITION BY domain_id, person ORDER BY occurred_at)
), numbered AS (
  SELECT marked.*, sum(starts) OVER (PARTITION BY domain_id, person ORDER BY occurred_at) AS sid FROM marked
), sessions AS (
  SELECT domain_id, person, sid, min(occurred_at) AS started_at,
         count(*) FILTER (WHERE name = 'pageview') AS pageviews,
         count(*) FILTER (WHERE name <> 'pageview' AND interactive) AS engaged,
         extract(epoch FROM max(occurred_at) - min(occurred_at)) AS duration_s,
         (array_agg(pathname ORDER BY occurred_at) FILTER (WHERE name = 'pageview'))[1] AS entry_page,
         (array_agg(source ORDER BY occurred_at))[1] AS source,
         (array_agg(channel ORDER BY occurred_at))[1] AS channel,
         (array_agg(browser ORDER BY occurred_at))[1] AS browser,
         (array_agg(os ORDER BY occurred_at))[1] AS os,
         (array_agg(device ORDER BY occurred_at))[1] AS device,
         (array_agg(campaign ORDER BY occurred_at))[1] AS campaign
    FROM numbered GROUP BY domain_id, person, sid
)`;

const OVERVIEW_SQL = `
WITH ${SESSIONS_CTE},
converters AS (
  SELECT domain_id, count(DISTINCT person) AS n FROM ev WHERE name <> 'pageview' GROUP BY ROLLUP (domain_id)
)
SELECT s.domain_id, count(DISTINCT s.person) AS visitors, sum(s.pageviews) AS pageviews, count(*) AS sessions,
       count(*) FILTER (WHERE s.pageviews = 1 AND s.engaged = 0) AS bounces, max(c.n) AS converters
  FROM sessions s
  LEFT JOIN converters c ON c.domain_id IS NOT DISTINCT FROM s.domain_id
 GROUP BY ROLLUP (s.domain_id)`;

const SERIES_SQL = `
WITH ${SESSIONS_CTE}
SELECT date_trunc('day', started_at, $4) AS day, count(DISTINCT person) AS visitors, sum(pageviews) AS pageviews,
       count(*) AS sessions, count(*) FILTER (WHERE pageviews = 1 AND engaged = 0) AS bounces, sum(duration_s) AS duration
  FROM sessions GROUP BY 1 ORDER BY 1`;

const sessionBreakdown = (column: string) => `
WITH ${SESSIONS_CTE}
SELECT ${column} AS value, count(DISTINCT person) AS visitors, count(*) AS sessions,
       count(*) FILTER (WHERE pageviews = 1 AND engaged = 0) AS bounces
  FROM sessions GROUP BY 1 ORDER BY 2 DESC LIMIT 10`;

const PAGES_SQL = `
SELECT e.pathname AS value, count(DISTINCT ${PERSON}) AS visitors, count(*) AS pageviews
  FROM events e
 WHERE e.domain_id = ANY ($1::uuid[]) AND e.occurred_at >= $2 AND e.occurred_at < $3 AND e.name = 'pageview'
 GROUP BY 1 ORDER BY 2 DESC LIMIT 10`;

const GOALS_SQL = `
SELECT e.name AS goal, count(DISTINCT ${PERSON}) AS uniques, count(*) AS events, sum(e.value_eur) AS value
  FROM events e
 WHERE e.domain_id = ANY ($1::uuid[]) AND e.occurred_at >= $2 AND e.occurred_at < $3 AND e.name <> 'pageview'
 GROUP BY 1 ORDER BY 2 DESC`;

const SESSION_DIMENSIONS = ['entry_page', 'source', 'channel', 'campaign', 'browser', 'os', 'device'];

export interface RawRange {
  start: Date;
  end: Date;
}

/** The overview's traffic figures (every domain plus all together) for a range and its comparison. */
export async function rawOverview(
  db: Db,
  domainIds: string[],
  range: RawRange,
  previous: RawRange,
): Promise<void> {
  for (const r of [range, previous]) await db.query(OVERVIEW_SQL, [domainIds, r.start, r.end]);
}

/** What the domain page shows: totals with comparison, a daily series, top pages, session breakdowns, goals. */
export async function rawDomainPage(
  db: Db,
  domainId: string,
  range: RawRange,
  previous: RawRange,
): Promise<void> {
  const p = [[domainId], range.start, range.end];
  await db.query(OVERVIEW_SQL, p);
  await db.query(OVERVIEW_SQL, [[domainId], previous.start, previous.end]);
  await db.query(SERIES_SQL, [...p, 'UTC']);
  await db.query(PAGES_SQL, p);
  for (const column of SESSION_DIMENSIONS) await db.query(sessionBreakdown(column), p);
  await db.query(GOALS_SQL, p);
}
