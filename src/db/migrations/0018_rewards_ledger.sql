-- Rewards ledger: the source of truth for PTF loyalty points (ADR 0013; docs/rewards.md "Ledger").
-- Double entry: every transaction's postings sum to zero (checked for each INSERT statement below).
-- Amounts are integer wei (PTF has 18 decimals) in numeric(78, 0), which holds any uint256.
-- The relayer mirrors each transaction on-chain once (txId from its id) in the chain_* columns.

-- The fold's watermark, the rollups' mechanism (0007): events with ingest_xid below the horizon,
-- except the pending transactions', are booked. Starts at 0: the first fold sees every event.
INSERT INTO rollup_state (name, horizon) VALUES ('rewards', '0');

CREATE TABLE ledger_transactions (
  id            uuid PRIMARY KEY,
  -- Booking order. The relayer publishes a user's transactions in this order, so the contract
  -- counts a user's rewarded domains (the milestone's k) in the order the ledger did.
  seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  kind          text NOT NULL CHECK (kind IN ('reward', 'redemption')),
  user_id       uuid NOT NULL REFERENCES users (id),
  domain_id     uuid NOT NULL REFERENCES domains (id),
  -- Idempotency: 'event:<event id>' (a reward), 'redemption:<domain id>:<client key>'.
  source_key    text NOT NULL UNIQUE CHECK (length(source_key) BETWEEN 1 AND 300),
  rule_id       text,
  event_id      uuid,
  -- The contract call's amount: a reward before its bonuses, or the amount redeemed.
  amount_wei    numeric(78, 0) NOT NULL CHECK (amount_wei > 0),
  ai_optimized  boolean NOT NULL DEFAULT false,
  ai_bonus_wei  numeric(78, 0) NOT NULL DEFAULT 0 CHECK (ai_bonus_wei >= 0),
  -- k ≥ 3 when this reward took the user's rewarded domains to k (each k at most once per user).
  milestone_k   integer CHECK (milestone_k >= 3),
  milestone_wei numeric(78, 0) NOT NULL DEFAULT 0 CHECK (milestone_wei >= 0),
  -- How much the user's account moves: credited for a reward, debited for a redemption.
  total_wei     numeric(78, 0) NOT NULL CHECK (total_wei = amount_wei + ai_bonus_wei + milestone_wei),
  -- The € or property value a per-unit reward was computed from, as text.
  measure       text CHECK (length(measure) <= 100),
  -- The event's time (a reward) or the request's (a redemption).
  occurred_at   timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    text NOT NULL,
  -- The chain side, written by the relayer. awaiting_wallet: the user has no verified wallet yet.
  chain_status          text NOT NULL DEFAULT 'pending'
                        CHECK (chain_status IN ('pending', 'awaiting_wallet', 'submitted', 'confirmed', 'failed')),
  chain_tx_hash         text CHECK (chain_tx_hash ~ '^0x[0-9a-f]{64}$'),
  chain_attempts        integer NOT NULL DEFAULT 0 CHECK (chain_attempts >= 0),
  chain_last_error      text,
  chain_next_attempt_at timestamptz,
  chain_updated_at      timestamptz,
  UNIQUE (id, domain_id),
  CHECK (kind = 'reward' OR (NOT ai_optimized AND ai_bonus_wei = 0 AND milestone_wei = 0 AND milestone_k IS NULL))
);
CREATE INDEX ledger_transactions_user_seq_idx ON ledger_transactions (user_id, seq);
CREATE INDEX ledger_transactions_domain_time_idx ON ledger_transactions (domain_id, occurred_at);
CREATE UNIQUE INDEX ledger_transactions_milestone_key
  ON ledger_transactions (user_id, milestone_k) WHERE milestone_k IS NOT NULL;
CREATE INDEX ledger_transactions_chain_queue_idx
  ON ledger_transactions (chain_status, chain_next_attempt_at, seq) WHERE chain_status IN ('pending', 'submitted');

