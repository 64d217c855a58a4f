/**
 * How long a ledger transaction waits after a failed attempt: `baseSeconds × 2^(attempts − 1)`,
 * capped at `maxSeconds` (computed in SQL by NEXT_ATTEMPT_SQL, where the rows are).
 */
export interface Backoff {
  baseSeconds: number;
  maxSeconds: number;
}

/** 10 s, 20 s, 40 s … up to 10 minutes: an RPC back after an outage is used within 10 minutes. */
export const DEFAULT_BACKOFF: Backoff = { baseSeconds: 10, maxSeconds: 600 };

/**
 * The next attempt's time, for an UPDATE of ledger_transactions that also increments
 * chain_attempts (the expression reads the old value: after the 1st failure, base seconds).
 * Parameters: $1 now, $2 base seconds, $3 max seconds.
 */
export const NEXT_ATTEMPT_SQL = `$1::timestamptz + make_interval(secs => least($2::float8 * power(2, least(chain_attempts, 30)), $3::float8))`;
