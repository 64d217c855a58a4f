// What `portfolio-os token status` shows: the chain, the deployment record, and the contract's
// state read from the chain. Amounts are wei as decimal strings (JSON has no bigint).
import type { Address, Hex } from 'viem';
import type { Db } from '../../db/types.ts';
import { domainIdOf } from '../rules/chain-ids.ts';
import { portfolioTokenAbi, portfolioTokenSourceHash } from './artifacts/portfolio-token.ts';
import type { ChainHandle } from './open-chain.ts';
import { activeTokenDeployment, portfolioDomains } from './token-deployments.sql.ts';

export interface TokenStatus {
  chain: {
    kind: ChainHandle['kind'];
    chainId: number;
    network: string;
    blockNumber: string;
    confirmations: number;
    account: Address;
    accountBalanceWei: string;
  };
  /** null: no token recorded for this chain yet (`portfolio-os token deploy`). */
  token: null | {
    address: Address;
    deployedBlock: string | null;
    deployTxHash: Hex | null;
    deployedAt: string;
    deployer: Address | null;
    treasury: Address | null;
    /** The deployed source is the one this version of Portfolio OS builds. */
    sourceCurrent: boolean;
    /** False: the recorded address holds no contract on this network (wrong network, reset chain). */
    hasCode: boolean;
    onChain: null | {
      name: string;
      symbol: string;
      decimals: number;
      totalSupplyWei: string;
      capWei: string;
      paused: boolean;
      /** Addresses holding a positive balance, from the Transfer logs; null when too costly to read. */
      holders: number | null;
      accountRoles: { admin: boolean; domainAdmin: boolean; aiOracle: boolean };
      domains: { host: string; domainId: Hex; inPortfolio: boolean; registered: boolean }[];
    };
  };
}

// Beyond this many blocks since deployment, counting holders from logs is left to an indexer.
const HOLDER_SCAN_MAX_BLOCKS = 50_000n;

export async function tokenStatus(db: Db, chain: ChainHandle): Promise<TokenStatus> {
  const client = chain.publicClient;
  const [blockNumber, balance] = await Promise.all([
    client.getBlockNumber({ cacheTime: 0 }),
    client.getBalance({ address: chain.account }),
  ]);
  const status: TokenStatus = {
    chain: {
      kind: chain.kind,
      chainId: chain.chainId,
      network: chain.network,
      blockNumber: blockNumber.toString(),
      confirmations: chain.confirmations,
      account: chain.account,
      accountBalanceWei: balance.toString(),
    },
    token: null,
  };
  const deployment = await activeTokenDeployment(db, chain.chainId);
  if (!deployment) return status;
  const code = await client.getCode({ address: deployment.address });
  const hasCode = Boolean(code && code !== '0x');
  status.token = {
    address: deployment.address,
    deployedBlock: deployment.deployedBlock?.toString() ?? null,
    deployTxHash: deployment.deployTxHash,
    deployedAt: deployment.deployedAt,
    deployer: deployment.deployer,
    treasury: deployment.treasury,
    sourceCurrent: deployment.sourceHash === portfolioTokenSourceHash,
    hasCode,
    onChain: null,
  };
  if (!hasCode) return status;

  const token = { address: deployment.address, abi: portfolioTokenAbi } as const;
  const read = client.readContract;
  const [name, symbol, decimals, totalSupply, cap, paused, adminRole, domainAdminRole, oracleRole] =
    await Promise.all([
      read({ ...token, functionName: 'name' }),
      read({ ...token, functionName: 'symbol' }),
      read({ ...token, functionName: 'decimals' }),
      read({ ...token, functionName: 'totalSupply' }),
      read({ ...token, functionName: 'cap' }),
      read({ ...token, functionName: 'paused' }),
      read({ ...token, functionName: 'DEFAULT_ADMIN_ROLE' }),
      read({ ...token, functionName: 'DOMAIN_ADMIN_ROLE' }),
      read({ ...token, functionName: 'AI_ORACLE_ROLE' }),
    ]);
  const hasRole = (role: Hex) => read({ ...token, functionName: 'hasRole', args: [role, chain.account] });
  const domains = await Promise.all(
    (await portfolioDomains(db)).map(async (d) => {
      const domainId = domainIdOf(d.host);
      const registered = await read({ ...token, functionName: 'isDomainActive', args: [domainId] });
      return { host: d.host, domainId, inPortfolio: !d.archived, registered };
    }),
  );
  status.token.onChain = {
    name,
    symbol,
    decimals,
    totalSupplyWei: totalSupply.toString(),
    capWei: cap.toString(),
    paused,
    holders: await countHolders(chain, deployment.address, deployment.deployedBlock ?? 0n, blockNumber),
    accountRoles: {
      admin: await hasRole(adminRole),
      domainAdmin: await hasRole(domainAdminRole),
      aiOracle: await hasRole(oracleRole),
    },
    domains,
  };
  return status;
}

async function countHolders(
  chain: ChainHandle,
  address: Address,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<number | null> {
  if (toBlock - fromBlock > HOLDER_SCAN_MAX_BLOCKS) return null;
  try {
    const transfers = await chain.publicClient.getContractEvents({
      address,
      abi: portfolioTokenAbi,
      eventName: 'Transfer',
      fromBlock,
      toBlock,
    });
    const balances = new Map<string, bigint>();
    for (const { args } of transfers) {
      const { from, to, value } = args as { from: Address; to: Address; value: bigint };
      balances.set(from, (balances.get(from) ?? 0n) - value);
      balances.set(to, (balances.get(to) ?? 0n) + value);
    }
    return [...balances].filter(([holder, amount]) => amount > 0n && BigInt(holder) !== 0n).length;
  } catch {
    return null; // A node that limits log ranges: the count is optional.
  }
}
