// The relayer's statements over ledger_transactions (0018) and its batches (0021). Run as the
// database owner by the relayer job; every write of a run happens under the relayer_state lease.
import { NEXT_ATTEMPT_SQL } from './backoff.ts';

/**
 * Takes (or renews) the lease: $1 owner, $2 seconds. Returns a row when held. On the database's
 * clock, not the run's `now` (fixed for a run, and moved by tests).
 */
export const TAKE_LEASE_SQL = `
UPDATE relayer_state SET lease_owner = $1, lease_until = clock_timestamp() + make_interval(secs => $2::float8)
 WHERE lease_owner IS NULL OR lease_owner = $1 OR lease_until < clock_timestamp()
RETURNING true AS held`;

export const RELEASE_LEASE_SQL = `
UPDATE relayer_state SET lease_owner = NULL, lease_until = NULL, last_run_at = $2 WHERE lease_owner = $1`;

export const RPC_UP_SQL = `
UPDATE relayer_state SET rpc_up = true, rpc_checked_at = $1, rpc_down_since = NULL, rpc_last_error = NULL`;

export const RPC_DOWN_SQL = `
UPDATE relayer_state
   SET rpc_up = false, rpc_checked_at = $1, rpc_down_since = coalesce(rpc_down_since, $1), rpc_last_error = $2`;

/**
 * The RPC is unreachable: every due pending transaction counts a failed attempt and waits.
 * $1 now, $2/$3 backoff base/max seconds, $4 the error.
 */
export const DEFER_DUE_SQL = `
UPDATE ledger_transactions
   SET chain_next_attempt_at = ${NEXT_ATTEMPT_SQL}, chain_attempts = chain_attempts + 1,
       chain_last_error = $4, chain_updated_at = $1
 WHERE chain_status = 'pending' AND (chain_next_attempt_at IS NULL OR chain_next_attempt_at <= $1)`;

/** Users who linked a wallet since: their waiting transactions join the queue ($1 now). */
export const WALLET_LINKED_SQL = `
UPDATE ledger_transactions t SET chain_status = 'pending', chain_updated_at = $1
 WHERE t.chain_status = 'awaiting_wallet'
   AND EXISTS (SELECT 1 FROM user_payout_wallets w WHERE w.user_id = t.user_id)`;

/** Users without a verified wallet (never linked, or unlinked): their queued transactions wait. */
export const WALLET_MISSING_SQL = `
UPDATE ledger_transactions t SET chain_status = 'awaiting_wallet', chain_updated_at = $1
 WHERE t.chain_status = 'pending'
   AND NOT EXISTS (SELECT 1 FROM user_payout_wallets w WHERE w.user_id = t.user_id)`;

/**
 * Due transactions in booking order, at most $2, that may go out now ($1 now). A user's rewards
 * reach the chain in its seq order (the milestone's k depends on it): a reward waits while an
 * earlier reward of its user is neither confirmed nor due with it. A redemption waits until every
 * earlier reward of its user is confirmed, so the chain's redeemable amount covers it.
 */
export const SELECT_DUE_SQL = `
SELECT t.id, t.seq::text AS seq, t.kind, t.user_id, w.address AS wallet, d.host,
       t.amount_wei::text AS amount_wei, t.ai_optimized
  FROM ledger_transactions t
  JOIN user_payout_wallets w ON w.user_id = t.user_id
  JOIN domains d ON d.id = t.domain_id
 WHERE t.chain_status = 'pending'
   AND (t.chain_next_attempt_at IS NULL OR t.chain_next_attempt_at <= $1)
   AND NOT EXISTS (
     SELECT 1 FROM ledger_transactions e
      WHERE e.user_id = t.user_id AND e.seq < t.seq AND e.kind = 'reward' AND e.chain_status <> 'confirmed'
        AND (t.kind = 'redemption'
             OR e.chain_status <> 'pending'
             OR (e.chain_next_attempt_at IS NOT NULL AND e.chain_next_attempt_at > $1)))
 ORDER BY t.seq
 LIMIT $2`;

/** $1 id, $2 kind, $3 chain id, $4 token, $5 sender, $6 from block, $7 entries, $8 now. */
export const INSERT_BATCH_SQL = `
INSERT INTO relayer_batches
  (id, kind, status, chain_id, token_address, sender, from_block, entry_count, created_at, updated_at)
VALUES ($1, $2, 'prepared', $3, $4, $5, $6, $7, $8, $8)`;

/** $1 batch ids, $2 transaction ids, $3 positions, $4 wallets (one row per entry). */
export const INSERT_BATCH_ENTRIES_SQL = `
INSERT INTO relayer_batch_entries (batch_id, transaction_id, position, wallet)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[])`;

/** $1 ids, $2 now: the transactions a prepared batch holds. Returns the rows moved. */
export const MARK_SUBMITTED_SQL = `
UPDATE ledger_transactions SET chain_status = 'submitted', chain_updated_at = $2
 WHERE id = ANY ($1::uuid[]) AND chain_status = 'pending'
RETURNING id`;

export const BATCH_COLUMNS = `id, kind, status, chain_id, token_address, sender, from_block::text AS from_block,
  nonce::text AS nonce, tx_hash, attempts, created_at`;

/** Batches not yet settled, oldest first. */
export const OPEN_BATCHES_SQL = `
SELECT ${BATCH_COLUMNS} FROM relayer_batches WHERE status IN ('prepared', 'sent') ORDER BY created_at, id`;

