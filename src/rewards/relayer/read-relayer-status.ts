import { requireReader } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import { type ChainStatus, ChainStatus as ChainStatusEnum } from '../ledger/api-schemas.ts';
import type { RelayerBatchOut, RelayerStatusOut, RelayerStatusQuery } from './relayer-api-schemas.ts';

const STATE_SQL = `SELECT rpc_up, rpc_checked_at, rpc_down_since, rpc_last_error, last_run_at FROM relayer_state`;

const QUEUE_SQL = `
SELECT chain_status, count(*)::int AS n,
       min(created_at) FILTER (WHERE chain_status IN ('pending', 'submitted')) AS oldest,
       min(chain_next_attempt_at) FILTER (WHERE chain_status = 'pending' AND chain_next_attempt_at > $1) AS next_attempt
  FROM ledger_transactions GROUP BY chain_status`;

const LAST_ERROR_SQL = `
SELECT chain_last_error FROM ledger_transactions
 WHERE chain_last_error IS NOT NULL AND chain_status <> 'confirmed'
 ORDER BY chain_updated_at DESC NULLS LAST, seq DESC LIMIT 1`;

// Newest first; under a scope, only batches with entries the caller sees, counted as it sees them.
const RECENT_BATCHES_SQL = `
SELECT b.id, b.kind, b.status, b.tx_hash, b.nonce::text AS nonce, b.block_number::text AS block_number,
       b.attempts, b.last_error, b.created_at, b.sent_at, b.settled_at, e.*
  FROM relayer_batches b
  CROSS JOIN LATERAL (
    SELECT count(*)::int AS entries,
           (count(*) FILTER (WHERE be.state = 'confirmed'))::int AS confirmed,
           (count(*) FILTER (WHERE be.state = 'failed'))::int AS failed,
           (count(*) FILTER (WHERE be.state = 'released'))::int AS released
      FROM relayer_batch_entries be WHERE be.batch_id = b.id) e
 WHERE e.entries > 0
 ORDER BY b.created_at DESC, b.id
 LIMIT $1`;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * The relayer's queue for the dashboard: the RPC as the last run saw it, ledger transactions by
 * chain status, the oldest waiting one, and the recent batches with their tx hashes — within the
 * caller's scope (a domain-scoped operator counts its domains' transactions only).
 */
export async function readRelayerStatus({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: RelayerStatusQuery;
}): Promise<RelayerStatusOut> {
  requireReader(ctx.actor);
  return ctx.db.transaction(
    async (tx) => {
      const state = (
        await tx.query<{
          rpc_up: boolean | null;
          rpc_checked_at: Date | null;
          rpc_down_since: Date | null;
          rpc_last_error: string | null;
          last_run_at: Date | null;
        }>(STATE_SQL)
      ).rows[0];
      const queueRows = (
        await tx.query<{
          chain_status: ChainStatus;
          n: number;
          oldest: Date | null;
          next_attempt: Date | null;
        }>(QUEUE_SQL, [ctx.now])
      ).rows;
      const queue = Object.fromEntries(ChainStatusEnum.options.map((s) => [s, 0])) as Record<
        ChainStatus,
        number
      >;
      let oldest: Date | null = null;
      let nextAttempt: Date | null = null;
      for (const r of queueRows) {
        queue[r.chain_status] = r.n;
        if (r.oldest && (!oldest || new Date(r.oldest) < oldest)) oldest = new Date(r.oldest);
        if (r.next_attempt && (!nextAttempt || new Date(r.next_attempt) < nextAttempt))
          nextAttempt = new Date(r.next_attempt);
      }
      const lastError = (await tx.query<{ chain_last_error: string }>(LAST_ERROR_SQL)).rows[0];
      const batches = await tx.query<{
        id: string;
        kind: RelayerBatchOut['kind'];
        status: RelayerBatchOut['status'];
        tx_hash: string | null;
        nonce: string | null;
        block_number: string | null;
        attempts: number;
        last_error: string | null;
        created_at: Date;
        sent_at: Date | null;
        settled_at: Date | null;
        entries: number;
        confirmed: number;
        failed: number;
        released: number;
      }>(RECENT_BATCHES_SQL, [input.recentBatches]);
      return {
        rpc: {
          up: state?.rpc_up ?? null,
          checkedAt: iso(state?.rpc_checked_at ?? null),
          downSince: iso(state?.rpc_down_since ?? null),
          lastError: state?.rpc_last_error ?? null,
        },
        lastRunAt: iso(state?.last_run_at ?? null),
        queue,
        oldestPendingAt: iso(oldest),
        oldestPendingSeconds: oldest ? Math.max(0, (ctx.now.getTime() - oldest.getTime()) / 1000) : null,
        nextAttemptAt: iso(nextAttempt),
        lastError: lastError?.chain_last_error ?? null,
        recentBatches: batches.rows.map((b) => ({
          id: b.id,
          kind: b.kind,
          status: b.status,
          entries: b.entries,
          confirmed: b.confirmed,
          failed: b.failed,
          released: b.released,
          txHash: b.tx_hash,
          nonce: b.nonce,
          blockNumber: b.block_number,
          attempts: b.attempts,
          lastError: b.last_error,
          createdAt: b.created_at.toISOString(),
          sentAt: iso(b.sent_at),
          settledAt: iso(b.settled_at),
        })),
      };
    },
    { scope: ctx.actor.scope },
  );
}
