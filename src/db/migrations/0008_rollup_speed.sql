-- Rollups fast enough for years of traffic (docs/metrics.md "Rollups"; ADR 0009, "Speed").

-- 1. No foreign keys on rollup rows: checking one per inserted row cost a third of every fold.
-- Domains are archived, never deleted; should one be deleted, a trigger removes its rollups.
ALTER TABLE traffic_hourly DROP CONSTRAINT traffic_hourly_domain_id_fkey;
ALTER TABLE activity_hourly DROP CONSTRAINT activity_hourly_domain_id_fkey;
ALTER TABLE activity_daily DROP CONSTRAINT activity_daily_domain_id_fkey;
ALTER TABLE traffic_sessions DROP CONSTRAINT traffic_sessions_domain_id_fkey;
ALTER TABLE traffic_breakdown_daily DROP CONSTRAINT traffic_breakdown_daily_domain_id_fkey;
ALTER TABLE person_day_steps DROP CONSTRAINT person_day_steps_domain_id_fkey;

-- 2. Day blocks. Long ranges are read as a few aligned blocks instead of one row per day: a block
-- of level L holds the days n with n >> L = block (n = days since 1970-01-01). Levels 0, 3, 6, 9:
-- one UTC day, 8, 64 and 512 days (every third level, so a fold writes few); any run of days is
-- at most 7 blocks of a level at each end.
CREATE TABLE traffic_blocks (
  domain_id     uuid NOT NULL,
  level         smallint NOT NULL CHECK (level IN (0, 3, 6, 9)),
  block         integer NOT NULL,
  pageviews     bigint NOT NULL DEFAULT 0,
  events        bigint NOT NULL DEFAULT 0,
  custom_events bigint NOT NULL DEFAULT 0,
  sessions      bigint NOT NULL DEFAULT 0,
  bounces       bigint NOT NULL DEFAULT 0,
  duration_s    bigint NOT NULL DEFAULT 0,
  value_eur     numeric(16, 2) NOT NULL DEFAULT 0,
  person_days   bigint NOT NULL DEFAULT 0,       -- rows of activity_daily: what an exact distinct count reads
  PRIMARY KEY (domain_id, level, block)
);

