import { type Address, encodeFunctionData, type Hex } from 'viem';
import type { Db } from '../../db/types.ts';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';
import { domainIdOf, txIdOf } from '../rules/chain-ids.ts';
import type { Backoff } from './backoff.ts';
import { type ChainFailure, describeChainError, failureText, PERMANENT_REVERTS } from './chain-errors.ts';
import {
  appliedTxIds,
  findApplyingTransactions,
  headBlock,
  type RelayerChain,
  readProcessed,
  receiptOrNull,
  transactionKnown,
} from './relayer-chain.ts';
import {
  BATCH_BLOCK_SQL,
  BATCH_ERROR_SQL,
  BATCH_NONCE_SQL,
  BATCH_SENT_SQL,
  CONFIRM_ENTRIES_SQL,
  FAIL_ENTRIES_SQL,
  FINISH_BATCH_SQL,
  FIRST_BLOCK_SQL,
  OPEN_ENTRIES_SQL,
  REQUEUE_ENTRIES_SQL,
  RETRY_ENTRIES_SQL,
} from './relayer-queue.sql.ts';

/** A ledger transaction as the relayer sends it. */
export interface QueueEntry {
  id: string;
  seq: string;
  kind: 'reward' | 'redemption';
  user_id: string;
  wallet: Address;
  host: string;
  amount_wei: string;
  ai_optimized: boolean;
}

export interface BatchRow {
  id: string;
  kind: 'reward' | 'redemption';
  status: 'prepared' | 'sent';
  chain_id: number;
  token_address: string;
  sender: string;
  from_block: string;
  nonce: string | null;
  tx_hash: Hex | null;
  attempts: number;
}

/**
 * Points a test can crash at (the hook throws): after the batch row is committed (prepared),
 * after the processed() check (checked), after the nonce is recorded (nonce), after the
 * transaction went out but before its hash is recorded (sent), after it is (recorded).
 */
export type RelayerStep = 'prepared' | 'checked' | 'nonce' | 'sent' | 'recorded';

export type AdvanceHook = (step: RelayerStep, batchId: string) => void | Promise<void>;

export interface RunCounts {
  batchesSent: number;
  confirmed: number;
  failed: number;
  retried: number;
}

/** One relayer run's context, shared by the batches it advances. */
export interface RelayerRun {
  db: Db;
  chain: RelayerChain;
  now: Date;
  backoff: Backoff;
  step(step: RelayerStep, batchId: string): Promise<void>;
  /** The nonce after this run's last send (a node's pending count may lag behind it). */
  nextNonce: bigint | null;
  counts: RunCounts;
}

const txIdOfEntry = (e: QueueEntry) => txIdOf(e.id).toLowerCase();

/**
 * Moves one open batch as far as the chain allows: confirms the entries the chain shows at the
 * required depth, fails those the contract refuses for good, sends the others (only after asking
 * the contract which it already applied) and records the hash. Safe to repeat at any point.
 */
