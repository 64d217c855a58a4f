-- The relayer's batches and the reconciliation's runs (ADR 0013; docs/relayer.md). The ledger
-- (0018) stays the source of truth: these tables say how its transactions reached the chain, and
-- whether the chain still agrees with it.

-- One row per contract call the relayer prepares: a rewards batch or a single redemption. It is
-- written, with its entries and their ledger rows set to 'submitted', before anything is sent, so a
-- crash at any later point leaves a row that the next run finishes.
CREATE TABLE relayer_batches (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('reward', 'redemption')),
  -- prepared: not known to be sent; sent: tx_hash recorded; the others are final.
  -- confirmed: every entry confirmed; failed: some entry failed for good; abandoned: some entries
  -- went back to the queue (a transient error) and were published by a later batch.
  status        text NOT NULL CHECK (status IN ('prepared', 'sent', 'confirmed', 'failed', 'abandoned')),
  chain_id      integer NOT NULL CHECK (chain_id > 0),
  token_address text NOT NULL CHECK (token_address ~ '^0x[0-9a-f]{40}$'),
  sender        text NOT NULL CHECK (sender ~ '^0x[0-9a-f]{40}$'),
  -- The chain's head when the batch was prepared: nothing of it can be in an earlier block, so log
  -- look-ups (a tx hash lost in a crash) start here.
  from_block    bigint NOT NULL CHECK (from_block >= 0),
  -- The sender's nonce of the last send (the chain's pending count at that time), then its hash.
  nonce         bigint CHECK (nonce >= 0),
  tx_hash       text CHECK (tx_hash ~ '^0x[0-9a-f]{64}$'),
  block_number  bigint CHECK (block_number >= 0),
  entry_count   integer NOT NULL CHECK (entry_count > 0),
  attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  last_error    text CHECK (length(last_error) <= 2000),
  created_at    timestamptz NOT NULL,
  sent_at       timestamptz,
  settled_at    timestamptz,
  updated_at    timestamptz NOT NULL,
  CHECK ((status IN ('prepared', 'sent')) = (settled_at IS NULL)),
  CHECK (status <> 'sent' OR tx_hash IS NOT NULL)
);
CREATE INDEX relayer_batches_open_idx ON relayer_batches (created_at) WHERE status IN ('prepared', 'sent');
CREATE INDEX relayer_batches_recent_idx ON relayer_batches (created_at DESC);

-- A batch's ledger transactions. An entry sent back to the queue ('released') joins a later batch,
-- so a ledger transaction may appear in several batches, but is 'open' in at most one.
CREATE TABLE relayer_batch_entries (
  batch_id       uuid NOT NULL REFERENCES relayer_batches (id) ON DELETE CASCADE,
  transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  position       integer NOT NULL CHECK (position >= 0),
  -- The payout wallet the call names, fixed when the batch is prepared.
  wallet         text NOT NULL CHECK (wallet ~ '^0x[0-9a-f]{40}$'),
  state          text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'confirmed', 'failed', 'released')),
  PRIMARY KEY (batch_id, transaction_id),
  UNIQUE (batch_id, position)
);
CREATE INDEX relayer_batch_entries_transaction_idx ON relayer_batch_entries (transaction_id);
CREATE UNIQUE INDEX relayer_batch_entries_one_open ON relayer_batch_entries (transaction_id) WHERE state = 'open';

-- One row: what the last run saw of the RPC (the alert metric relayer_rpc_up), and the lease that
-- keeps two servers from relaying at once (a run takes it, renews it per batch, releases it).
CREATE TABLE relayer_state (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  rpc_up         boolean,
  rpc_checked_at timestamptz,
  rpc_down_since timestamptz,
  rpc_last_error text CHECK (length(rpc_last_error) <= 2000),
  last_run_at    timestamptz,
  lease_owner    uuid,
  lease_until    timestamptz
);
INSERT INTO relayer_state DEFAULT VALUES;

-- A reconciliation: per user with a payout wallet, the ledger's confirmed totals against the
-- contract's rewardsOf / redeemedOf, read at one block; and the total supply against the ledger.
CREATE TABLE reconciliation_runs (
  id              uuid PRIMARY KEY,
  status          text NOT NULL CHECK (status IN ('ok', 'differences', 'error')),
  started_at      timestamptz NOT NULL,
  finished_at     timestamptz NOT NULL,
  chain_id        integer NOT NULL CHECK (chain_id > 0),
  token_address   text NOT NULL CHECK (token_address ~ '^0x[0-9a-f]{40}$'),
  block_number    bigint CHECK (block_number >= 0),
  users_checked   integer NOT NULL DEFAULT 0 CHECK (users_checked >= 0),
  -- Users whose totals differ, plus one when the supply does.
  differences     integer NOT NULL DEFAULT 0 CHECK (differences >= 0),
  chain_supply_wei numeric(78, 0),
  -- What the ledger explains: treasury + confirmed rewards − redemptions, widened by in-flight ones.
  ledger_supply_min_wei numeric(78, 0),
  ledger_supply_max_wei numeric(78, 0),
  error           text CHECK (length(error) <= 2000),
  ms              integer NOT NULL CHECK (ms >= 0),
  CHECK ((status = 'error') = (error IS NOT NULL))
);
CREATE INDEX reconciliation_runs_recent_idx ON reconciliation_runs (started_at DESC);

-- Only the users that differ. *_wei: the ledger's confirmed total; *_in_flight_wei: its
-- unconfirmed transactions that were ever sent (the chain may already show them); chain_*: the contract.
CREATE TABLE reconciliation_differences (
  run_id                   uuid NOT NULL REFERENCES reconciliation_runs (id) ON DELETE CASCADE,
  user_id                  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  wallet                   text NOT NULL CHECK (wallet ~ '^0x[0-9a-f]{40}$'),
  ledger_earned_wei        numeric(78, 0) NOT NULL,
  ledger_earned_in_flight_wei numeric(78, 0) NOT NULL,
  chain_earned_wei         numeric(78, 0) NOT NULL,
  ledger_redeemed_wei      numeric(78, 0) NOT NULL,
  ledger_redeemed_in_flight_wei numeric(78, 0) NOT NULL,
  chain_redeemed_wei       numeric(78, 0) NOT NULL,
  PRIMARY KEY (run_id, user_id)
);

-- Scope: batch entries follow their ledger transaction, differences their user (as reward_balances);
-- batches, runs and the relayer state hold no domain data. Only the owner (the jobs) writes.
ALTER TABLE relayer_batch_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY follows_transaction ON relayer_batch_entries
  USING (EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.id = relayer_batch_entries.transaction_id));
ALTER TABLE reconciliation_differences ENABLE ROW LEVEL SECURITY;
CREATE POLICY follows_user ON reconciliation_differences
  USING (EXISTS (SELECT 1 FROM users u WHERE u.id = reconciliation_differences.user_id));
GRANT SELECT ON relayer_batches, relayer_batch_entries, relayer_state, reconciliation_runs,
  reconciliation_differences TO portfolio_app;
