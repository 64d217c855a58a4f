-- Experiment results folded from events (docs/experiments.md "How results are computed"; ADR 0012).
-- Each exposed subject of a started experiment is one row with its variation, first exposure and
-- one value per metric; the sufficient statistics per variation and metric are summed from them.
-- Folded from the same xid8 watermark mechanism as the rollups (0007): late events count once.

INSERT INTO rollup_state (name, horizon) VALUES ('experiment_subjects', '0');

-- A subject's events by visitor id (its user id has events_user_time_idx): re-reading one
-- subject's events when a new event of it arrives must not scan the domain's whole history.
CREATE INDEX events_visitor_time_idx ON events (domain_id, visitor_id, occurred_at) WHERE visitor_id IS NOT NULL;

CREATE TABLE experiment_subjects (
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  -- 'u:<user id>' when the exposure was identified, else 'v:<domain id>:<visitor id>'.
  subject       text NOT NULL,
  variation     text NOT NULL,
  exposed_at    timestamptz NOT NULL,
  domain_id     uuid NOT NULL,
  user_id       uuid,
  visitor_id    text,
  -- One value per metric, in the order primary, secondary…, guardrails; NULL where the subject
  -- does not count for that metric (an anonymous subject of a revenue-per-user metric).
  metric_values float8[] NOT NULL,
  PRIMARY KEY (experiment_id, subject)
);
CREATE INDEX experiment_subjects_user_idx ON experiment_subjects (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX experiment_subjects_visitor_idx ON experiment_subjects (domain_id, visitor_id);
CREATE INDEX experiment_subjects_exposed_idx ON experiment_subjects (experiment_id, exposed_at);

-- n, sum and sum of squares per variation and metric: what the statistics engine reads.
CREATE TABLE experiment_stats (
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  variation     text NOT NULL,
  metric_index  integer NOT NULL CHECK (metric_index >= 0),
  n             bigint NOT NULL CHECK (n >= 0),
  sum           float8 NOT NULL,
  sum_squares   float8 NOT NULL,
  PRIMARY KEY (experiment_id, variation, metric_index)
);

-- What the folded rows were computed for (start, stop, domains, variations, metrics): when it
-- changes, the experiment's subjects are rebuilt from the raw events.
ALTER TABLE experiments ADD COLUMN stats_basis text;
ALTER TABLE experiments ADD COLUMN stats_folded_at timestamptz;

ALTER TABLE experiment_subjects ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON experiment_subjects USING (experiment_id IN (SELECT id FROM experiments));
ALTER TABLE experiment_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON experiment_stats USING (experiment_id IN (SELECT id FROM experiments));
GRANT SELECT ON experiment_subjects, experiment_stats TO portfolio_app;
