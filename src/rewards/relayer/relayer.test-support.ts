// Test support for the relayer suites: the token on a fresh in-process EVM (EDR), relayer chains
// over it (directly, or through a real HTTP JSON-RPC proxy a test can take down), and wallets.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Address, createPublicClient, createWalletClient, custom, type Hex, http } from 'viem';
import { generatePrivateKey, type PrivateKeyAccount, privateKeyToAddress } from 'viem/accounts';
import { systemActor } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Db, Queryable } from '../../db/types.ts';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';
import type { EdrProvider } from '../chain/edr-provider.ts';
import { DOMAIN_ADMIN_ROLE } from '../contract/contract-model.ts';
import {
  castRolesAndDomains,
  deployTokenHarness,
  edrDevChain,
  type TokenHarness,
} from '../contract/token-harness.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import type { RelayerChain } from './relayer-chain.ts';

export interface TestChain {
  harness: TokenHarness;
  provider: EdrProvider;
  tokenAddress: Address;
  admin: PrivateKeyAccount;
  relayer: PrivateKeyAccount;
  /** The relayer's chain over the in-process provider. */
  chain(confirmations?: number): RelayerChain;
  /** The relayer's chain over an HTTP JSON-RPC endpoint (no retries, short timeout). */
  chainOverHttp(url: string, confirmations?: number): RelayerChain;
  mine(blocks: number): Promise<void>;
  rewardsOf(wallet: Address): Promise<bigint>;
  redeemedOf(wallet: Address): Promise<bigint>;
  totalSupply(): Promise<bigint>;
  /** Transactions the relayer's key ever sent (its nonce): a second mint would need a second one. */
  relayerSends(): Promise<number>;
  /** Mints straight on the token with the admin key, bypassing the ledger (a reconciliation must see it). */
  mintBypassingLedger(wallet: Address, host: string, amount: bigint): Promise<void>;
  registerDomain(host: string): Promise<void>;
  close(): Promise<void>;
}

/** Deploys the token on a fresh chain; the relayer key holds DOMAIN_ADMIN_ROLE; `hosts` are registered. */
export async function startTestChain(hosts: readonly string[]): Promise<TestChain> {
  const harness = await deployTokenHarness();
  const cast = await castRolesAndDomains(harness, hosts);
  const { admin, relayer } = cast;
  const tokenAddress = harness.address;
  const read = { address: tokenAddress, abi: portfolioTokenAbi } as const;
  const pc = harness.publicClient;
  const chainWith = (
    transport: ReturnType<typeof custom> | ReturnType<typeof http>,
    confirmations: number,
  ) => ({
    chainId: edrDevChain.id,
    publicClient: createPublicClient({ chain: edrDevChain, transport }),
    walletClient: createWalletClient({ chain: edrDevChain, transport, account: relayer }),
    account: relayer.address,
    confirmations,
    tokenAddress,
  });
  return {
    harness,
    provider: harness.provider,
    tokenAddress,
    admin,
    relayer,
    chain: (confirmations = 1) => chainWith(custom({ request: harness.provider.request }), confirmations),
    chainOverHttp: (url, confirmations = 1) =>
      chainWith(http(url, { retryCount: 0, timeout: 3_000 }), confirmations),
    async mine(blocks) {
      for (let i = 0; i < blocks; i++) await harness.provider.request({ method: 'evm_mine' });
    },
    rewardsOf: (wallet) => pc.readContract({ ...read, functionName: 'rewardsOf', args: [wallet] }),
    redeemedOf: (wallet) => pc.readContract({ ...read, functionName: 'redeemedOf', args: [wallet] }),
    totalSupply: () => pc.readContract({ ...read, functionName: 'totalSupply' }),
    relayerSends: () => pc.getTransactionCount({ address: relayer.address }),
    async mintBypassingLedger(wallet, host, amount) {
      await harness.mustExecute(admin, {
        functionName: 'grantRole',
        args: [DOMAIN_ADMIN_ROLE, admin.address],
      });
      const txId = `0x${randomUUID().replaceAll('-', '').padStart(64, 'f')}` as Hex;
      await harness.mustExecute(admin, {
        functionName: 'distributeDomainRewards',
        args: [wallet, domainIdOf(host), amount, false, txId],
      });
    },
    async registerDomain(host) {
      await harness.mustExecute(admin, { functionName: 'registerDomain', args: [domainIdOf(host), host] });
    },
    close: () => harness.close(),
  };
}

