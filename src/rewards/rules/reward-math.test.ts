import { describe, expect, it } from 'vitest';
import { aiBonusOf, computeReward, exceedsCap, milestoneBonusOf, redeemableOf } from './reward-math.ts';
import { MAX_SUPPLY, ONE_PTF, TREASURY_ALLOCATION } from './token-constants.ts';

const PTF = ONE_PTF;

describe('aiBonusOf', () => {
  it('is 5 % of the base amount, rounded down, and 0 without AI', () => {
    expect(aiBonusOf(100n * PTF, true)).toBe(5n * PTF);
    expect(aiBonusOf(19n, true)).toBe(0n);
    expect(aiBonusOf(20n, true)).toBe(1n);
    expect(aiBonusOf(39n, true)).toBe(1n);
    expect(aiBonusOf(100n * PTF, false)).toBe(0n);
  });
});

describe('milestoneBonusOf', () => {
  it('pays reward × k / 10 from the 3rd domain on, rounded down, at most 1,000 PTF', () => {
    expect(milestoneBonusOf(100n * PTF, 1n)).toBe(0n);
    expect(milestoneBonusOf(100n * PTF, 2n)).toBe(0n);
    expect(milestoneBonusOf(100n * PTF, 3n)).toBe(30n * PTF);
    expect(milestoneBonusOf(105n * PTF, 3n)).toBe(31n * PTF + PTF / 2n);
    expect(milestoneBonusOf(100n * PTF, 7n)).toBe(70n * PTF);
    expect(milestoneBonusOf(7n, 3n)).toBe(2n);
    expect(milestoneBonusOf(2_500n * PTF, 4n)).toBe(1_000n * PTF);
    expect(milestoneBonusOf(10n ** 40n, 3n)).toBe(1_000n * PTF);
  });
});

describe('computeReward', () => {
  it('adds the AI bonus, then the milestone on the reward including it, when a new domain makes 3', () => {
    expect(
      computeReward({
        amount: 100n * PTF,
        aiOptimized: true,
        domainAlreadyRewarded: false,
        rewardedDomainsBefore: 2n,
      }),
    ).toEqual({
      amount: 100n * PTF,
      aiBonus: 5n * PTF,
      milestoneBonus: 31n * PTF + PTF / 2n,
      total: 136n * PTF + PTF / 2n,
      rewardedDomainsAfter: 3n,
      milestoneReached: true,
    });
  });

  it('pays no milestone for activity on a domain already rewarded, however many domains', () => {
    const paid = computeReward({
      amount: 10n,
      aiOptimized: false,
      domainAlreadyRewarded: true,
      rewardedDomainsBefore: 5n,
    });
    expect(paid).toMatchObject({
      milestoneBonus: 0n,
      total: 10n,
      rewardedDomainsAfter: 5n,
      milestoneReached: false,
    });
  });

  it('counts the first and second domains without a bonus', () => {
    const first = computeReward({
      amount: 10n,
      aiOptimized: false,
      domainAlreadyRewarded: false,
      rewardedDomainsBefore: 0n,
    });
    expect(first).toMatchObject({ total: 10n, rewardedDomainsAfter: 1n, milestoneReached: false });
    const second = computeReward({
      amount: 10n,
      aiOptimized: true,
      domainAlreadyRewarded: false,
      rewardedDomainsBefore: 1n,
    });
    expect(second).toMatchObject({ total: 10n, rewardedDomainsAfter: 2n, milestoneReached: false });
  });

  it('reaches a milestone even when rounding makes its bonus 0', () => {
    const paid = computeReward({
      amount: 1n,
      aiOptimized: false,
      domainAlreadyRewarded: false,
      rewardedDomainsBefore: 4n,
    });
    expect(paid).toMatchObject({
      milestoneBonus: 0n,
      total: 1n,
      rewardedDomainsAfter: 5n,
      milestoneReached: true,
    });
  });
});

describe('cap and redemption', () => {
  it('exceedsCap is true only above 1,000,000,000 PTF', () => {
    expect(MAX_SUPPLY).toBe(1_000_000_000n * PTF);
    expect(TREASURY_ALLOCATION).toBe(200_000_000n * PTF);
    expect(exceedsCap(TREASURY_ALLOCATION, MAX_SUPPLY - TREASURY_ALLOCATION)).toBe(false);
    expect(exceedsCap(TREASURY_ALLOCATION, MAX_SUPPLY - TREASURY_ALLOCATION + 1n)).toBe(true);
    expect(exceedsCap(MAX_SUPPLY, 0n)).toBe(false);
  });

  it('redeemableOf is earned minus redeemed', () => {
    expect(redeemableOf(105n, 40n)).toBe(65n);
    expect(redeemableOf(105n, 105n)).toBe(0n);
  });
});
