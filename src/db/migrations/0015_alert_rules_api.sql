-- Alert rules created through the API (docs/alerts.md, "Rules API"), evaluated with the portfolio
-- file's rules and the KPI alerts at every evaluation.
--
-- Owner-only, like the other runtime tables of 0014 (no RLS policy, nothing granted to
-- portfolio_app): a rule may name several domains or none (every domain), so no single domain_id
-- row policy fits. The rule verbs read it on the server's own connection and filter by the
-- operator's scope in code; the evaluator reads it whole inside its evaluation transaction.

CREATE TABLE alert_rules (
  -- The rule's name (its `alertname` label), unique among API, portfolio and KPI rules.
  name       text PRIMARY KEY CHECK (name ~ '^[a-zA-Z_][a-zA-Z0-9_]*$' AND length(name) <= 100),
  -- The AlertRule in its parsed (canonical) form; definition->>'name' equals name.
  definition jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object' AND definition->>'name' = name),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL
);
