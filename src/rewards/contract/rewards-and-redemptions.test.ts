// PortfolioToken on a real EVM (EDR): idempotency per txId, both bonuses to the wei, the cap
// (all-or-nothing with bonuses) and the bounds of redemption, with the events each call emits.
import { type Hex, type PrivateKeyAccount, zeroAddress, zeroHash } from 'viem';
import { beforeAll, describe, expect, it } from 'vitest';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import { MAX_SUPPLY, ONE_PTF, TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import type { TokenCall } from './contract-model.ts';
import {
  batchEntry,
  expectRevert,
  redeemCall,
  rewardCall,
  setUpTokenFixture,
  txId,
} from './token-calls.test-support.ts';
import type { TokenCast, TokenHarness } from './token-harness.ts';

const HOSTS = ['adaptogenic-mushrooms.com', 'fixie.run', 'rhymechain.win', 'seobiz.be', 'affinitylove.eu'];
const [SHOP, FIXIE, RHYME, SEO, DATING] = HOSTS as [string, string, string, string, string];
const PTF = ONE_PTF;

const fixture = setUpTokenFixture(HOSTS);
let h: TokenHarness;
let cast: TokenCast;
let alice: PrivateKeyAccount;
let bob: PrivateKeyAccount;
beforeAll(() => {
  ({ h, cast } = fixture);
  [alice, bob] = cast.users as [PrivateKeyAccount, PrivateKeyAccount];
});

const view = (functionName: 'rewardsOf' | 'redeemedOf' | 'balanceOf' | 'rewardedDomainCount', user: Hex) =>
  h.publicClient.readContract({ address: h.address, abi: portfolioTokenAbi, functionName, args: [user] });
const totalSupply = () =>
  h.publicClient.readContract({ address: h.address, abi: portfolioTokenAbi, functionName: 'totalSupply' });
const processed = (tx: Hex) =>
  h.publicClient.readContract({
    address: h.address,
    abi: portfolioTokenAbi,
    functionName: 'processed',
    args: [tx],
  });
const pay = (call: TokenCall) => h.mustExecute(cast.relayer, call);

describe('idempotency per txId', () => {
  it('reverts a second single reward with the same txId and pays once', async () => {
    await pay(rewardCall(alice, FIXIE, 10n * PTF, false, txId(1)));
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, SEO, 99n, true, txId(1))),
      'TxAlreadyProcessed',
      [txId(1)],
    );
    expect(await view('balanceOf', alice.address)).toBe(10n * PTF);
    expect(await processed(txId(1))).toBe(true);
    expect(await processed(txId(2))).toBe(false);
  });

  it('skips processed txIds in a batch (earlier or within the batch) and a retried batch pays nothing', async () => {
    await pay(rewardCall(alice, FIXIE, 1n * PTF, false, txId(1)));
    const batch: TokenCall = {
      functionName: 'distributeDomainRewardsBatch',
      args: [
        [
          batchEntry(alice, FIXIE, 1n * PTF, false, txId(1)),
          batchEntry(alice, FIXIE, 2n * PTF, false, txId(5)),
          batchEntry(bob, SEO, 3n * PTF, false, txId(5)),
          batchEntry(bob, SEO, 4n * PTF, false, txId(6)),
        ],
      ],
    };
    const first = await pay(batch);
    expect(first.events.map((e) => [e.eventName, e.args.txId ?? e.args.value])).toEqual([
      ['RewardSkipped', txId(1)],
      ['Transfer', 2n * PTF],
      ['RewardDistributed', txId(5)],
      ['RewardSkipped', txId(5)],
      ['Transfer', 4n * PTF],
      ['RewardDistributed', txId(6)],
    ]);
    const retried = await pay(batch);
    expect(retried.events.map((e) => e.eventName)).toEqual(Array(4).fill('RewardSkipped'));
    expect(await view('balanceOf', alice.address)).toBe(3n * PTF);
    expect(await view('balanceOf', bob.address)).toBe(4n * PTF);
  });

  it('reverts a whole batch on any invalid entry other than a duplicate, and an empty batch', async () => {
    const batch = (second: ReturnType<typeof batchEntry>): TokenCall => ({
      functionName: 'distributeDomainRewardsBatch',
      args: [[batchEntry(alice, FIXIE, PTF, false, txId(1)), second]],
    });
    expectRevert(
      await h.execute(cast.relayer, batch(batchEntry(bob, 'closed.example', PTF, false, txId(2)))),
      'DomainNotActive',
    );
    expectRevert(
      await h.execute(cast.relayer, batch({ ...batchEntry(bob, SEO, PTF, false, txId(2)), amount: 0n })),
      'ZeroAmount',
    );
    expectRevert(
      await h.execute(
        cast.relayer,
        batch({ ...batchEntry(bob, SEO, PTF, false, txId(2)), user: zeroAddress }),
      ),
      'ZeroAddress',
    );
    expectRevert(
      await h.execute(cast.relayer, batch({ ...batchEntry(bob, SEO, PTF, false, txId(2)), txId: zeroHash })),
      'ZeroTxId',
    );
    expectRevert(
      await h.execute(cast.relayer, { functionName: 'distributeDomainRewardsBatch', args: [[]] }),
      'EmptyBatch',
    );
    expect(await processed(txId(1))).toBe(false);
    expect(await view('balanceOf', alice.address)).toBe(0n);
  });

  it('shares one txId space between rewards and redemptions', async () => {
    await pay(rewardCall(alice, FIXIE, 10n, false, txId(1)));
    expectRevert(await h.execute(cast.relayer, redeemCall(alice, FIXIE, 1n, txId(1))), 'TxAlreadyProcessed');
    await pay(redeemCall(alice, FIXIE, 1n, txId(2)));
    expectRevert(await h.execute(cast.relayer, redeemCall(alice, FIXIE, 1n, txId(2))), 'TxAlreadyProcessed', [
      txId(2),
    ]);
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, FIXIE, 1n, false, txId(2))),
      'TxAlreadyProcessed',
    );
    expect(await view('redeemedOf', alice.address)).toBe(1n);
  });

  it('refuses zero user, amount and txId on single rewards', async () => {
    const call = rewardCall(alice, FIXIE, 1n, false, txId(1));
    const [user, domain, amount, ai, tx] = call.args;
    const variant = (args: typeof call.args): TokenCall => ({
      functionName: 'distributeDomainRewards',
      args,
    });
    expectRevert(
      await h.execute(cast.relayer, variant([zeroAddress, domain, amount, ai, tx])),
      'ZeroAddress',
    );
    expectRevert(await h.execute(cast.relayer, variant([user, domain, 0n, ai, tx])), 'ZeroAmount');
    expectRevert(await h.execute(cast.relayer, variant([user, domain, amount, ai, zeroHash])), 'ZeroTxId');
  });
});

