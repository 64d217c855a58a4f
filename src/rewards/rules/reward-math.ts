// The reward rules of ADR 0013 over bigint wei, shared by the ledger (when it books a reward) and
// the contract's TypeScript model; contracts/PortfolioToken.sol implements the same arithmetic.
import {
  AI_BONUS_PERCENT,
  MAX_SUPPLY,
  MILESTONE_BONUS_MAX,
  MILESTONE_MIN_DOMAINS,
} from './token-constants.ts';

/** AI bonus of a base amount: `amount * 5 / 100` (rounded down) when AI-optimised, else 0. */
export function aiBonusOf(amount: bigint, aiOptimized: boolean): bigint {
  return aiOptimized ? (amount * AI_BONUS_PERCENT) / 100n : 0n;
}

/**
 * Milestone bonus paid when a reward makes the user's count of distinct rewarded domains reach
 * `domainCount`: `min(reward * domainCount / 10, 1,000 PTF)` from the 3rd domain on, else 0.
 * `reward` includes the AI bonus. Call it only when the count grows (a first reward on a domain).
 */
export function milestoneBonusOf(reward: bigint, domainCount: bigint): bigint {
  if (domainCount < MILESTONE_MIN_DOMAINS) return 0n;
  const bonus = (reward * domainCount) / 10n;
  return bonus > MILESTONE_BONUS_MAX ? MILESTONE_BONUS_MAX : bonus;
}

export interface RewardInput {
  /** Base amount in wei, before bonuses (> 0). */
  amount: bigint;
  aiOptimized: boolean;
  /** Whether the user already received a reward on this domain. */
  domainAlreadyRewarded: boolean;
  /** The user's distinct rewarded domains before this reward. */
  rewardedDomainsBefore: bigint;
}

export interface RewardBreakdown {
  amount: bigint;
  aiBonus: bigint;
  milestoneBonus: bigint;
  /** What is minted and added to the user's earned total: amount + aiBonus + milestoneBonus. */
  total: bigint;
  rewardedDomainsAfter: bigint;
  /** True when this reward paid a milestone (the count reached a new value ≥ 3). */
  milestoneReached: boolean;
}

/** Everything one reward pays, exactly as `distributeDomainRewards` mints it. */
export function computeReward(input: RewardInput): RewardBreakdown {
  const aiBonus = aiBonusOf(input.amount, input.aiOptimized);
  const reward = input.amount + aiBonus;
  const rewardedDomainsAfter = input.rewardedDomainsBefore + (input.domainAlreadyRewarded ? 0n : 1n);
  const milestoneBonus = input.domainAlreadyRewarded ? 0n : milestoneBonusOf(reward, rewardedDomainsAfter);
  return {
    amount: input.amount,
    aiBonus,
    milestoneBonus,
    total: reward + milestoneBonus,
    rewardedDomainsAfter,
    milestoneReached: !input.domainAlreadyRewarded && rewardedDomainsAfter >= MILESTONE_MIN_DOMAINS,
  };
}

/** Whether minting `mint` on top of `totalSupply` would cross the cap (the contract then reverts). */
export function exceedsCap(totalSupply: bigint, mint: bigint): boolean {
  return totalSupply + mint > MAX_SUPPLY;
}

/** What a redemption may still burn: earned minus already redeemed (the balance bounds it too). */
export function redeemableOf(earned: bigint, redeemed: bigint): bigint {
  return earned - redeemed;
}
