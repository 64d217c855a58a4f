-- Engagement rollups (docs/metrics.md "Engagement", "Cost"): what the engagement endpoints read
-- instead of activity_daily, whose rows grow with days × persons. Kept by the fold's engagement
-- steps (src/metrics/engagement/fold-engagement.sql.ts); backfilled below from activity_daily.

-- Periods as integers: ISO weeks since Monday 1970-01-05 and months since year 0.
CREATE FUNCTION engagement_week(day date) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (day - DATE '1970-01-05') / 7;
-- (date_part, not extract: extract's numeric arithmetic was a third of a cohort table's time.)
CREATE FUNCTION engagement_month(day date) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (date_part('year', day) * 12 + date_part('month', day) - 1)::integer;
-- A mask moved up by k periods; bits past 62 are dropped (the sign bit stays clear), and a k
-- outside 0..62 leaves nothing.
CREATE FUNCTION engagement_shift(mask bigint, k integer) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN k < 0 OR k > 62 THEN 0 ELSE (mask << k) & 9223372036854775807 END;
-- A day bit string spanning first..last, widened with zeros to span from..to (from ≤ first, last ≤ to).
CREATE FUNCTION engagement_widen(days bit varying, first date, last date, "from" date, "to" date)
  RETURNS bit varying LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (repeat('0', first - "from") || days::text || repeat('0', "to" - last))::bit varying;
-- Whether a user_activity row has a day in a..b: its first and last days are active, so only a
-- window strictly inside them needs the bits.
CREATE FUNCTION engagement_active(first_day date, last_day date, days bit varying, a date, b date)
  RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN first_day <= b AND last_day >= a
     AND (first_day >= a OR last_day <= b
          OR position(B'1' IN substring(days FROM a - first_day + 1 FOR b - a + 1)) > 0);

-- 1. Per domain and UTC day, the sums the daily series needs: identified users and anonymous
-- visitor ids (rows of activity_daily), sessions started and their duration.
CREATE TABLE engagement_daily (
  domain_id  uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  day        date NOT NULL,
  users      integer NOT NULL,
  visitors   integer NOT NULL,
  sessions   bigint NOT NULL,
  duration_s bigint NOT NULL,
  PRIMARY KEY (domain_id, day)
);

-- 2. Identified users active on two or more domains on one day (all their rows of that day): the
-- only users a sum of engagement_daily.users over domains counts more than once.
CREATE TABLE shared_user_days (
  domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  day       date NOT NULL,
  user_id   uuid NOT NULL,
  PRIMARY KEY (domain_id, day, user_id)
);

-- 3. One row per identified user and domain: every day they were active there, as a bit string,
-- plus the ISO weeks and calendar months, as bits counted from their first week and month (only
-- the first 63 are kept; cohort tables need 52). Rows grow with users, not with days. Most users
-- have one domain: their figures are counts of rows; only `shared` users (rows on two or more
-- domains) are grouped per user at read time.
CREATE TABLE user_activity (
  domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  user_id   uuid NOT NULL,
  first_day date NOT NULL,
  last_day  date NOT NULL,
  days      bit varying NOT NULL,          -- bit i: active on first_day + i; length last_day − first_day + 1
  weeks     bigint NOT NULL,               -- bit k: active in the k-th ISO week after first_day's
  months    bigint NOT NULL,               -- bit k: active in the k-th calendar month after first_day's
  shared    boolean NOT NULL DEFAULT false, -- the user has a row for another domain too
  first_week  integer GENERATED ALWAYS AS (engagement_week(first_day)) STORED,  -- a cohort table's periods
  first_month integer GENERATED ALWAYS AS (engagement_month(first_day)) STORED,
  PRIMARY KEY (domain_id, user_id)
);
CREATE INDEX user_activity_user_idx ON user_activity (user_id);
CREATE INDEX user_activity_shared_idx ON user_activity (domain_id) WHERE shared;

-- Backfill from activity_daily (the same statements as ENGAGEMENT_BACKFILL_STEPS).
INSERT INTO engagement_daily AS t (domain_id, day, users, visitors, sessions, duration_s)
SELECT a.domain_id, a.day, count(a.user_id), count(*) - count(a.user_id), sum(a.sessions), sum(a.duration_s)
  FROM activity_daily a
 GROUP BY a.domain_id, a.day;

INSERT INTO shared_user_days (domain_id, day, user_id)
SELECT domain_id, day, user_id
  FROM (SELECT domain_id, day, user_id, count(*) OVER (PARTITION BY user_id, day) AS domains
          FROM activity_daily
         WHERE user_id IS NOT NULL) a
 WHERE domains >= 2;

INSERT INTO user_activity AS t (domain_id, user_id, first_day, last_day, days, weeks, months)
SELECT domain_id, user_id, f, l,
       bit_or(set_bit(repeat('0', l - f + 1)::bit varying, day - f, 1)),
       bit_or(engagement_shift(1, engagement_week(day) - engagement_week(f))),
       bit_or(engagement_shift(1, engagement_month(day) - engagement_month(f)))
  FROM (SELECT domain_id, user_id, day, min(day) OVER w AS f, max(day) OVER w AS l
          FROM activity_daily
         WHERE user_id IS NOT NULL
        WINDOW w AS (PARTITION BY domain_id, user_id)) active
 GROUP BY domain_id, user_id, f, l;

UPDATE user_activity u
   SET shared = true
  FROM (SELECT user_id FROM user_activity GROUP BY user_id HAVING count(*) > 1) m
 WHERE u.user_id = m.user_id AND NOT u.shared;

-- The same scope as app_can_see(domain_id), checked once per domain instead of once per row: the
-- domains the caller can see are the rows of `domains` its own policy lets through, and the
-- subquery runs once per statement (a hashed subplan). Per row, app_can_see was 40 % of a scan.
ALTER TABLE engagement_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON engagement_daily USING (domain_id IN (SELECT id FROM domains));
ALTER TABLE shared_user_days ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON shared_user_days USING (domain_id IN (SELECT id FROM domains));
ALTER TABLE user_activity ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON user_activity USING (domain_id IN (SELECT id FROM domains));
GRANT SELECT ON engagement_daily, shared_user_days, user_activity TO portfolio_app;
