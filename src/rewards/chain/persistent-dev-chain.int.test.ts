import { type Address, type Hex, parseEther } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb, testBackend } from '../../test-support/test-db.ts';
import { domainIdOf, txIdOf } from '../rules/chain-ids.ts';
import { ONE_PTF, TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import { portfolioTokenAbi } from './artifacts/portfolio-token.ts';
import { ensureTokenDeployed } from './deploy-token.ts';
import { DEV_PRIVATE_KEYS } from './edr-provider.ts';
import { type ChainHandle, openChain } from './open-chain.ts';

const HOSTS = ['shop.chain-test.example', 'ride.chain-test.example'];
const user = privateKeyToAccount(DEV_PRIVATE_KEYS[4] as Hex);
const friend = privateKeyToAccount(DEV_PRIVATE_KEYS[5] as Hex);
const settings = { chainRpcTimeoutSeconds: 20 };

describeIntegration('persistent embedded chain (journal + replay)', () => {
  let db: Db;
  const opened: ChainHandle[] = [];
  const open = async (extra: { readOnly?: boolean } = {}) => {
    const chain = await openChain({ settings, db, ownershipWaitMs: 0, ...extra });
    opened.push(chain);
    return chain;
  };

  beforeAll(async () => {
    db = await createTestDb();
  });
  afterEach(async () => {
    // A failed test must not leave the chain's lease held for the next one (close is idempotent).
    for (const chain of opened.splice(0)) await chain.close();
  });
  afterAll(async () => {
    await db?.close();
  });

  const tokenOf = async (chain: ChainHandle) => {
    const res = await db.query<{ address: Address }>(
      "SELECT address FROM smart_contracts WHERE chain_id = $1 AND contract_type = 'token' AND is_active",
      [chain.chainId],
    );
    return { address: res.rows[0]?.address as Address, abi: portfolioTokenAbi } as const;
  };
  const reward = async (chain: ChainHandle, n: number, to: Address, host: string) => {
    const hash = await chain.walletClient.writeContract({
      ...(await tokenOf(chain)),
      functionName: 'distributeDomainRewards',
      args: [to, domainIdOf(host), BigInt(n) * ONE_PTF, n % 2 === 0, txIdOf(uuidOf(n))],
    });
    expect((await chain.waitForReceipt(hash)).status).toBe('success');
    return hash;
  };
  const snapshot = async (chain: ChainHandle) => {
    const token = await tokenOf(chain);
    const read = chain.publicClient.readContract;
    const head = await chain.publicClient.getBlock({ blockTag: 'latest' });
    return {
      token: token.address,
      head: { number: head.number, hash: head.hash, timestamp: head.timestamp },
      userBalance: await read({ ...token, functionName: 'balanceOf', args: [user.address] }),
      friendBalance: await read({ ...token, functionName: 'balanceOf', args: [friend.address] }),
      rewardsOf: await read({ ...token, functionName: 'rewardsOf', args: [user.address] }),
      supply: await read({ ...token, functionName: 'totalSupply' }),
      friendEth: await chain.publicClient.getBalance({ address: friend.address }),
    };
  };

  it('keeps the deployed token, balances and blocks across a close and reopen, and continues', async () => {
    const first = await open();
    expect(first.replay?.entries).toBe(0);
    const setup = await ensureTokenDeployed(db, first, { domains: HOSTS.map((host) => ({ host })) });
    expect(setup.deployed).toBe(true);
    expect(setup.rolesGranted).toEqual(['DOMAIN_ADMIN_ROLE', 'AI_ORACLE_ROLE']);
    expect(setup.domainsRegistered).toEqual(HOSTS);
    const token = await tokenOf(first);
    expect(token.address).toBe(setup.deployment.address);

    await reward(first, 10, user.address, HOSTS[0] as string);
    await reward(first, 4, user.address, HOSTS[1] as string);
    const transfer = await first.walletClient.writeContract({
      ...token,
      account: user,
      functionName: 'transfer',
      args: [friend.address, 3n * ONE_PTF],
    });
    await first.waitForReceipt(transfer);
    await first.waitForReceipt(
      await first.walletClient.sendTransaction({ to: friend.address, value: parseEther('1.5') }),
    );
    // A transaction that reverts is mined too (status 0) and must replay the same way.
    const reverted = await first.walletClient.writeContract({
      ...token,
      functionName: 'distributeDomainRewards',
      args: [user.address, domainIdOf(HOSTS[0] as string), ONE_PTF, false, txIdOf(uuidOf(10))],
      gas: 200_000n,
    });
    expect((await first.waitForReceipt(reverted)).status).toBe('reverted');
    await first.publicClient.request({ method: 'evm_mine' } as never);
    const before = await snapshot(first);
    // Even rewards are AI-optimised (+5 %): 10.5 + 4.2 earned, 3 given away.
    const earned = (105n * ONE_PTF) / 10n + (42n * ONE_PTF) / 10n;
    expect(before.userBalance).toBe(earned - 3n * ONE_PTF);
    expect(before.rewardsOf).toBe(earned);
    expect(before.supply).toBe(TREASURY_ALLOCATION + earned);
    const journaled = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM embedded_chain_journal WHERE chain_id = $1',
      [first.chainId],
    );
    // deploy + 2 roles + 2 domains + 2 rewards + transfer + ETH + reverted + mine
    expect(journaled.rows[0]?.n).toBe(11);
    await first.close();

    const second = await open();
    expect(second.replay).toMatchObject({ entries: 11, diverged: false, blockNumber: before.head.number });
    expect(await snapshot(second)).toEqual(before);
    expect(await second.publicClient.getTransactionReceipt({ hash: transfer })).toMatchObject({
      status: 'success',
    });

    const again = await ensureTokenDeployed(db, second, { domains: HOSTS.map((host) => ({ host })) });
    expect(again).toMatchObject({
      deployed: false,
      rolesGranted: [],
      domainsRegistered: [],
      transactions: [],
    });
    const grown = await ensureTokenDeployed(db, second, {
      domains: [...HOSTS, 'music.chain-test.example'].map((host) => ({ host })),
    });
    expect(grown.domainsRegistered).toEqual(['music.chain-test.example']);
    await reward(second, 6, user.address, 'music.chain-test.example');
    const after = await snapshot(second);
    expect(after.head.number).toBe(before.head.number + 2n);
    expect(after.head.timestamp).toBeGreaterThan(before.head.timestamp);
    await second.close();

    const third = await open();
    expect(await snapshot(third)).toEqual(after);
    await third.close();
  });

  it('forgets a transaction whose journal entry is missing (a crash after mining), so it can be sent again', async () => {
    const chain = await open();
    const token = await tokenOf(chain);
    const hash = await reward(chain, 7, friend.address, HOSTS[0] as string);
    const raw = await db.query<{ raw_tx: Hex }>(
      'DELETE FROM embedded_chain_journal WHERE chain_id = $1 AND tx_hash = $2 RETURNING raw_tx',
      [chain.chainId, hash],
    );
    await chain.close();

    const reopened = await open();
    const processed = () =>
      reopened.publicClient.readContract({ ...token, functionName: 'processed', args: [txIdOf(uuidOf(7))] });
    expect(await processed()).toBe(false);
    expect(await reopened.publicClient.getTransactionReceipt({ hash }).catch(() => null)).toBeNull();
    // The relayer's retry: the same signed transaction is accepted again, once.
    const resent = await reopened.walletClient.sendRawTransaction({
      serializedTransaction: raw.rows[0]?.raw_tx as Hex,
    });
    expect(resent).toBe(hash);
    expect(await processed()).toBe(true);
    await reopened.close();
  });

  it('refuses state changes it cannot journal: other owners, snapshots, read-only views', async () => {
    const chain = await open();
    await expect(chain.publicClient.request({ method: 'evm_snapshot' } as never)).rejects.toThrow(
      /evm_snapshot is not available on the embedded chain/,
    );
    const view = await open({ readOnly: true });
    expect(await view.publicClient.getBlockNumber({ cacheTime: 0 })).toBe(
      await chain.publicClient.getBlockNumber({ cacheTime: 0 }),
    );
    await expect(view.walletClient.sendTransaction({ to: friend.address, value: 1n })).rejects.toThrow(
      /read-only/,
    );
    await view.close();

    const journalLength = async () =>
      (
        await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM embedded_chain_journal WHERE chain_id = $1',
          [chain.chainId],
        )
      ).rows[0]?.n;
    const length = await journalLength();
    const friendEth = await chain.publicClient.getBalance({ address: friend.address });
    // Another process takes the chain over (its lease lapsed while this one stalled): the mined
    // transaction cannot be journaled, so it is rolled back with the in-memory chain.
    await db.query(
      "UPDATE embedded_chains SET owner_id = gen_random_uuid(), owner_label = 'other host pid 1', lease_expires_at = now() + interval '1 hour' WHERE chain_id = $1",
      [chain.chainId],
    );
    const send = () => chain.walletClient.sendTransaction({ to: friend.address, value: 1n });
    await expect(send()).rejects.toThrow(/now owned by another process/);
    expect(await journalLength()).toBe(length);
    if (testBackend() === 'postgres') {
      await expect(send()).rejects.toThrow(/in use by other host pid 1/);
      await expect(open()).rejects.toThrow(/in use by other host pid 1/);
      await db.query('UPDATE embedded_chains SET owner_id = NULL WHERE chain_id = $1', [chain.chainId]);
    }
    // Rebuilt from the journal at the next request (PGlite: the one process takes the chain back).
    const hash = await send();
    expect((await chain.waitForReceipt(hash)).status).toBe('success');
    expect(await journalLength()).toBe((length as number) + 1);
    expect(await chain.publicClient.getBalance({ address: friend.address })).toBe(friendEth + 1n);
    await chain.close();
  });
});

function uuidOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
}
