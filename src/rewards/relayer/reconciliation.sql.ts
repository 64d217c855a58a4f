// The ledger's side of a reconciliation (0018, 0021): per user with a payout wallet and in total,
// its confirmed amounts and its unconfirmed ones that were ever put in a batch (the chain may
// already show those). Run as the database owner.

const IN_FLIGHT = `t.chain_status IN ('pending', 'submitted')
  AND EXISTS (SELECT 1 FROM relayer_batch_entries be WHERE be.transaction_id = t.id)`;

const TOTALS = `
  coalesce(sum(t.total_wei) FILTER (WHERE t.kind = 'reward' AND t.chain_status = 'confirmed'), 0)::text AS earned,
  coalesce(sum(t.total_wei) FILTER (WHERE t.kind = 'reward' AND ${IN_FLIGHT}), 0)::text AS earned_in_flight,
  coalesce(sum(t.total_wei) FILTER (WHERE t.kind = 'redemption' AND t.chain_status = 'confirmed'), 0)::text AS redeemed,
  coalesce(sum(t.total_wei) FILTER (WHERE t.kind = 'redemption' AND ${IN_FLIGHT}), 0)::text AS redeemed_in_flight`;

export interface LedgerTotalsRow {
  earned: string;
  earned_in_flight: string;
  redeemed: string;
  redeemed_in_flight: string;
}

export const USER_TOTALS_SQL = `
SELECT w.user_id, w.address AS wallet, ${TOTALS}
  FROM user_payout_wallets w
  LEFT JOIN ledger_transactions t ON t.user_id = w.user_id
 GROUP BY w.user_id, w.address
 ORDER BY w.user_id`;

export const ALL_TOTALS_SQL = `SELECT ${TOTALS} FROM ledger_transactions t`;

/**
 * $1 id, $2 status, $3 started, $4 finished, $5 chain id, $6 token, $7 block, $8 users, $9
 * differences, $10 chain supply, $11/$12 ledger supply bounds, $13 error, $14 ms.
 */
export const INSERT_RUN_SQL = `
INSERT INTO reconciliation_runs
  (id, status, started_at, finished_at, chain_id, token_address, block_number, users_checked, differences,
   chain_supply_wei, ledger_supply_min_wei, ledger_supply_max_wei, error, ms)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::numeric, $11::numeric, $12::numeric, $13, $14)`;

export const INSERT_DIFFERENCES_SQL = `
INSERT INTO reconciliation_differences
  (run_id, user_id, wallet, ledger_earned_wei, ledger_earned_in_flight_wei, chain_earned_wei,
   ledger_redeemed_wei, ledger_redeemed_in_flight_wei, chain_redeemed_wei)
SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::numeric[], $5::numeric[], $6::numeric[],
                         $7::numeric[], $8::numeric[], $9::numeric[])`;
