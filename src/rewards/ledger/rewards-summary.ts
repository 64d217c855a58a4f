import { requireReader } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import { rangeOut, resolveMetricDomains, resolveQuery } from '../../metrics/metric-query.ts';
import { amountOf, ChainStatus, type RewardsSummaryOut, type RewardsSummaryQuery } from './api-schemas.ts';
import {
  CHAIN_STATUS_SQL,
  HOLDERS_BY_TIER_SQL,
  LEDGER_BY_DAY_SQL,
  LEDGER_TOTALS_SQL,
  TOP_USERS_SQL,
} from './rewards-summary.sql.ts';

type Tier = RewardsSummaryOut['tiers'] extends Record<infer K, number> ? K : never;

/**
 * GET /api/v1/rewards/summary: supply, holders, issuance and redemptions per domain and day, top
 * users and tiers, over the selected domains inside the caller's scope (a scoped operator sees
 * its domains' ledger and the users rewarded on them).
 */
export async function getRewardsSummary({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RewardsSummaryQuery;
}): Promise<RewardsSummaryOut> {
  requireReader(ctx.actor);
  const { range } = resolveQuery({ ...input, compare: 'none' }, ctx.now);
  return ctx.db.transaction(
    async (tx) => {
      const domains = await resolveMetricDomains(tx, input.domains);
      const ids = domains.map((d) => d.id);
      const totals = (
        await tx.query<{
          issued: string;
          redeemed: string;
          rewards: number;
          redemptions: number;
          rewarded_users: number;
        }>(LEDGER_TOTALS_SQL, [ids])
      ).rows[0];
      const days = await tx.query<{
        day: string;
        host: string;
        issued: string;
        redeemed: string;
        rewards: number;
        redemptions: number;
      }>(LEDGER_BY_DAY_SQL, [ids, range.start, range.end, range.tz]);
      const tiers = await tx.query<{ tier: Tier; users: number; holders: number }>(HOLDERS_BY_TIER_SQL, [
        ids,
      ]);
      const top = await tx.query<{ user_id: string; tier: Tier; earned_wei: string; balance_wei: string }>(
        TOP_USERS_SQL,
        [ids, input.top],
      );
      const chain = await tx.query<{ status: ChainStatus; n: number }>(CHAIN_STATUS_SQL, [ids]);

      const issued = BigInt(totals?.issued ?? '0');
      const redeemed = BigInt(totals?.redeemed ?? '0');
      const sum = (pick: (r: (typeof days.rows)[number]) => bigint) =>
        days.rows.reduce((s, r) => s + pick(r), 0n);
      const count = (pick: (r: (typeof days.rows)[number]) => number) =>
        days.rows.reduce((s, r) => s + pick(r), 0);
      const byTier = { bronze: 0, silver: 0, gold: 0, platinum: 0 };
      for (const t of tiers.rows) byTier[t.tier] = t.users;
      const byStatus = Object.fromEntries(
        ChainStatus.options.map((s) => [s, 0]),
      ) as RewardsSummaryOut['chain'];
      for (const c of chain.rows) byStatus[c.status] = c.n;
      return {
        range: rangeOut(range),
        domains: domains.map((d) => d.host),
        totals: {
          issued: amountOf(issued),
          redeemed: amountOf(redeemed),
          outstanding: amountOf(issued - redeemed),
          holders: tiers.rows.reduce((s, t) => s + t.holders, 0),
          rewardedUsers: totals?.rewarded_users ?? 0,
          rewards: totals?.rewards ?? 0,
          redemptions: totals?.redemptions ?? 0,
        },
        period: {
          issued: amountOf(sum((r) => BigInt(r.issued))),
          redeemed: amountOf(sum((r) => BigInt(r.redeemed))),
          rewards: count((r) => r.rewards),
          redemptions: count((r) => r.redemptions),
        },
        byDay: days.rows.map((r) => ({
          day: r.day,
          domain: r.host,
          issued: amountOf(r.issued),
          redeemed: amountOf(r.redeemed),
          rewards: r.rewards,
          redemptions: r.redemptions,
        })),
        topUsers: top.rows.map((u) => ({
          userId: u.user_id,
          tier: u.tier,
          earned: amountOf(u.earned_wei),
          balance: amountOf(u.balance_wei),
        })),
        tiers: byTier,
        chain: byStatus,
      };
    },
    { scope: ctx.actor.scope },
  );
}