-- traffic_breakdown_daily summed over blocks of levels 3, 6 and 9 (level 0 is that table itself).
CREATE TABLE breakdown_blocks (
  domain_id  uuid NOT NULL,
  dimension  text NOT NULL,
  level      smallint NOT NULL CHECK (level IN (3, 6, 9)),
  block      integer NOT NULL,
  value      text NOT NULL,
  visitors   bigint NOT NULL DEFAULT 0,
  pageviews  bigint NOT NULL DEFAULT 0,
  events     bigint NOT NULL DEFAULT 0,
  sessions   bigint NOT NULL DEFAULT 0,
  bounces    bigint NOT NULL DEFAULT 0,
  duration_s bigint NOT NULL DEFAULT 0,
  value_eur  numeric(16, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (domain_id, dimension, level, block, value)
);

-- 3. Distinct persons of a block as a HyperLogLog sketch (2,048 one-byte registers): kind 'v' is
-- every person, 'g' persons with any goal, 'g:<name>' persons with that goal. Sketches merge by
-- taking each register's maximum, so visitors over many blocks and domains are estimated from a
-- few kilobytes; they are read only when an exact count would scan too many rows.
CREATE TABLE visitor_sketches (
  domain_id uuid NOT NULL,
  kind      text NOT NULL,
  level     smallint NOT NULL CHECK (level IN (0, 3, 6, 9)),
  block     integer NOT NULL,
  registers bytea NOT NULL,
  PRIMARY KEY (domain_id, kind, level, block)
);

-- The register a person falls in (top 11 bits of a 64-bit hash) and its rank (1 + the leading
-- zeros of the other 53 bits). hashtextextended is the stable hash of hash partitioning.
CREATE FUNCTION hll_register(person text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN ((hashtextextended(person, 0) >> 53) & 2047)::integer;
CREATE FUNCTION hll_rank(person text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN coalesce(nullif(position(B'1' IN hashtextextended(person, 0)::bit(53)), 0), 54);

-- Backfill from the rollups already folded (the fold keeps them from now on).
INSERT INTO traffic_blocks (domain_id, level, block, pageviews, events, custom_events, sessions, bounces, duration_s,
                            value_eur, person_days)
SELECT domain_id, l, n >> l, sum(pageviews), sum(events), sum(custom_events), sum(sessions), sum(bounces),
       sum(duration_s), sum(value_eur), sum(person_days)
  FROM (SELECT domain_id, ((hour AT TIME ZONE 'UTC')::date - DATE '1970-01-01') AS n, pageviews, events,
               custom_events, sessions, bounces, duration_s, value_eur, 0 AS person_days
          FROM traffic_hourly
        UNION ALL
        SELECT domain_id, day - DATE '1970-01-01', 0, 0, 0, 0, 0, 0, 0, count(*)
          FROM activity_daily GROUP BY 1, 2) x
 CROSS JOIN unnest(ARRAY[0, 3, 6, 9]) AS l
 GROUP BY domain_id, l, n >> l;

INSERT INTO breakdown_blocks (domain_id, dimension, level, block, value, visitors, pageviews, events, sessions, bounces,
                              duration_s, value_eur)
SELECT domain_id, dimension, l, (day - DATE '1970-01-01') >> l, value, sum(visitors), sum(pageviews), sum(events),
       sum(sessions), sum(bounces), sum(duration_s), sum(value_eur)
  FROM traffic_breakdown_daily CROSS JOIN unnest(ARRAY[3, 6, 9]) AS l
 GROUP BY 1, 2, 3, 4, 5;

INSERT INTO visitor_sketches (domain_id, kind, level, block, registers)
WITH persons AS (
  SELECT domain_id, 'v' AS kind, day, person FROM activity_daily
  UNION
  SELECT domain_id, k.kind, day, person
    FROM person_day_steps CROSS JOIN LATERAL (VALUES ('g'), ('g:' || value)) AS k(kind)
   WHERE person_day_steps.kind = 'goal'
), regs AS (
  SELECT domain_id, kind, l AS level, (day - DATE '1970-01-01') >> l AS block, hll_register(person) AS reg,
         max(hll_rank(person)) AS rank
    FROM persons CROSS JOIN unnest(ARRAY[0, 3, 6, 9]) AS l
   GROUP BY 1, 2, 3, 4, 5
)
SELECT k.domain_id, k.kind, k.level, k.block,
       decode(string_agg(lpad(to_hex(coalesce(r.rank, 0)), 2, '0'), '' ORDER BY i.i), 'hex')
  FROM (SELECT DISTINCT domain_id, kind, level, block FROM regs) k
 CROSS JOIN generate_series(0, 2047) AS i(i)
  LEFT JOIN regs r ON r.domain_id = k.domain_id AND r.kind = k.kind AND r.level = k.level AND r.block = k.block
                  AND r.reg = i.i
 GROUP BY 1, 2, 3, 4;

-- 4. The overview's revenue and MRR sums. Row-level security costs a policy check per row read,
-- which on PGlite (WASM) was most of a year's overview (tens of thousands of orders). This function
-- checks the caller's scope once per asked domain (app_can_see, the policies' own test) and then
-- sums only those domains' rows as the owner. Revenue: earned (completed, approved, paid), net of
-- refunds, per range [start, end); MRR: the sum of subscription deltas before each range's end.
CREATE FUNCTION app_overview_money(ids uuid[], cur_start timestamptz, cur_end timestamptz, prev_start timestamptz,
                                   prev_end timestamptz)
RETURNS TABLE (domain_id uuid, revenue_current numeric, revenue_previous numeric, mrr_current numeric,
               mrr_previous numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  WITH visible AS (SELECT array_agg(id) AS ids FROM unnest(ids) AS id WHERE app_can_see(id)),
  rev AS (
    SELECT r.domain_id,
           coalesce(sum(r.amount_eur) FILTER (WHERE r.occurred_at >= cur_start AND r.occurred_at < cur_end), 0) AS cur,
           coalesce(sum(r.amount_eur) FILTER (WHERE r.occurred_at >= prev_start AND r.occurred_at < prev_end), 0) AS prev
      FROM revenue r, visible v
     WHERE r.domain_id = ANY (v.ids) AND r.status IN ('completed', 'approved', 'paid')
       AND ((r.occurred_at >= cur_start AND r.occurred_at < cur_end)
            OR (r.occurred_at >= prev_start AND r.occurred_at < prev_end))
     GROUP BY r.domain_id
  ), mrr AS (
    SELECT c.domain_id,
           coalesce(sum(c.mrr_after - c.mrr_before) FILTER (WHERE c.at < cur_end), 0) AS cur,
           coalesce(sum(c.mrr_after - c.mrr_before) FILTER (WHERE c.at < prev_end), 0) AS prev
      FROM subscription_changes c, visible v
     WHERE c.domain_id = ANY (v.ids) AND c.at < greatest(cur_end, prev_end)
     GROUP BY c.domain_id
  )
  SELECT coalesce(rev.domain_id, mrr.domain_id), coalesce(rev.cur, 0), coalesce(rev.prev, 0), coalesce(mrr.cur, 0),
         coalesce(mrr.prev, 0)
    FROM rev FULL JOIN mrr ON mrr.domain_id = rev.domain_id
$$;
REVOKE ALL ON FUNCTION app_overview_money(uuid[], timestamptz, timestamptz, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_overview_money(uuid[], timestamptz, timestamptz, timestamptz, timestamptz) TO portfolio_app;

CREATE FUNCTION app_drop_domain_rollups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM traffic_hourly WHERE domain_id = OLD.id;
  DELETE FROM activity_hourly WHERE domain_id = OLD.id;
  DELETE FROM activity_daily WHERE domain_id = OLD.id;
  DELETE FROM traffic_sessions WHERE domain_id = OLD.id;
  DELETE FROM traffic_breakdown_daily WHERE domain_id = OLD.id;
  DELETE FROM person_day_steps WHERE domain_id = OLD.id;
  DELETE FROM traffic_blocks WHERE domain_id = OLD.id;
  DELETE FROM breakdown_blocks WHERE domain_id = OLD.id;
  DELETE FROM visitor_sketches WHERE domain_id = OLD.id;
  RETURN OLD;
END $$;
CREATE TRIGGER domains_drop_rollups AFTER DELETE ON domains FOR EACH ROW EXECUTE FUNCTION app_drop_domain_rollups();

ALTER TABLE traffic_blocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON traffic_blocks USING (app_can_see(domain_id));
ALTER TABLE breakdown_blocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON breakdown_blocks USING (app_can_see(domain_id));
ALTER TABLE visitor_sketches ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON visitor_sketches USING (app_can_see(domain_id));
GRANT SELECT ON traffic_blocks, breakdown_blocks, visitor_sketches TO portfolio_app;
