-- Ingestion: enrichment columns on events, idempotency by event_id, the daily visitor-id salts,
-- revenue status and currency normalisation.

ALTER TABLE events
  ADD COLUMN event_id    text CHECK (event_id IS NULL OR length(event_id) BETWEEN 1 AND 200),
  ADD COLUMN hostname    text,
  ADD COLUMN pathname    text,
  ADD COLUMN source      text,
  ADD COLUMN medium      text,
  ADD COLUMN campaign    text,
  ADD COLUMN channel     text,
  ADD COLUMN browser     text,
  ADD COLUMN os          text,
  ADD COLUMN device      text,
  ADD COLUMN screen      text,
  ADD COLUMN language    text,
  ADD COLUMN interactive boolean NOT NULL DEFAULT true,
  ADD COLUMN revenue_amount   numeric(14, 2),
  ADD COLUMN revenue_currency text CHECK (revenue_currency IS NULL OR revenue_currency ~ '^[A-Z]{3}$');

-- A unique index on a partitioned table must contain the partition key, so event_id
-- idempotency across months lives in its own table, written in the same transaction.
CREATE TABLE event_ids (
  domain_id   uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  event_id    text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain_id, event_id)
);
ALTER TABLE event_ids ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON event_ids USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
GRANT SELECT, INSERT ON event_ids TO portfolio_app;

-- Random salt per UTC day: visitor ids are keyed hashes that cannot be linked across days,
-- and the IP address is never stored. No grant: only the server's own connection reads it.
CREATE TABLE visitor_salts (
  day  date PRIMARY KEY,
  salt text NOT NULL
);

-- EUR per unit of a currency. Seeded with reference rates; replace with current ones in production.
CREATE TABLE currency_rates (
  currency    text PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),
  eur_per_unit numeric(20, 10) NOT NULL CHECK (eur_per_unit > 0),
  as_of       date NOT NULL,
  source      text NOT NULL
);
GRANT SELECT ON currency_rates TO portfolio_app;
INSERT INTO currency_rates (currency, eur_per_unit, as_of, source) VALUES
  ('EUR', 1, '2026-11-02', 'identity'),
  ('USD', 0.86, '2026-11-02', 'reference rate, seeded'),
  ('GBP', 1.14, '2026-11-02', 'reference rate, seeded'),
  ('CHF', 1.07, '2026-11-02', 'reference rate, seeded'),
  ('SEK', 0.091, '2026-11-02', 'reference rate, seeded'),
  ('NOK', 0.085, '2026-11-02', 'reference rate, seeded'),
  ('DKK', 0.134, '2026-11-02', 'reference rate, seeded'),
  ('PLN', 0.235, '2026-11-02', 'reference rate, seeded'),
  ('CZK', 0.041, '2026-11-02', 'reference rate, seeded'),
  ('JPY', 0.0056, '2026-11-02', 'reference rate, seeded'),
  ('CAD', 0.61, '2026-11-02', 'reference rate, seeded'),
  ('AUD', 0.56, '2026-11-02', 'reference rate, seeded');

ALTER TABLE revenue
  ADD COLUMN status text NOT NULL DEFAULT 'completed'
    CHECK (status IN ('pending', 'approved', 'paid', 'reversed', 'completed', 'failed')),
  ADD COLUMN chain text,
  ADD COLUMN eur_per_unit numeric(20, 10),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE revenue DROP CONSTRAINT revenue_kind_check;
ALTER TABLE revenue ADD CONSTRAINT revenue_kind_check
  CHECK (kind IN ('order', 'one_time', 'subscription', 'affiliate', 'nft', 'token', 'refund', 'other'));

-- A site's own user ids (from identify calls or the events API), mapped to our users.
CREATE TABLE user_external_ids (
  domain_id   uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain_id, external_id)
);
CREATE INDEX user_external_ids_user_idx ON user_external_ids (user_id);
ALTER TABLE user_external_ids ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON user_external_ids USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
GRANT SELECT, INSERT, UPDATE, DELETE ON user_external_ids TO portfolio_app;

-- Keys the server generates for itself (e.g. signing cross-domain link tokens). No grant.
CREATE TABLE server_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
