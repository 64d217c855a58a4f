import { requireUnscopedAdmin } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { LoyaltyTiers } from '../reward-schema.ts';
import { SET_TIERS_SQL } from './book-rewards.sql.ts';
import { REWARDS_FOLD_LOCK_KEY } from './book-rewards.ts';
import { loyaltyTierFor, tierThresholds } from './compile-reward-rules.ts';

const PAGE = 5000;

/**
 * Sets every user's tier from its lifetime earned PTF under the given thresholds: after the
 * portfolio file's tiers change (bookings keep the tiers of the users they touch current).
 * Holds the fold's lock, so it never interleaves with a booking.
 */
export async function recomputeTiers({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { tiers: LoyaltyTiers | null | undefined };
}): Promise<{ users: number; changed: number }> {
  requireUnscopedAdmin(ctx.actor);
  const thresholds = tierThresholds(input.tiers);
  return ctx.db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [REWARDS_FOLD_LOCK_KEY]);
    let after: string | null = null;
    let users = 0;
    let changed = 0;
    for (;;) {
      const page: { rows: Array<{ id: string; earned_wei: string }> } = await tx.query(
        `SELECT u.id, coalesce(b.earned_wei, 0)::text AS earned_wei
           FROM users u LEFT JOIN reward_balances b ON b.user_id = u.id
          WHERE $1::uuid IS NULL OR u.id > $1::uuid
          ORDER BY u.id
          LIMIT $2`,
        [after, PAGE],
      );
      if (page.rows.length === 0) break;
      users += page.rows.length;
      const tiers = page.rows.map((r) => loyaltyTierFor(BigInt(r.earned_wei), thresholds));
      const res = await tx.query(SET_TIERS_SQL, [page.rows.map((r) => r.id), tiers, ctx.now]);
      changed += res.rowCount;
      after = page.rows[page.rows.length - 1]?.id ?? null;
    }
    return { users, changed };
  });
}
