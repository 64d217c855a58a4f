// PortfolioToken on a real EVM (EDR) through viem: deployment, roles, domains, pause, AI oracle,
// views and events. Rewards, bonuses, cap and redemptions: rewards-and-redemptions.test.ts.
import { type Hex, type PrivateKeyAccount, zeroAddress } from 'viem';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { portfolioTokenAbi, portfolioTokenBytecode } from '../chain/artifacts/portfolio-token.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import * as constants from '../rules/token-constants.ts';
import { AI_ORACLE_ROLE, DEFAULT_ADMIN_ROLE, DOMAIN_ADMIN_ROLE, type TokenCall } from './contract-model.ts';
import { batchEntry, expectRevert, rewardCall, setUpTokenFixture, txId } from './token-calls.test-support.ts';
import { revertOf, type TokenCast, type TokenHarness } from './token-harness.ts';

const FIXIE = 'fixie.run';
const fixture = setUpTokenFixture([FIXIE]);
let h: TokenHarness;
let cast: TokenCast;
let alice: PrivateKeyAccount;
beforeAll(() => {
  ({ h, cast } = fixture);
  alice = cast.users[0] as PrivateKeyAccount;
});

const read = {
  rewardsOf: (user: Hex) =>
    h.publicClient.readContract({
      address: h.address,
      abi: portfolioTokenAbi,
      functionName: 'rewardsOf',
      args: [user],
    }),
  hasRole: (role: Hex, account: Hex) =>
    h.publicClient.readContract({
      address: h.address,
      abi: portfolioTokenAbi,
      functionName: 'hasRole',
      args: [role, account],
    }),
  balanceOf: (account: Hex) =>
    h.publicClient.readContract({
      address: h.address,
      abi: portfolioTokenAbi,
      functionName: 'balanceOf',
      args: [account],
    }),
};

describe('deployment', () => {
  it('mints 20 % of the cap to the treasury and gives the admin DEFAULT_ADMIN_ROLE only', async () => {
    const call = <N extends 'name' | 'symbol' | 'decimals' | 'cap' | 'totalSupply'>(functionName: N) =>
      h.publicClient.readContract({ address: h.address, abi: portfolioTokenAbi, functionName });
    expect([await call('name'), await call('symbol'), await call('decimals')]).toEqual([
      'PortfolioToken',
      'PTF',
      18,
    ]);
    expect(await call('cap')).toBe(1_000_000_000n * 10n ** 18n);
    expect(await call('totalSupply')).toBe(200_000_000n * 10n ** 18n);
    expect(await read.balanceOf(cast.treasury.address)).toBe(200_000_000n * 10n ** 18n);
    expect(await read.hasRole(DEFAULT_ADMIN_ROLE, cast.admin.address)).toBe(true);
    expect(await read.hasRole(DOMAIN_ADMIN_ROLE, cast.admin.address)).toBe(false);
    expect(await read.hasRole(AI_ORACLE_ROLE, cast.admin.address)).toBe(false);
  });

  it('refuses a zero admin or treasury', async () => {
    for (const args of [
      [zeroAddress, alice.address],
      [alice.address, zeroAddress],
    ] as const) {
      const error = await h.publicClient
        .estimateGas({ account: alice, data: deployData(args) })
        .then(() => undefined, revertOf);
      expect(error).toEqual({ errorName: 'ZeroAddress', args: [] });
    }
  });

  it('exposes the same constants as src/rewards/rules', async () => {
    const constant = (functionName: (typeof CONSTANT_NAMES)[number]) =>
      h.publicClient.readContract({ address: h.address, abi: portfolioTokenAbi, functionName });
    expect(await constant('MAX_SUPPLY')).toBe(constants.MAX_SUPPLY);
    expect(await constant('AI_BONUS_PERCENT')).toBe(constants.AI_BONUS_PERCENT);
    expect(await constant('MILESTONE_MIN_DOMAINS')).toBe(constants.MILESTONE_MIN_DOMAINS);
    expect(await constant('MILESTONE_BONUS_MAX')).toBe(constants.MILESTONE_BONUS_MAX);
    const treasuryPercent = (await constant('TREASURY_SHARE_PERCENT')) as bigint;
    expect((treasuryPercent * constants.MAX_SUPPLY) / 100n).toBe(constants.TREASURY_ALLOCATION);
    expect(await constant('DOMAIN_ADMIN_ROLE')).toBe(DOMAIN_ADMIN_ROLE);
    expect(await constant('AI_ORACLE_ROLE')).toBe(AI_ORACLE_ROLE);
  });
});

