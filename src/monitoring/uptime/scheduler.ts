import type { Db } from '../../db/types.ts';
import { startPeriodicJob } from '../../shared/periodic-job.ts';
import type { UptimeConfig } from './check-schema.ts';
import type { TlsOptions } from './run-check.ts';
import { type CheckRun, runDueChecks } from './run-due-checks.ts';

export interface UptimeLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface UptimeSchedulerOptions {
  db: Db;
  log: UptimeLog;
  /** Read at every tick, so a reloaded portfolio applies without a restart. */
  config?: () => UptimeConfig | undefined;
  /** Seconds between two looks for due checks (default 10); a check runs every intervalSeconds. */
  tickSeconds?: number;
  /** Check results older than this are deleted, hourly (default 90 days; incidents are kept). */
  retentionDays?: number;
  tls?: TlsOptions;
  /** Incidents opened or closed and TLS warnings, for the alerting side. */
  onRuns?: (runs: CheckRun[]) => void | Promise<void>;
  now?: () => Date;
}

export interface UptimeScheduler {
  /** Waits for the tick in progress, then stops. */
  stop(): Promise<void>;
  /** Runs due checks now (after the tick in progress, never alongside it). */
  runNow(): Promise<CheckRun[]>;
}

const HOUR_MS = 3_600_000;

/** Deletes check results older than the retention; returns how many. */
export async function pruneUptimeChecks(db: Db, before: Date): Promise<number> {
  const res = await db.query('DELETE FROM uptime_checks WHERE checked_at < $1', [before]);
  return res.rowCount;
}

/**
 * Looks for due checks every tick; ticks never overlap and a failed tick is logged and retried.
 * One instance should run it (on PostgreSQL with several instances, the lead elects one).
 */
export function startUptimeScheduler(options: UptimeSchedulerOptions): UptimeScheduler {
  const now = options.now ?? (() => new Date());
  const tickMs = (options.tickSeconds ?? 10) * 1000;
  const retentionMs = (options.retentionDays ?? 90) * 24 * HOUR_MS;
  let lastPrune = Number.NEGATIVE_INFINITY;

  async function once(): Promise<CheckRun[]> {
    const at = now();
    const config = options.config?.();
    const runs = await runDueChecks(options.db, {
      now: at,
      ...(config ? { config } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
    });
    for (const r of runs) {
      if (r.incident?.kind === 'opened')
        options.log.warn({ host: r.host, cause: r.incident.cause, error: r.incident.error }, 'domain down');
      if (r.incident?.kind === 'closed') options.log.info({ host: r.host }, 'domain up again');
      if (r.tlsWarning) options.log.warn({ host: r.host, tls: r.tlsWarning }, 'TLS certificate expires soon');
    }
    if (options.onRuns && runs.length > 0) await options.onRuns(runs);
    if (at.getTime() - lastPrune >= HOUR_MS) {
      const pruned = await pruneUptimeChecks(options.db, new Date(at.getTime() - retentionMs));
      lastPrune = at.getTime();
      if (pruned > 0) options.log.info({ pruned }, 'old uptime check results deleted');
    }
    return runs;
  }

  return startPeriodicJob({
    run: once,
    delayMs: tickMs,
    onError: (err) => options.log.error({ err }, 'uptime checks failed; retrying at the next tick'),
  });
}
