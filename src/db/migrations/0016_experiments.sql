-- Experiments (docs/experiments.md, "Experiments, exposures and decisions"): definitions from the
-- portfolio file or the API, their status history. Exposures are not a table: they are events
-- named 'Experiment Viewed' with props {experiment, variation}, recorded by the normal ingest.

CREATE TABLE experiments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key         text NOT NULL UNIQUE CHECK (key ~ '^[a-z0-9][a-z0-9_.-]*$' AND length(key) <= 100),
  -- Every domain the experiment runs on (also in definition->'domains' as hosts). An array, not a
  -- join table, so one row policy can require all of them to be in the caller's scope.
  domain_ids  uuid[] NOT NULL CHECK (cardinality(domain_ids) >= 1),
  -- The Experiment in its parsed form (src/experiments/experiment-schema.ts); its variants'
  -- weights are the current ones (a bandit re-weights them).
  definition  jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object' AND definition->>'key' = key),
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'running', 'stopped', 'shipped')),
  source      text NOT NULL CHECK (source IN ('portfolio', 'api')),
  started_at  timestamptz,
  stopped_at  timestamptz,
  stop_reason text,
  shipped_variation text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_by  text NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX experiments_domains_idx ON experiments USING gin (domain_ids);

-- An experiment spanning domains shows results of each of them: visible only when every one of
-- its domains is in the caller's scope.
ALTER TABLE experiments ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON experiments
  USING (app_scope_all() OR domain_ids <@ app_domain_ids())
  WITH CHECK (app_scope_all() OR domain_ids <@ app_domain_ids());
GRANT SELECT, INSERT, UPDATE ON experiments TO portfolio_app;

CREATE TABLE experiment_status_history (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  experiment_id uuid NOT NULL REFERENCES experiments (id) ON DELETE CASCADE,
  from_status   text,
  to_status     text NOT NULL,
  at            timestamptz NOT NULL,
  actor         text NOT NULL,
  reason        text,
  details       jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX experiment_status_history_experiment_idx ON experiment_status_history (experiment_id, at);
ALTER TABLE experiment_status_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON experiment_status_history
  USING (experiment_id IN (SELECT id FROM experiments))
  WITH CHECK (experiment_id IN (SELECT id FROM experiments));
GRANT SELECT, INSERT ON experiment_status_history TO portfolio_app;

-- Running experiments per domain, past the row policy: the limit of concurrent experiments on a
-- domain counts experiments the caller may not see (they span domains outside its scope). Only
-- domains in the caller's scope may be asked about.
CREATE FUNCTION app_running_experiments(p_domains uuid[])
  RETURNS TABLE (domain_id uuid, running integer)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
AS $$
BEGIN
  IF NOT app_scope_all() AND NOT (p_domains <@ app_domain_ids()) THEN
    RAISE EXCEPTION 'domains outside the caller''s scope' USING ERRCODE = '42501';
  END IF;
  RETURN QUERY
    SELECT d.id, count(e.id)::integer
      FROM unnest(p_domains) AS d(id)
      LEFT JOIN experiments e ON e.status = 'running' AND d.id = ANY (e.domain_ids)
     GROUP BY d.id;
END
$$;
REVOKE ALL ON FUNCTION app_running_experiments(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_running_experiments(uuid[]) TO portfolio_app;
