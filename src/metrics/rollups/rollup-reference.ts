import type { Db } from '../../db/types.ts';
import { CREATE_FOLD_EVENTS_SQL } from './fold-events.sql.ts';

// The rollups computed the slow way, from every raw event at once, with an independent
// sessionisation (a plain lag() over events). Tests compare the incremental fold against it; it
// shares only the per-event field derivation (fold_events) with the fold.

export type RollupSnapshot = Record<string, string[]>;

/** Each table as sorted lines of text, all-zero rows dropped; comparable with toEqual. */
const CANONICAL: Record<string, string> = {
  traffic_hourly: `SELECT concat_ws('|', domain_id, hour AT TIME ZONE 'UTC', pageviews, events, custom_events, sessions,
                            bounces, duration_s, value_eur::numeric(16, 2)) AS line
                     FROM %s WHERE pageviews <> 0 OR events <> 0 OR sessions <> 0`,
  activity_hourly: `SELECT concat_ws('|', domain_id, hour AT TIME ZONE 'UTC', person) AS line FROM %s`,
  activity_daily: `SELECT concat_ws('|', domain_id, day, person, user_id, pageviews, events, sessions, duration_s,
                            value_eur::numeric(16, 2)) AS line FROM %s`,
  traffic_sessions: `SELECT concat_ws('|', domain_id, person, started_at AT TIME ZONE 'UTC', last_at AT TIME ZONE 'UTC',
                              first_id, pageviews, events, engaged, value_eur::numeric(16, 2), entry_page, exit_page, source, referrer,
                              channel, utm_source, utm_medium, utm_campaign, browser, os, device) AS line FROM %s`,
  traffic_breakdown_daily: `SELECT concat_ws('|', domain_id, dimension, day, value, visitors, pageviews, events, sessions,
                                     bounces, duration_s, value_eur::numeric(16, 2)) AS line
                              FROM %s WHERE visitors <> 0 OR pageviews <> 0 OR events <> 0 OR sessions <> 0`,
  person_day_steps: `SELECT concat_ws('|', domain_id, kind, value, day, person, first_at AT TIME ZONE 'UTC',
                              last_at AT TIME ZONE 'UTC') AS line FROM %s`,
  traffic_blocks: `SELECT concat_ws('|', domain_id, level, block, pageviews, events, custom_events, sessions, bounces,
                            duration_s, value_eur::numeric(16, 2), person_days) AS line
                     FROM %s WHERE pageviews <> 0 OR events <> 0 OR sessions <> 0 OR person_days <> 0`,
  breakdown_blocks: `SELECT concat_ws('|', domain_id, dimension, level, block, value, visitors, pageviews, events, sessions,
                              bounces, duration_s, value_eur::numeric(16, 2)) AS line
                       FROM %s WHERE visitors <> 0 OR pageviews <> 0 OR events <> 0 OR sessions <> 0`,
  visitor_sketches: `SELECT concat_ws('|', domain_id, kind, level, block, encode(registers, 'hex')) AS line FROM %s`,
};

async function snapshot(
  db: Db,
  tableFor: (name: string) => string,
  setup: string[] = [],
): Promise<RollupSnapshot> {
  return db.transaction(async (tx) => {
    for (const sql of setup)
      await tx.query(sql, sql.includes('$1') ? ['0', [], '18446744073709551615', []] : []);
    const out: RollupSnapshot = {};
    for (const [name, sql] of Object.entries(CANONICAL)) {
      const res = await tx.query<{ line: string }>(`${sql.replace('%s', tableFor(name))} ORDER BY 1`);
      out[name] = res.rows.map((r) => r.line);
    }
    return out;
  });
}

/** What the rollup tables hold now. */
export function readRollups(db: Db): Promise<RollupSnapshot> {
  return snapshot(db, (name) => name);
}

const DURATION = 'floor(extract(epoch FROM last_at - started_at))::bigint';