const CONSTANT_NAMES = [
  'MAX_SUPPLY',
  'AI_BONUS_PERCENT',
  'MILESTONE_MIN_DOMAINS',
  'MILESTONE_BONUS_MAX',
  'TREASURY_SHARE_PERCENT',
  'DOMAIN_ADMIN_ROLE',
  'AI_ORACLE_ROLE',
] as const;

function deployData(args: readonly [Hex, Hex]): Hex {
  return `${portfolioTokenBytecode}${args.map((a) => a.slice(2).toLowerCase().padStart(64, '0')).join('')}`;
}

describe('roles', () => {
  it('lets only DOMAIN_ADMIN_ROLE mint, not even the admin', async () => {
    const call = rewardCall(alice, FIXIE, 10n, false, txId(1));
    for (const caller of [cast.admin, cast.oracle, alice, cast.treasury]) {
      expectRevert(await h.execute(caller, call), 'AccessControlUnauthorizedAccount', [
        caller.address,
        DOMAIN_ADMIN_ROLE,
      ]);
    }
    expect((await h.execute(cast.relayer, call)).ok).toBe(true);
  });

  it('lets only the admin grant and revoke, and a revoked relayer cannot mint', async () => {
    const grant: TokenCall = { functionName: 'grantRole', args: [DOMAIN_ADMIN_ROLE, alice.address] };
    expectRevert(await h.execute(cast.relayer, grant), 'AccessControlUnauthorizedAccount', [
      cast.relayer.address,
      DEFAULT_ADMIN_ROLE,
    ]);
    const granted = await h.mustExecute(cast.admin, grant);
    expect(granted.events).toEqual([
      {
        eventName: 'RoleGranted',
        args: { role: DOMAIN_ADMIN_ROLE, account: alice.address, sender: cast.admin.address },
      },
    ]);
    await h.mustExecute(alice, rewardCall(alice, FIXIE, 1n, false, txId(2)));

    await h.mustExecute(cast.admin, {
      functionName: 'revokeRole',
      args: [DOMAIN_ADMIN_ROLE, cast.relayer.address],
    });
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, FIXIE, 1n, false, txId(3))),
      'AccessControlUnauthorizedAccount',
    );
  });

  it('lets only AI_ORACLE_ROLE record optimisations, counted in the summary', async () => {
    const record: TokenCall = { functionName: 'recordAIOptimization', args: [alice.address, 87n, 12n] };
    expectRevert(await h.execute(cast.relayer, record), 'AccessControlUnauthorizedAccount', [
      cast.relayer.address,
      AI_ORACLE_ROLE,
    ]);
    expectRevert(
      await h.execute(cast.oracle, { functionName: 'recordAIOptimization', args: [zeroAddress, 1n, 1n] }),
      'ZeroAddress',
    );
    await h.mustExecute(cast.oracle, record);
    const second = await h.mustExecute(cast.oracle, record);
    expect(second.events).toEqual([
      {
        eventName: 'AIOptimizationRecorded',
        args: { user: alice.address, performanceScore: 87n, engagementBoost: 12n, count: 2n },
      },
    ]);
    const [, , , , aiOptimizations] = await h.publicClient.readContract({
      address: h.address,
      abi: portfolioTokenAbi,
      functionName: 'getUserDomainSummary',
      args: [alice.address],
    });
    expect(aiOptimizations).toBe(2n);
  });
});

describe('domains', () => {
  const seobiz = domainIdOf('seobiz.be');

  it('registers a domain only under keccak256 of its host, once while active', async () => {
    expectRevert(
      await h.execute(cast.admin, { functionName: 'registerDomain', args: [seobiz, 'seobiz.BE'] }),
      'InvalidDomain',
      [seobiz, 'seobiz.BE'],
    );
    expectRevert(
      await h.execute(cast.admin, { functionName: 'registerDomain', args: [domainIdOf(''), ''] }),
      'InvalidDomain',
    );
    expectRevert(
      await h.execute(cast.relayer, { functionName: 'registerDomain', args: [seobiz, 'seobiz.be'] }),
      'AccessControlUnauthorizedAccount',
    );
    const registered = await h.mustExecute(cast.admin, {
      functionName: 'registerDomain',
      args: [seobiz, 'seobiz.be'],
    });
    expect(registered.events).toEqual([
      { eventName: 'DomainRegistered', args: { domainId: seobiz, host: 'seobiz.be' } },
    ]);
    expectRevert(
      await h.execute(cast.admin, { functionName: 'registerDomain', args: [seobiz, 'seobiz.be'] }),
      'DomainAlreadyActive',
      [seobiz],
    );
    const domain = await h.publicClient.readContract({
      address: h.address,
      abi: portfolioTokenAbi,
      functionName: 'domains',
      args: [seobiz],
    });
    expect(domain).toEqual([true, 'seobiz.be']);
  });

  it('refuses rewards on an unknown or deactivated domain and accepts them again once re-registered', async () => {
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, 'unknown.example', 1n, false, txId(1))),
      'DomainNotActive',
      [domainIdOf('unknown.example')],
    );
    const fixie = domainIdOf(FIXIE);
    const deactivated = await h.mustExecute(cast.admin, { functionName: 'deactivateDomain', args: [fixie] });
    expect(deactivated.events).toEqual([{ eventName: 'DomainDeactivated', args: { domainId: fixie } }]);
    expectRevert(
      await h.execute(cast.admin, { functionName: 'deactivateDomain', args: [fixie] }),
      'DomainNotActive',
    );
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, FIXIE, 1n, false, txId(1))),
      'DomainNotActive',
      [fixie],
    );
    await h.mustExecute(cast.admin, { functionName: 'registerDomain', args: [fixie, FIXIE] });
    await h.mustExecute(cast.relayer, rewardCall(alice, FIXIE, 1n, false, txId(1)));
  });
});

