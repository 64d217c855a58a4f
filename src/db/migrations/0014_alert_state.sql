-- The alert runtime (docs/alerts.md, "Runtime"): the engine's state between evaluations, the
-- history of state changes, silences, API suppression windows and operators' pending commands.
--
-- Owner-only, on purpose (no RLS policy, nothing granted to portfolio_app): the engine state,
-- silences, suppressions and commands. They hold labels of several domains in one row or are
-- read by the evaluator as a whole; the alert verbs read them on the server's own connection and
-- filter by the operator's scope in code (an alert or a silence belongs to its `domain` label).
-- The transition history has a domain column and gets row-level security like domain data.

-- One row: the EngineState JSON (src/alerts/engine/engine-state.ts), replaced by each evaluation.
CREATE TABLE alert_engine_state (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  state      jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Every state change of every alert (pending, firing, resolved, back to inactive).
CREATE TABLE alert_transitions (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fingerprint text NOT NULL CHECK (length(fingerprint) BETWEEN 1 AND 200),
  rule        text NOT NULL CHECK (length(rule) BETWEEN 1 AND 200),
  labels      jsonb NOT NULL,
  -- The alert's `domain` label as a domain id; NULL for portfolio-wide alerts (owner's view only).
  domain_id   uuid REFERENCES domains (id) ON DELETE CASCADE,
  from_state  text NOT NULL CHECK (from_state IN ('inactive', 'pending', 'firing', 'resolved')),
  to_state    text NOT NULL CHECK (to_state IN ('inactive', 'pending', 'firing', 'resolved')),
  at          timestamptz NOT NULL,
  -- Operator of a manual resolve.
  by          text
);
CREATE INDEX alert_transitions_at_idx ON alert_transitions (at);
CREATE INDEX alert_transitions_fingerprint_idx ON alert_transitions (fingerprint, at);
ALTER TABLE alert_transitions ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON alert_transitions USING (app_can_see(domain_id));
GRANT SELECT ON alert_transitions TO portfolio_app;

-- Silences created through the API. Expiring one sets expired_at (kept for the record).
CREATE TABLE alert_silences (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  matchers   jsonb NOT NULL CHECK (jsonb_typeof(matchers) = 'array'),
  starts_at  timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
  created_by text NOT NULL,
  comment    text NOT NULL CHECK (length(comment) <= 2000),
  created_at timestamptz NOT NULL,
  expired_at timestamptz
);
CREATE INDEX alert_silences_ends_idx ON alert_silences (ends_at);

-- Deployment and maintenance windows announced through the API (planned ones live in the
-- portfolio file); they mute rules whose suppressDuring names their kind.
CREATE TABLE alert_suppressions (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind       text NOT NULL CHECK (kind IN ('deployment', 'maintenance')),
  matchers   jsonb NOT NULL CHECK (jsonb_typeof(matchers) = 'array'),
  starts_at  timestamptz NOT NULL,
  ends_at    timestamptz NOT NULL CHECK (ends_at > starts_at),
  created_by text NOT NULL,
  comment    text CHECK (length(comment) <= 2000),
  created_at timestamptz NOT NULL
);
CREATE INDEX alert_suppressions_ends_idx ON alert_suppressions (ends_at);

-- Acknowledgements and manual resolves waiting for the next evaluation, which applies them and
-- sets applied_at in its own transaction (so a command is applied exactly once).
CREATE TABLE alert_commands (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type        text NOT NULL CHECK (type IN ('acknowledge', 'resolve')),
  fingerprint text NOT NULL CHECK (length(fingerprint) BETWEEN 1 AND 200),
  by          text NOT NULL,
  created_at  timestamptz NOT NULL,
  applied_at  timestamptz
);
CREATE INDEX alert_commands_pending_idx ON alert_commands (id) WHERE applied_at IS NULL;
