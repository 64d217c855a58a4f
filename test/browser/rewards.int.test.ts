import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../src/auth/actor.ts';
import { portfolioTokenAbi } from '../../src/rewards/chain/artifacts/portfolio-token.ts';
import { ensureTokenDeployed } from '../../src/rewards/chain/deploy-token.ts';
import { DEV_PRIVATE_KEYS } from '../../src/rewards/chain/edr-provider.ts';
import { type ChainHandle, openChain } from '../../src/rewards/chain/open-chain.ts';
import { bookRewardsForEvents } from '../../src/rewards/ledger/book-rewards.ts';
import { publishPending } from '../../src/rewards/relayer/publish-pending.ts';
import { reconcileLedger } from '../../src/rewards/relayer/reconcile-ledger.ts';
import type { RelayerChain } from '../../src/rewards/relayer/relayer-chain.ts';
import { domainIdOf, txIdOf } from '../../src/rewards/rules/chain-ids.ts';
import { ONE_PTF } from '../../src/rewards/rules/token-constants.ts';
import { upsertVerifiedWallet } from '../../src/rewards/wallets/wallets.sql.ts';
import { startTestServer } from '../../src/test-support/test-server.ts';
import { launchChromium } from './chromium.ts';
import { addAnalyst, DashboardFixture, ensureDashboardBuilt, expectText } from './dashboard-fixture.ts';
import { onPglite } from './tracker-fixture.ts';

// The rewards page over a ledger booked by the real fold from events sent to the events API, under
// the example portfolio's rewards rules, with the token on an embedded chain, the relayer run and a
// reconciliation recorded. Alice buys for €120 on the shop (120 PTF) and links a wallet; Bob rides
// 42 AI-coached km on fixie.run (42 + 5 % = 44.1 PTF); Carol releases 3 tracks on rhymechain.win (3 PTF).

const SHOP = 'adaptogenic-mushrooms.com';
const RIDE = 'fixie.run';
const MUSIC = 'rhymechain.win';
const DAY_MS = 86_400_000;
const aliceWallet = privateKeyToAccount(DEV_PRIVATE_KEYS[3] as Hex).address.toLowerCase() as Hex;

const attr = (page: Page, selector: string, name = 'data-ptf') =>
  page.locator(selector).first().getAttribute(name);

