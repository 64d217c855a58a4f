-- KPI history: one value per KPI metric key and UTC day, so trends survive restarts (docs/kpis.md).
-- The value is the metric as the bound verb computes it, in the binding's own unit (EUR, a 0..1
-- fraction, seconds, a count), converted to the KPI's unit when read. NULL: computed, but the
-- metric is undefined that day (e.g. CLV without any churn), so a backfill does not redo it.
CREATE TABLE kpi_snapshots (
  metric_key  text NOT NULL CHECK (length(metric_key) BETWEEN 1 AND 100),
  day         date NOT NULL,
  value       numeric,
  computed_at timestamptz NOT NULL,
  PRIMARY KEY (metric_key, day)
);

-- Values are portfolio-wide (every domain together), so only callers who see every domain may
-- read them; they are written by the snapshot job as the table owner, never by the application role.
ALTER TABLE kpi_snapshots ENABLE ROW LEVEL SECURITY;
CREATE POLICY unscoped_only ON kpi_snapshots FOR SELECT USING (app_scope_all());
GRANT SELECT ON kpi_snapshots TO portfolio_app;