const REFERENCE_SETUP = [
  // Every event, derived exactly as a fold derives them.
  CREATE_FOLD_EVENTS_SQL.replace('fold_events', 'ref_events'),
  `CREATE TEMP TABLE ref_traffic_sessions ON COMMIT DROP AS
   WITH o AS (
     SELECT e.*, lag(occurred_at) OVER (PARTITION BY domain_id, person ORDER BY occurred_at, id) AS prev
       FROM ref_events e WHERE person IS NOT NULL
   ), g AS (
     SELECT o.*, sum(CASE WHEN prev IS NULL OR occurred_at - prev >= interval '30 minutes' THEN 1 ELSE 0 END)
                   OVER (PARTITION BY domain_id, person ORDER BY occurred_at, id ROWS UNBOUNDED PRECEDING) AS sid
       FROM o
   )
   SELECT domain_id, person, min(occurred_at) AS started_at, max(occurred_at) AS last_at,
          (array_agg(id ORDER BY occurred_at, id))[1] AS first_id,
          count(*) FILTER (WHERE is_pageview) AS pageviews, count(*) AS events,
          count(*) FILTER (WHERE NOT is_pageview AND interactive) AS engaged, sum(value_eur) AS value_eur,
          (array_agg(pathname ORDER BY occurred_at, id) FILTER (WHERE is_pageview))[1] AS entry_page,
          (array_agg(pathname ORDER BY occurred_at DESC, id DESC) FILTER (WHERE is_pageview))[1] AS exit_page,
          (array_agg(source ORDER BY occurred_at, id))[1] AS source,
          (array_agg(referrer ORDER BY occurred_at, id))[1] AS referrer,
          (array_agg(channel ORDER BY occurred_at, id))[1] AS channel,
          (array_agg(utm_source ORDER BY occurred_at, id))[1] AS utm_source,
          (array_agg(utm_medium ORDER BY occurred_at, id))[1] AS utm_medium,
          (array_agg(utm_campaign ORDER BY occurred_at, id))[1] AS utm_campaign,
          (array_agg(browser ORDER BY occurred_at, id))[1] AS browser,
          (array_agg(os ORDER BY occurred_at, id))[1] AS os,
          (array_agg(device ORDER BY occurred_at, id))[1] AS device
     FROM g GROUP BY domain_id, person, sid`,
  `CREATE TEMP TABLE ref_traffic_hourly ON COMMIT DROP AS
   SELECT domain_id, hour, sum(pageviews) AS pageviews, sum(events) AS events, sum(custom_events) AS custom_events,
          sum(sessions) AS sessions, sum(bounces) AS bounces, sum(duration_s) AS duration_s,
          sum(value_eur)::numeric(16, 2) AS value_eur
     FROM (SELECT domain_id, hour, count(*) FILTER (WHERE is_pageview) AS pageviews, count(*) AS events,
                  count(*) FILTER (WHERE NOT is_pageview) AS custom_events, 0 AS sessions, 0 AS bounces,
                  0 AS duration_s, sum(value_eur) AS value_eur
             FROM ref_events GROUP BY domain_id, hour
           UNION ALL
           SELECT domain_id, date_trunc('hour', started_at, 'UTC'), 0, 0, 0, count(*),
                  count(*) FILTER (WHERE pageviews = 1 AND engaged = 0), sum(${DURATION}), 0
             FROM ref_traffic_sessions GROUP BY 1, 2) x
    GROUP BY domain_id, hour`,
  `CREATE TEMP TABLE ref_activity_hourly ON COMMIT DROP AS
   SELECT DISTINCT domain_id, hour, person FROM ref_events WHERE person IS NOT NULL`,
  `CREATE TEMP TABLE ref_activity_daily ON COMMIT DROP AS
   SELECT a.domain_id, a.day, a.person, a.user_id, a.pageviews, a.events,
          coalesce(s.sessions, 0) AS sessions, coalesce(s.duration_s, 0) AS duration_s, a.value_eur
     FROM (SELECT domain_id, day, person, user_id, count(*) FILTER (WHERE is_pageview) AS pageviews,
                  count(*) AS events, sum(value_eur)::numeric(16, 2) AS value_eur
             FROM ref_events WHERE person IS NOT NULL GROUP BY 1, 2, 3, 4) a
     LEFT JOIN (SELECT domain_id, (started_at AT TIME ZONE 'UTC')::date AS day, person, count(*) AS sessions,
                       sum(${DURATION}) AS duration_s
                  FROM ref_traffic_sessions GROUP BY 1, 2, 3) s
       ON s.domain_id = a.domain_id AND s.day = a.day AND s.person = a.person`,
  `CREATE TEMP TABLE ref_person_day_steps ON COMMIT DROP AS
   SELECT domain_id, CASE WHEN is_pageview THEN 'page' ELSE 'goal' END AS kind,
          CASE WHEN is_pageview THEN pathname ELSE name END AS value, day, person,
          min(occurred_at) AS first_at, max(occurred_at) AS last_at
     FROM ref_events WHERE person IS NOT NULL GROUP BY 1, 2, 3, 4, 5`,
  `CREATE TEMP TABLE ref_traffic_breakdown_daily ON COMMIT DROP AS
   SELECT domain_id, CASE WHEN is_pageview THEN 'page' ELSE 'goal' END AS dimension, day,
          CASE WHEN is_pageview THEN pathname ELSE name END AS value, count(DISTINCT person) AS visitors,
          count(*) FILTER (WHERE is_pageview) AS pageviews, count(*) AS events, 0 AS sessions, 0 AS bounces,
          0 AS duration_s, sum(value_eur)::numeric(16, 2) AS value_eur
     FROM ref_events GROUP BY 1, 2, 3, 4
   UNION ALL
   SELECT s.domain_id, d.dimension, (s.started_at AT TIME ZONE 'UTC')::date, d.value, count(DISTINCT s.person),
          sum(s.pageviews), 0, count(*), count(*) FILTER (WHERE s.pageviews = 1 AND s.engaged = 0),
          sum(floor(extract(epoch FROM s.last_at - s.started_at))::bigint), 0
     FROM ref_traffic_sessions s
    CROSS JOIN LATERAL (VALUES
      ('entry_page', s.entry_page), ('exit_page', s.exit_page), ('source', s.source), ('referrer', s.referrer),
      ('channel', s.channel), ('utm_source', s.utm_source), ('utm_medium', s.utm_medium),
      ('utm_campaign', s.utm_campaign), ('browser', s.browser), ('os', s.os), ('device', s.device)
    ) AS d(dimension, value)
    WHERE d.value IS NOT NULL
    GROUP BY 1, 2, 3, 4`,
  `CREATE TEMP TABLE ref_traffic_blocks ON COMMIT DROP AS
   SELECT domain_id, l AS level, n >> l AS block, sum(pageviews) AS pageviews, sum(events) AS events,
          sum(custom_events) AS custom_events, sum(sessions) AS sessions, sum(bounces) AS bounces,
          sum(duration_s) AS duration_s, sum(value_eur) AS value_eur, sum(person_days) AS person_days
     FROM (SELECT domain_id, (hour AT TIME ZONE 'UTC')::date - DATE '1970-01-01' AS n, pageviews, events, custom_events,
                  sessions, bounces, duration_s, value_eur, 0 AS person_days
             FROM ref_traffic_hourly
           UNION ALL
           SELECT domain_id, day - DATE '1970-01-01', 0, 0, 0, 0, 0, 0, 0, count(*) FROM ref_activity_daily GROUP BY 1, 2) x
    CROSS JOIN unnest(ARRAY[0, 3, 6, 9]) AS l
    GROUP BY 1, 2, 3`,
  `CREATE TEMP TABLE ref_breakdown_blocks ON COMMIT DROP AS
   SELECT domain_id, dimension, l AS level, (day - DATE '1970-01-01') >> l AS block, value, sum(visitors) AS visitors,
          sum(pageviews) AS pageviews, sum(events) AS events, sum(sessions) AS sessions, sum(bounces) AS bounces,
          sum(duration_s) AS duration_s, sum(value_eur) AS value_eur
     FROM ref_traffic_breakdown_daily CROSS JOIN unnest(ARRAY[3, 6, 9]) AS l
    GROUP BY 1, 2, 3, 4, 5`,
  // Sketches built register by register in SQL (the fold raises them in JS).
  `CREATE TEMP TABLE ref_visitor_sketches ON COMMIT DROP AS
   WITH persons AS (
     SELECT DISTINCT domain_id, 'v' AS kind, day, person FROM ref_events WHERE person IS NOT NULL
     UNION
     SELECT domain_id, k.kind, day, person FROM ref_events CROSS JOIN LATERAL (VALUES ('g'), ('g:' || name)) AS k(kind)
      WHERE person IS NOT NULL AND NOT is_pageview
   ), regs AS (
     SELECT domain_id, kind, l AS level, (day - DATE '1970-01-01') >> l AS block, hll_register(person) AS reg,
            max(hll_rank(person)) AS rank
       FROM persons CROSS JOIN unnest(ARRAY[0, 3, 6, 9]) AS l
      GROUP BY 1, 2, 3, 4, 5
   )
   SELECT k.domain_id, k.kind, k.level, k.block,
          decode(string_agg(lpad(to_hex(coalesce(r.rank, 0)), 2, '0'), '' ORDER BY i.i), 'hex') AS registers
     FROM (SELECT DISTINCT domain_id, kind, level, block FROM regs) k
    CROSS JOIN generate_series(0, 2047) AS i(i)
     LEFT JOIN regs r ON r.domain_id = k.domain_id AND r.kind = k.kind AND r.level = k.level AND r.block = k.block
                     AND r.reg = i.i
    GROUP BY 1, 2, 3, 4`,
];

/** The same tables recomputed from the raw events in one pass. */
export function recomputeFromEvents(db: Db): Promise<RollupSnapshot> {
  return snapshot(db, (name) => `ref_${name}`, REFERENCE_SETUP);
}