export async function advanceBatch(run: RelayerRun, batch: BatchRow): Promise<void> {
  const { db, chain } = run;
  const entries = (await db.query<QueueEntry>(OPEN_ENTRIES_SQL, [batch.id])).rows;
  if (entries.length === 0) return finish(run, batch);
  const head = await headBlock(chain);
  let rest = entries;
  let reverted = false;
  if (batch.tx_hash) {
    const receipt = await receiptOrNull(chain, batch.tx_hash);
    if (receipt) {
      if (head - receipt.blockNumber + 1n < BigInt(chain.confirmations)) return;
      await db.query(BATCH_BLOCK_SQL, [batch.id, receipt.blockNumber.toString()]);
      if (receipt.status === 'success') {
        const applied = appliedTxIds(chain, receipt.logs);
        const done = entries.filter((e) => applied.has(txIdOfEntry(e)));
        await confirm(run, batch, done, () => batch.tx_hash);
        rest = entries.filter((e) => !applied.has(txIdOfEntry(e)));
      } else reverted = true;
    } else if (await transactionKnown(chain, batch.tx_hash)) return; // still in the node's pool
  }
  if (rest.length === 0) return finish(run, batch);

  // Before any (re)send: what did the contract already apply (a send whose hash was lost)?
  const onChain = await readProcessed(chain, rest.map(txIdOfEntry) as Hex[], head);
  const applied = rest.filter((_, i) => onChain[i]);
  const deepBlock = head - BigInt(chain.confirmations) + 1n;
  let deep = applied;
  if (chain.confirmations > 1 && applied.length > 0) {
    const flags = await readProcessed(chain, applied.map(txIdOfEntry) as Hex[], deepBlock);
    deep = applied.filter((_, i) => flags[i]);
  }
  if (deep.length > 0) {
    const first = await db.query<{ from_block: string }>(FIRST_BLOCK_SQL, [deep.map((e) => e.id)]);
    const hashes = await findApplyingTransactions(chain, BigInt(first.rows[0]?.from_block ?? '0'), deepBlock);
    await confirm(run, batch, deep, (e) => hashes.get(txIdOfEntry(e)) ?? null);
  }
  const toSend = rest.filter((_, i) => !onChain[i]);
  await run.step('checked', batch.id);
  if (toSend.length === 0) {
    if (deep.length === applied.length) await finish(run, batch);
    return;
  }
  // Reverted in a block although its simulation passed: not resent at once, but after a backoff.
  if (reverted) return retryLater(run, batch, toSend, `reverted on-chain in ${batch.tx_hash}`);
  await send(run, batch, toSend);
}

async function confirm(
  run: RelayerRun,
  batch: BatchRow,
  entries: readonly QueueEntry[],
  hashOf: (e: QueueEntry) => Hex | null,
): Promise<void> {
  if (entries.length === 0) return;
  const res = await run.db.query(CONFIRM_ENTRIES_SQL, [
    batch.id,
    entries.map((e) => e.id),
    entries.map((e) => hashOf(e)?.toLowerCase() ?? null),
    run.now,
  ]);
  run.counts.confirmed += res.rowCount;
}

async function finish(run: RelayerRun, batch: BatchRow): Promise<void> {
  await run.db.query(FINISH_BATCH_SQL, [batch.id, run.now]);
}

/** Back to the queue with backoff; the batch keeps the error and settles if nothing is left open. */
async function retryLater(run: RelayerRun, batch: BatchRow, entries: readonly QueueEntry[], error: string) {
  const { baseSeconds, maxSeconds } = run.backoff;
  const res = await run.db.query(RETRY_ENTRIES_SQL, [
    run.now,
    baseSeconds,
    maxSeconds,
    error,
    batch.id,
    entries.map((e) => e.id),
  ]);
  run.counts.retried += res.rowCount;
  await run.db.query(BATCH_ERROR_SQL, [batch.id, error, run.now]);
  await finish(run, batch);
}

/** The contract call's data: one redemption, or the batch of rewards. */
function calldataOf(batch: BatchRow, entries: readonly QueueEntry[]): Hex {
  if (batch.kind === 'redemption') {
    const [e] = entries as [QueueEntry];
    return encodeFunctionData({
      abi: portfolioTokenAbi,
      functionName: 'redeem',
      args: [e.wallet, domainIdOf(e.host), BigInt(e.amount_wei), txIdOf(e.id)],
    });
  }
  return encodeFunctionData({
    abi: portfolioTokenAbi,
    functionName: 'distributeDomainRewardsBatch',
    args: [
      entries.map((e) => ({
        user: e.wallet,
        domainId: domainIdOf(e.host),
        amount: BigInt(e.amount_wei),
        aiOptimized: e.ai_optimized,
        txId: txIdOf(e.id),
      })),
    ],
  });
}

async function simulate(
  run: RelayerRun,
  batch: BatchRow,
  entries: readonly QueueEntry[],
): Promise<ChainFailure | null> {
  const { chain } = run;
  try {
    await chain.publicClient.call({
      account: chain.walletClient.account ?? chain.account,
      to: chain.tokenAddress,
      data: calldataOf(batch, entries),
    });
    return null;
  } catch (err) {
    return describeChainError(err);
  }
}

