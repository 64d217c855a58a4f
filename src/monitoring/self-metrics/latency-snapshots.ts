import type { Db } from '../../db/types.ts';
import { startPeriodicJob } from '../../shared/periodic-job.ts';
import { type SnapshotResult, snapshotLatency } from './latency-history.sql.ts';
import type { SelfMetrics } from './registry.ts';

export interface LatencySnapshotLog {
  error(obj: object, msg?: string): void;
}

export interface LatencySnapshotOptions {
  db: Db;
  metrics: SelfMetrics;
  /** Seconds between snapshots (default 300); 0: only runNow() and the final one at stop(). */
  intervalSeconds?: number;
  log: LatencySnapshotLog;
  now?: () => Date;
}

export interface LatencySnapshots {
  runNow(): Promise<SnapshotResult>;
  /** Writes what is still in memory, then stops: a graceful restart loses no hour's requests. */
  stop(): Promise<void>;
}

/** Writes the in-memory latency buckets to request_latency_hourly every interval; runs never overlap. */
export function startLatencySnapshots(options: LatencySnapshotOptions): LatencySnapshots {
  const now = options.now ?? (() => new Date());
  return startPeriodicJob({
    run: () => snapshotLatency(options.db, options.metrics, now()),
    delayMs: (options.intervalSeconds ?? 300) * 1000,
    onError: (err, run) =>
      options.log.error(
        { err },
        run === 'stop' ? 'final latency snapshot failed' : 'latency snapshot failed; kept for the next one',
      ),
    runAtStop: true,
  });
}
