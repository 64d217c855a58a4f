import { randomUUID } from 'node:crypto';
import type { Address } from 'viem';
import { requireUnscopedAdmin } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import { portfolioTokenAbi } from '../chain/artifacts/portfolio-token.ts';
import { TREASURY_ALLOCATION } from '../rules/token-constants.ts';
import { describeChainError, failureText } from './chain-errors.ts';
import {
  ALL_TOTALS_SQL,
  INSERT_DIFFERENCES_SQL,
  INSERT_RUN_SQL,
  type LedgerTotalsRow,
  USER_TOTALS_SQL,
} from './reconciliation.sql.ts';
import { headBlock, mapWithLimit, READ_CONCURRENCY, type RelayerChain } from './relayer-chain.ts';

export type ReconcileChain = Pick<RelayerChain, 'chainId' | 'publicClient' | 'tokenAddress'>;

export interface ReconcileLedgerInput {
  chain: ReconcileChain;
  /** Contract reads in flight at once (default READ_CONCURRENCY). */
  concurrency?: number;
}

export interface UserDifference {
  userId: string;
  wallet: string;
  ledgerEarnedWei: string;
  ledgerEarnedInFlightWei: string;
  chainEarnedWei: string;
  ledgerRedeemedWei: string;
  ledgerRedeemedInFlightWei: string;
  chainRedeemedWei: string;
}

export interface ReconcileLedgerResult {
  runId: string;
  status: 'ok' | 'differences' | 'error';
  blockNumber: string | null;
  usersChecked: number;
  /** Users that differ, plus one when the total supply does. */
  differences: number;
  users: UserDifference[];
  supplyDiffers: boolean;
  error: string | null;
  ms: number;
}

interface UserTotals extends LedgerTotalsRow {
  user_id: string;
  wallet: Address;
}

const big = (s: string | undefined) => BigInt(s ?? '0');

/**
 * Compares, per user with a payout wallet, the ledger's confirmed earned and redeemed totals with
 * the contract's rewardsOf / redeemedOf (never balanceOf: users may transfer), and the total supply
 * with treasury + rewards − redemptions; records the run and the users that differ.
 *
 * The chain is read at one block between two reads of the ledger, so a transaction the relayer
 * confirms meanwhile is no false alarm: the chain must show at least what the ledger had confirmed
 * before, and at most what it had confirmed or sent after.
 */
export async function reconcileLedger({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: ReconcileLedgerInput;
}): Promise<ReconcileLedgerResult> {
  requireUnscopedAdmin(ctx.actor);
  const started = performance.now();
  const { db, now } = ctx;
  const { chain } = input;
  const runId = randomUUID();
  const record = async (r: Omit<ReconcileLedgerResult, 'runId' | 'ms'>, supply: (string | null)[]) => {
    const ms = Math.round(performance.now() - started);
    await db.transaction(async (tx) => {
      await tx.query(INSERT_RUN_SQL, [
        runId,
        r.status,
        now,
        new Date(now.getTime() + ms),
        chain.chainId,
        chain.tokenAddress.toLowerCase(),
        r.blockNumber,
        r.usersChecked,
        r.differences,
        ...supply,
        r.error,
        ms,
      ]);
      if (r.users.length > 0)
        await tx.query(INSERT_DIFFERENCES_SQL, [
          runId,
          r.users.map((u) => u.userId),
          r.users.map((u) => u.wallet),
          r.users.map((u) => u.ledgerEarnedWei),
          r.users.map((u) => u.ledgerEarnedInFlightWei),
          r.users.map((u) => u.chainEarnedWei),
          r.users.map((u) => u.ledgerRedeemedWei),
          r.users.map((u) => u.ledgerRedeemedInFlightWei),
          r.users.map((u) => u.chainRedeemedWei),
        ]);
    });
    return { ...r, runId, ms };
  };

  const before = (await db.query<UserTotals>(USER_TOTALS_SQL)).rows;
  const totalBefore = (await db.query<LedgerTotalsRow>(ALL_TOTALS_SQL)).rows[0];
  let block: bigint;
  let onChain: { earned: bigint; redeemed: bigint }[];
  let supply: bigint;
  try {
    block = await headBlock(chain);
    const read = { address: chain.tokenAddress, abi: portfolioTokenAbi, blockNumber: block } as const;
    onChain = await mapWithLimit(before, input.concurrency ?? READ_CONCURRENCY, async (u) => {
      const [earned, redeemed] = await chain.publicClient.readContract({
        ...read,
        functionName: 'getUserDomainSummary',
        args: [u.wallet],
      });
      return { earned, redeemed };
    });
    supply = await chain.publicClient.readContract({ ...read, functionName: 'totalSupply' });
  } catch (err) {
    const error = failureText(describeChainError(err));
    return record(
      {
        status: 'error',
        blockNumber: null,
        usersChecked: 0,
        differences: 0,
        users: [],
        supplyDiffers: false,
        error,
      },
      [null, null, null],
    );
  }
  const after = new Map((await db.query<UserTotals>(USER_TOTALS_SQL)).rows.map((u) => [u.user_id, u]));
  const totalAfter = (await db.query<LedgerTotalsRow>(ALL_TOTALS_SQL)).rows[0];

  const users: UserDifference[] = [];
  for (const [i, u] of before.entries()) {
    const chainSide = onChain[i] as { earned: bigint; redeemed: bigint };
    const later = after.get(u.user_id) ?? u;
    const earnedMax = big(later.earned) + big(later.earned_in_flight);
    const redeemedMax = big(later.redeemed) + big(later.redeemed_in_flight);
    const earnedOk = chainSide.earned >= big(u.earned) && chainSide.earned <= earnedMax;
    const redeemedOk = chainSide.redeemed >= big(u.redeemed) && chainSide.redeemed <= redeemedMax;
    if (earnedOk && redeemedOk) continue;
    users.push({
      userId: u.user_id,
      wallet: u.wallet,
      ledgerEarnedWei: later.earned,
      ledgerEarnedInFlightWei: later.earned_in_flight,
      chainEarnedWei: chainSide.earned.toString(),
      ledgerRedeemedWei: later.redeemed,
      ledgerRedeemedInFlightWei: later.redeemed_in_flight,
      chainRedeemedWei: chainSide.redeemed.toString(),
    });
  }
  // Every mint but the treasury's is a reward and every burn a redemption.
  const supplyMin =
    TREASURY_ALLOCATION +
    big(totalBefore?.earned) -
    big(totalAfter?.redeemed) -
    big(totalAfter?.redeemed_in_flight);
  const supplyMax =
    TREASURY_ALLOCATION +
    big(totalAfter?.earned) +
    big(totalAfter?.earned_in_flight) -
    big(totalBefore?.redeemed);
  const supplyDiffers = supply < supplyMin || supply > supplyMax;
  const differences = users.length + (supplyDiffers ? 1 : 0);
  return record(
    {
      status: differences > 0 ? 'differences' : 'ok',
      blockNumber: block.toString(),
      usersChecked: before.length,
      differences,
      users,
      supplyDiffers,
      error: null,
    },
    [supply.toString(), supplyMin.toString(), supplyMax.toString()],
  );
}
