import { requireReader } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import {
  amountOf,
  type HistoryPageOut,
  type HistoryQuery,
  type UserBalanceOut,
  type UserRewardsOut,
} from './api-schemas.ts';
import { userEntries } from './ledger-entries.sql.ts';

/**
 * A user's balance, tier and history, read under the caller's scope: a user is visible once
 * active on a domain in scope (0002); its history shows the transactions on those domains.
 * The balance is the user's one cross-domain balance (what any domain may redeem from).
 * The end-user API calls these with a system actor for the signed-in user.
 */

export async function getUserBalance({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { userId: string };
}): Promise<UserBalanceOut> {
  requireReader(ctx.actor);
  return ctx.db.transaction((tx) => readBalance(tx, input.userId), { scope: ctx.actor.scope });
}

export async function getUserHistory({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { userId: string } & HistoryQuery;
}): Promise<HistoryPageOut> {
  requireReader(ctx.actor);
  return ctx.db.transaction(
    async (tx) => {
      await visibleUser(tx, input.userId);
      return userEntries(tx, input.userId, { limit: input.limit, before: input.cursor ?? null });
    },
    { scope: ctx.actor.scope },
  );
}

/** GET /api/v1/rewards/users/:userId: balance, tier and a page of history in one snapshot. */
export async function getUserRewards({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { userId: string } & HistoryQuery;
}): Promise<UserRewardsOut> {
  requireReader(ctx.actor);
  return ctx.db.transaction(
    async (tx) => ({
      ...(await readBalance(tx, input.userId)),
      history: await userEntries(tx, input.userId, { limit: input.limit, before: input.cursor ?? null }),
    }),
    { scope: ctx.actor.scope },
  );
}

async function visibleUser(q: Queryable, userId: string): Promise<{ loyalty_tier: UserBalanceOut['tier'] }> {
  const res = await q.query<{ loyalty_tier: UserBalanceOut['tier'] }>(
    'SELECT loyalty_tier FROM users WHERE id = $1',
    [userId],
  );
  const user = res.rows[0];
  if (!user)
    throw new AppError('not_found', 'unknown user (or not active on a domain in your scope)', 'userId');
  return user;
}

async function readBalance(q: Queryable, userId: string): Promise<UserBalanceOut> {
  const user = await visibleUser(q, userId);
  const res = await q.query<{
    earned_wei: string;
    redeemed_wei: string;
    balance_wei: string;
    rewards: number;
    redemptions: number;
    first_rewarded_at: Date | null;
  }>(
    `SELECT earned_wei::text AS earned_wei, redeemed_wei::text AS redeemed_wei, balance_wei::text AS balance_wei,
            rewards, redemptions, first_rewarded_at
       FROM reward_balances WHERE user_id = $1`,
    [userId],
  );
  const b = res.rows[0];
  const domains = await q.query<{ host: string; first_rewarded_at: Date }>(
    `SELECT d.host, r.first_rewarded_at FROM reward_user_domains r JOIN domains d ON d.id = r.domain_id
      WHERE r.user_id = $1 ORDER BY r.first_rewarded_at, d.host`,
    [userId],
  );
  return {
    userId,
    tier: user.loyalty_tier,
    earned: amountOf(b?.earned_wei ?? '0'),
    redeemed: amountOf(b?.redeemed_wei ?? '0'),
    balance: amountOf(b?.balance_wei ?? '0'),
    rewards: Number(b?.rewards ?? 0),
    redemptions: Number(b?.redemptions ?? 0),
    firstRewardedAt: b?.first_rewarded_at?.toISOString() ?? null,
    rewardedDomains: domains.rows.map((d) => ({
      domain: d.host,
      firstRewardedAt: d.first_rewarded_at.toISOString(),
    })),
  };
}
