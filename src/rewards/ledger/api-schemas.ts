import { z } from 'zod';
import { MetricQuery, RangeOut } from '../../metrics/metric-query.ts';
import { ptfAmount } from '../reward-schema.ts';
import { formatPtf } from './ptf-decimal.ts';

/** Request and response shapes of the rewards API (docs/rewards.md, "API"). */

/** An amount both ways: PTF as an exact decimal, and wei (integer) as text. */
export const Amount = z.object({
  ptf: z.string().describe('PTF, exact decimal, e.g. "1.5"'),
  wei: z.string().describe('The same amount in wei (10^-18 PTF), an integer as text'),
});
export type Amount = z.infer<typeof Amount>;

export function amountOf(wei: bigint | string): Amount {
  const w = typeof wei === 'bigint' ? wei : BigInt(wei);
  return { ptf: formatPtf(w), wei: w.toString() };
}

export const LoyaltyTierName = z.enum(['bronze', 'silver', 'gold', 'platinum']);
export const ChainStatus = z.enum(['pending', 'awaiting_wallet', 'submitted', 'confirmed', 'failed']);
export type ChainStatus = z.infer<typeof ChainStatus>;

export const LedgerEntryOut = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  kind: z.enum(['reward', 'redemption']),
  userId: z.uuid(),
  domain: z.string(),
  ruleId: z.string().nullable(),
  eventId: z.string().nullable(),
  amount: Amount.describe("The contract call's amount: a reward before its bonuses, or the amount redeemed"),
  aiOptimized: z.boolean(),
  aiBonus: Amount,
  milestone: Amount,
  milestoneK: z.number().int().nullable().describe('The rewarded-domain count (≥ 3) this reward reached'),
  total: Amount.describe("How much the user's balance moved (up for a reward, down for a redemption)"),
  measure: z.string().nullable().describe('The € or property value a per-unit reward was computed from'),
  occurredAt: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  chain: z.object({
    status: ChainStatus,
    txHash: z.string().nullable(),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
  }),
});
export type LedgerEntryOut = z.infer<typeof LedgerEntryOut>;

export const UserBalanceOut = z.object({
  userId: z.uuid(),
  tier: LoyaltyTierName,
  earned: Amount.describe('Lifetime PTF earned, bonuses included (the tier is computed from it)'),
  redeemed: Amount,
  balance: Amount.describe('What the user may still redeem: earned − redeemed'),
  rewards: z.number().int(),
  redemptions: z.number().int(),
  firstRewardedAt: z.string().nullable(),
  rewardedDomains: z
    .array(z.object({ domain: z.string(), firstRewardedAt: z.string() }))
    .describe('Domains in your scope on which the user was rewarded'),
});
export type UserBalanceOut = z.infer<typeof UserBalanceOut>;

export const HistoryPageOut = z.object({
  items: z.array(LedgerEntryOut),
  nextCursor: z.string().nullable().describe('Pass as `cursor` for the next (older) page; null at the end'),
});
export type HistoryPageOut = z.infer<typeof HistoryPageOut>;

export const HistoryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,17}$/, 'must be a cursor returned as nextCursor')
    .optional()
    .describe('nextCursor of the previous page'),
});
export type HistoryQuery = z.infer<typeof HistoryQuery>;

export const UserRewardsOut = UserBalanceOut.extend({ history: HistoryPageOut });
export type UserRewardsOut = z.infer<typeof UserRewardsOut>;

export const UserParams = z.object({ userId: z.uuid() });

export const RedemptionInput = z.strictObject({
  userId: z.uuid(),
  domain: z.string().min(1).max(253).describe('Host of the domain the points are spent on'),
  amount: ptfAmount({ positive: true, max: 1_000_000_000n }).describe('PTF to redeem, e.g. "25" or 2.5'),
  idempotencyKey: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .describe('Your id for this redemption: retrying with the same key never redeems twice'),
});
export type RedemptionInput = z.infer<typeof RedemptionInput>;

export const RedemptionOut = z.object({
  redemption: LedgerEntryOut,
  /** true: this key was redeemed before and nothing new was booked. */
  replayed: z.boolean(),
  balance: Amount,
});
export type RedemptionOut = z.infer<typeof RedemptionOut>;

export const RewardsSummaryQuery = MetricQuery.pick({
  from: true,
  to: true,
  period: true,
  tz: true,
  domains: true,
}).extend({
  top: z.coerce.number().int().min(1).max(100).default(10).describe('How many top users'),
});
export type RewardsSummaryQuery = z.infer<typeof RewardsSummaryQuery>;

const Counts = { rewards: z.number().int(), redemptions: z.number().int() };

export const RewardsSummaryOut = z.object({
  range: RangeOut,
  domains: z.array(z.string()),
  totals: z
    .object({
      issued: Amount,
      redeemed: Amount,
      outstanding: Amount.describe('Issued − redeemed: what the portfolio owes its users'),
      holders: z.number().int().describe('Users with a balance above 0'),
      rewardedUsers: z.number().int(),
      ...Counts,
    })
    .describe('All time, on the selected domains'),
  period: z.object({ issued: Amount, redeemed: Amount, ...Counts }).describe('Within the range'),
  byDay: z.array(
    z.object({ day: z.string(), domain: z.string(), issued: Amount, redeemed: Amount, ...Counts }),
  ),
  topUsers: z.array(z.object({ userId: z.uuid(), tier: LoyaltyTierName, earned: Amount, balance: Amount })),
  tiers: z.object({ bronze: z.number(), silver: z.number(), gold: z.number(), platinum: z.number() }),
  chain: z.record(ChainStatus, z.number().int()).describe('Ledger transactions by on-chain status'),
});
export type RewardsSummaryOut = z.infer<typeof RewardsSummaryOut>;
