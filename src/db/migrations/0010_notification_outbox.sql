-- The notification outbox: every alert notification is written here in the transaction that
-- decided to send it, then delivered by a worker that retries with backoff until the receiver
-- accepts it. A restart loses nothing: what is not delivered is still a row.
--
-- Owner-only tables, on purpose: no RLS policy and nothing granted to portfolio_app. Payloads
-- carry labels of several domains at once and receiver names; only the server's own connection
-- (the alert engine and the outbox worker) reads or writes them, never a scoped request.

CREATE TABLE notification_outbox (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  receiver        text NOT NULL CHECK (length(receiver) BETWEEN 1 AND 100),
  channel         text NOT NULL CHECK (channel IN ('webhook', 'slack', 'email')),
  -- hash of receiver, group, state, reason, fingerprints and evaluation time: a retried
  -- evaluation inserts the same key and ON CONFLICT DO NOTHING keeps the first row.
  dedup_key       text NOT NULL UNIQUE CHECK (length(dedup_key) = 64),
  group_key       text NOT NULL,
  payload         jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- pending: when the next attempt is due; sending: when the lease runs out (a worker that died
  -- mid-send leaves the row to be claimed again after it).
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  delivered_at    timestamptz,
  CHECK ((status = 'delivered') = (delivered_at IS NOT NULL))
);
CREATE INDEX notification_outbox_due_idx ON notification_outbox (next_attempt_at)
  WHERE status IN ('pending', 'sending');
CREATE INDEX notification_outbox_created_idx ON notification_outbox (created_at);

-- One row per finished attempt (an attempt cut short by a crash leaves none): the history an
-- operator reads to see why a receiver keeps failing. Not keyed by attempt number: requeueing a
-- dead notification starts its count again.
CREATE TABLE notification_attempts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id uuid NOT NULL REFERENCES notification_outbox (id) ON DELETE CASCADE,
  attempt         integer NOT NULL CHECK (attempt >= 1),
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('delivered', 'failed')),
  detail          text
);
CREATE INDEX notification_attempts_notification_idx ON notification_attempts (notification_id, id);
