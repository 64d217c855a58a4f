// The relayer over HTTP against a real local JSON-RPC node (anvil), as a CHAIN=rpc server runs it:
// openChain + ensureTokenDeployed, then publishPending until the ledger is confirmed on chain.
import { type Address, type Hex, parseEther } from 'viem';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../db/types.ts';
import { insertDomains } from '../../test-support/fixtures.ts';
import { describeIntegration } from '../../test-support/integration.ts';
import { createTestDb } from '../../test-support/test-db.ts';
import { type Anvil, startAnvil } from '../chain/anvil.test-support.ts';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';
import { type EnsureTokenResult, ensureTokenDeployed } from '../chain/deploy-token.ts';
import { DEV_PRIVATE_KEYS } from '../chain/edr-provider.ts';
import { loadChainSettings } from '../chain/load-chain-settings.ts';
import { type ChainHandle, openChain } from '../chain/open-chain.ts';
import { fold, HOSTS, insertEvents, insertUser } from '../ledger/ledger-fixture.ts';
import { TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import { publishPending } from './publish-pending.ts';
import { reconcileLedger } from './reconcile-ledger.ts';
import { confirmedTotals, ledgerRows, linkTestWallet, relayerCtx } from './relayer.test-support.ts';
import type { RelayerChain } from './relayer-chain.ts';

const CHAIN_ID = 31_337; // anvil's default
const CONFIRMATIONS = 2;
const treasury: Address = '0x00000000000000000000000000000000000000bb';

describeIntegration('relayer over HTTP against a local JSON-RPC node (anvil)', () => {
  let db: Db;
  let anvil: Anvil;
  let handle: ChainHandle;
  let deployed: EnsureTokenResult;
  let chain: RelayerChain;
  let d: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDb();
    d = await insertDomains(db, HOSTS);
    anvil = await startAnvil({ chainId: CHAIN_ID });
    const settings = loadChainSettings({
      CHAIN: 'rpc',
      CHAIN_RPC_URL: anvil.url,
      CHAIN_ID: String(CHAIN_ID),
      CHAIN_PRIVATE_KEY: DEV_PRIVATE_KEYS[0], // anvil's first funded dev account
      CHAIN_CONFIRMATIONS: String(CONFIRMATIONS),
      TOKEN_TREASURY_ADDRESS: treasury,
    });
    handle = await openChain({ settings, db });
    // anvil mines a block per transaction only: the deployment's waits for 2 confirmations need
    // blocks mined meanwhile. The miner stops before the relayer runs, so its depth checks are ours.
    const miner = setInterval(() => void anvil.rpc('evm_mine').catch(() => undefined), 200);
    try {
      deployed = await ensureTokenDeployed(db, handle, {
        domains: ['shop.example', 'ride.example', 'music.example'].map((host) => ({ host })),
      });
    } finally {
      clearInterval(miner);
    }
    chain = {
      chainId: handle.chainId,
      publicClient: handle.publicClient,
      walletClient: handle.walletClient,
      account: handle.account,
      confirmations: handle.confirmations,
      tokenAddress: deployed.deployment.address,
    };
  });
  afterAll(async () => {
    await handle?.close();
    await anvil?.stop();
    await db?.close();
  });

  const read = <T>(functionName: 'rewardsOf' | 'balanceOf', wallet: Address) =>
    handle.publicClient.readContract({
      address: chain.tokenAddress,
      abi: portfolioTokenAbi,
      functionName,
      args: [wallet],
    }) as Promise<T>;
  const totalSupply = () =>
    handle.publicClient.readContract({
      address: chain.tokenAddress,
      abi: portfolioTokenAbi,
      functionName: 'totalSupply',
    });

  it('publishes the ledger on the token over JSON-RPC: confirmed at depth 2, equal per user, reconciled', async () => {
    expect(handle).toMatchObject({ kind: 'rpc', network: anvil.url, chainId: CHAIN_ID, confirmations: 2 });
    expect(deployed).toMatchObject({
      deployed: true,
      domainsRegistered: ['shop.example', 'ride.example', 'music.example'],
    });
    expect(await totalSupply()).toBe(TREASURY_ALLOCATION);

    const [shop, ride, music] = [d['shop.example'], d['ride.example'], d['music.example']] as [
      string,
      string,
      string,
    ];
    const a = await insertUser(db, [shop, ride, music]);
    const b = await insertUser(db, [ride]);
    const c = await insertUser(db, [music, shop]);
    const wallets = {
      [a]: await linkTestWallet(db, a),
      [b]: await linkTestWallet(db, b),
      [c]: await linkTestWallet(db, c),
    };
    await insertEvents(db, [
      // a: three domains (the third pays the milestone), then a known domain again.
      { domainId: shop, name: 'Purchase', userId: a, at: '2026-12-01T10:00:00Z', valueEur: '12.34' },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: a,
        at: '2026-12-01T10:01:00Z',
        props: { km: 7, ai: true },
      },
      { domainId: music, name: 'Track Released', userId: a, at: '2026-12-01T10:02:00Z' },
      { domainId: shop, name: 'Purchase', userId: a, at: '2026-12-01T10:03:00Z', valueEur: '5' },
      { domainId: ride, name: 'Ride Recorded', userId: b, at: '2026-12-01T10:04:00Z', props: { km: 3.5 } },
      {
        domainId: ride,
        name: 'Ride Recorded',
        userId: b,
        at: '2026-12-01T10:05:00Z',
        props: { km: 1, ai: true },
      },
      { domainId: music, name: 'Track Released', userId: c, at: '2026-12-01T10:06:00Z' },
      { domainId: shop, name: 'Purchase', userId: c, at: '2026-12-01T10:07:00Z', valueEur: '2.5' },
    ]);
    expect((await fold(db)).rewarded).toBe(8);
    // The ledger's amounts, bonuses included: 7 km AI-optimised = 7.35; music as a's third
    // domain = 10 + milestone 10 × 3 / 10 = 13.
    const expected = {
      [a]: ['12.34', '7.35', '13', '5'],
      [b]: ['3.5', '1.05'],
      [c]: ['10', '2.5'],
    };
    for (const [user, amounts] of Object.entries(expected))
      expect((await ledgerRows(db, user)).map((r) => r.total_wei)).toEqual(
        amounts.map((x) => parseEther(x).toString()),
      );

    // Batches of 3: the relayer's last send of a run sits at depth 1 and waits for a block.
    const runs = [];
    for (let i = 0; i < 10; i++) {
      const run = await publishPending({ ctx: relayerCtx(db), input: { chain, batchSize: 3 } });
      expect(run).toMatchObject({ ran: true, rpcUp: true, failed: 0, retried: 0, error: null });
      runs.push(run);
      if ((await ledgerRows(db)).every((r) => r.chain_status === 'confirmed')) break;
      expect((await ledgerRows(db)).some((r) => r.chain_status === 'submitted')).toBe(true);
      await anvil.rpc('anvil_mine', ['0x1']);
    }
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.reduce((s, r) => s + r.confirmed, 0)).toBe(8);
    const rows = await ledgerRows(db);
    expect(rows.map((r) => r.chain_status)).toEqual(rows.map(() => 'confirmed'));

    // Every entry's transaction is on the node, succeeded, and called the token.
    const hashes = [...new Set(rows.map((r) => r.chain_tx_hash as Hex))];
    const batches = await db.query<{ tx_hash: string; status: string; entry_count: number }>(
      'SELECT tx_hash, status, entry_count FROM relayer_batches',
    );
    expect(hashes.sort()).toEqual(batches.rows.map((r) => r.tx_hash).sort());
    expect(batches.rows.every((r) => r.status === 'confirmed' && r.entry_count <= 3)).toBe(true);
    expect(batches.rows.reduce((s, r) => s + r.entry_count, 0)).toBe(8);
    for (const hash of hashes) {
      const receipt = (await anvil.rpc('eth_getTransactionReceipt', [hash])) as {
        status: string;
        to: string;
        from: string;
      };
      expect(receipt).toMatchObject({
        status: '0x1',
        to: chain.tokenAddress.toLowerCase(),
        from: chain.account.toLowerCase(),
      });
    }
    // Exactly one send per batch after the deployment's: nothing went out twice.
    const nonce = await anvil.rpc('eth_getTransactionCount', [chain.account, 'latest']);
    expect(Number(nonce)).toBe(deployed.transactions.length + hashes.length);

    // The token equals the ledger, per user and in total.
    let rewards = 0n;
    for (const [user, amounts] of Object.entries(expected)) {
      const total = amounts.reduce((s, x) => s + parseEther(x), 0n);
      expect((await confirmedTotals(db, user)).earned).toBe(total);
      expect(await read<bigint>('rewardsOf', wallets[user] as Address)).toBe(total);
      expect(await read<bigint>('balanceOf', wallets[user] as Address)).toBe(total);
      rewards += total;
    }
    expect(rewards).toBe(parseEther('54.74'));
    expect(await read<bigint>('balanceOf', treasury)).toBe(TREASURY_ALLOCATION);
    expect(await totalSupply()).toBe(TREASURY_ALLOCATION + rewards);

    const reconciled = await reconcileLedger({ ctx: relayerCtx(db), input: { chain } });
    expect(reconciled).toMatchObject({
      status: 'ok',
      usersChecked: 3,
      differences: 0,
      users: [],
      supplyDiffers: false,
      error: null,
    });
  });
});