describe('bonuses', () => {
  it('adds 5 % (rounded down) to an AI-optimised reward', async () => {
    const { events } = await pay(rewardCall(alice, FIXIE, 100n * PTF, true, txId(1)));
    expect(events).toEqual([
      { eventName: 'Transfer', args: { from: zeroAddress, to: alice.address, value: 105n * PTF } },
      {
        eventName: 'RewardDistributed',
        args: {
          user: alice.address,
          domainId: domainIdOf(FIXIE),
          txId: txId(1),
          baseAmount: 100n * PTF,
          aiBonus: 5n * PTF,
          milestoneBonus: 0n,
        },
      },
    ]);
    await pay(rewardCall(alice, FIXIE, 19n, true, txId(2)));
    await pay(rewardCall(alice, FIXIE, 39n, true, txId(3)));
    expect(await view('rewardsOf', alice.address)).toBe(105n * PTF + 19n + 40n);
  });

  it('pays the milestone once per new domain count from the 3rd domain, capped at 1,000 PTF', async () => {
    await pay(rewardCall(alice, SHOP, 10n * PTF, false, txId(1)));
    const second = await pay(rewardCall(alice, FIXIE, 10n * PTF, false, txId(2)));
    expect(second.events.map((e) => e.eventName)).toEqual(['Transfer', 'RewardDistributed']);

    // 3rd domain: reward 105 PTF (with AI) → bonus 105 × 3 / 10 = 31.5 PTF.
    const third = await pay(rewardCall(alice, RHYME, 100n * PTF, true, txId(3)));
    const bonus3 = (315n * PTF) / 10n;
    expect(third.events).toEqual([
      { eventName: 'CrossDomainMilestone', args: { user: alice.address, domainCount: 3n, bonus: bonus3 } },
      { eventName: 'Transfer', args: { from: zeroAddress, to: alice.address, value: 105n * PTF + bonus3 } },
      {
        eventName: 'RewardDistributed',
        args: {
          user: alice.address,
          domainId: domainIdOf(RHYME),
          txId: txId(3),
          baseAmount: 100n * PTF,
          aiBonus: 5n * PTF,
          milestoneBonus: bonus3,
        },
      },
    ]);

    // More activity on known domains never pays it again (the seed paid it on every reward).
    const repeat = await pay(rewardCall(alice, RHYME, 100n * PTF, false, txId(4)));
    const known = await pay(rewardCall(alice, SHOP, 100n * PTF, false, txId(5)));
    for (const { events } of [repeat, known])
      expect(events.map((e) => e.eventName)).not.toContain('CrossDomainMilestone');

    // 4th domain: 10,000 PTF × 4 / 10 = 4,000 PTF, capped at 1,000 PTF.
    const fourth = await pay(rewardCall(alice, SEO, 10_000n * PTF, false, txId(6)));
    expect(fourth.events[0]).toEqual({
      eventName: 'CrossDomainMilestone',
      args: { user: alice.address, domainCount: 4n, bonus: 1_000n * PTF },
    });

    // A deactivated and re-registered domain is still the same domain: no new count, no bonus.
    await h.mustExecute(cast.admin, { functionName: 'deactivateDomain', args: [domainIdOf(SEO)] });
    await h.mustExecute(cast.admin, { functionName: 'registerDomain', args: [domainIdOf(SEO), SEO] });
    const again = await pay(rewardCall(alice, SEO, 10n * PTF, false, txId(7)));
    expect(again.events.map((e) => e.eventName)).toEqual(['Transfer', 'RewardDistributed']);

    const earned = 10n + 10n + 105n + 100n + 100n + 10_000n + 10n;
    expect(await view('rewardsOf', alice.address)).toBe(earned * PTF + bonus3 + 1_000n * PTF);
    expect(await view('rewardedDomainCount', alice.address)).toBe(4n);
    let perDomain = 0n;
    for (const host of HOSTS) {
      perDomain += await h.publicClient.readContract({
        address: h.address,
        abi: portfolioTokenAbi,
        functionName: 'domainRewardsOf',
        args: [alice.address, domainIdOf(host)],
      });
    }
    expect(perDomain).toBe(await view('rewardsOf', alice.address));
    expect(await view('rewardedDomainCount', bob.address)).toBe(0n);
  });
});

