-- experiment_stats is kept up to date by deltas (the fold subtracts a recomputed subject's old
-- values and adds its new ones) instead of being summed again from every subject of a touched
-- experiment; numeric sums make those deltas exact, so no rounding accumulates across runs.
ALTER TABLE experiment_stats
  ALTER COLUMN sum TYPE numeric USING sum::numeric,
  ALTER COLUMN sum_squares TYPE numeric USING sum_squares::numeric;