describe('pause', () => {
  it('blocks mints, burns and transfers until unpaused, and only the admin may toggle it', async () => {
    await h.mustExecute(cast.relayer, rewardCall(alice, FIXIE, 100n, false, txId(1)));
    expectRevert(
      await h.execute(cast.relayer, { functionName: 'pause', args: [] }),
      'AccessControlUnauthorizedAccount',
    );
    const paused = await h.mustExecute(cast.admin, { functionName: 'pause', args: [] });
    expect(paused.events).toEqual([{ eventName: 'Paused', args: { account: cast.admin.address } }]);
    expectRevert(await h.execute(cast.admin, { functionName: 'pause', args: [] }), 'EnforcedPause');

    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, FIXIE, 1n, false, txId(2))),
      'EnforcedPause',
    );
    expectRevert(
      await h.execute(cast.relayer, {
        functionName: 'distributeDomainRewardsBatch',
        args: [[batchEntry(alice, FIXIE, 1n, false, txId(2))]],
      }),
      'EnforcedPause',
    );
    expectRevert(
      await h.execute(cast.relayer, {
        functionName: 'redeem',
        args: [alice.address, domainIdOf(FIXIE), 1n, txId(3)],
      }),
      'EnforcedPause',
    );
    expectRevert(
      await h.execute(alice, { functionName: 'transfer', args: [cast.admin.address, 1n] }),
      'EnforcedPause',
    );

    await h.mustExecute(cast.admin, { functionName: 'unpause', args: [] });
    expectRevert(await h.execute(cast.admin, { functionName: 'unpause', args: [] }), 'ExpectedPause');
    await h.mustExecute(alice, { functionName: 'transfer', args: [cast.admin.address, 1n] });
    expect(await read.balanceOf(cast.admin.address)).toBe(1n);
  });
});

describe('views', () => {
  it('types reads from the ABI: rewardsOf is a bigint, getUserDomainSummary has named values', async () => {
    await h.mustExecute(cast.relayer, rewardCall(alice, FIXIE, 100n, true, txId(1)));
    await h.mustExecute(cast.relayer, {
      functionName: 'redeem',
      args: [alice.address, domainIdOf(FIXIE), 40n, txId(2)],
    });
    const earned = await read.rewardsOf(alice.address);
    expectTypeOf(earned).toEqualTypeOf<bigint>();
    expect(earned).toBe(105n);
    const summary = await h.publicClient.readContract({
      address: h.address,
      abi: portfolioTokenAbi,
      functionName: 'getUserDomainSummary',
      args: [alice.address],
    });
    expectTypeOf(summary).toEqualTypeOf<readonly [bigint, bigint, bigint, bigint, bigint]>();
    expect(summary).toEqual([105n, 40n, 65n, 1n, 0n]);
    const outputs = portfolioTokenAbi.find(
      (item) => item.type === 'function' && item.name === 'getUserDomainSummary',
    );
    expect(outputs && 'outputs' in outputs ? outputs.outputs.map((o) => o.name) : []).toEqual([
      'earned',
      'redeemed',
      'redeemable',
      'rewardedDomains',
      'aiOptimizations',
    ]);
    const perDomain = await h.publicClient.readContract({
      address: h.address,
      abi: portfolioTokenAbi,
      functionName: 'domainRewardsOf',
      args: [alice.address, domainIdOf(FIXIE)],
    });
    expect(perDomain).toBe(105n);
  });
});