describe('cap', () => {
  const remaining = MAX_SUPPLY - TREASURY_ALLOCATION;

  it('reverts a reward above the whole cap, and a mint crossing the cap with ERC20ExceededCap', async () => {
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, FIXIE, MAX_SUPPLY + 1n, false, txId(1))),
      'AmountAboveCap',
      [MAX_SUPPLY + 1n, MAX_SUPPLY],
    );
    await pay(rewardCall(bob, FIXIE, remaining - 100n * PTF, false, txId(1)));
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, FIXIE, 101n * PTF, false, txId(2))),
      'ERC20ExceededCap',
      [MAX_SUPPLY + PTF, MAX_SUPPLY],
    );
    await pay(rewardCall(alice, FIXIE, 100n * PTF, false, txId(2)));
    expect(await totalSupply()).toBe(MAX_SUPPLY);
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, FIXIE, 1n, false, txId(3))),
      'ERC20ExceededCap',
      [MAX_SUPPLY + 1n, MAX_SUPPLY],
    );
    // Burning makes room again.
    await pay(redeemCall(alice, FIXIE, 1n, txId(4)));
    await pay(rewardCall(alice, FIXIE, 1n, false, txId(3)));
  });

  it('is all-or-nothing: a reward whose bonuses cross the cap changes nothing', async () => {
    await pay(rewardCall(alice, SHOP, PTF, false, txId(1)));
    await pay(rewardCall(alice, FIXIE, PTF, false, txId(2)));
    await pay(rewardCall(bob, FIXIE, remaining - 2n * PTF - 100n * PTF, false, txId(3)));
    // 90 PTF fits under the cap, but its milestone (27 PTF) does not.
    expectRevert(
      await h.execute(cast.relayer, rewardCall(alice, RHYME, 90n * PTF, false, txId(4))),
      'ERC20ExceededCap',
      [MAX_SUPPLY + 17n * PTF, MAX_SUPPLY],
    );
    expect(await processed(txId(4))).toBe(false);
    expect(await view('rewardedDomainCount', alice.address)).toBe(2n);
    expect(await view('rewardsOf', alice.address)).toBe(2n * PTF);

    const batch: TokenCall = {
      functionName: 'distributeDomainRewardsBatch',
      args: [[batchEntry(alice, SEO, PTF, false, txId(5)), batchEntry(bob, SEO, 100n * PTF, false, txId(6))]],
    };
    expectRevert(await h.execute(cast.relayer, batch), 'ERC20ExceededCap');
    expect(await processed(txId(5))).toBe(false);

    await pay(rewardCall(alice, RHYME, 70n * PTF, false, txId(4))); // 70 + 21 = 91 PTF fits
    expect(await totalSupply()).toBe(MAX_SUPPLY - 9n * PTF);
  });
});