/** A batch's open entries, in call order ($1 batch id). */
export const OPEN_ENTRIES_SQL = `
SELECT t.id, t.seq::text AS seq, t.kind, t.user_id, be.wallet, d.host,
       t.amount_wei::text AS amount_wei, t.ai_optimized
  FROM relayer_batch_entries be
  JOIN ledger_transactions t ON t.id = be.transaction_id
  JOIN domains d ON d.id = t.domain_id
 WHERE be.batch_id = $1 AND be.state = 'open'
 ORDER BY be.position`;

/** $1 batch, $2 ids, $3 tx hashes (null when no log names them), $4 now. */
export const CONFIRM_ENTRIES_SQL = `
WITH done AS (
  UPDATE relayer_batch_entries be SET state = 'confirmed'
    FROM unnest($2::uuid[], $3::text[]) AS c(id, hash)
   WHERE be.batch_id = $1 AND be.transaction_id = c.id AND be.state = 'open'
  RETURNING be.transaction_id, c.hash
)
UPDATE ledger_transactions t
   SET chain_status = 'confirmed', chain_tx_hash = done.hash, chain_last_error = NULL,
       chain_next_attempt_at = NULL, chain_updated_at = $4
  FROM done WHERE t.id = done.transaction_id`;

/** $1 batch, $2 ids, $3 error, $4 now: a revert no retry can fix. */
export const FAIL_ENTRIES_SQL = `
WITH gone AS (
  UPDATE relayer_batch_entries SET state = 'failed'
   WHERE batch_id = $1 AND transaction_id = ANY ($2::uuid[]) AND state = 'open'
  RETURNING transaction_id
)
UPDATE ledger_transactions t
   SET chain_status = 'failed', chain_attempts = chain_attempts + 1, chain_last_error = $3,
       chain_next_attempt_at = NULL, chain_updated_at = $4
  FROM gone WHERE t.id = gone.transaction_id`;

/**
 * Back to the queue after a transient failure, with one more attempt and its backoff.
 * $1 now, $2/$3 backoff, $4 error, $5 batch, $6 ids.
 */
export const RETRY_ENTRIES_SQL = `
WITH back AS (
  UPDATE relayer_batch_entries SET state = 'released'
   WHERE batch_id = $5 AND transaction_id = ANY ($6::uuid[]) AND state = 'open'
  RETURNING transaction_id
)
UPDATE ledger_transactions
   SET chain_status = 'pending', chain_next_attempt_at = ${NEXT_ATTEMPT_SQL},
       chain_attempts = chain_attempts + 1, chain_last_error = $4, chain_updated_at = $1
  FROM back WHERE id = back.transaction_id`;

/** Back to the queue at once, no attempt counted (a user's entries after one that failed). $1 batch, $2 ids, $3 now. */
export const REQUEUE_ENTRIES_SQL = `
WITH back AS (
  UPDATE relayer_batch_entries SET state = 'released'
   WHERE batch_id = $1 AND transaction_id = ANY ($2::uuid[]) AND state = 'open'
  RETURNING transaction_id
)
UPDATE ledger_transactions SET chain_status = 'pending', chain_updated_at = $3
  FROM back WHERE id = back.transaction_id`;

/** Before a send: $1 batch, $2 nonce, $3 now. */
export const BATCH_NONCE_SQL = `
UPDATE relayer_batches SET nonce = $2, attempts = attempts + 1, updated_at = $3 WHERE id = $1`;

/** After a send: $1 batch, $2 hash, $3 now. */
export const BATCH_SENT_SQL = `
UPDATE relayer_batches SET status = 'sent', tx_hash = $2, sent_at = $3, last_error = NULL, updated_at = $3
 WHERE id = $1`;

/** $1 batch, $2 error, $3 now. */
export const BATCH_ERROR_SQL = `UPDATE relayer_batches SET last_error = $2, updated_at = $3 WHERE id = $1`;

/** $1 batch, $2 receipt block. */
export const BATCH_BLOCK_SQL = `UPDATE relayer_batches SET block_number = $2 WHERE id = $1`;

/**
 * Settles a batch without open entries: confirmed when all its entries were, failed when one
 * failed, else abandoned (some went back to the queue). $1 batch, $2 now. Returns the status.
 */
export const FINISH_BATCH_SQL = `
UPDATE relayer_batches b
   SET status = CASE
         WHEN s.failed > 0 THEN 'failed'
         WHEN s.released > 0 THEN 'abandoned'
         ELSE 'confirmed' END,
       settled_at = $2, updated_at = $2
  FROM (SELECT count(*) FILTER (WHERE state = 'failed') AS failed,
               count(*) FILTER (WHERE state = 'released') AS released,
               count(*) FILTER (WHERE state = 'open') AS open
          FROM relayer_batch_entries WHERE batch_id = $1) s
 WHERE b.id = $1 AND s.open = 0 AND b.status IN ('prepared', 'sent')
RETURNING b.status`;

/** The earliest block any batch holding these transactions ($1 ids) was prepared at. */
export const FIRST_BLOCK_SQL = `
SELECT min(b.from_block)::text AS from_block
  FROM relayer_batch_entries be JOIN relayer_batches b ON b.id = be.batch_id
 WHERE be.transaction_id = ANY ($1::uuid[])`;
