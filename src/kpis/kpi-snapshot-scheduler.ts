import type { Portfolio } from '../config/portfolio-schema.ts';
import type { Db } from '../db/types.ts';
import { startPeriodicJob } from '../shared/periodic-job.ts';
import { backfillKpis, DEFAULT_BACKFILL_DAYS, type SnapshotResult } from './snapshot-kpis.ts';

export interface KpiSnapshotLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface KpiSnapshotOptions {
  db: Db;
  /** The active portfolio at run time (a reload changes the KPIs); null: nothing to snapshot yet. */
  portfolio: () => Pick<Portfolio, 'kpis'> | null;
  log: KpiSnapshotLog;
  /** Days kept filled, ending yesterday (default 90); 0: only yesterday. */
  backfillDays?: number;
  /** Minutes after UTC midnight of the daily run (default 10: late events of the day have landed). */
  minutesAfterMidnight?: number;
  /** false: no timer, only runNow() (tests). Default true. */
  schedule?: boolean;
  now?: () => Date;
}

export interface KpiSnapshotScheduler {
  /** Runs a snapshot now (after the one in progress, never alongside it); rejects if it fails. */
  runNow(): Promise<SnapshotResult | null>;
  /** Waits for the run in progress, then stops. */
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** Milliseconds from `now` to the next daily run (strictly later than now). */
export function msUntilNextRun(now: Date, minutesAfterMidnight: number): number {
  const offset = minutesAfterMidnight * 60_000;
  const dayStart = Math.floor((now.getTime() - offset) / DAY_MS) * DAY_MS + offset;
  return dayStart + DAY_MS - now.getTime();
}

/**
 * Snapshots KPIs on start (filling the backfill window) and then daily shortly after UTC
 * midnight; each run also fills days missed while the server was down. Runs never overlap; a
 * failed run is logged and the next one retries.
 */
export function startKpiSnapshots(options: KpiSnapshotOptions): KpiSnapshotScheduler {
  const now = options.now ?? (() => new Date());
  const days = Math.max(1, options.backfillDays ?? DEFAULT_BACKFILL_DAYS);
  const minutes = options.minutesAfterMidnight ?? 10;
  const scheduled = options.schedule !== false;

  async function once(): Promise<SnapshotResult | null> {
    const portfolio = options.portfolio();
    if (!portfolio) return null;
    const result = await backfillKpis(options.db, portfolio, now(), days);
    options.log.info(
      { kpiSnapshot: { days: result.days.length, last: result.days.at(-1), keys: result.keys.length } },
      'KPI snapshots stored',
    );
    return result;
  }

  return startPeriodicJob({
    run: once,
    delayMs: scheduled ? () => msUntilNextRun(now(), minutes) : 0,
    onError: (err) => options.log.error({ err }, 'KPI snapshot failed; retrying at the next run'),
    runAtStart: scheduled,
  });
}
