import type { Queryable } from '../../db/types.ts';

// The buyer of a revenue row is an end user of the portfolio: named by our user id (must already
// be visible in the caller's scope) or by e-mail (found or created across the portfolio by
// app_link_user_by_email, migration 0005). Either way the user is linked to the row's domain.

const LINK_USERS_SQL = `
INSERT INTO user_domains (user_id, domain_id, first_seen_at, last_seen_at)
SELECT user_id, domain_id, at, at FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS t(user_id, domain_id, at)
ON CONFLICT (user_id, domain_id) DO UPDATE
  SET first_seen_at = least(user_domains.first_seen_at, EXCLUDED.first_seen_at),
      last_seen_at = greatest(user_domains.last_seen_at, EXCLUDED.last_seen_at)`;

// Net cash spent by a user on a domain: settled sales and paid commissions, minus refunds.
const REFRESH_TOTAL_SPENT_SQL = `
UPDATE user_domains ud
   SET total_spent_eur = coalesce((
         SELECT sum(r.amount_eur) FROM revenue r
          WHERE r.user_id = ud.user_id AND r.domain_id = ud.domain_id AND r.status IN ('completed', 'paid')
       ), 0)
  FROM unnest($1::uuid[], $2::uuid[]) AS t(user_id, domain_id)
 WHERE ud.user_id = t.user_id AND ud.domain_id = t.domain_id`;

export interface UserDomain {
  userId: string;
  domainId: string;
}

export async function visibleUserIds(tx: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const res = await tx.query<{ id: string }>('SELECT id FROM users WHERE id = ANY ($1::uuid[])', [ids]);
  return new Set(res.rows.map((r) => r.id));
}

export async function linkUserByEmail(
  tx: Queryable,
  input: { domainId: string; email: string; at: Date },
): Promise<string> {
  const res = await tx.query<{ id: string }>('SELECT app_link_user_by_email($1, $2, $3) AS id', [
    input.domainId,
    input.email,
    input.at,
  ]);
  return (res.rows[0] as { id: string }).id;
}

export async function linkUsersToDomains(
  tx: Queryable,
  links: readonly (UserDomain & { at: Date })[],
): Promise<void> {
  if (links.length === 0) return;
  await tx.query(LINK_USERS_SQL, [
    links.map((l) => l.userId),
    links.map((l) => l.domainId),
    links.map((l) => l.at.toISOString()),
  ]);
}

export async function refreshTotalSpent(tx: Queryable, pairs: readonly UserDomain[]): Promise<void> {
  if (pairs.length === 0) return;
  await tx.query(REFRESH_TOTAL_SPENT_SQL, [pairs.map((p) => p.userId), pairs.map((p) => p.domainId)]);
}
