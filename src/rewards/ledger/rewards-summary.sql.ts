// The rewards dashboard's figures (rewards-summary.ts). $1 is always the selected domains' ids;
// the caller's row policy applies on top, so a scoped caller sums only its own domains' rows.

/** All time: issued (bonuses included), redeemed, counts. */
export const LEDGER_TOTALS_SQL = `
SELECT coalesce(sum(total_wei) FILTER (WHERE kind = 'reward'), 0)::text AS issued,
       coalesce(sum(total_wei) FILTER (WHERE kind = 'redemption'), 0)::text AS redeemed,
       count(*) FILTER (WHERE kind = 'reward')::integer AS rewards,
       count(*) FILTER (WHERE kind = 'redemption')::integer AS redemptions,
       count(DISTINCT user_id) FILTER (WHERE kind = 'reward')::integer AS rewarded_users
  FROM ledger_transactions
 WHERE domain_id = ANY ($1::uuid[])`;

/** Per domain and calendar day of the time zone ($4), within [$2, $3). */
export const LEDGER_BY_DAY_SQL = `
SELECT (t.occurred_at AT TIME ZONE $4)::date::text AS day, d.host,
       coalesce(sum(t.total_wei) FILTER (WHERE t.kind = 'reward'), 0)::text AS issued,
       coalesce(sum(t.total_wei) FILTER (WHERE t.kind = 'redemption'), 0)::text AS redeemed,
       count(*) FILTER (WHERE t.kind = 'reward')::integer AS rewards,
       count(*) FILTER (WHERE t.kind = 'redemption')::integer AS redemptions
  FROM ledger_transactions t
  JOIN domains d ON d.id = t.domain_id
 WHERE t.domain_id = ANY ($1::uuid[]) AND t.occurred_at >= $2 AND t.occurred_at < $3
 GROUP BY 1, 2
 ORDER BY 1, 2`;

const REWARDED_ON_SELECTED = `
  FROM reward_balances b
  JOIN users u ON u.id = b.user_id
 WHERE EXISTS (SELECT 1 FROM reward_user_domains r WHERE r.user_id = b.user_id AND r.domain_id = ANY ($1::uuid[]))`;

/** Users rewarded on the selected domains: holders (balance > 0) and users per tier. */
export const HOLDERS_BY_TIER_SQL = `
SELECT u.loyalty_tier AS tier, count(*)::integer AS users, count(*) FILTER (WHERE b.balance_wei > 0)::integer AS holders
${REWARDED_ON_SELECTED}
 GROUP BY 1`;

export const TOP_USERS_SQL = `
SELECT b.user_id, u.loyalty_tier AS tier, b.earned_wei::text AS earned_wei, b.balance_wei::text AS balance_wei
${REWARDED_ON_SELECTED}
 ORDER BY b.balance_wei DESC, b.user_id
 LIMIT $2`;

export const CHAIN_STATUS_SQL = `
SELECT chain_status AS status, count(*)::integer AS n
  FROM ledger_transactions
 WHERE domain_id = ANY ($1::uuid[])
 GROUP BY 1`;
