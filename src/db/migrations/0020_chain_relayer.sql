-- The chain runtime (docs/chain.md, ADR 0013 "Relayer and chain"): the embedded development
-- chain's genesis and journal, and the token's deployment record.

-- One row per embedded chain id. The chain is rebuilt at open from this genesis plus the journal,
-- so both must stay exactly as written: the hardfork is fixed when the chain is created.
CREATE TABLE embedded_chains (
  chain_id          bigint PRIMARY KEY CHECK (chain_id > 0),
  hardfork          text NOT NULL CHECK (length(hardfork) BETWEEN 1 AND 40),
  -- Seconds since the epoch of block 0.
  genesis_timestamp bigint NOT NULL CHECK (genesis_timestamp > 0),
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- Ownership lease: one process at a time executes transactions (PostgreSQL may be shared by many
  -- servers). The journal's inserts are fenced on owner_id, so a process that lost it cannot write.
  owner_id          uuid,
  owner_label       text CHECK (length(owner_label) <= 200),
  lease_expires_at  timestamptz
);

-- Every state-changing request the embedded chain executed, in order, written right after it was
-- mined. Replay sets each block's recorded timestamp, so blocks, hashes and addresses come out equal.
CREATE TABLE embedded_chain_journal (
  chain_id        bigint NOT NULL REFERENCES embedded_chains (chain_id),
  seq             bigint NOT NULL CHECK (seq >= 1),
  kind            text NOT NULL CHECK (kind IN ('raw_transaction', 'transaction', 'mine')),
  -- raw_transaction: the signed transaction as sent (eth_sendRawTransaction).
  raw_tx          text CHECK (raw_tx ~ '^0x[0-9a-f]+$'),
  -- transaction: the eth_sendTransaction request object (an unlocked development account signs).
  request         jsonb CHECK (jsonb_typeof(request) = 'object'),
  tx_hash         text CHECK (tx_hash ~ '^0x[0-9a-f]{64}$'),
  block_number    bigint NOT NULL CHECK (block_number >= 1),
  block_timestamp bigint NOT NULL CHECK (block_timestamp > 0),
  block_hash      text NOT NULL CHECK (block_hash ~ '^0x[0-9a-f]{64}$'),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (chain_id, seq),
  CHECK (
    (kind = 'raw_transaction' AND raw_tx IS NOT NULL AND request IS NULL AND tx_hash IS NOT NULL) OR
    (kind = 'transaction' AND raw_tx IS NULL AND request IS NOT NULL AND tx_hash IS NOT NULL) OR
    (kind = 'mine' AND raw_tx IS NULL AND request IS NULL AND tx_hash IS NULL)
  )
);

-- Written and read by the server as the owner only (no domain scope applies to a chain).
ALTER TABLE embedded_chains ENABLE ROW LEVEL SECURITY;
CREATE POLICY unscoped_only ON embedded_chains USING (app_scope_all()) WITH CHECK (app_scope_all());
ALTER TABLE embedded_chain_journal ENABLE ROW LEVEL SECURITY;
CREATE POLICY unscoped_only ON embedded_chain_journal
  USING (app_scope_all()) WITH CHECK (app_scope_all());
GRANT SELECT ON embedded_chains, embedded_chain_journal TO portfolio_app;

-- The token's deployment: how it was made (transaction, deployer, treasury, contract source), and
-- at most one active token per chain. Addresses are stored lower case, like `address`. Chain ids
-- go up to 2^53 - 1 (CHAIN_ID; EIP-2294), beyond an integer.
ALTER TABLE smart_contracts
  ALTER COLUMN chain_id TYPE bigint,
  ADD COLUMN deploy_tx_hash   text CHECK (deploy_tx_hash ~ '^0x[0-9a-f]{64}$'),
  ADD COLUMN deployer_address text CHECK (deployer_address ~ '^0x[0-9a-f]{40}$'),
  ADD COLUMN treasury_address text CHECK (treasury_address ~ '^0x[0-9a-f]{40}$'),
  -- The artifact's source hash (src/rewards/chain/artifacts): which contract source was deployed.
  ADD COLUMN source_hash      text CHECK (length(source_hash) <= 100);
CREATE UNIQUE INDEX smart_contracts_one_active_token
  ON smart_contracts (chain_id) WHERE contract_type = 'token' AND is_active;
