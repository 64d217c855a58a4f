// The engagement rollups of migration 0009, kept by the rollup fold. ENGAGEMENT_FOLD_STEPS run in
// the fold's transaction once activity_daily is final for the batch (after its 'sessions_activity'
// step): they read the batch (fold_events), the sessions it changed (fold_session_changes) and
// activity_daily. Each is idempotent, so running one twice changes nothing.

/**
 * Per domain and day touched by the batch (a new event's day, or the start day of a session it
 * grew or merged), the day's sums recomputed from activity_daily: a day is a few thousand rows.
 */
const FOLD_ENGAGEMENT_DAILY_SQL = `
INSERT INTO engagement_daily AS t (domain_id, day, users, visitors, sessions, duration_s)
SELECT touched.domain_id, touched.day, a.users, a.visitors, a.sessions, a.duration_s
  FROM (SELECT domain_id, day FROM fold_events
        UNION
        SELECT domain_id, (started_at AT TIME ZONE 'UTC')::date FROM fold_session_changes) touched
 -- Per day through the primary key: a join was planned as a scan of all of activity_daily.
 CROSS JOIN LATERAL (
   SELECT count(user_id) AS users, count(*) - count(user_id) AS visitors, sum(sessions) AS sessions,
          sum(duration_s) AS duration_s
     FROM activity_daily
    WHERE domain_id = touched.domain_id AND day = touched.day) a
 WHERE a.users + a.visitors > 0
ON CONFLICT (domain_id, day) DO UPDATE
   SET users = EXCLUDED.users, visitors = EXCLUDED.visitors, sessions = EXCLUDED.sessions,
       duration_s = EXCLUDED.duration_s`;

/** Users of the batch active that day on two or more domains: all their rows of the day. */
const FOLD_SHARED_USER_DAYS_SQL = `
INSERT INTO shared_user_days (domain_id, day, user_id)
SELECT a.domain_id, a.day, a.user_id
  FROM (SELECT DISTINCT user_id, day FROM fold_events WHERE user_id IS NOT NULL) batch
 CROSS JOIN LATERAL (
   SELECT domain_id, day, user_id, count(*) OVER () AS domains
     FROM activity_daily
    WHERE user_id = batch.user_id AND day = batch.day) a
 WHERE a.domains >= 2
ON CONFLICT DO NOTHING`;

/**
 * The batch's user days merged into user_activity: both bit strings are widened to the union of
 * their spans and OR-ed; the week and month masks are moved up to the (possibly earlier) first
 * period. A late event before a user's first day therefore moves it back exactly.
 */
const FOLD_USER_ACTIVITY_SQL = `
INSERT INTO user_activity AS t (domain_id, user_id, first_day, last_day, days, weeks, months)
SELECT domain_id, user_id, f, l,
       bit_or(set_bit(repeat('0', l - f + 1)::bit varying, day - f, 1)),
       bit_or(engagement_shift(1, engagement_week(day) - engagement_week(f))),
       bit_or(engagement_shift(1, engagement_month(day) - engagement_month(f)))
  FROM (SELECT domain_id, user_id, day, min(day) OVER w AS f, max(day) OVER w AS l
          FROM (SELECT DISTINCT domain_id, user_id, day FROM fold_events WHERE user_id IS NOT NULL) batch
        WINDOW w AS (PARTITION BY domain_id, user_id)) active
 GROUP BY domain_id, user_id, f, l
ON CONFLICT (domain_id, user_id) DO UPDATE
   SET first_day = least(t.first_day, EXCLUDED.first_day),
       last_day = greatest(t.last_day, EXCLUDED.last_day),
       days = engagement_widen(t.days, t.first_day, t.last_day,
                               least(t.first_day, EXCLUDED.first_day), greatest(t.last_day, EXCLUDED.last_day))
            | engagement_widen(EXCLUDED.days, EXCLUDED.first_day, EXCLUDED.last_day,
                               least(t.first_day, EXCLUDED.first_day), greatest(t.last_day, EXCLUDED.last_day)),
       weeks = engagement_shift(t.weeks,
                                engagement_week(t.first_day) - engagement_week(least(t.first_day, EXCLUDED.first_day)))
             | engagement_shift(EXCLUDED.weeks,
                                engagement_week(EXCLUDED.first_day) - engagement_week(least(t.first_day, EXCLUDED.first_day))),
       months = engagement_shift(t.months,
                                 engagement_month(t.first_day) - engagement_month(least(t.first_day, EXCLUDED.first_day)))
              | engagement_shift(EXCLUDED.months,
                                 engagement_month(EXCLUDED.first_day) - engagement_month(least(t.first_day, EXCLUDED.first_day)))`;

/** The batch's users who now have rows on two or more domains: all their rows are `shared`. */
const FOLD_SHARED_USERS_SQL = `
UPDATE user_activity u
   SET shared = true
  FROM (SELECT a.user_id
          FROM user_activity a
         WHERE a.user_id IN (SELECT user_id FROM fold_events WHERE user_id IS NOT NULL)
         GROUP BY a.user_id
        HAVING count(*) > 1) m
 WHERE u.user_id = m.user_id AND NOT u.shared`;

/** [step name, statement], in the shape of the fold's own step lists. */
export const ENGAGEMENT_FOLD_STEPS: ReadonlyArray<[string, string]> = [
  ['engagement_daily', FOLD_ENGAGEMENT_DAILY_SQL],
  ['shared_user_days', FOLD_SHARED_USER_DAYS_SQL],
  ['user_activity', FOLD_USER_ACTIVITY_SQL],
  ['shared_users', FOLD_SHARED_USERS_SQL],
];

/**
 * The same tables built from the whole of activity_daily (migration 0009 runs these statements,
 * verbatim; a test checks it). On empty tables only: they insert without merging.
 */
export const ENGAGEMENT_BACKFILL_STEPS: readonly string[] = [
  `
INSERT INTO engagement_daily AS t (domain_id, day, users, visitors, sessions, duration_s)
SELECT a.domain_id, a.day, count(a.user_id), count(*) - count(a.user_id), sum(a.sessions), sum(a.duration_s)
  FROM activity_daily a
 GROUP BY a.domain_id, a.day`,
  `
INSERT INTO shared_user_days (domain_id, day, user_id)
SELECT domain_id, day, user_id
  FROM (SELECT domain_id, day, user_id, count(*) OVER (PARTITION BY user_id, day) AS domains
          FROM activity_daily
         WHERE user_id IS NOT NULL) a
 WHERE domains >= 2`,
  `
INSERT INTO user_activity AS t (domain_id, user_id, first_day, last_day, days, weeks, months)
SELECT domain_id, user_id, f, l,
       bit_or(set_bit(repeat('0', l - f + 1)::bit varying, day - f, 1)),
       bit_or(engagement_shift(1, engagement_week(day) - engagement_week(f))),
       bit_or(engagement_shift(1, engagement_month(day) - engagement_month(f)))
  FROM (SELECT domain_id, user_id, day, min(day) OVER w AS f, max(day) OVER w AS l
          FROM activity_daily
         WHERE user_id IS NOT NULL
        WINDOW w AS (PARTITION BY domain_id, user_id)) active
 GROUP BY domain_id, user_id, f, l`,
  `
UPDATE user_activity u
   SET shared = true
  FROM (SELECT user_id FROM user_activity GROUP BY user_id HAVING count(*) > 1) m
 WHERE u.user_id = m.user_id AND NOT u.shared`,
];
