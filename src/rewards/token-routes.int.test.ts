import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createPublicClient, createWalletClient, type Hex, http } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addOperator } from '../auth/add-operator.ts';
import type { Db } from '../db/types.ts';
import { insertDomains } from '../test-support/fixtures.ts';
import { describeIntegration } from '../test-support/integration.ts';
import { routeTestApp } from '../test-support/route-test-app.ts';
import { createTestDb } from '../test-support/test-db.ts';
import { portfolioTokenAbi } from './chain/artifacts/portfolio-token.ts';
import { ensureTokenDeployed } from './chain/deploy-token.ts';
import { DEV_PRIVATE_KEYS } from './chain/edr-provider.ts';
import { type ChainHandle, openChain } from './chain/open-chain.ts';
import { fold, HOSTS, insertEvents, insertUser, systemCtx } from './ledger/ledger-fixture.ts';
import { publishPending } from './relayer/publish-pending.ts';
import { reconcileLedger } from './relayer/reconcile-ledger.ts';
import type { RelayerChain } from './relayer/relayer-chain.ts';
import { domainIdOf, txIdOf } from './rules/chain-ids.ts';
import { ONE_PTF, TREASURY_ALLOCATION } from './rules/token-constants.ts';
import { tokenRoutes } from './token-routes.ts';
import { upsertVerifiedWallet } from './wallets/wallets.sql.ts';

// The token and relayer routes over HTTP, on a real embedded chain with the token deployed, the
// relayer run and a reconciliation recorded. Alice (shop + music) has a wallet; Bob (ride) has none.

const NOW = new Date('2026-11-22T12:00:00Z');
const aliceWallet = privateKeyToAccount(DEV_PRIVATE_KEYS[3] as Hex).address.toLowerCase();

