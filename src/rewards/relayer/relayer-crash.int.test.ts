import type { Address, Hex } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { fold, HOSTS, insertEvents, insertUser } from '../ledger/ledger-fixture.ts';
import { TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import type { RelayerStep } from './advance-batch.ts';
import { publishPending } from './publish-pending.ts';
import {
  confirmedTotals,
  ledgerRows,
  linkTestWallet,
  relayerCtx,
  startTestChain,
  type TestChain,
} from './relayer.test-support.ts';

class SimulatedCrash extends Error {}

describeIntegration('relayer crash safety: a restarted relayer never mints twice', () => {
  let db: Db;
  let t: TestChain;
  let shop: string;
  let ride: string;

  beforeAll(async () => {
    db = await createTestDb();
    const d = await insertDomains(db, HOSTS);
    [shop, ride] = [d['shop.example'] as string, d['ride.example'] as string];
    t = await startTestChain(['shop.example', 'ride.example']);
  });
  afterAll(async () => {
    await t?.close();
    await db?.close();
  });

  /** Two users with three rewards each, booked and waiting for the relayer. */
  const bookRewards = async (day: string): Promise<{ users: string[]; wallets: Address[] }> => {
    const users = [await insertUser(db, [shop]), await insertUser(db, [ride])];
    const wallets = [
      await linkTestWallet(db, users[0] as string),
      await linkTestWallet(db, users[1] as string),
    ];
    const [u, v] = users as [string, string];
    await insertEvents(db, [
      { domainId: shop, name: 'Purchase', userId: u, at: `${day}T10:00:00Z`, valueEur: '10' },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: u,
        at: `${day}T10:01:00Z`,
        props: { km: 4, ai: true },
      },
      { domainId: shop, name: 'Purchase', userId: v, at: `${day}T10:02:00Z`, valueEur: '2.5' },
      { domainId: ride, name: 'Ride Recorded', userId: v, at: `${day}T10:03:00Z`, props: { km: 12 } },
      { domainId: shop, name: 'Purchase', userId: u, at: `${day}T10:04:00Z`, valueEur: '1' },
      { domainId: ride, name: 'Ride Recorded', userId: v, at: `${day}T10:05:00Z`, props: { km: 1 } },
    ]);
    expect((await fold(db)).rewarded).toBe(6);
    return { users, wallets };
  };

  const crashAt = (at: RelayerStep) => (step: RelayerStep) => {
    if (step === at) throw new SimulatedCrash(`crash at ${step}`);
  };

  /** A new relayer instance (its own lease id), optionally crashing at a step. */
  const run = (onStep?: (step: RelayerStep) => void) =>
    publishPending({ ctx: relayerCtx(db), input: { chain: t.chain(), ...(onStep ? { onStep } : {}) } });

  /** The chain holds exactly the ledger: per user, and in total (so nothing was minted twice). */
  const expectChainEqualsLedger = async (users: string[], wallets: Address[]) => {
    for (const [i, u] of users.entries()) {
      const ledger = await confirmedTotals(db, u);
      expect(ledger.earned).toBeGreaterThan(0n);
      expect(await t.rewardsOf(wallets[i] as Address)).toBe(ledger.earned);
    }
    const all = (await ledgerRows(db)).filter((r) => r.chain_status === 'confirmed');
    const issued = all.reduce((s, r) => s + BigInt(r.total_wei), 0n);
    expect(await t.totalSupply()).toBe(TREASURY_ALLOCATION + issued);
  };

  it('crash after the transaction was sent, before its hash was recorded: the restart confirms, sends nothing', async () => {
    const { users, wallets } = await bookRewards('2026-11-20');
    const sendsBefore = await t.relayerSends();
    await expect(run(crashAt('sent'))).rejects.toBeInstanceOf(SimulatedCrash);

    // On the chain, not in the ledger: the batch has its nonce but no hash, its entries are submitted.
    expect(await t.relayerSends()).toBe(sendsBefore + 1);
    const batch = await db.query<{ status: string; nonce: string | null; tx_hash: string | null }>(
      'SELECT status, nonce::text AS nonce, tx_hash FROM relayer_batches',
    );
    expect(batch.rows).toEqual([{ status: 'prepared', nonce: String(sendsBefore), tx_hash: null }]);
    expect((await ledgerRows(db)).map((r) => r.chain_status)).toEqual(Array(6).fill('submitted'));

    const restarted = await run();
    expect(restarted).toMatchObject({ confirmed: 6, batchesSent: 0, failed: 0 });
    expect(await t.relayerSends()).toBe(sendsBefore + 1);
    const rows = await ledgerRows(db);
    expect(rows.map((r) => r.chain_status)).toEqual(Array(6).fill('confirmed'));
    // The hash the crash lost is found in the token's logs.
    const hashes = new Set(rows.map((r) => r.chain_tx_hash));
    expect(hashes.size).toBe(1);
    const receipt = await t.harness.publicClient.getTransactionReceipt({ hash: [...hashes][0] as Hex });
    expect(receipt.status).toBe('success');
    expect(receipt.from.toLowerCase()).toBe(t.relayer.address.toLowerCase());
    await expectChainEqualsLedger(users, wallets);
  });

  it.each<RelayerStep>(['prepared', 'checked', 'nonce'])(
    'crash before the send (at %s): the restart sends the batch once',
    async (step) => {
      const { users, wallets } = await bookRewards('2026-11-21');
      const sendsBefore = await t.relayerSends();
      await expect(run(crashAt(step))).rejects.toBeInstanceOf(SimulatedCrash);
      expect(await t.relayerSends()).toBe(sendsBefore);
      for (const u of users) expect((await confirmedTotals(db, u)).earned).toBe(0n);

      expect(await run()).toMatchObject({ confirmed: 6, batchesSent: 1 });
      expect(await t.relayerSends()).toBe(sendsBefore + 1);
      await expectChainEqualsLedger(users, wallets);
    },
  );

  it('crash after the hash was recorded: the restart confirms from the receipt', async () => {
    const { users, wallets } = await bookRewards('2026-11-22');
    const sendsBefore = await t.relayerSends();
    await expect(run(crashAt('recorded'))).rejects.toBeInstanceOf(SimulatedCrash);
    expect(await run()).toMatchObject({ confirmed: 6, batchesSent: 0 });
    expect(await t.relayerSends()).toBe(sendsBefore + 1);
    await expectChainEqualsLedger(users, wallets);
  });

  it('crash after the send with confirmations = 2: the restart waits for the depth, then confirms', async () => {
    const { users, wallets } = await bookRewards('2026-11-24');
    const sendsBefore = await t.relayerSends();
    const deep = (onStep?: (step: RelayerStep) => void) =>
      publishPending({ ctx: relayerCtx(db), input: { chain: t.chain(2), ...(onStep ? { onStep } : {}) } });
    await expect(deep(crashAt('sent'))).rejects.toBeInstanceOf(SimulatedCrash);
    // Applied on-chain in the head block only: processed() at depth 2 is still false.
    expect(await deep()).toMatchObject({ confirmed: 0, batchesSent: 0 });
    for (const u of users)
      expect((await ledgerRows(db, u)).map((r) => r.chain_status)).toEqual([
        'submitted',
        'submitted',
        'submitted',
      ]);
    await t.mine(1);
    expect(await deep()).toMatchObject({ confirmed: 6, batchesSent: 0 });
    expect(await t.relayerSends()).toBe(sendsBefore + 1);
    await expectChainEqualsLedger(users, wallets);
  });

  it('a ledger that forgot its confirmations (a restored backup) is re-confirmed from processed(), not re-minted', async () => {
    const { users, wallets } = await bookRewards('2026-11-23');
    await run();
    const supply = await t.totalSupply();
    const sendsBefore = await t.relayerSends();
    const ids = (await ledgerRows(db)).map((r) => r.id);
    await db.query(
      "UPDATE ledger_transactions SET chain_status = 'pending', chain_tx_hash = NULL WHERE id = ANY ($1::uuid[])",
      [ids],
    );
    await db.query("UPDATE relayer_batch_entries SET state = 'released'");

    const again = await run();
    expect(again).toMatchObject({ confirmed: ids.length, batchesSent: 0 });
    expect(await t.relayerSends()).toBe(sendsBefore);
    expect(await t.totalSupply()).toBe(supply);
    expect(
      (await ledgerRows(db)).every((r) => r.chain_status === 'confirmed' && r.chain_tx_hash !== null),
    ).toBe(true);
    await expectChainEqualsLedger(users, wallets);
  });
});
