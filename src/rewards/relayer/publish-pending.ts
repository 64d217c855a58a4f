import { randomUUID } from 'node:crypto';
import { BaseError } from 'viem';
import { requireUnscopedAdmin } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import {
  type AdvanceHook,
  advanceBatch,
  type BatchRow,
  type QueueEntry,
  type RelayerRun,
} from './advance-batch.ts';
import { type Backoff, DEFAULT_BACKOFF } from './backoff.ts';
import { describeChainError, failureText } from './chain-errors.ts';
import { headBlock, type RelayerChain } from './relayer-chain.ts';
import {
  DEFER_DUE_SQL,
  INSERT_BATCH_ENTRIES_SQL,
  INSERT_BATCH_SQL,
  MARK_SUBMITTED_SQL,
  OPEN_BATCHES_SQL,
  RELEASE_LEASE_SQL,
  REQUEUE_ENTRIES_SQL,
  RPC_DOWN_SQL,
  RPC_UP_SQL,
  SELECT_DUE_SQL,
  TAKE_LEASE_SQL,
  WALLET_LINKED_SQL,
  WALLET_MISSING_SQL,
} from './relayer-queue.sql.ts';

/** RELAYER_BATCH_SIZE's default: ~100 rewards fit a block's gas comfortably. */
export const DEFAULT_BATCH_SIZE = 100;
/** Batches a run prepares at most; what is left waits for the next run. */
export const DEFAULT_MAX_BATCHES = 10;
/** A crashed run's lease lapses after this; a live run renews it before each batch. */
export const LEASE_SECONDS = 300;

export interface PublishPendingInput {
  chain: RelayerChain;
  batchSize?: number;
  maxBatches?: number;
  backoff?: Backoff;
  /** Identifies this relayer instance in the lease (a random one per call when omitted). */
  instanceId?: string;
  /** Called at each crash-relevant point (see RelayerStep); a test throws here to simulate a crash. */
  onStep?: AdvanceHook;
}

export interface PublishPendingResult {
  /** False when another relayer instance holds the lease: this run did nothing. */
  ran: boolean;
  /** Whether the RPC answered; null when the run did not get that far. */
  rpcUp: boolean | null;
  head: string | null;
  batchesPrepared: number;
  batchesSent: number;
  confirmed: number;
  failed: number;
  /** Entries sent back to the queue with backoff (an outage, a pause, a missing role…). */
  retried: number;
  /** Pending entries of users without a payout wallet (set aside as awaiting_wallet). */
  awaitingWallet: number;
  error: string | null;
  ms: number;
}

/**
 * The relayer: publishes the ledger's pending transactions on the token, exactly once (ADR 0013;
 * docs/relayer.md). Finishes the open batches first (a crash's leftovers, those waiting for
 * confirmations), then prepares new ones in seq order and sends them. An unreachable RPC leaves
 * everything pending with backoff and is recorded for the relayer_rpc_up alert.
 */
export async function publishPending({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: PublishPendingInput;
}): Promise<PublishPendingResult> {
  requireUnscopedAdmin(ctx.actor);
  const started = performance.now();
  const { db, now } = ctx;
  const { chain } = input;
  const owner = input.instanceId ?? randomUUID();
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const result: PublishPendingResult = {
    ran: false,
    rpcUp: null,
    head: null,
    batchesPrepared: 0,
    batchesSent: 0,
    confirmed: 0,
    failed: 0,
    retried: 0,
    awaitingWallet: 0,
    error: null,
    ms: 0,
  };
  const takeLease = async () => (await db.query(TAKE_LEASE_SQL, [owner, LEASE_SECONDS])).rowCount > 0;
  const keepLease = async () => {
    if (!(await takeLease())) throw new Error('the relayer lease was taken over by another instance');
  };
  if (!(await takeLease())) return { ...result, ms: Math.round(performance.now() - started) };
  result.ran = true;
  const backoff = input.backoff ?? DEFAULT_BACKOFF;
  const run: RelayerRun = {
    db,
    chain,
    now,
    backoff,
    step: async (step, batchId) => {
      await input.onStep?.(step, batchId);
    },
    nextNonce: null,
    counts: { batchesSent: 0, confirmed: 0, failed: 0, retried: 0 },
  };
  try {
    let head: bigint;
    try {
      head = await headBlock(chain);
    } catch (err) {
      return await rpcDown(err);
    }
    result.rpcUp = true;
    result.head = head.toString();
    await db.query(RPC_UP_SQL, [now]);
    await db.query(WALLET_LINKED_SQL, [now]);
    result.awaitingWallet = (await db.query(WALLET_MISSING_SQL, [now])).rowCount;

    // A pass that (re)sent something is followed by one more, which settles what it sent.
    const settleOpen = async () => {
      for (let pass = 0; pass < 2; pass++) {
        const sent = run.counts.batchesSent;
        for (const batch of (await db.query<BatchRow>(OPEN_BATCHES_SQL)).rows) {
          await keepLease();
          if (!sameToken(batch, chain)) await releaseForeign(run, batch);
          else await advanceBatch(run, batch);
        }
        if (run.counts.batchesSent === sent) return;
      }
    };
    await settleOpen();
    for (let round = 0; round < (input.maxBatches ?? DEFAULT_MAX_BATCHES); round++) {
      await keepLease();
      const due = (await db.query<QueueEntry>(SELECT_DUE_SQL, [now, batchSize])).rows;
      if (due.length === 0) break;
      const batches = await prepare(run, due, head);
      result.batchesPrepared += batches.length;
      for (const batch of batches) {
        await run.step('prepared', batch.id);
        await advanceBatch(run, batch);
      }
      await settleOpen();
    }
  } catch (err) {
    // A node that stops answering mid-run: what was prepared stays open for the next run.
    if (!(err instanceof BaseError)) throw err;
    return await rpcDown(err);
  } finally {
    await db.query(RELEASE_LEASE_SQL, [owner, now]);
    Object.assign(result, run.counts);
    result.ms = Math.round(performance.now() - started);
  }
  return result;

  async function rpcDown(err: unknown): Promise<PublishPendingResult> {
    const error = failureText(describeChainError(err));
    await db.query(RPC_DOWN_SQL, [now, error]);
    const deferred = await db.query(DEFER_DUE_SQL, [now, backoff.baseSeconds, backoff.maxSeconds, error]);
    run.counts.retried += deferred.rowCount;
    result.rpcUp = false;
    result.error = error;
    return result;
  }
}

