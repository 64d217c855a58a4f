import type { Db } from '../../db/types.ts';
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
  const intervalMs = (options.intervalSeconds ?? 300) * 1000;
  let chain: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  function runNow(): Promise<SnapshotResult> {
    const run = chain.then(() => snapshotLatency(options.db, options.metrics, now()));
    chain = run.catch(() => undefined);
    return run;
  }

  function schedule(): void {
    if (stopped || intervalMs <= 0) return;
    timer = setTimeout(() => {
      timer = null;
      runNow()
        .catch((err) => options.log.error({ err }, 'latency snapshot failed; kept for the next one'))
        .finally(schedule);
    }, intervalMs);
    timer.unref();
  }

  schedule();
  return {
    runNow,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await runNow().catch((err) => options.log.error({ err }, 'final latency snapshot failed'));
    },
  };
}
