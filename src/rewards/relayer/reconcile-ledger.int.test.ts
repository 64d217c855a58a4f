import type { Address } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { fold, HOSTS, insertEvents, insertUser, systemCtx } from '../ledger/ledger-fixture.ts';
import { redeemPoints } from '../ledger/redeem-points.ts';
import { ONE_PTF } from '../rules/token-constants.ts';
import { relayerAlertSeries } from './alert-metrics.ts';
import { publishPending } from './publish-pending.ts';
import { readLastReconciliation } from './read-reconciliation.ts';
import { reconcileLedger } from './reconcile-ledger.ts';
import {
  confirmedTotals,
  linkTestWallet,
  randomWallet,
  relayerCtx,
  startRpcProxy,
  startTestChain,
  type TestChain,
} from './relayer.test-support.ts';

describeIntegration('reconciliation (reconcileLedger): the token against the ledger', () => {
  let db: Db;
  let t: TestChain;
  let d: Record<string, string>;
  const users: { id: string; wallet: Address }[] = [];

  beforeAll(async () => {
    db = await createTestDb();
    d = await insertDomains(db, HOSTS);
    t = await startTestChain(['shop.example', 'ride.example', 'music.example']);
    const [shop, ride, music] = [d['shop.example'], d['ride.example'], d['music.example']] as [
      string,
      string,
      string,
    ];
    for (const domains of [[shop], [ride], [music], [music]] as string[][]) {
      const id = await insertUser(db, domains);
      users.push({ id, wallet: await linkTestWallet(db, id) });
    }
    const [a, b, c] = users.map((u) => u.id) as [string, string, string];
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: a, at: '2026-11-20T10:00:00Z', valueEur: '30' },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: b,
        at: '2026-11-20T10:01:00Z',
        props: { km: 9, ai: true },
      },
      { domainId: music, name: 'Track Released', userId: c, at: '2026-11-20T10:02:00Z' },
      { domainId: shop, name: 'Purchase', userId: c, at: '2026-11-20T10:03:00Z', valueEur: '1' },
    ]);
    await fold(db);
    await redeemPoints({
      ctx: systemCtx(db),
      input: { userId: b, domain: 'ride.example', amount: '2', idempotencyKey: 'r-1' },
    });
    expect(await publishPending({ ctx: relayerCtx(db), input: { chain: t.chain() } })).toMatchObject({
      confirmed: 5,
      failed: 0,
    });
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  const reconcile = (chain = t.chain()) => reconcileLedger({ ctx: relayerCtx(db), input: { chain } });
  const metric = async () =>
    (await relayerAlertSeries(db, new Date())).find((s) => s.metric === 'reconciliation_differences')?.value;

  it('finds no difference when the token mirrors the ledger', async () => {
    expect(await metric()).toBeUndefined(); // no run yet: no series, no alert
    const result = await reconcile();
    expect(result).toMatchObject({
      status: 'ok',
      usersChecked: 4,
      differences: 0,
      users: [],
      supplyDiffers: false,
    });
    const b = users[1] as { id: string; wallet: Address };
    expect((await confirmedTotals(db, b.id)).redeemed).toBe(2n * ONE_PTF);
    expect(await metric()).toBe(0);
    const read = await readLastReconciliation({ ctx: relayerCtx(db), input: { differences: 50 } });
    expect(read.last).toMatchObject({ id: result.runId, status: 'ok', usersChecked: 4, differences: 0 });
    expect(read.last?.supply).toMatchObject({ differs: false });
    expect(read.differences).toEqual([]);
  });

  it('reports a user (and the supply) when tokens are minted on-chain bypassing the ledger', async () => {
    const a = users[0] as { id: string; wallet: Address };
    const ledger = await confirmedTotals(db, a.id);
    await t.mintBypassingLedger(a.wallet, 'shop.example', 5n * ONE_PTF);

    const result = await reconcile();
    expect(result).toMatchObject({ status: 'differences', differences: 2, supplyDiffers: true });
    expect(result.users).toEqual([
      {
        userId: a.id,
        wallet: a.wallet,
        ledgerEarnedWei: ledger.earned.toString(),
        ledgerEarnedInFlightWei: '0',
        chainEarnedWei: (ledger.earned + 5n * ONE_PTF).toString(),
        ledgerRedeemedWei: '0',
        ledgerRedeemedInFlightWei: '0',
        chainRedeemedWei: '0',
      },
    ]);
    expect(await metric()).toBe(2);
    const read = await readLastReconciliation({ ctx: relayerCtx(db), input: { differences: 50 } });
    expect(read.differences.map((x) => [x.userId, x.chainEarned.ptf])).toEqual([
      [a.id, ((ledger.earned + 5n * ONE_PTF) / ONE_PTF).toString()],
    ]);

    // A music-only analyst does not see user a (active on shop only), nor its difference.
    const analyst: Actor = {
      kind: 'operator',
      operatorId: '00000000-0000-4000-8000-000000000002',
      email: 'music@example.test',
      role: 'analyst',
      scope: { kind: 'domains', domainIds: [d['music.example'] as string] },
    };
    const scoped = await readLastReconciliation({
      ctx: { db, actor: analyst, now: new Date() },
      input: { differences: 50 },
    });
    expect(scoped.lastCompleted?.differences).toBe(2);
    expect(scoped.differences).toEqual([]);
    const shopAnalyst: Actor = {
      ...analyst,
      scope: { kind: 'domains', domainIds: [d['shop.example'] as string] },
    };
    const shopView = await readLastReconciliation({
      ctx: { db, actor: shopAnalyst, now: new Date() },
      input: { differences: 50 },
    });
    expect(shopView.differences.map((x) => x.userId)).toEqual([a.id]);
  });

  it('counts a transaction sent but not yet confirmed as in flight, not as a difference', async () => {
    const e = await insertUser(db, [d['music.example'] as string]);
    const wallet = await linkTestWallet(db, e);
    await insertEvents(db, [
      {
        domainId: d['music.example'] as string,
        name: 'Track Released',
        userId: e,
        at: '2026-11-21T09:00:00Z',
      },
    ]);
    await fold(db);
    const crash = (step: string) => {
      if (step === 'sent') throw new Error('crash');
    };
    await expect(
      publishPending({ ctx: relayerCtx(db), input: { chain: t.chain(), onStep: crash } }),
    ).rejects.toThrow('crash');
    expect(await t.rewardsOf(wallet)).toBe(10n * ONE_PTF);

    const inFlight = await reconcile();
    expect(inFlight.users.map((u) => u.userId)).toEqual([users[0]?.id]); // still only a
    await publishPending({ ctx: relayerCtx(db), input: { chain: t.chain() } });
    expect((await reconcile()).users.map((u) => u.userId)).toEqual([users[0]?.id]);
  });

  it('records a run that could not read the chain; the alert keeps the last complete result', async () => {
    const rpc = await startRpcProxy(t.provider);
    try {
      rpc.mode = 'down';
      const failed = await reconcile(t.chainOverHttp(rpc.url));
      expect(failed).toMatchObject({ status: 'error', usersChecked: 0 });
      expect(failed.error).toMatch(/^rpc: /);
    } finally {
      await rpc.close();
    }
    const read = await readLastReconciliation({ ctx: relayerCtx(db), input: { differences: 50 } });
    expect(read.last?.status).toBe('error');
    expect(read.lastCompleted).toMatchObject({ status: 'differences', differences: 2 });
    expect(await metric()).toBe(2);
  });

  it('reads many users with bounded parallel calls', async () => {
    const many = 300;
    const ids = await db.query<{ id: string }>(
      'INSERT INTO users (email) SELECT NULL FROM generate_series(1, $1) RETURNING id',
      [many],
    );
    await db.query(
      `INSERT INTO user_wallets (address, user_id, chain_id, verified_at)
       SELECT unnest($1::text[]), unnest($2::uuid[]), 31337, now()`,
      [ids.rows.map(() => randomWallet()), ids.rows.map((r) => r.id)],
    );
    const started = performance.now();
    const result = await reconcile();
    const ms = performance.now() - started;
    expect(result.usersChecked).toBe(users.length + 1 + many);
    expect(result.users.map((u) => u.userId)).toEqual([users[0]?.id]);
    // In-process chain: a few ms per user at most (a remote RPC adds its round trips / concurrency).
    expect(ms).toBeLessThan(20 * many);
  });
});