function sameToken(batch: BatchRow, chain: RelayerChain): boolean {
  return batch.chain_id === chain.chainId && batch.token_address === chain.tokenAddress.toLowerCase();
}

/**
 * A batch of another chain or token (the token was redeployed, the embedded chain reset): the new
 * token never saw its entries, so they go back to the queue and are published there.
 */
async function releaseForeign(run: RelayerRun, batch: BatchRow): Promise<void> {
  const open = await run.db.query<{ transaction_id: string }>(
    "SELECT transaction_id FROM relayer_batch_entries WHERE batch_id = $1 AND state = 'open'",
    [batch.id],
  );
  await run.db.query(REQUEUE_ENTRIES_SQL, [batch.id, open.rows.map((r) => r.transaction_id), run.now]);
  await run.db.query(
    `UPDATE relayer_batches SET status = 'abandoned', settled_at = $2, updated_at = $2,
            last_error = 'the relayer now publishes to another chain or token' WHERE id = $1`,
    [batch.id, run.now],
  );
}

/**
 * Step (a): records the batches — the due rewards as one batch call, each redemption as its own
 * call — and marks their entries submitted, in one transaction, before anything is sent.
 */
async function prepare(run: RelayerRun, due: QueueEntry[], head: bigint): Promise<BatchRow[]> {
  const rewards = due.filter((e) => e.kind === 'reward');
  const groups: { kind: BatchRow['kind']; entries: QueueEntry[] }[] = [
    ...(rewards.length > 0 ? [{ kind: 'reward' as const, entries: rewards }] : []),
    ...due.filter((e) => e.kind === 'redemption').map((e) => ({ kind: 'redemption' as const, entries: [e] })),
  ];
  const { chain } = run;
  const batches: BatchRow[] = groups.map((g) => ({
    id: randomUUID(),
    kind: g.kind,
    status: 'prepared',
    chain_id: chain.chainId,
    token_address: chain.tokenAddress.toLowerCase(),
    sender: chain.account.toLowerCase(),
    from_block: head.toString(),
    nonce: null,
    tx_hash: null,
    attempts: 0,
  }));
  await run.db.transaction(async (tx) => {
    const entryColumns: unknown[][] = [[], [], [], []];
    for (const [i, g] of groups.entries()) {
      const b = batches[i] as BatchRow;
      await tx.query(INSERT_BATCH_SQL, [
        b.id,
        b.kind,
        b.chain_id,
        b.token_address,
        b.sender,
        b.from_block,
        g.entries.length,
        run.now,
      ]);
      for (const [position, e] of g.entries.entries()) {
        entryColumns[0]?.push(b.id);
        entryColumns[1]?.push(e.id);
        entryColumns[2]?.push(position);
        entryColumns[3]?.push(e.wallet.toLowerCase());
      }
    }
    await tx.query(INSERT_BATCH_ENTRIES_SQL, entryColumns);
    const marked = await tx.query(MARK_SUBMITTED_SQL, [due.map((e) => e.id), run.now]);
    if (marked.rowCount !== due.length)
      throw new Error(
        `ledger transactions changed while a batch was prepared (${marked.rowCount}/${due.length})`,
      );
  });
  return batches;
}
