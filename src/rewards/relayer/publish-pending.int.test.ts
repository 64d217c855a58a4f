import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { fold, HOSTS, insertEvents, insertUser, systemCtx } from '../ledger/ledger-fixture.ts';
import { redeemPoints } from '../ledger/redeem-points.ts';
import { TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import { relayerAlertSeries } from './alert-metrics.ts';
import { publishPending } from './publish-pending.ts';
import { readRelayerStatus } from './read-relayer-status.ts';
import {
  confirmedTotals,
  ledgerRows,
  linkTestWallet,
  relayerCtx,
  startTestChain,
  type TestChain,
} from './relayer.test-support.ts';
import { retryFailedEntries } from './retry-failed.ts';

// seo.example is a domain of the ledger but not (yet) of the token: its rewards revert DomainNotActive.
const ON_CHAIN = ['shop.example', 'ride.example', 'music.example'];

describeIntegration('relayer (publishPending) on a real EVM', () => {
  let db: Db;
  let t: TestChain;
  let d: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDb();
    d = await insertDomains(db, HOSTS);
    t = await startTestChain(ON_CHAIN);
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  const publish = (batchSize = 100, confirmations = 1, now = new Date()) =>
    publishPending({ ctx: relayerCtx(db, now), input: { chain: t.chain(confirmations), batchSize } });

  /** The whole ledger's confirmed rewards minus redemptions, which the token's supply must equal. */
  const ledgerSupply = async () => {
    const rows = (await ledgerRows(db)).filter((r) => r.chain_status === 'confirmed');
    return rows.reduce(
      (s, r) => s + (r.kind === 'reward' ? 1n : -1n) * BigInt(r.total_wei),
      TREASURY_ALLOCATION,
    );
  };

  it('publishes a batch of rewards in seq order per user: all confirmed, the chain equal to the ledger', async () => {
    const shop = d['shop.example'] as string;
    const ride = d['ride.example'] as string;
    const music = d['music.example'] as string;
    const [a, b, c, noWallet] = [
      await insertUser(db, [shop]),
      await insertUser(db, [ride]),
      await insertUser(db, [music]),
      await insertUser(db, [shop]),
    ];
    const wallets = {
      a: await linkTestWallet(db, a),
      b: await linkTestWallet(db, b),
      c: await linkTestWallet(db, c),
    };
    await insertEvents(db, [
      // a: three domains (the third pays the milestone), then a known domain again (no milestone).
      { domainId: shop, name: 'Purchase', userId: a, at: '2026-11-20T10:00:00Z', valueEur: '12.34' },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: a,
        at: '2026-11-20T10:01:00Z',
        props: { km: 7, ai: true },
      },
      { domainId: music, name: 'Track Released', userId: a, at: '2026-11-20T10:02:00Z' },
      { domainId: shop, name: 'Purchase', userId: a, at: '2026-11-20T10:03:00Z', valueEur: '5' },
      { domainId: ride, name: 'Ride Recorded', userId: b, at: '2026-11-20T10:04:00Z', props: { km: 3.5 } },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: b,
        at: '2026-11-20T10:05:00Z',
        props: { km: 1, ai: true },
      },
      { domainId: music, name: 'Track Released', userId: c, at: '2026-11-20T10:06:00Z' },
      { domainId: music, name: 'Track Released', userId: c, at: '2026-11-20T10:07:00Z' },
      { domainId: music, name: 'Track Released', userId: c, at: '2026-11-20T10:08:00Z' },
      { domainId: shop, name: 'Purchase', userId: noWallet, at: '2026-11-20T10:09:00Z', valueEur: '9' },
    ]);
    expect((await fold(db)).rewarded).toBe(10);
    expect((await ledgerRows(db, a)).find((r) => r.kind === 'reward')).toBeDefined();

    const supplyBefore = await t.totalSupply();
    const result = await publish(4);
    expect(result).toMatchObject({ ran: true, rpcUp: true, failed: 0, retried: 0, confirmed: 9 });
    // 9 entries in batches of at most 4.
    expect(result.batchesSent).toBe(3);

    for (const [user, wallet] of [
      [a, wallets.a],
      [b, wallets.b],
      [c, wallets.c],
    ] as const) {
      const rows = await ledgerRows(db, user);
      expect(rows.map((r) => r.chain_status)).toEqual(rows.map(() => 'confirmed'));
      for (const r of rows) expect(r.chain_tx_hash).toMatch(/^0x[0-9a-f]{64}$/);
      const ledger = await confirmedTotals(db, user);
      expect(await t.rewardsOf(wallet)).toBe(ledger.earned);
    }
    expect((await ledgerRows(db, noWallet)).map((r) => r.chain_status)).toEqual(['awaiting_wallet']);
    expect(await t.totalSupply()).toBe(await ledgerSupply());
    expect(await t.totalSupply()).toBeGreaterThan(supplyBefore);

    const batches = await db.query<{ status: string; entry_count: number; tx_hash: string | null }>(
      'SELECT status, entry_count, tx_hash FROM relayer_batches ORDER BY created_at',
    );
    expect(batches.rows.map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'confirmed']);
    expect(batches.rows.every((r) => r.entry_count <= 4 && r.tx_hash !== null)).toBe(true);

    // The user links a wallet: its waiting reward goes out at the next run.
    const late = await linkTestWallet(db, noWallet);
    expect(await publish()).toMatchObject({ confirmed: 1, awaitingWallet: 0 });
    expect(await t.rewardsOf(late)).toBe((await confirmedTotals(db, noWallet)).earned);
    expect(await t.totalSupply()).toBe(await ledgerSupply());
  });

  it('mirrors a redemption once the rewards before it are confirmed (redeemedOf)', async () => {
    const shop = d['shop.example'] as string;
    const u = await insertUser(db, [shop]);
    const wallet = await linkTestWallet(db, u);
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: '2026-11-21T10:00:00Z', valueEur: '40' },
    ]);
    await fold(db);
    await redeemPoints({
      ctx: systemCtx(db),
      input: { userId: u, domain: 'shop.example', amount: '15.5', idempotencyKey: 'order-1' },
    });
    // One run: the reward first, then (its confirmation seen) the redemption.
    const result = await publish();
    expect(result).toMatchObject({ confirmed: 2, failed: 0, batchesSent: 2 });
    const ledger = await confirmedTotals(db, u);
    expect(ledger.redeemed).toBe(15_500_000_000_000_000_000n);
    expect(await t.redeemedOf(wallet)).toBe(ledger.redeemed);
    expect(await t.rewardsOf(wallet)).toBe(ledger.earned);
    expect(await t.totalSupply()).toBe(await ledgerSupply());
  });

  it('fails entries the contract refuses for good, with the error; the user’s later ones wait; retry after the fix', async () => {
    const shop = d['shop.example'] as string;
    const seo = d['seo.example'] as string;
    const f = await insertUser(db, [seo, shop]);
    const g = await insertUser(db, [shop]);
    const [fWallet, gWallet] = [await linkTestWallet(db, f), await linkTestWallet(db, g)];
    await insertEvents(db, [
      { domainId: seo, name: 'Audit Run', userId: f, at: '2026-11-22T10:00:00Z' },
      { domainId: shop, name: 'Purchase', userId: f, at: '2026-11-22T10:01:00Z', valueEur: '3' },
      { domainId: shop, name: 'Purchase', userId: g, at: '2026-11-22T10:02:00Z', valueEur: '4' },
    ]);
    await fold(db);

    const first = await publish();
    expect(first).toMatchObject({ failed: 1, confirmed: 1, retried: 0 });
    const [fSeo, fShop] = await ledgerRows(db, f);
    expect(fSeo).toMatchObject({ chain_status: 'failed', chain_attempts: 1 });
    expect(fSeo?.chain_last_error).toMatch(/^DomainNotActive\(0x[0-9a-f]{64}\)$/);
    // Behind a failed reward of its user, not failed itself and not retried in a loop.
    expect(fShop).toMatchObject({ chain_status: 'pending', chain_attempts: 0 });
    expect((await ledgerRows(db, g)).map((r) => r.chain_status)).toEqual(['confirmed']);
    expect(await publish()).toMatchObject({ batchesSent: 0, failed: 0 });
    expect(await t.rewardsOf(fWallet)).toBe(0n);

    // Registered on the token and retried: published in order (seo first, shop second).
    await t.registerDomain('seo.example');
    const retried = await retryFailedEntries({ ctx: relayerCtx(db), input: {} });
    expect(retried.retried).toEqual([fSeo?.id]);
    expect(await publish()).toMatchObject({ confirmed: 2, failed: 0 });
    expect((await ledgerRows(db, f)).map((r) => r.chain_status)).toEqual(['confirmed', 'confirmed']);
    expect(await t.rewardsOf(fWallet)).toBe((await confirmedTotals(db, f)).earned);
    expect(await t.rewardsOf(gWallet)).toBe((await confirmedTotals(db, g)).earned);
    expect(await t.totalSupply()).toBe(await ledgerSupply());
  });

  it.each([2, 3])(
    'with confirmations = %i, entries stay submitted until the block is that deep',
    async (conf) => {
      const music = d['music.example'] as string;
      const u = await insertUser(db, [music]);
      const wallet = await linkTestWallet(db, u);
      await insertEvents(db, [
        { domainId: music, name: 'Track Released', userId: u, at: '2026-11-23T10:00:00Z' },
      ]);
      await fold(db);

      expect(await publish(100, conf)).toMatchObject({ batchesSent: 1, confirmed: 0 });
      expect(await t.rewardsOf(wallet)).toBe(10n * 10n ** 18n); // mined: depth 1
      for (let depth = 1; depth < conf; depth++) {
        expect((await ledgerRows(db, u)).map((r) => r.chain_status)).toEqual(['submitted']);
        expect(await publish(100, conf)).toMatchObject({ confirmed: 0, batchesSent: 0 });
        await t.mine(1);
      }
      expect(await publish(100, conf)).toMatchObject({ confirmed: 1, batchesSent: 0 });
      expect((await ledgerRows(db, u)).map((r) => r.chain_status)).toEqual(['confirmed']);
      expect(await t.relayerSends()).toBe(
        Number((await db.query('SELECT 1 FROM relayer_batches WHERE tx_hash IS NOT NULL')).rowCount),
      );
    },
  );

  it('a pause (or a missing role) is not a failure: the entries wait with backoff and go out after it', async () => {
    const shop = d['shop.example'] as string;
    const u = await insertUser(db, [shop]);
    const wallet = await linkTestWallet(db, u);
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: '2026-11-24T10:00:00Z', valueEur: '6' },
    ]);
    await fold(db);
    const now = new Date();
    // Paused between the simulation and the send: the transaction's estimation reverts EnforcedPause.
    const paused = await publishPending({
      ctx: relayerCtx(db, now),
      input: {
        chain: t.chain(),
        onStep: async (step) => {
          if (step === 'nonce') await t.harness.mustExecute(t.admin, { functionName: 'pause', args: [] });
        },
      },
    });
    expect(paused).toMatchObject({ retried: 1, failed: 0, batchesSent: 0 });
    const [row] = await ledgerRows(db, u);
    expect(row).toMatchObject({
      chain_status: 'pending',
      chain_attempts: 1,
      chain_last_error: 'EnforcedPause()',
    });
    expect(row?.chain_next_attempt_at?.getTime()).toBe(now.getTime() + 10_000);
    expect(await publish(100, 1, new Date(now.getTime() + 60_000))).toMatchObject({ retried: 1, failed: 0 });

    await t.harness.mustExecute(t.admin, { functionName: 'unpause', args: [] });
    expect(await publish(100, 1, new Date(now.getTime() + 120_000))).toMatchObject({ confirmed: 1 });
    expect(await t.rewardsOf(wallet)).toBe((await confirmedTotals(db, u)).earned);
  });

  it('sets aside the queued transactions of a user whose wallet was unlinked', async () => {
    const music = d['music.example'] as string;
    const u = await insertUser(db, [music]);
    const wallet = await linkTestWallet(db, u);
    await insertEvents(db, [
      { domainId: music, name: 'Track Released', userId: u, at: '2026-11-25T10:00:00Z' },
    ]);
    await fold(db);
    expect((await ledgerRows(db, u)).map((r) => r.chain_status)).toEqual(['pending']);
    await db.query('DELETE FROM user_wallets WHERE address = $1', [wallet]);
    expect(await publish()).toMatchObject({ awaitingWallet: 1, batchesSent: 0 });
    expect((await ledgerRows(db, u)).map((r) => r.chain_status)).toEqual(['awaiting_wallet']);
    expect(await t.rewardsOf(wallet)).toBe(0n);
  });

  it('does nothing while another relayer instance holds the lease', async () => {
    await db.query(
      "UPDATE relayer_state SET lease_owner = '00000000-0000-4000-8000-00000000beef', lease_until = now() + interval '1 minute'",
    );
    expect(await publish()).toMatchObject({ ran: false, rpcUp: null });
    await db.query('UPDATE relayer_state SET lease_owner = NULL, lease_until = NULL');
    expect(await publish()).toMatchObject({ ran: true, rpcUp: true });
  });

  it('reads the queue and recent batches for the dashboard, within the caller’s scope', async () => {
    const status = await readRelayerStatus({ ctx: relayerCtx(db), input: { recentBatches: 3 } });
    expect(status.rpc.up).toBe(true);
    // The unlinked user's reward waits for a wallet; it is not "pending" for the alert.
    expect(status.queue).toMatchObject({ pending: 0, submitted: 0, failed: 0, awaiting_wallet: 1 });
    expect(status.queue.confirmed).toBe(
      (await ledgerRows(db)).filter((r) => r.chain_status === 'confirmed').length,
    );
    expect(status.oldestPendingAt).toBeNull();
    expect(status.recentBatches).toHaveLength(3);
    expect(status.recentBatches[0]).toMatchObject({
      status: 'confirmed',
      txHash: expect.stringMatching(/^0x/),
    });

    const analyst: Actor = {
      kind: 'operator',
      operatorId: '00000000-0000-4000-8000-000000000001',
      email: 'analyst@example.test',
      role: 'analyst',
      scope: { kind: 'domains', domainIds: [d['music.example'] as string] },
    };
    const scoped = await readRelayerStatus({
      ctx: { db, actor: analyst, now: new Date() },
      input: { recentBatches: 100 },
    });
    const music = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ledger_transactions WHERE domain_id = $1 AND chain_status = 'confirmed'",
      [d['music.example']],
    );
    expect(scoped.queue.confirmed).toBe(music.rows[0]?.n);
    const all = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM relayer_batches');
    expect(scoped.recentBatches.length).toBeLessThan(all.rows[0]?.n ?? 0);

    const series = await relayerAlertSeries(db, new Date());
    expect(series).toEqual(
      expect.arrayContaining([
        { metric: 'relayer_rpc_up', value: 1 },
        { metric: 'relayer_oldest_pending_age', value: 0 },
        { metric: 'relayer_failed_entries', value: 0 },
      ]),
    );
  });
});
