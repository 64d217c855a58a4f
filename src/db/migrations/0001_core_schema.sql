-- Portfolio OS unified schema (the seed's §2.1 design, fixed):
--  * one events table range-partitioned by month from the start (the seed declared it plain,
--    then attached partitions, which PostgreSQL rejects), with a default partition as safety net;
--  * domains are rows referenced by id, not free-text names repeated in every table;
--  * wallets and engaged domains are tables with keys, not JSON/array columns;
--  * no CREATE INDEX CONCURRENTLY (it cannot run inside a migration's transaction).
-- Written for PostgreSQL 15+ and PGlite (PostgreSQL 18).

CREATE TABLE domains (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  host        text NOT NULL UNIQUE CHECK (host = lower(host) AND length(host) BETWEEN 1 AND 253),
  name        text NOT NULL,
  kind        text NOT NULL,
  status      text NOT NULL DEFAULT 'active',
  -- Set when the domain disappears from the portfolio file; its data is kept.
  archived_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- End users: one identity across every domain of the portfolio.
CREATE TABLE users (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email             text CHECK (email IS NULL OR (email = lower(email) AND position('@' IN email) > 1)),
  primary_domain_id uuid REFERENCES domains (id) ON DELETE SET NULL,
  loyalty_tier      text NOT NULL DEFAULT 'bronze'
                    CHECK (loyalty_tier IN ('bronze', 'silver', 'gold', 'platinum')),
  is_active         boolean NOT NULL DEFAULT true,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  last_seen_at      timestamptz
);
CREATE UNIQUE INDEX users_email_key ON users (email) WHERE email IS NOT NULL;

CREATE TABLE user_wallets (
  address     text PRIMARY KEY CHECK (address ~ '^0x[0-9a-f]{40}$'),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  chain_id    integer CHECK (chain_id > 0),
  verified_at timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX user_wallets_user_idx ON user_wallets (user_id);

-- Which domains each user is active on (the seed's domains_engaged array, as rows).
CREATE TABLE user_domains (
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  domain_id     uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  total_spent_eur numeric(14, 2) NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, domain_id)
);
CREATE INDEX user_domains_domain_idx ON user_domains (domain_id);

-- Anonymous visitor ids seen on a domain, linked to a user once identified.
CREATE TABLE visitor_identities (
  domain_id     uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  visitor_id    text NOT NULL CHECK (length(visitor_id) BETWEEN 1 AND 200),
  user_id       uuid REFERENCES users (id) ON DELETE SET NULL,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (domain_id, visitor_id)
);
CREATE INDEX visitor_identities_user_idx ON visitor_identities (user_id) WHERE user_id IS NOT NULL;

CREATE TABLE events (
  id          uuid NOT NULL DEFAULT gen_random_uuid(),
  domain_id   uuid NOT NULL REFERENCES domains (id),
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  visitor_id  text,
  user_id     uuid,
  session_id  text,
  url         text,
  referrer    text,
  props       jsonb NOT NULL DEFAULT '{}'::jsonb,
  value_eur   numeric(14, 2),
  PRIMARY KEY (domain_id, occurred_at, id)
) PARTITION BY RANGE (occurred_at);
CREATE TABLE events_default PARTITION OF events DEFAULT;
CREATE INDEX events_domain_name_time_idx ON events (domain_id, name, occurred_at);
CREATE INDEX events_user_time_idx ON events (user_id, occurred_at) WHERE user_id IS NOT NULL;

CREATE TABLE revenue (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  domain_id       uuid NOT NULL REFERENCES domains (id),
  user_id         uuid REFERENCES users (id) ON DELETE SET NULL,
  stream          text,
  kind            text NOT NULL
                  CHECK (kind IN ('one_time', 'subscription', 'affiliate', 'nft', 'token', 'refund', 'other')),
  amount          numeric(14, 2) NOT NULL,
  currency        text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  amount_eur      numeric(14, 2) NOT NULL,
  occurred_at     timestamptz NOT NULL,
  source          text NOT NULL DEFAULT 'api',
  external_id     text,
  transaction_hash text CHECK (transaction_hash IS NULL OR transaction_hash ~ '^0x[0-9a-f]{64}$'),
  metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (domain_id, source, external_id)
);
CREATE INDEX revenue_domain_time_idx ON revenue (domain_id, occurred_at);
CREATE INDEX revenue_user_idx ON revenue (user_id, occurred_at) WHERE user_id IS NOT NULL;

CREATE TABLE subscriptions (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  domain_id          uuid NOT NULL REFERENCES domains (id),
  user_id            uuid REFERENCES users (id) ON DELETE SET NULL,
  external_id        text,
  plan               text NOT NULL,
  status             text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'paused')),
  mrr_eur            numeric(14, 2) NOT NULL CHECK (mrr_eur >= 0),
  currency           text NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
  started_at         timestamptz NOT NULL,
  current_period_end timestamptz,
  canceled_at        timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (domain_id, external_id)
);
CREATE INDEX subscriptions_domain_status_idx ON subscriptions (domain_id, status);

-- Costs; domain_id NULL means a portfolio-wide cost (visible to unscoped operators only).
CREATE TABLE costs (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  domain_id   uuid REFERENCES domains (id),
  category    text NOT NULL
              CHECK (category IN ('infrastructure', 'marketing', 'tools', 'team', 'cogs', 'ai', 'other')),
  amount_eur  numeric(14, 2) NOT NULL,
  incurred_on date NOT NULL,
  description text,
  source      text NOT NULL DEFAULT 'api',
  external_id text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (source, external_id)
);
CREATE INDEX costs_domain_day_idx ON costs (domain_id, incurred_on);

CREATE TABLE agent_executions (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  agent_name    text NOT NULL,
  domain_id     uuid REFERENCES domains (id),
  task_type     text NOT NULL,
  input         jsonb,
  output        jsonb,
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,
  duration_ms   integer CHECK (duration_ms >= 0),
  success       boolean,
  error_message text,
  cost_usd      numeric(10, 4) CHECK (cost_usd >= 0)
);
CREATE INDEX agent_executions_agent_time_idx ON agent_executions (agent_name, started_at);

CREATE TABLE smart_contracts (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                text NOT NULL,
  address             text NOT NULL CHECK (address ~ '^0x[0-9a-f]{40}$'),
  chain_id            integer NOT NULL CHECK (chain_id > 0),
  network             text NOT NULL,
  contract_type       text NOT NULL CHECK (contract_type IN ('token', 'nft', 'governance', 'other')),
  domain_id           uuid REFERENCES domains (id),
  is_active           boolean NOT NULL DEFAULT true,
  deployed_at         timestamptz NOT NULL DEFAULT now(),
  deployed_block      bigint,
  last_interaction_at timestamptz,
  UNIQUE (chain_id, address)
);

-- People who run the portfolio (not end users).
CREATE TABLE operators (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email       text NOT NULL UNIQUE CHECK (email = lower(email) AND position('@' IN email) > 1),
  name        text,
  role        text NOT NULL CHECK (role IN ('owner', 'admin', 'analyst')),
  -- false: limited to the domains listed in operator_domains.
  all_domains boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'owner' OR all_domains)
);

CREATE TABLE operator_domains (
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  domain_id   uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  PRIMARY KEY (operator_id, domain_id)
);

-- Login tokens (bearer) and dashboard sessions; only SHA-256 hashes are stored.
CREATE TABLE operator_credentials (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  operator_id  uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('token', 'session')),
  token_hash   text NOT NULL UNIQUE,
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX operator_credentials_operator_idx ON operator_credentials (operator_id);

-- Per-domain API keys: 'public' may only ingest (safe in a page), 'secret' is for servers.
CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  domain_id    uuid NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('public', 'secret')),
  name         text NOT NULL,
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_keys_domain_idx ON api_keys (domain_id);

-- Append-only record of every configuration change, written in the change's own transaction.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  target_type text NOT NULL,
  target_id   text,
  domain_id   uuid REFERENCES domains (id) ON DELETE SET NULL,
  details     jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- The portfolio file currently active, so every instance and the API serve the same one.
CREATE TABLE portfolio_versions (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  loaded_at  timestamptz NOT NULL DEFAULT now(),
  source     text NOT NULL,
  sha256     text NOT NULL,
  document   jsonb NOT NULL
);
