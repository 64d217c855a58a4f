-- Uptime and TLS monitoring of the portfolio's domains (docs/uptime.md). The scheduler writes as the
-- database owner; the API reads as portfolio_app under row-level security, like every domain table.

-- One row per check run (after its retries): the outcome the uptime figures are computed from.
CREATE TABLE uptime_checks (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id    uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  checked_at   timestamptz NOT NULL,
  ok           boolean NOT NULL,
  status_code  integer CHECK (status_code BETWEEN 100 AND 999),
  response_ms  integer CHECK (response_ms >= 0),
  attempts     integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
  error        text CHECK (length(error) <= 1000),
  tls_valid_to timestamptz
);
-- Serves "last check of a domain" (scheduler, summary) and per-domain ranges (percentiles).
CREATE INDEX uptime_checks_domain_time_idx ON uptime_checks (domain_id, checked_at);

-- Down periods: opened by the first failed run, closed by the next successful one.
CREATE TABLE uptime_incidents (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  domain_id  uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  opened_at  timestamptz NOT NULL,
  closed_at  timestamptz CHECK (closed_at IS NULL OR closed_at >= opened_at),
  cause      text NOT NULL CHECK (cause IN ('status', 'keyword', 'timeout', 'connection', 'tls', 'other')),
  last_error text CHECK (length(last_error) <= 1000),
  failed_checks integer NOT NULL DEFAULT 1 CHECK (failed_checks >= 1)
);
CREATE INDEX uptime_incidents_domain_time_idx ON uptime_incidents (domain_id, opened_at);
-- At most one open incident per domain; opening is an upsert on this index, so it is idempotent.
CREATE UNIQUE INDEX uptime_incidents_one_open_idx ON uptime_incidents (domain_id) WHERE closed_at IS NULL;

-- TLS expiry warnings already given: each threshold warns once per certificate (domain, notAfter).
CREATE TABLE uptime_tls_warnings (
  domain_id uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  valid_to  timestamptz NOT NULL,
  level     text NOT NULL CHECK (level IN ('21d', '14d', '7d', 'expired')),
  warned_at timestamptz NOT NULL,
  PRIMARY KEY (domain_id, valid_to, level)
);

ALTER TABLE uptime_checks ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON uptime_checks USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
ALTER TABLE uptime_incidents ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON uptime_incidents USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
ALTER TABLE uptime_tls_warnings ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON uptime_tls_warnings USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));

-- The API only reads; checks, incidents and warnings are written by the scheduler.
GRANT SELECT ON uptime_checks, uptime_incidents, uptime_tls_warnings TO portfolio_app;
