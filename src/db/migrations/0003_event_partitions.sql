-- Monthly event partitions, created ahead of time by the server (and by `portfolio-os migrate`).
-- Rows that landed in the default partition for a month are moved into the new partition
-- before it is attached, so creating a partition late never fails and never loses a row.
-- Bounds are in UTC whatever the session time zone.
CREATE FUNCTION ensure_event_partitions(p_from date, p_months integer) RETURNS integer
  LANGUAGE plpgsql
AS $$
DECLARE
  first_month timestamp := date_trunc('month', p_from::timestamp);
  lo timestamptz;
  hi timestamptz;
  part text;
  created integer := 0;
BEGIN
  IF p_months < 1 OR p_months > 120 THEN
    RAISE EXCEPTION 'p_months must be between 1 and 120, got %', p_months;
  END IF;
  FOR i IN 0 .. p_months - 1 LOOP
    lo := (first_month + make_interval(months => i)) AT TIME ZONE 'UTC';
    hi := (first_month + make_interval(months => i + 1)) AT TIME ZONE 'UTC';
    part := 'events_' || to_char(first_month + make_interval(months => i), 'YYYY_MM');
    CONTINUE WHEN to_regclass(part) IS NOT NULL;
    EXECUTE format('CREATE TABLE %I (LIKE events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE format(
      'WITH moved AS (DELETE FROM events_default WHERE occurred_at >= %L AND occurred_at < %L RETURNING *) '
      'INSERT INTO %I SELECT * FROM moved', lo, hi, part);
    EXECUTE format('ALTER TABLE events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    created := created + 1;
  END LOOP;
  RETURN created;
END
$$;
