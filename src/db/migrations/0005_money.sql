-- Money ingestion: costs keep their original amount and currency, Stripe webhook endpoints and
-- the events already processed, and linking end users to a domain by e-mail from revenue rows.

-- Costs were EUR-only. Rows written before this migration were EUR amounts; writers that only
-- know a EUR amount may still leave amount/currency NULL.
ALTER TABLE costs
  ADD COLUMN amount       numeric(14, 2),
  ADD COLUMN currency     text CHECK (currency IS NULL OR currency ~ '^[A-Z]{3}$'),
  ADD COLUMN eur_per_unit numeric(20, 10) CHECK (eur_per_unit IS NULL OR eur_per_unit > 0),
  ADD COLUMN updated_at   timestamptz NOT NULL DEFAULT now();
UPDATE costs SET amount = amount_eur, currency = 'EUR', eur_per_unit = 1 WHERE amount IS NULL;

-- One Stripe webhook endpoint per domain. The signing secret is an HMAC key, so it is stored
-- usable, not hashed; the application role may write it but never read it back (column grants):
-- only the owning connection reads it, to verify a delivery before any scope is known.
CREATE TABLE stripe_endpoints (
  domain_id  uuid PRIMARY KEY REFERENCES domains (id) ON DELETE CASCADE,
  secret     text NOT NULL CHECK (length(secret) BETWEEN 16 AND 500),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE stripe_endpoints ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON stripe_endpoints USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
GRANT SELECT (domain_id, created_by, created_at, updated_at) ON stripe_endpoints TO portfolio_app;
GRANT INSERT, UPDATE, DELETE ON stripe_endpoints TO portfolio_app;

-- Stripe events already handled, recorded in the transaction that applies them: a redelivered
-- event finds its row and changes nothing. object_id + event_created let an older event about a
-- subscription be recognised as stale when a newer one was already applied.
CREATE TABLE stripe_events (
  domain_id     uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  event_id      text NOT NULL CHECK (length(event_id) BETWEEN 1 AND 255),
  type          text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
  object_id     text,
  event_created timestamptz NOT NULL,
  outcome       text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain_id, event_id)
);
CREATE INDEX stripe_events_object_idx ON stripe_events (domain_id, object_id, event_created);
ALTER TABLE stripe_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON stripe_events USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
GRANT SELECT, INSERT ON stripe_events TO portfolio_app;
GRANT UPDATE (outcome) ON stripe_events TO portfolio_app;

-- A payment names its buyer by e-mail; the buyer may already be a user of another domain, whom
-- the caller's scope cannot see. This finds or creates the user and links them to the domain —
-- only a domain in the caller's scope — and returns the id. Runs as the owner, past the policies.
CREATE FUNCTION app_link_user_by_email(p_domain uuid, p_email text, p_at timestamptz) RETURNS uuid
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public, pg_temp
AS $$
DECLARE
  uid uuid;
BEGIN
  IF NOT app_can_see(p_domain) THEN
    RAISE EXCEPTION 'domain % is not in the caller''s scope', p_domain USING ERRCODE = '42501';
  END IF;
  INSERT INTO users (email, primary_domain_id, last_seen_at) VALUES (p_email, p_domain, p_at)
    ON CONFLICT (email) WHERE email IS NOT NULL DO NOTHING
    RETURNING id INTO uid;
  IF uid IS NULL THEN
    SELECT id INTO uid FROM users WHERE email = p_email;
  END IF;
  INSERT INTO user_domains (user_id, domain_id, first_seen_at, last_seen_at) VALUES (uid, p_domain, p_at, p_at)
    ON CONFLICT (user_id, domain_id) DO UPDATE
      SET first_seen_at = least(user_domains.first_seen_at, EXCLUDED.first_seen_at),
          last_seen_at = greatest(user_domains.last_seen_at, EXCLUDED.last_seen_at);
  RETURN uid;
END
$$;
REVOKE ALL ON FUNCTION app_link_user_by_email(uuid, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_link_user_by_email(uuid, text, timestamptz) TO portfolio_app;