onPglite('the rewards page in a browser', () => {
  const fx = new DashboardFixture();
  let chain: ChainHandle;
  let relayerChain: RelayerChain;
  let alice: string;
  const system = () => ({ db: fx.s.db, actor: systemActor('test'), now: new Date() });
  const api = async (path: string, token = fx.s.ownerToken) => {
    const res = await fx.s.request('GET', path, { token });
    expect(res.status, path).toBe(200);
    return res.json;
  };
  const send = async (domain: string, events: object[]) => {
    const res = await fx.s.request('POST', '/api/v1/events', {
      token: fx.s.ownerToken,
      body: { domain, events },
    });
    expect(res.status).toBe(202);
  };

  beforeAll(async () => {
    await ensureDashboardBuilt();
    fx.s = await startTestServer();
    const at = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
    await send(SHOP, [
      {
        name: 'Purchase',
        userId: 'alice',
        occurredAt: at(3),
        revenue: { amount: '120.00', currency: 'EUR' },
      },
    ]);
    await send(RIDE, [
      { name: 'Ride Recorded', userId: 'bob', occurredAt: at(2), props: { km: 42, ai_optimized: true } },
    ]);
    await send(
      MUSIC,
      [5, 4, 1].map((days) => ({ name: 'Track Released', userId: 'carol', occurredAt: at(days) })),
    );
    const booked = await bookRewardsForEvents({
      ctx: system(),
      input: { rewards: fx.s.portfolio.current()?.portfolio.rewards },
    });
    expect(booked.rewarded).toBe(5);

    // The token on an embedded chain kept in the server's database; Alice's rewards published.
    alice = (
      await fx.s.db.query<{ user_id: string }>(
        "SELECT user_id FROM user_external_ids WHERE external_id = 'alice'",
      )
    ).rows[0]?.user_id as string;
    await upsertVerifiedWallet(fx.s.db, {
      address: aliceWallet,
      userId: alice,
      chainId: 31337,
      now: new Date(),
    });
    chain = await openChain({ settings: { chain: 'embedded', chainRpcTimeoutSeconds: 20 }, db: fx.s.db });
    const hosts = [SHOP, RIDE, MUSIC].map((host) => ({ host }));
    const { deployment } = await ensureTokenDeployed(fx.s.db, chain, { domains: hosts });
    relayerChain = { ...chain, tokenAddress: deployment.address };
    for (let run = 0; run < 5; run++) {
      const result = await publishPending({ ctx: system(), input: { chain: relayerChain } });
      if (run > 0 && result.batchesSent === 0 && result.confirmed === 0) break;
    }
    expect((await reconcileLedger({ ctx: system(), input: { chain: relayerChain } })).status).toBe('ok');
    fx.browser = await launchChromium();
  });
  afterAll(async () => {
    await fx.browser?.close();
    await chain?.close();
    await fx.s?.close();
  });

  it('shows the supply, by-domain issuance, top user and token as the API answers them', async () => {
    const summary = await api('/api/v1/rewards/summary?period=30d&tz=UTC&top=10');
    expect(summary.totals.issued.ptf).toBe('167.1');
    const token = await api('/api/v1/rewards/token');

    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/');
    await page.getByRole('link', { name: 'Rewards' }).click();
    await page.waitForURL(/\/rewards$/);
    await expectText(page, '[data-testid=rewards-issued]', '167.1');
    expect(await attr(page, '[data-testid=rewards-issued] [data-ptf]')).toBe(summary.totals.issued.ptf);
    await expectText(page, '[data-testid=rewards-holders]', String(summary.totals.holders));
    expect(summary.totals.holders).toBe(3);

    // Supply: the treasury's 200,000,000 PTF plus what the ledger issued, against the cap.
    expect(await attr(page, '[data-testid=supply-cap] td:last-child')).toBe('1000000000');
    expect(await attr(page, '[data-testid=supply-issued] td:last-child')).toBe(summary.totals.issued.ptf);
    await expectText(page, '[data-testid=supply-ledger] td:last-child', '200,000,167.1 PTF');
    if (token.available && token.token?.onChain)
      expect(await attr(page, '[data-testid=supply-chain] td:last-child')).toBe(
        token.token.onChain.totalSupply.ptf,
      );
    else expect(await page.getByTestId('token-unavailable').textContent()).toContain(token.reason);

    // Per domain: the rows add up the API's byDay; the chart draws one stack per domain.
    const perDomain = new Map<string, bigint>();
    for (const r of summary.byDay)
      perDomain.set(r.domain, (perDomain.get(r.domain) ?? 0n) + BigInt(r.issued.wei));
    expect(Object.fromEntries([...perDomain].map(([h, w]) => [h, w.toString()]))).toEqual({
      [SHOP]: (120n * ONE_PTF).toString(),
      [RIDE]: ((441n * ONE_PTF) / 10n).toString(),
      [MUSIC]: (3n * ONE_PTF).toString(),
    });
    const rows = page.locator('[data-testid=rewards-domains] tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-host')))).toEqual([
      SHOP,
      RIDE,
      MUSIC,
    ]);
    await expectText(
      page,
      `[data-testid=rewards-domains] tr[data-host="${RIDE}"] [data-testid=domain-issued]`,
      '44.1',
    );
    await expectText(
      page,
      `[data-testid=rewards-domains] tr[data-host="${MUSIC}"] [data-testid=domain-rewards]`,
      '3',
    );
    await page.locator('[data-testid=rewards-chart] svg rect[fill]').first().waitFor();

    // Top user: Alice, 120 PTF, bronze (silver starts at 500).
    const top = page.locator('[data-testid=top-users] tbody tr').first();
    expect(await top.getAttribute('data-user')).toBe(summary.topUsers[0].userId);
    expect(summary.topUsers[0]).toMatchObject({ userId: alice, tier: 'bronze', balance: { ptf: '120' } });
    expect(await top.getByTestId('user-balance').textContent()).toBe('120');
    expect(await top.getByTestId('user-tier').textContent()).toBe('bronze');

    // The relayer published Alice's reward; Bob and Carol wait for a wallet; the chain agrees.
    const relayer = await api('/api/v1/rewards/relayer');
    expect(relayer.relayer.queue).toMatchObject({ confirmed: 1, awaiting_wallet: 4 });
    await expectText(page, '[data-testid=queue-confirmed]', '1');
    await expectText(page, '[data-testid=queue-awaiting_wallet]', '4');
    expect(await page.locator('[data-testid=relayer-batches] tbody tr').getAttribute('data-status')).toBe(
      'confirmed',
    );
    await expectText(page, '[data-testid=reconciliation-status]', 'In agreement');
    expect(await page.getByTestId('reconciliation-status').getAttribute('data-status')).toBe('ok');
    await fx.screenshot(page, 'rewards');
    await context.close();

    const phone = await fx.newPage({ width: 390, height: 844 });
    await fx.logIn(phone.page, fx.s.ownerToken, '/rewards');
    await phone.page.locator('[data-testid=rewards-chart] svg').waitFor();
    await expectText(phone.page, '[data-testid=reconciliation-status]', 'In agreement');
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await fx.screenshot(phone.page, 'rewards-phone');
    await phone.context.close();
  });

  it("shows an operator limited to fixie.run only that domain's figures", async () => {
    const token = await addAnalyst(fx.s, 'rewards-ride@example.com', [RIDE]);
    const summary = await api('/api/v1/rewards/summary?period=30d&tz=UTC&top=10', token);
    expect(summary.totals.issued.ptf).toBe('44.1');
    const { context, page } = await fx.newPage();
    await fx.logIn(page, token, '/rewards');
    await expectText(page, '[data-testid=rewards-issued]', '44.1');
    expect(await attr(page, '[data-testid=supply-issued] td:last-child')).toBe('44.1');
    expect(await page.getByTestId('supply-ledger').count()).toBe(0); // no portfolio total from one domain
    const hosts = await page
      .locator('[data-testid=rewards-domains] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-host')));
    expect(hosts).toEqual([RIDE]);
    const users = page.locator('[data-testid=top-users] tbody tr');
    expect(await users.count()).toBe(1);
    expect(await users.first().getAttribute('data-user')).toBe(summary.topUsers[0].userId);
    expect(await users.first().getByTestId('user-balance').textContent()).toBe('44.1');
    await page.getByTestId('token-no-access').waitFor();
    await expectText(page, '[data-testid=queue-awaiting_wallet]', '1');
    await expectText(page, '[data-testid=queue-confirmed]', '0');
    await fx.screenshot(page, 'rewards-limited');
    await context.close();
  });

  it('turns the reconciliation red and lists the user when the chain differs from the ledger', async () => {
    // 5 PTF minted to Alice's wallet under a txId no ledger transaction has.
    const hash = await chain.walletClient.writeContract({
      address: relayerChain.tokenAddress,
      abi: portfolioTokenAbi,
      functionName: 'distributeDomainRewards',
      args: [aliceWallet, domainIdOf(SHOP), 5n * ONE_PTF, false, txIdOf(randomUUID())],
    });
    expect((await chain.waitForReceipt(hash)).status).toBe('success');
    const later = { ...system(), now: new Date(Date.now() + 1000) }; // runs are read newest first
    expect((await reconcileLedger({ ctx: later, input: { chain: relayerChain } })).status).toBe(
      'differences',
    );

    const { context, page } = await fx.newPage();
    await fx.logIn(page, fx.s.ownerToken, '/rewards');
    await expectText(page, '[data-testid=reconciliation-status]', '2 differences'); // Alice and the supply
    const row = page.locator(`[data-testid=reconciliation-differences] tr[data-user="${alice}"]`);
    expect(await row.getByTestId('chain-earned').textContent()).toBe('125');
    await page.getByTestId('supply-differs').waitFor();
    await fx.screenshot(page, 'rewards-differences');
    await context.close();
  });

  it('shows how to start when no reward is booked yet', async () => {
    const empty = await startTestServer({
      editPortfolio: (yaml) => yaml.replace(/\nrewards:[\s\S]*$/, '\n'),
    });
    try {
      const { context, page } = await fx.newPage();
      await page.goto(`${empty.url}/rewards`);
      await page.getByLabel('Login token').fill(empty.ownerToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('rewards-empty').waitFor();
      expect(await page.getByTestId('rewards-empty').textContent()).toContain('add rules under rewards:');
      await expectText(page, '[data-testid=rewards-issued]', '0');
      await page
        .locator('[data-testid=rewards-reconciliation]', { hasText: 'No reconciliation yet' })
        .waitFor();
      await context.close();
    } finally {
      await empty.close();
    }
  });

  it('ran every page above without a script error or a content security policy violation', () => {
    expect(fx.pageErrors).toEqual([]);
  });
});
