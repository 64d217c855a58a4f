import { randomUUID } from 'node:crypto';
import { systemActor } from '../../auth/actor.ts';
import type { Db } from '../../db/types.ts';
import { type PeriodicJob, startPeriodicJob } from '../../shared/periodic-job.ts';
import { type PublishPendingResult, publishPending } from './publish-pending.ts';
import { type ReconcileChain, type ReconcileLedgerResult, reconcileLedger } from './reconcile-ledger.ts';
import type { RelayerChain } from './relayer-chain.ts';

export interface JobLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RelayerJobOptions {
  db: Db;
  chain: RelayerChain;
  log: JobLog;
  /** RELAYER_INTERVAL_SECONDS (default 15); 0: no timer, only runNow(). */
  intervalSeconds: number;
  /** RELAYER_BATCH_SIZE (default 100). */
  batchSize?: number;
  now?: () => Date;
}

/**
 * Publishes the ledger's pending transactions every `intervalSeconds`, starting at once (a crash's
 * open batches are finished first). Runs never overlap here, and the lease keeps other servers out.
 */
export function startRelayer(options: RelayerJobOptions): PeriodicJob<PublishPendingResult> {
  const now = options.now ?? (() => new Date());
  const actor = systemActor('relayer');
  const instanceId = randomUUID();
  let rpcWasUp = true;
  return startPeriodicJob<PublishPendingResult>({
    run: async () => {
      const result = await publishPending({
        ctx: { db: options.db, actor, now: now() },
        input: {
          chain: options.chain,
          instanceId,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
        },
      });
      // One line per change of the RPC's state, not one per run of an outage.
      if (result.rpcUp === false && rpcWasUp)
        options.log.warn(
          { error: result.error },
          'relayer: the chain RPC is unreachable; entries stay pending',
        );
      if (result.rpcUp === true && !rpcWasUp) options.log.info({}, 'relayer: the chain RPC answers again');
      if (result.rpcUp !== null) rpcWasUp = result.rpcUp;
      if (result.batchesSent + result.confirmed + result.failed > 0)
        options.log.info({ relayer: result }, 'relayer published ledger transactions');
      if (result.failed > 0)
        options.log.error(
          { failed: result.failed },
          'relayer: the contract refused ledger transactions for good',
        );
      return result;
    },
    delayMs: options.intervalSeconds > 0 ? options.intervalSeconds * 1000 : 0,
    runAtStart: options.intervalSeconds > 0,
    onError: (err) => options.log.error({ err }, 'relayer run failed; retrying at the next run'),
  });
}

export interface ReconciliationJobOptions {
  db: Db;
  chain: ReconcileChain;
  log: JobLog;
  /** RECONCILIATION_MINUTES (default 10); 0: no timer, only runNow(). */
  minutes: number;
  now?: () => Date;
}

/** Reconciles the ledger with the token every `minutes`; a difference is logged and alerted on. */
export function startReconciliation(options: ReconciliationJobOptions): PeriodicJob<ReconcileLedgerResult> {
  const now = options.now ?? (() => new Date());
  const actor = systemActor('reconciliation');
  return startPeriodicJob<ReconcileLedgerResult>({
    run: async () => {
      const result = await reconcileLedger({
        ctx: { db: options.db, actor, now: now() },
        input: { chain: options.chain },
      });
      if (result.status === 'differences')
        options.log.error(
          { run: result.runId, differences: result.differences, supplyDiffers: result.supplyDiffers },
          'reconciliation: the token differs from the ledger',
        );
      else if (result.status === 'error')
        options.log.warn(
          { run: result.runId, error: result.error },
          'reconciliation could not read the chain',
        );
      return result;
    },
    delayMs: options.minutes > 0 ? options.minutes * 60_000 : 0,
    onError: (err) => options.log.error({ err }, 'reconciliation failed; retrying at the next run'),
  });
}
