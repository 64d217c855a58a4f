// What the relayer and the reconciliation need of the chain: the subset of open-chain.ts's
// ChainHandle they use, plus the deployed token's address, so tests build it from any viem clients.
import {
  type Account,
  type Address,
  type Chain,
  getAbiItem,
  type Hex,
  type Log,
  type PublicClient,
  parseEventLogs,
  TransactionNotFoundError,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
  type Transport,
  type WalletClient,
} from 'viem';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';

export interface RelayerChain {
  chainId: number;
  publicClient: PublicClient<Transport, Chain | undefined>;
  /** Signs with its local account when it has one, else asks the node to sign for `account`. */
  walletClient: WalletClient<Transport, Chain | undefined, Account | undefined>;
  /** The sender: holds DOMAIN_ADMIN_ROLE on the token. */
  account: Address;
  /** Blocks a transaction must be in (its own included) before its entries count as confirmed. */
  confirmations: number;
  tokenAddress: Address;
}

/** Calls `fn` on every item, at most `limit` at a time; results in the items' order. */
export async function mapWithLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

/** Parallel reads per call; a node (or a JSON-RPC batch) answers these in well under a second. */
export const READ_CONCURRENCY = 8;

/** The head, never viem's cached block number (a test mines between two calls). */
export function headBlock(chain: Pick<RelayerChain, 'publicClient'>): Promise<bigint> {
  return chain.publicClient.getBlockNumber({ cacheTime: 0 });
}

/** `processed(txId)` of each id at `blockNumber`. */
export function readProcessed(
  chain: RelayerChain,
  txIds: readonly Hex[],
  blockNumber: bigint,
): Promise<boolean[]> {
  return mapWithLimit(txIds, READ_CONCURRENCY, (txId) =>
    chain.publicClient.readContract({
      address: chain.tokenAddress,
      abi: portfolioTokenAbi,
      functionName: 'processed',
      args: [txId],
      blockNumber,
    }),
  );
}

const APPLIED_EVENTS = ['RewardDistributed', 'Redeemed'] as const;

/** txIds a reward or redemption applied in these logs (RewardSkipped does not count). */
export function appliedTxIds(chain: RelayerChain, logs: readonly Log[]): Map<string, Hex> {
  const out = new Map<string, Hex>();
  const ours = logs.filter((l) => l.address.toLowerCase() === chain.tokenAddress.toLowerCase());
  for (const log of parseEventLogs({ abi: portfolioTokenAbi, logs: ours, eventName: [...APPLIED_EVENTS] }))
    if (log.transactionHash) out.set(log.args.txId.toLowerCase(), log.transactionHash);
  return out;
}

/** The transaction that applied each txId, from the token's logs of [fromBlock, toBlock]. */
export async function findApplyingTransactions(
  chain: RelayerChain,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<Map<string, Hex>> {
  const logs = await chain.publicClient.getLogs({
    address: chain.tokenAddress,
    events: APPLIED_EVENTS.map((name) => getAbiItem({ abi: portfolioTokenAbi, name })),
    fromBlock,
    toBlock,
  });
  return appliedTxIds(chain, logs);
}

/** The receipt, or null while the transaction is not in a block. */
export async function receiptOrNull(chain: RelayerChain, hash: Hex): Promise<TransactionReceipt | null> {
  try {
    return await chain.publicClient.getTransactionReceipt({ hash });
  } catch (err) {
    if (err instanceof TransactionReceiptNotFoundError) return null;
    throw err;
  }
}

/** Whether the node knows the transaction (mined or waiting in its pool); false once dropped. */
export async function transactionKnown(chain: RelayerChain, hash: Hex): Promise<boolean> {
  try {
    await chain.publicClient.getTransaction({ hash });
    return true;
  } catch (err) {
    if (err instanceof TransactionNotFoundError) return false;
    throw err;
  }
}
