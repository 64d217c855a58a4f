-- Wallet linking with Sign-In with Ethereum (EIP-4361) and end-user sessions (ADR 0013,
-- docs/wallets.md). user_wallets (0001) holds the links; these tables hold the nonces that make
-- each signature single-use and the bearer tokens a user reads its own data with.

-- Server-issued SIWE nonces. Only the SHA-256 of a nonce is stored: a link nonce is a capability
-- ("link the wallet that signs this to that user"), so a leaked table must not hand out live ones.
CREATE TABLE siwe_nonces (
  nonce_hash  text PRIMARY KEY CHECK (nonce_hash ~ '^[0-9a-f]{64}$'),
  purpose     text NOT NULL CHECK (purpose IN ('link', 'sign_in')),
  -- link: the user the wallet will belong to; sign_in: unknown until a linked wallet signs.
  user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
  -- The domain whose secret key asked for the nonce; NULL when the user asked with its own token.
  domain_id   uuid REFERENCES domains (id) ON DELETE CASCADE,
  -- What the signed message must say: the server's public host, URI and the rewards chain.
  siwe_domain text NOT NULL,
  uri         text NOT NULL,
  chain_id    integer NOT NULL CHECK (chain_id > 0),
  issued_at   timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  CHECK ((purpose = 'link') = (user_id IS NOT NULL)),
  CHECK (expires_at > issued_at)
);
CREATE INDEX siwe_nonces_expiry_idx ON siwe_nonces (expires_at);

-- End-user bearer tokens (pos_usr_…), stored as SHA-256 like every credential (ADR 0003).
CREATE TABLE user_sessions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash     text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  -- siwe: signed in with a linked wallet; api_key: issued by a domain's server with its secret key.
  method         text NOT NULL CHECK (method IN ('siwe', 'api_key')),
  wallet_address text CHECK (wallet_address IS NULL OR wallet_address ~ '^0x[0-9a-f]{40}$'),
  -- Revoking the issuing key ends the tokens it issued (checked at authentication).
  api_key_id     uuid REFERENCES api_keys (id) ON DELETE CASCADE,
  domain_id      uuid REFERENCES domains (id) ON DELETE CASCADE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  last_used_at   timestamptz,
  revoked_at     timestamptz,
  CHECK ((method = 'siwe') = (wallet_address IS NOT NULL)),
  CHECK ((method = 'api_key') = (api_key_id IS NOT NULL AND domain_id IS NOT NULL)),
  CHECK (expires_at > created_at)
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

-- A domain's key works on these rows only for users visible in its scope (like user_wallets);
-- sign-in nonces (no user yet) and token lookups are handled by the owning connection.
ALTER TABLE siwe_nonces ENABLE ROW LEVEL SECURITY;
CREATE POLICY follows_user ON siwe_nonces
  USING (EXISTS (SELECT 1 FROM users u WHERE u.id = siwe_nonces.user_id))
  WITH CHECK (EXISTS (SELECT 1 FROM users u WHERE u.id = siwe_nonces.user_id));
ALTER TABLE user_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY follows_user ON user_sessions
  USING (EXISTS (SELECT 1 FROM users u WHERE u.id = user_sessions.user_id))
  WITH CHECK (EXISTS (SELECT 1 FROM users u WHERE u.id = user_sessions.user_id));
GRANT SELECT, INSERT, UPDATE ON siwe_nonces, user_sessions TO portfolio_app;

-- The payout wallet of each user: its first verified wallet (ADR 0013), for the relayer to join.
CREATE VIEW user_payout_wallets WITH (security_invoker = true) AS
  SELECT DISTINCT ON (user_id) user_id, address, verified_at
    FROM user_wallets
   WHERE verified_at IS NOT NULL
   ORDER BY user_id, verified_at, address;
GRANT SELECT ON user_payout_wallets TO portfolio_app;
