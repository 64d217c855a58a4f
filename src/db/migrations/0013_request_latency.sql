-- Hourly request-latency history of the server itself (docs/self-monitoring.md): what the
-- performance-regression rule compares with its 7-day baseline. One row per UTC hour and route
-- template; several server instances add their counts into the same row.
-- Server-wide, not domain data: no row-level security and no grant; only the server's own
-- connection (the snapshot job and the regression check) reads and writes it.
CREATE TABLE request_latency_hourly (
  hour          timestamptz NOT NULL CHECK (extract(epoch FROM hour) % 3600 = 0),
  route         text NOT NULL CHECK (length(route) BETWEEN 1 AND 500),
  request_count bigint NOT NULL CHECK (request_count >= 0),
  -- Requests per duration bucket (not cumulative), bounds in LATENCY_BUCKETS_SECONDS
  -- (src/monitoring/self-metrics/latency-histogram.ts) followed by +Inf.
  bucket_counts bigint[] NOT NULL CHECK (array_ndims(bucket_counts) = 1),
  PRIMARY KEY (hour, route)
);