/** The entries a permanent revert is about: from the error's arguments, else one by one. */
async function culpritsOf(
  run: RelayerRun,
  batch: BatchRow,
  failure: ChainFailure & { kind: 'revert' },
  entries: readonly QueueEntry[],
): Promise<QueueEntry[]> {
  const [arg] = failure.args;
  switch (failure.errorName) {
    case 'DomainNotActive':
      return entries.filter((e) => domainIdOf(e.host) === String(arg).toLowerCase());
    case 'AmountAboveCap':
      return entries.filter((e) => BigInt(e.amount_wei) === arg);
  }
  if (entries.length === 1) return [...entries];
  const out: QueueEntry[] = [];
  for (const e of entries) {
    const alone = await simulate(run, batch, [e]);
    if (alone?.kind === 'revert' && PERMANENT_REVERTS.has(alone.errorName)) out.push(e);
  }
  return out;
}

/**
 * Simulates the call, takes out what the contract refuses for good (with its users' later
 * entries, which must wait behind them), then sends with the next nonce and records the hash.
 */
async function send(run: RelayerRun, batch: BatchRow, toSend: QueueEntry[]): Promise<void> {
  const { db, chain } = run;
  let entries = toSend;
  for (;;) {
    const failure = await simulate(run, batch, entries);
    if (!failure) break;
    // A redemption applied since the processed() check: the next advance confirms it.
    if (failure.kind === 'revert' && failure.errorName === 'TxAlreadyProcessed') return;
    const culprits =
      failure.kind === 'revert' && PERMANENT_REVERTS.has(failure.errorName)
        ? await culpritsOf(run, batch, failure, entries)
        : [];
    if (culprits.length === 0) return retryLater(run, batch, entries, failureText(failure));
    const failed = await db.query(FAIL_ENTRIES_SQL, [
      batch.id,
      culprits.map((e) => e.id),
      failureText(failure),
      run.now,
    ]);
    run.counts.failed += failed.rowCount;
    const firstFailedSeq = new Map<string, bigint>();
    for (const c of culprits) {
      const seq = BigInt(c.seq);
      const known = firstFailedSeq.get(c.user_id);
      if (known === undefined || seq < known) firstFailedSeq.set(c.user_id, seq);
    }
    const failedIds = new Set(culprits.map((c) => c.id));
    const waiting = entries.filter((e) => {
      const first = firstFailedSeq.get(e.user_id);
      return !failedIds.has(e.id) && first !== undefined && BigInt(e.seq) > first;
    });
    if (waiting.length > 0)
      await db.query(REQUEUE_ENTRIES_SQL, [batch.id, waiting.map((e) => e.id), run.now]);
    const waitingIds = new Set(waiting.map((e) => e.id));
    entries = entries.filter((e) => !failedIds.has(e.id) && !waitingIds.has(e.id));
    if (entries.length === 0) return finish(run, batch);
  }

  let nonce: bigint;
  let hash: Hex;
  try {
    const pending = await chain.publicClient.getTransactionCount({
      address: chain.account,
      blockTag: 'pending',
    });
    nonce = BigInt(pending);
    if (run.nextNonce !== null && run.nextNonce > nonce) nonce = run.nextNonce;
  } catch (err) {
    return retryLater(run, batch, entries, failureText(describeChainError(err)));
  }
  await db.query(BATCH_NONCE_SQL, [batch.id, nonce.toString(), run.now]);
  await run.step('nonce', batch.id);
  try {
    const account = chain.walletClient.account ?? chain.account;
    hash = await chain.walletClient.sendTransaction({
      account,
      chain: chain.walletClient.chain ?? null,
      to: chain.tokenAddress,
      data: calldataOf(batch, entries),
      nonce: Number(nonce),
    });
  } catch (err) {
    // Maybe sent after all (the answer was lost): the next attempt's processed() check tells.
    return retryLater(run, batch, entries, failureText(describeChainError(err)));
  }
  run.nextNonce = nonce + 1n;
  run.counts.batchesSent += 1;
  await run.step('sent', batch.id);
  await db.query(BATCH_SENT_SQL, [batch.id, hash.toLowerCase(), run.now]);
  batch.status = 'sent';
  batch.tx_hash = hash;
  await run.step('recorded', batch.id);
}
