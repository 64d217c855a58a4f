import { SQL_LEVELS, SQL_UPPER_LEVELS } from './hll.ts';

// Last part of a fold: the counter changes gathered in fold_traffic_delta and fold_breakdown_delta
// are added to each grain the dashboards read (upserts with `+`; a delta may be negative when a
// session moves or merges). Blocks: level L holds the days n (since 1970-01-01) with n >> L = block.

const DAY_NUMBER = "(day - DATE '1970-01-01')";
/** Every block level of traffic_blocks; breakdown_blocks has those past 0 (level 0 is the daily table). */
const LEVELS = (first: number) => `${first === 0 ? SQL_LEVELS : SQL_UPPER_LEVELS} AS l`;

export const APPLY_TRAFFIC_HOURLY_SQL = `
INSERT INTO traffic_hourly AS t (domain_id, hour, pageviews, events, custom_events, sessions, bounces, duration_s,
                                 value_eur)
SELECT domain_id, hour, sum(pageviews), sum(events), sum(custom_events), sum(sessions), sum(bounces),
       sum(duration_s), sum(value_eur)
  FROM fold_traffic_delta
 WHERE hour IS NOT NULL
 GROUP BY domain_id, hour
ON CONFLICT (domain_id, hour) DO UPDATE
   SET pageviews = t.pageviews + EXCLUDED.pageviews,
       events = t.events + EXCLUDED.events,
       custom_events = t.custom_events + EXCLUDED.custom_events,
       sessions = t.sessions + EXCLUDED.sessions,
       bounces = t.bounces + EXCLUDED.bounces,
       duration_s = t.duration_s + EXCLUDED.duration_s,
       value_eur = t.value_eur + EXCLUDED.value_eur`;

export const APPLY_TRAFFIC_BLOCKS_SQL = `
INSERT INTO traffic_blocks AS t (domain_id, level, block, pageviews, events, custom_events, sessions, bounces,
                                 duration_s, value_eur, person_days)
SELECT domain_id, l, ${DAY_NUMBER} >> l, sum(pageviews), sum(events), sum(custom_events), sum(sessions),
       sum(bounces), sum(duration_s), sum(value_eur), sum(person_days)
  FROM fold_traffic_delta CROSS JOIN ${LEVELS(0)}
 GROUP BY domain_id, l, ${DAY_NUMBER} >> l
ON CONFLICT (domain_id, level, block) DO UPDATE
   SET pageviews = t.pageviews + EXCLUDED.pageviews,
       events = t.events + EXCLUDED.events,
       custom_events = t.custom_events + EXCLUDED.custom_events,
       sessions = t.sessions + EXCLUDED.sessions,
       bounces = t.bounces + EXCLUDED.bounces,
       duration_s = t.duration_s + EXCLUDED.duration_s,
       value_eur = t.value_eur + EXCLUDED.value_eur,
       person_days = t.person_days + EXCLUDED.person_days`;

const BREAKDOWN_SET = `
   SET visitors = t.visitors + EXCLUDED.visitors,
       pageviews = t.pageviews + EXCLUDED.pageviews,
       events = t.events + EXCLUDED.events,
       sessions = t.sessions + EXCLUDED.sessions,
       bounces = t.bounces + EXCLUDED.bounces,
       duration_s = t.duration_s + EXCLUDED.duration_s,
       value_eur = t.value_eur + EXCLUDED.value_eur`;

const BREAKDOWN_SUMS = `sum(visitors), sum(pageviews), sum(events), sum(sessions), sum(bounces), sum(duration_s),
       sum(value_eur)`;

export const APPLY_BREAKDOWN_DAILY_SQL = `
INSERT INTO traffic_breakdown_daily AS t (domain_id, dimension, day, value, visitors, pageviews, events, sessions,
                                          bounces, duration_s, value_eur)
SELECT domain_id, dimension, day, value, ${BREAKDOWN_SUMS}
  FROM fold_breakdown_delta
 GROUP BY domain_id, dimension, day, value
ON CONFLICT (domain_id, dimension, day, value) DO UPDATE ${BREAKDOWN_SET}`;

export const APPLY_BREAKDOWN_BLOCKS_SQL = `
INSERT INTO breakdown_blocks AS t (domain_id, dimension, level, block, value, visitors, pageviews, events, sessions,
                                   bounces, duration_s, value_eur)
SELECT domain_id, dimension, l, ${DAY_NUMBER} >> l, value, ${BREAKDOWN_SUMS}
  FROM fold_breakdown_delta CROSS JOIN ${LEVELS(1)}
 GROUP BY domain_id, dimension, l, ${DAY_NUMBER} >> l, value
ON CONFLICT (domain_id, dimension, level, block, value) DO UPDATE ${BREAKDOWN_SET}`;

const ALL_ZERO = `b.visitors = 0 AND b.sessions = 0 AND b.pageviews = 0 AND b.events = 0 AND b.bounces = 0
   AND b.duration_s = 0 AND b.value_eur = 0`;

/** A session that moved away (an earlier start, a new entry page) can leave a row of zeros behind. */
// Rows found by primary-key probes (fenced LATERAL) and deleted by ctid: a join the planner could
// turn into a scan of the whole table, which it did on PGlite (no statistics).
export const DELETE_EMPTY_BREAKDOWN_SQL = `
DELETE FROM traffic_breakdown_daily
 WHERE ctid = ANY (ARRAY(
   SELECT b.ctid
     FROM (SELECT DISTINCT domain_id, dimension, day, value FROM fold_breakdown_delta) t
    CROSS JOIN LATERAL (
      SELECT ctid FROM traffic_breakdown_daily b
       WHERE b.domain_id = t.domain_id AND b.dimension = t.dimension AND b.day = t.day AND b.value = t.value
         AND ${ALL_ZERO}
      OFFSET 0) b))`;

export const DELETE_EMPTY_BREAKDOWN_BLOCKS_SQL = `
DELETE FROM breakdown_blocks
 WHERE ctid = ANY (ARRAY(
   SELECT b.ctid
     FROM (SELECT DISTINCT domain_id, dimension, l AS level, ${DAY_NUMBER} >> l AS block, value
             FROM fold_breakdown_delta CROSS JOIN ${LEVELS(1)}) t
    CROSS JOIN LATERAL (
      SELECT ctid FROM breakdown_blocks b
       WHERE b.domain_id = t.domain_id AND b.dimension = t.dimension AND b.level = t.level AND b.block = t.block
         AND b.value = t.value AND ${ALL_ZERO}
      OFFSET 0) b))`;