describeIntegration('rewards token and relayer routes', () => {
  let db: Db;
  let chain: ChainHandle;
  let relayerChain: RelayerChain;
  let withChain: FastifyInstance;
  let withoutChain: FastifyInstance;
  let owner: string;
  let analyst: string;
  let rideAnalyst: string;
  let shopAnalyst: string;
  let alice: string;

  beforeAll(async () => {
    db = await createTestDb();
    const d = await insertDomains(db, HOSTS);
    const ctx = systemCtx(db);
    const op = async (email: string, role: 'owner' | 'analyst', domains?: string[]) =>
      (await addOperator({ ctx, input: { email, role, ...(domains ? { domains } : {}) } })).token;
    owner = await op('owner@example.com', 'owner');
    analyst = await op('all@example.com', 'analyst');
    rideAnalyst = await op('ride@example.com', 'analyst', ['ride.example']);
    shopAnalyst = await op('shop@example.com', 'analyst', ['shop.example']);
    const [shop, ride, music] = [d['shop.example'], d['ride.example'], d['music.example']] as string[];
    alice = await insertUser(db, [shop as string, music as string], 'alice@example.com');
    const bob = await insertUser(db, [ride as string], 'bob@example.com');
    await upsertVerifiedWallet(db, { address: aliceWallet, userId: alice, chainId: 31337, now: NOW });
    await insertEvents(db, [
      {
        domainId: shop as string,
        name: 'Purchase',
        userId: alice,
        at: '2026-11-20T10:00:00Z',
        valueEur: '100',
      },
      { domainId: music as string, name: 'Track Released', userId: alice, at: '2026-11-21T10:00:00Z' },
      {
        domainId: ride as string,
        name: 'Ride Recorded',
        userId: bob,
        at: '2026-11-21T11:00:00Z',
        props: { km: 40 },
      },
    ]);
    await fold(db);

    chain = await openChain({
      settings: { chain: 'embedded', chainRpcTimeoutSeconds: 20 },
      db,
      ownershipWaitMs: 0,
    });
    const { deployment } = await ensureTokenDeployed(db, chain, { domains: HOSTS.map((host) => ({ host })) });
    relayerChain = {
      chainId: chain.chainId,
      publicClient: chain.publicClient,
      walletClient: chain.walletClient,
      account: chain.account,
      confirmations: chain.confirmations,
      tokenAddress: deployment.address,
    };
    // Until nothing is in flight: a run sends, the next confirms (one confirmation on the embedded chain).
    for (let run = 0; run < 5; run++) {
      const result = await publishPending({ ctx: systemCtx(db, NOW), input: { chain: relayerChain } });
      if (result.batchesSent === 0 && result.confirmed === 0 && run > 0) break;
    }
    await reconcileLedger({ ctx: systemCtx(db, NOW), input: { chain: relayerChain } });

    withChain = await routeTestApp(db, tokenRoutes({ db, chain: () => chain, now: () => NOW }));
    withoutChain = await routeTestApp(db, tokenRoutes({ db, now: () => NOW }));
  });
  afterAll(async () => {
    await withChain?.close();
    await withoutChain?.close();
    await chain?.close();
    await db?.close();
  });

  const get = async (app: FastifyInstance, url: string, token: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { status: res.statusCode, json: res.json() };
  };

  it('answers configured: false with the reason and the cap when the server has no chain', async () => {
    const res = await get(withoutChain, '/api/v1/rewards/token', owner);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ configured: false, available: false, chain: null, token: null });
    expect(res.json.reason).toMatch(/no chain is open on this server/);
    expect(res.json.supply).toEqual({
      cap: { ptf: '1000000000', wei: (1_000_000_000n * ONE_PTF).toString() },
      treasury: { ptf: '200000000', wei: TREASURY_ALLOCATION.toString() },
    });
  });

  it("shows the deployed token's supply (treasury + Alice's published rewards), holders and domains", async () => {
    const res = await get(withChain, '/api/v1/rewards/token', owner);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ configured: true, available: true, reason: null });
    expect(res.json.chain).toMatchObject({ kind: 'embedded', chainId: 31337, network: 'embedded' });
    const onChain = res.json.token.onChain;
    // Alice: 100 PTF (shop) + 10 PTF (music) on-chain; Bob's 40 PTF waits for a wallet.
    expect(onChain.totalSupply).toEqual({
      ptf: '200000110',
      wei: (TREASURY_ALLOCATION + 110n * ONE_PTF).toString(),
    });
    expect(onChain.cap.ptf).toBe('1000000000');
    expect(onChain.holders).toBe(2); // the treasury (the deployer) and Alice
    expect(onChain.accountRoles).toEqual({ admin: true, domainAdmin: true, aiOracle: true });
    const registered = onChain.domains.map((x: { host: string; registered: boolean }) => [
      x.host,
      x.registered,
    ]);
    expect(registered.sort()).toEqual(HOSTS.map((h) => [h, true]).sort());
    expect(res.json.token.sourceCurrent).toBe(true);
  });

  it('shows the token to every reader who sees all domains, and refuses a domain-limited one', async () => {
    expect((await get(withChain, '/api/v1/rewards/token', analyst)).status).toBe(200);
    const limited = await get(withChain, '/api/v1/rewards/token', shopAnalyst);
    expect(limited.status).toBe(403);
    expect(limited.json.error.message).toMatch(/portfolio-wide/);
    expect((await get(withoutChain, '/api/v1/rewards/token', shopAnalyst)).status).toBe(403);
  });

  it('lists the queue by status, the batch that published Alice and a reconciliation in agreement', async () => {
    const res = await get(withChain, '/api/v1/rewards/relayer', owner);
    expect(res.status).toBe(200);
    const { relayer, reconciliation } = res.json;
    expect(relayer.queue).toEqual({ pending: 0, awaiting_wallet: 1, submitted: 0, confirmed: 2, failed: 0 });
    expect(relayer.oldestPendingSeconds).toBeNull();
    expect(relayer.rpc.up).toBe(true);
    expect(relayer.recentBatches).toHaveLength(1);
    expect(relayer.recentBatches[0]).toMatchObject({
      kind: 'reward',
      status: 'confirmed',
      entries: 2,
      confirmed: 2,
    });
    expect(relayer.recentBatches[0].txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(reconciliation.lastCompleted).toMatchObject({ status: 'ok', usersChecked: 1, differences: 0 });
    expect(reconciliation.lastCompleted.supply.differs).toBe(false);
    expect(reconciliation.differences).toEqual([]);
    // The relayer reads the database only: the same answer without a chain.
    expect((await get(withoutChain, '/api/v1/rewards/relayer', owner)).json).toEqual(res.json);
  });

  it("counts a domain-limited operator's own transactions and hides the portfolio-wide supply check", async () => {
    const ride = (await get(withChain, '/api/v1/rewards/relayer', rideAnalyst)).json;
    expect(ride.relayer.queue).toEqual({
      pending: 0,
      awaiting_wallet: 1,
      submitted: 0,
      confirmed: 0,
      failed: 0,
    });
    expect(ride.relayer.recentBatches).toEqual([]); // the batch held Alice's shop and music rewards only
    expect(ride.reconciliation.lastCompleted).toMatchObject({ status: 'ok', differences: 0, supply: null });

    const shop = (await get(withChain, '/api/v1/rewards/relayer', shopAnalyst)).json;
    expect(shop.relayer.queue.confirmed).toBe(1);
    expect(shop.relayer.recentBatches[0]).toMatchObject({ entries: 1, confirmed: 1 });
  });

  it('validates its query', async () => {
    const res = await get(withChain, '/api/v1/rewards/relayer?recentBatches=1000', owner);
    expect(res.status).toBe(400);
    expect(res.json.error.field).toMatch(/recentBatches/);
  });

  it('shows the users that differ after a mint the ledger does not know, in scope', async () => {
    // 5 PTF minted straight to Alice's wallet under a txId no ledger transaction has.
    const hash = await chain.walletClient.writeContract({
      address: relayerChain.tokenAddress,
      abi: portfolioTokenAbi,
      functionName: 'distributeDomainRewards',
      args: [aliceWallet as Hex, domainIdOf('shop.example'), 5n * ONE_PTF, false, txIdOf(randomUUID())],
    });
    expect((await chain.waitForReceipt(hash)).status).toBe('success');
    const later = new Date(NOW.getTime() + 60_000); // runs are read newest first
    const result = await reconcileLedger({ ctx: systemCtx(db, later), input: { chain: relayerChain } });
    expect(result.status).toBe('differences');

    const res = await get(withChain, '/api/v1/rewards/relayer', owner);
    const { reconciliation } = res.json;
    expect(reconciliation.lastCompleted).toMatchObject({ status: 'differences', differences: 2 }); // Alice + supply
    expect(reconciliation.lastCompleted.supply.differs).toBe(true);
    expect(reconciliation.differences).toEqual([
      expect.objectContaining({
        userId: alice,
        wallet: aliceWallet,
        ledgerEarned: { ptf: '110', wei: (110n * ONE_PTF).toString() },
        chainEarned: { ptf: '115', wei: (115n * ONE_PTF).toString() },
      }),
    ]);
    const shop = (await get(withChain, '/api/v1/rewards/relayer', shopAnalyst)).json.reconciliation;
    expect(shop.lastCompleted).toMatchObject({ differences: 1, supply: null });
    expect(shop.differences.map((x: { userId: string }) => x.userId)).toEqual([alice]);
    const ride = (await get(withChain, '/api/v1/rewards/relayer', rideAnalyst)).json.reconciliation;
    expect(ride.lastCompleted).toMatchObject({ status: 'differences', differences: 0 });
    expect(ride.differences).toEqual([]);
  });
});

