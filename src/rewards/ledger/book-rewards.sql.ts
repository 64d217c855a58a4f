// SQL of the rewards fold (book-rewards.ts). Rows travel as arrays turned into rows by unnest(),
// so each write is one statement whatever the page size; wei travel as text (numeric is exact).

export const REWARDS_STATE = 'rewards';

/** Everything issued so far: the users' lifetime earnings (the cap counts issuance; redeeming re-issues nothing). */
export const ISSUED_SQL = 'SELECT coalesce(sum(earned_wei), 0)::text AS issued FROM reward_balances';

/**
 * The events of the window ($1 old horizon, $2 old pending, $3 new horizon, $4 running) that a
 * rule may reward ($5/$6: its domain and event name pairs), of known users, not yet booked, in
 * the order they happened. A cursor: one sort, read page by page.
 */
export const DECLARE_CANDIDATES_SQL = `
DECLARE reward_fold_events NO SCROLL CURSOR FOR
WITH window_events AS (
  SELECT e.id, e.domain_id, e.name, e.occurred_at, e.user_id, e.value_eur, e.props
    FROM events e
   WHERE e.ingest_xid >= $1::xid8 AND e.ingest_xid < $3::xid8 AND NOT (e.ingest_xid = ANY ($4::xid8[]))
     AND e.user_id IS NOT NULL
  UNION ALL
  SELECT e.id, e.domain_id, e.name, e.occurred_at, e.user_id, e.value_eur, e.props
    FROM events e
   WHERE e.ingest_xid = ANY ($2::xid8[]) AND e.ingest_xid < $1::xid8 AND NOT (e.ingest_xid = ANY ($4::xid8[]))
     AND e.user_id IS NOT NULL
)
SELECT w.id, w.domain_id, w.name, w.occurred_at, w.user_id, w.value_eur::text AS value_eur, w.props
  FROM window_events w
  JOIN unnest($5::uuid[], $6::text[]) AS r(domain_id, name) ON r.domain_id = w.domain_id AND r.name = w.name
  JOIN users u ON u.id = w.user_id
 WHERE NOT EXISTS (SELECT 1 FROM ledger_transactions t WHERE t.source_key = 'event:' || w.id::text)
 ORDER BY w.occurred_at, w.id`;

export const FETCH_CANDIDATES_SQL = 'FETCH 1000 FROM reward_fold_events';

export const USER_DOMAINS_SQL = `
SELECT user_id, domain_id FROM reward_user_domains WHERE user_id = ANY ($1::uuid[])`;

export const DAILY_TOTALS_SQL = `
SELECT t.user_id, t.rule_id, t.day::text AS day, t.base_wei::text AS base_wei
  FROM reward_daily_totals t
  JOIN unnest($1::uuid[], $2::date[]) AS k(user_id, day) ON k.user_id = t.user_id AND k.day = t.day`;

export const USERS_WITH_WALLET_SQL = `
SELECT DISTINCT user_id FROM user_wallets WHERE user_id = ANY ($1::uuid[]) AND verified_at IS NOT NULL`;

export const INSERT_TRANSACTIONS_SQL = `
INSERT INTO ledger_transactions
  (id, kind, user_id, domain_id, source_key, rule_id, event_id, amount_wei, ai_optimized, ai_bonus_wei,
   milestone_k, milestone_wei, total_wei, measure, occurred_at, created_at, created_by, chain_status)
SELECT id, 'reward', user_id, domain_id, 'event:' || event_id::text, rule_id, event_id, amount_wei, ai_optimized,
       ai_bonus_wei, milestone_k, milestone_wei, amount_wei + ai_bonus_wei + milestone_wei, measure, occurred_at,
       $14, $15, chain_status
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::numeric[], $7::boolean[],
              $8::numeric[], $9::integer[], $10::numeric[], $11::text[], $12::timestamptz[], $13::text[])
    AS t(id, user_id, domain_id, rule_id, event_id, amount_wei, ai_optimized, ai_bonus_wei, milestone_k,
         milestone_wei, measure, occurred_at, chain_status)`;

/** One statement for all postings of a page: the balance trigger checks each transaction. */
export const INSERT_POSTINGS_SQL = `
INSERT INTO ledger_postings (transaction_id, line_no, line, account, amount_wei, domain_id)
SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::text[], $5::numeric[], $6::uuid[])`;

export const INSERT_USER_DOMAINS_SQL = `
INSERT INTO reward_user_domains (user_id, domain_id, ordinal, first_transaction_id, first_rewarded_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::integer[], $4::uuid[], $5::timestamptz[])`;

export const ADD_DAILY_TOTALS_SQL = `
INSERT INTO reward_daily_totals AS d (user_id, rule_id, day, domain_id, base_wei)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::uuid[], $5::numeric[])
ON CONFLICT (user_id, rule_id, day) DO UPDATE SET base_wei = d.base_wei + EXCLUDED.base_wei`;

/** Adds each user's earnings; returns the new lifetime totals (the tiers' input). */
export const ADD_EARNINGS_SQL = `
INSERT INTO reward_balances AS b (user_id, earned_wei, rewards, first_rewarded_at, updated_at)
SELECT user_id, earned_wei, rewards, first_at, $5 FROM unnest($1::uuid[], $2::numeric[], $3::bigint[], $4::timestamptz[])
  AS t(user_id, earned_wei, rewards, first_at)
ON CONFLICT (user_id) DO UPDATE
   SET earned_wei = b.earned_wei + EXCLUDED.earned_wei, rewards = b.rewards + EXCLUDED.rewards,
       first_rewarded_at = least(b.first_rewarded_at, EXCLUDED.first_rewarded_at), updated_at = EXCLUDED.updated_at
RETURNING user_id, earned_wei::text AS earned_wei`;

/** Sets users' tiers where they changed; returns how many did. */
export const SET_TIERS_SQL = `
UPDATE users u SET loyalty_tier = t.tier, updated_at = $3
  FROM unnest($1::uuid[], $2::text[]) AS t(id, tier)
 WHERE u.id = t.id AND u.loyalty_tier <> t.tier`;
