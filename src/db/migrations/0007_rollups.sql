-- Rollups: what dashboards read instead of raw events (docs/metrics.md, "Rollups"; ADR 0009).
-- Folded incrementally by src/metrics/rollups/ from a transaction-id watermark; every counter is
-- additive, so folding is an upsert with `+` and a grown session is a delta (old out, new in).

-- The transaction that inserted each event (its top-level xid). A fold takes a snapshot and counts
-- the events of transactions that had ended by then: ingest_xid below the snapshot's xmax and not
-- in its in-progress list. Those in progress are remembered (pending) and counted by a later run,
-- so the watermark is exact with writers committing out of order, and an unrelated long
-- transaction (even in another database) delays only itself. Existing rows get this migration's xid.
ALTER TABLE events ADD COLUMN ingest_xid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX events_ingest_xid_idx ON events (ingest_xid);

-- Progress of the fold: every event with ingest_xid < horizon is counted, except those of the
-- pending transactions (still running when the horizon was taken).
CREATE TABLE rollup_state (
  name          text PRIMARY KEY,
  horizon       xid8 NOT NULL,
  pending       xid8[] NOT NULL DEFAULT '{}',
  runs          bigint NOT NULL DEFAULT 0,
  events_folded bigint NOT NULL DEFAULT 0,
  last_run_at   timestamptz
);
INSERT INTO rollup_state (name, horizon) VALUES ('events', '0');

-- One row per domain and UTC hour. Sessions, bounces and duration belong to the hour a session starts.
CREATE TABLE traffic_hourly (
  domain_id     uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  hour          timestamptz NOT NULL,
  pageviews     bigint NOT NULL DEFAULT 0,
  events        bigint NOT NULL DEFAULT 0,         -- all events, page views included
  custom_events bigint NOT NULL DEFAULT 0,
  sessions      bigint NOT NULL DEFAULT 0,
  bounces       bigint NOT NULL DEFAULT 0,
  duration_s    bigint NOT NULL DEFAULT 0,
  value_eur     numeric(16, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (domain_id, hour)
);
CREATE INDEX traffic_hourly_hour_idx ON traffic_hourly (hour);

-- One row per person, domain and UTC hour they were active in: exact distinct visitors per hour,
-- and at the edges of ranges that do not start on a UTC midnight (time zones).
CREATE TABLE activity_hourly (
  domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  hour      timestamptz NOT NULL,
  person    text NOT NULL,
  PRIMARY KEY (domain_id, hour, person)
);

-- One row per person, domain and UTC day: exact distinct visitors over any set of days, and the base
-- of the engagement metrics (DAU/MAU, retention, cohorts, cross-domain use).
CREATE TABLE activity_daily (
  domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  day       date NOT NULL,                 -- UTC day of occurred_at
  person    text NOT NULL,                 -- 'u:' || user_id when the event has a user, else 'v:' || visitor_id
  user_id   uuid,                          -- null for anonymous visitors
  pageviews integer NOT NULL DEFAULT 0,
  events    integer NOT NULL DEFAULT 0,    -- all events, page views included
  sessions  integer NOT NULL DEFAULT 0,    -- sessions this person started that day
  duration_s bigint NOT NULL DEFAULT 0,    -- total duration of those sessions
  value_eur numeric(16, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (domain_id, day, person)
);
CREATE INDEX activity_daily_user_idx ON activity_daily (user_id, day) WHERE user_id IS NOT NULL;
CREATE INDEX activity_daily_day_idx ON activity_daily (day);

-- Every session (a person's events with gaps under 30 minutes), kept so that a late event can
-- still join or bridge the sessions around it exactly. Attributes come from the first event
-- (ties broken by event id), entry/exit pages from the first/last page view.
CREATE TABLE traffic_sessions (
  domain_id    uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  person       text NOT NULL,
  started_at   timestamptz NOT NULL,
  last_at      timestamptz NOT NULL,
  first_id     uuid NOT NULL,
  pageviews    integer NOT NULL,
  events       integer NOT NULL,
  engaged      integer NOT NULL,             -- interactive custom events (they un-bounce)
  value_eur    numeric(16, 2) NOT NULL,
  entry_page   text,                         -- null: no page view in the session
  entry_at     timestamptz,
  entry_id     uuid,
  exit_page    text,
  exit_at      timestamptz,
  exit_id      uuid,
  source       text NOT NULL,                -- '' when none
  referrer     text NOT NULL,
  channel      text NOT NULL,
  utm_source   text,
  utm_medium   text,
  utm_campaign text,
  browser      text NOT NULL,
  os           text NOT NULL,
  device       text NOT NULL,
  PRIMARY KEY (domain_id, person, started_at)
);
-- Finding the sessions a new event may join: sessions of the person ending after event − 30 min.
CREATE INDEX traffic_sessions_end_idx ON traffic_sessions (domain_id, person, last_at);

-- Breakdowns per domain, UTC day, dimension and value. For session dimensions (entry_page,
-- exit_page, source, referrer, channel, utm_*, browser, os, device) a session counts on the day it
-- starts; 'page' and 'goal' (custom event name) count events. visitors = distinct persons that day.
CREATE TABLE traffic_breakdown_daily (
  domain_id  uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  dimension  text NOT NULL,
  day        date NOT NULL,
  value      text NOT NULL,
  visitors   bigint NOT NULL DEFAULT 0,
  pageviews  bigint NOT NULL DEFAULT 0,
  events     bigint NOT NULL DEFAULT 0,
  sessions   bigint NOT NULL DEFAULT 0,
  bounces    bigint NOT NULL DEFAULT 0,
  duration_s bigint NOT NULL DEFAULT 0,
  value_eur  numeric(16, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (domain_id, dimension, day, value)
);

-- Which pages each person viewed and which goals they reached, per UTC day, with the first and
-- last time: distinct visitors per page and goal, exact goal uniques and ordered funnels.
CREATE TABLE person_day_steps (
  domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('page', 'goal')),
  value     text NOT NULL,
  day       date NOT NULL,
  person    text NOT NULL,
  first_at  timestamptz NOT NULL,
  last_at   timestamptz NOT NULL,
  PRIMARY KEY (domain_id, kind, value, day, person)
);
CREATE INDEX person_day_steps_person_idx ON person_day_steps (person, day);

ALTER TABLE traffic_hourly ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON traffic_hourly USING (app_can_see(domain_id));
ALTER TABLE activity_hourly ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON activity_hourly USING (app_can_see(domain_id));
ALTER TABLE activity_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON activity_daily USING (app_can_see(domain_id));
ALTER TABLE traffic_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON traffic_sessions USING (app_can_see(domain_id));
ALTER TABLE traffic_breakdown_daily ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON traffic_breakdown_daily USING (app_can_see(domain_id));
ALTER TABLE person_day_steps ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON person_day_steps USING (app_can_see(domain_id));

-- Read-only for requests; only the rollup job (the owner) writes them.
GRANT SELECT ON traffic_hourly, activity_hourly, activity_daily, traffic_sessions, traffic_breakdown_daily,
  person_day_steps TO portfolio_app;