CREATE TABLE ledger_postings (
  transaction_id uuid NOT NULL,
  line_no        smallint NOT NULL CHECK (line_no >= 1),
  line           text NOT NULL CHECK (line IN ('base', 'ai_bonus', 'milestone', 'redemption')),
  -- user:<user id> (owed to the user), issuance:<domain id>, redemption:<domain id>.
  account        text NOT NULL
                 CHECK (account ~ '^(user|issuance|redemption):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  amount_wei     numeric(78, 0) NOT NULL CHECK (amount_wei <> 0),
  -- The transaction's domain, for the row policy.
  domain_id      uuid NOT NULL,
  PRIMARY KEY (transaction_id, line_no),
  FOREIGN KEY (transaction_id, domain_id) REFERENCES ledger_transactions (id, domain_id)
);
CREATE INDEX ledger_postings_account_idx ON ledger_postings (account);

-- The postings one statement inserts sum to zero per transaction, so every transaction does;
-- posted lines are never changed (a correction is a new transaction).
CREATE FUNCTION ledger_postings_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unbalanced uuid;
BEGIN
  SELECT transaction_id INTO unbalanced FROM new_postings
   GROUP BY transaction_id HAVING sum(amount_wei) <> 0 LIMIT 1;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transaction % is unbalanced: its postings must sum to zero', unbalanced
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
  REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_balanced();

CREATE FUNCTION ledger_postings_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger postings are append-only: book a correcting transaction instead'
    USING ERRCODE = 'check_violation';
END
$$;
CREATE TRIGGER ledger_postings_immutable BEFORE UPDATE OR DELETE ON ledger_postings
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_postings_immutable();

-- Per-user totals, kept in the booking's transaction: the row a redemption locks, the tier's input.
CREATE TABLE reward_balances (
  user_id           uuid PRIMARY KEY REFERENCES users (id),
  earned_wei        numeric(78, 0) NOT NULL DEFAULT 0 CHECK (earned_wei >= 0),
  redeemed_wei      numeric(78, 0) NOT NULL DEFAULT 0 CHECK (redeemed_wei >= 0),
  balance_wei       numeric(78, 0) GENERATED ALWAYS AS (earned_wei - redeemed_wei) STORED,
  rewards           bigint NOT NULL DEFAULT 0,
  redemptions       bigint NOT NULL DEFAULT 0,
  first_rewarded_at timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  -- No overdraft, whoever writes.
  CHECK (redeemed_wei <= earned_wei)
);
CREATE INDEX reward_balances_balance_idx ON reward_balances (balance_wei DESC, user_id);

-- The user's rewarded domains (a domain never leaves): the milestone rule counts them.
CREATE TABLE reward_user_domains (
  user_id              uuid NOT NULL REFERENCES users (id),
  domain_id            uuid NOT NULL REFERENCES domains (id),
  -- 1 for the user's first rewarded domain, 2 for the second…: the milestone's k.
  ordinal              integer NOT NULL CHECK (ordinal >= 1),
  first_transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  first_rewarded_at    timestamptz NOT NULL,
  PRIMARY KEY (user_id, domain_id),
  UNIQUE (user_id, ordinal)
);
CREATE INDEX reward_user_domains_domain_idx ON reward_user_domains (domain_id);

-- Base wei booked per user, rule and UTC day of the event: the daily cap's counter.
CREATE TABLE reward_daily_totals (
  user_id   uuid NOT NULL REFERENCES users (id),
  rule_id   text NOT NULL,
  day       date NOT NULL,
  domain_id uuid NOT NULL REFERENCES domains (id),
  base_wei  numeric(78, 0) NOT NULL CHECK (base_wei > 0),
  PRIMARY KEY (user_id, rule_id, day)
);

-- Scope as in 0002: ledger rows by their domain; a balance follows its user (visible once the
-- user is active on a domain in scope). The fold and the relayer run as the owner.
ALTER TABLE ledger_transactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON ledger_transactions
  USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
ALTER TABLE ledger_postings ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON ledger_postings
  USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
ALTER TABLE reward_user_domains ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON reward_user_domains
  USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
ALTER TABLE reward_daily_totals ENABLE ROW LEVEL SECURITY;
CREATE POLICY domain_scope ON reward_daily_totals
  USING (app_can_see(domain_id)) WITH CHECK (app_can_see(domain_id));
ALTER TABLE reward_balances ENABLE ROW LEVEL SECURITY;
CREATE POLICY follows_user ON reward_balances
  USING (EXISTS (SELECT 1 FROM users u WHERE u.id = reward_balances.user_id))
  WITH CHECK (EXISTS (SELECT 1 FROM users u WHERE u.id = reward_balances.user_id));

-- Append-only for the application: redemptions insert; nothing updates or deletes ledger rows.
GRANT SELECT, INSERT ON ledger_transactions, ledger_postings TO portfolio_app;
GRANT SELECT, INSERT, UPDATE ON reward_balances TO portfolio_app;
GRANT SELECT ON reward_user_domains, reward_daily_totals TO portfolio_app;
