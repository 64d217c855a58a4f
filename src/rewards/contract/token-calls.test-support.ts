// Short builders for PortfolioToken calls and an assertion on reverts, shared by the contract tests.
import type { Hex, PrivateKeyAccount } from 'viem';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { domainIdOf, txIdOf } from '../rules/chain-ids.ts';
import type { BatchReward, Outcome, TokenCall } from './contract-model.ts';
import {
  castRolesAndDomains,
  deployTokenHarness,
  type TokenCast,
  type TokenHarness,
} from './token-harness.ts';

export interface TokenFixture {
  h: TokenHarness;
  cast: TokenCast;
}

/**
 * One deployment per test file (roles granted, `hosts` registered), rolled back to that state
 * before every test through an EVM snapshot. Read the fields inside hooks and tests.
 */
export function setUpTokenFixture(hosts: readonly string[]): TokenFixture {
  const fixture = {} as TokenFixture;
  let clean: Hex;
  beforeAll(async () => {
    fixture.h = await deployTokenHarness();
    fixture.cast = await castRolesAndDomains(fixture.h, hosts);
    clean = await fixture.h.snapshot();
  });
  beforeEach(async () => {
    await fixture.h.revert(clean);
    clean = await fixture.h.snapshot();
  });
  afterAll(() => fixture.h.close());
  return fixture;
}

/** The txId of a made-up ledger transaction number n. */
export function txId(n: number): Hex {
  return txIdOf(`00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`);
}

export function rewardCall(
  user: PrivateKeyAccount,
  host: string,
  amount: bigint,
  aiOptimized: boolean,
  tx: Hex,
): TokenCall & { functionName: 'distributeDomainRewards' } {
  return {
    functionName: 'distributeDomainRewards',
    args: [user.address, domainIdOf(host), amount, aiOptimized, tx],
  };
}

export function batchEntry(
  user: PrivateKeyAccount,
  host: string,
  amount: bigint,
  aiOptimized: boolean,
  tx: Hex,
): BatchReward {
  return { user: user.address, domainId: domainIdOf(host), amount, aiOptimized, txId: tx };
}

export function redeemCall(user: PrivateKeyAccount, host: string, amount: bigint, tx: Hex): TokenCall {
  return { functionName: 'redeem', args: [user.address, domainIdOf(host), amount, tx] };
}

/** The call reverted with this custom error (and these arguments, when given). */
export function expectRevert(outcome: Outcome, errorName: string, args?: readonly unknown[]): void {
  expect(outcome.ok ? 'no revert' : outcome.error.errorName).toBe(errorName);
  if (args && !outcome.ok) expect(outcome.error.args).toEqual(args);
}