/** A fresh address for a user's wallet (lower case, as user_wallets stores it). */
export function randomWallet(): Address {
  return privateKeyToAddress(generatePrivateKey()).toLowerCase() as Address;
}

/** Links a verified wallet to the user: its payout wallet from then on. */
export async function linkTestWallet(
  db: Queryable,
  userId: string,
  wallet: Address = randomWallet(),
): Promise<Address> {
  await db.query(
    'INSERT INTO user_wallets (address, user_id, chain_id, verified_at) VALUES ($1, $2, 31337, now())',
    [wallet, userId],
  );
  return wallet;
}

export function relayerCtx(db: Db, now = new Date()): Ctx {
  return { db, actor: systemActor('relayer-test'), now };
}

export interface LedgerRow {
  id: string;
  kind: 'reward' | 'redemption';
  total_wei: string;
  chain_status: string;
  chain_tx_hash: string | null;
  chain_attempts: number;
  chain_last_error: string | null;
  chain_next_attempt_at: Date | null;
}

export async function ledgerRows(db: Queryable, userId?: string): Promise<LedgerRow[]> {
  const res = await db.query<LedgerRow>(
    `SELECT id, kind, total_wei::text AS total_wei, chain_status, chain_tx_hash, chain_attempts, chain_last_error,
            chain_next_attempt_at
       FROM ledger_transactions WHERE $1::uuid IS NULL OR user_id = $1 ORDER BY seq`,
    [userId ?? null],
  );
  return res.rows;
}

/** What the ledger says the contract should show for a user: earned and redeemed, confirmed only. */
export async function confirmedTotals(
  db: Queryable,
  userId: string,
): Promise<{ earned: bigint; redeemed: bigint }> {
  const rows = (await ledgerRows(db, userId)).filter((r) => r.chain_status === 'confirmed');
  const sum = (kind: string) =>
    rows.filter((r) => r.kind === kind).reduce((s, r) => s + BigInt(r.total_wei), 0n);
  return { earned: sum('reward'), redeemed: sum('redemption') };
}

export type ProxyMode = 'up' | 'down' | 'reset' | 'lose-send-answers';

export interface RpcProxy {
  url: string;
  mode: ProxyMode;
  /** JSON-RPC methods received, in order (while up or losing answers). */
  readonly methods: string[];
  close(): Promise<void>;
}

interface RpcCall {
  id?: unknown;
  method: string;
  params?: unknown;
}

/**
 * A real HTTP JSON-RPC endpoint in front of the in-process chain: `down` answers 503, `reset`
 * drops connections, `lose-send-answers` executes eth_sendRawTransaction but answers 503 (the
 * node got the transaction; the relayer never hears of it).
 */
export async function startRpcProxy(provider: EdrProvider): Promise<RpcProxy> {
  const proxy = { url: '', mode: 'up' as ProxyMode, methods: [] as string[], close: async () => {} };
  const answer = async (call: RpcCall) => {
    proxy.methods.push(call.method);
    try {
      const result = await provider.request({ method: call.method, params: call.params });
      return { jsonrpc: '2.0', id: call.id, result };
    } catch (err) {
      const e = err as { code?: number; data?: unknown; details?: string; message: string };
      return {
        jsonrpc: '2.0',
        id: call.id,
        error: { code: e.code ?? -32603, message: e.details ?? e.message, data: e.data },
      };
    }
  };
  const server: Server = createServer((req, res) => {
    if (proxy.mode === 'reset') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (proxy.mode === 'down') {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('upstream unavailable');
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RpcCall | RpcCall[];
      const calls = Array.isArray(body) ? body : [body];
      const answers = [];
      for (const call of calls) answers.push(await answer(call));
      if (proxy.mode === 'lose-send-answers' && calls.some((c) => c.method === 'eth_sendRawTransaction')) {
        res.writeHead(503, { 'content-type': 'text/plain' }).end('gateway timeout');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Array.isArray(body) ? answers : answers[0]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