// An RPC that answers every request with 503: the route says so and never repeats the URL's key.
describeIntegration('rewards token route over an unavailable RPC', () => {
  let server: Server;
  let app: FastifyInstance;
  let db: Db;
  let owner: string;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(503).end('down for maintenance'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v3/secret-api-key`;
    const transport = http(url, { retryCount: 0 });
    const account = privateKeyToAccount(DEV_PRIVATE_KEYS[0] as Hex);
    const rpc = {
      id: 8453,
      name: 'test',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [] } },
    };
    const handle: ChainHandle = {
      kind: 'rpc',
      chainId: 8453,
      network: 'http://127.0.0.1',
      publicClient: createPublicClient({ chain: rpc, transport }),
      walletClient: createWalletClient({ chain: rpc, transport, account }),
      account: account.address,
      treasury: account.address,
      confirmations: 3,
      waitForReceipt: () => Promise.reject(new Error('not used')),
      close: async () => undefined,
    };
    db = await createTestDb();
    owner = (await addOperator({ ctx: systemCtx(db), input: { email: 'o@example.com', role: 'owner' } }))
      .token;
    app = await routeTestApp(db, tokenRoutes({ db, chain: handle }));
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('answers available: false with a reason that names the network, not the URL', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/rewards/token',
      headers: { authorization: `Bearer ${owner}` },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ configured: true, available: false, chain: null, token: null });
    expect(body.reason).toMatch(
      /^the chain \(http:\/\/127\.0\.0\.1, id 8453\) did not answer: HTTP request failed/,
    );
    expect(res.body).not.toContain('secret-api-key');
  });
});