describe('redemption', () => {
  it('burns at most what the user earned and has not redeemed yet', async () => {
    await pay(rewardCall(alice, FIXIE, 100n * PTF, true, txId(1)));
    expectRevert(
      await h.execute(cast.relayer, redeemCall(alice, FIXIE, 106n * PTF, txId(2))),
      'RedemptionExceedsRedeemable',
      [alice.address, 106n * PTF, 105n * PTF],
    );
    const { events } = await pay(redeemCall(alice, SEO, 100n * PTF, txId(2)));
    expect(events).toEqual([
      { eventName: 'Transfer', args: { from: alice.address, to: zeroAddress, value: 100n * PTF } },
      {
        eventName: 'Redeemed',
        args: { user: alice.address, domainId: domainIdOf(SEO), txId: txId(2), amount: 100n * PTF },
      },
    ]);
    expectRevert(
      await h.execute(cast.relayer, redeemCall(alice, FIXIE, 5n * PTF + 1n, txId(3))),
      'RedemptionExceedsRedeemable',
    );
    await pay(redeemCall(alice, FIXIE, 5n * PTF, txId(3)));
    expect(await view('redeemedOf', alice.address)).toBe(105n * PTF);
    expect(await view('balanceOf', alice.address)).toBe(0n);
    expect(await totalSupply()).toBe(TREASURY_ALLOCATION);
  });

  it('never burns tokens received by transfer, and is bounded by the balance', async () => {
    await h.mustExecute(cast.treasury, { functionName: 'transfer', args: [bob.address, 1_000n * PTF] });
    expectRevert(
      await h.execute(cast.relayer, redeemCall(bob, FIXIE, 1n, txId(1))),
      'RedemptionExceedsRedeemable',
      [bob.address, 1n, 0n],
    );
    await pay(rewardCall(alice, FIXIE, 100n, false, txId(2)));
    await h.mustExecute(alice, { functionName: 'transfer', args: [bob.address, 80n] });
    expectRevert(
      await h.execute(cast.relayer, redeemCall(alice, FIXIE, 50n, txId(3))),
      'ERC20InsufficientBalance',
      [alice.address, 20n, 50n],
    );
    await pay(redeemCall(alice, FIXIE, 20n, txId(3)));
    expect(await view('balanceOf', bob.address)).toBe(1_000n * PTF + 80n);
  });

  it('needs DOMAIN_ADMIN_ROLE, an active domain and non-zero inputs', async () => {
    await pay(rewardCall(alice, FIXIE, 100n, false, txId(1)));
    expectRevert(
      await h.execute(alice, redeemCall(alice, FIXIE, 1n, txId(2))),
      'AccessControlUnauthorizedAccount',
    );
    expectRevert(
      await h.execute(cast.relayer, redeemCall(alice, 'gone.example', 1n, txId(2))),
      'DomainNotActive',
    );
    expectRevert(await h.execute(cast.relayer, redeemCall(alice, FIXIE, 0n, txId(2))), 'ZeroAmount');
    expectRevert(await h.execute(cast.relayer, redeemCall(alice, FIXIE, 1n, zeroHash)), 'ZeroTxId');
    expectRevert(
      await h.execute(cast.relayer, {
        functionName: 'redeem',
        args: [zeroAddress, domainIdOf(FIXIE), 1n, txId(2)],
      }),
      'ZeroAddress',
    );
    expect(await view('redeemedOf', alice.address)).toBe(0n);
    void DATING;
  });
});
