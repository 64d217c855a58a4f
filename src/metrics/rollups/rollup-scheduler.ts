import type { Db } from '../../db/types.ts';
import { startPeriodicJob } from '../../shared/periodic-job.ts';
import { type ArchiveResult, archiveEvents } from './archive-events.ts';
import { type RefreshResult, refreshRollups } from './refresh-rollups.ts';

export interface RollupLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RollupSchedulerOptions {
  db: Db;
  /** Seconds between the end of one run and the start of the next; 0: only runNow(). */
  intervalSeconds: number;
  /** Raw events older than this are archived once folded; 0 keeps them. */
  retentionDays: number;
  log: RollupLog;
  archiveDir?: string;
  /** Archiving is checked at most this often (default hourly); it is cheap when nothing is due. */
  archiveEverySeconds?: number;
  now?: () => Date;
}

export interface RollupRun {
  refresh: RefreshResult;
  archive: ArchiveResult | null;
}

export interface RollupScheduler {
  /** Waits for the run in progress, then stops; no run starts afterwards. */
  stop(): Promise<void>;
  /** Runs a fold now (after the one in progress, never alongside it); rejects if it fails. */
  runNow(): Promise<RollupRun>;
}

/** Folds new events every interval; runs never overlap, and a failed run is logged and retried next tick. */
export function startRollupScheduler(options: RollupSchedulerOptions): RollupScheduler {
  const now = options.now ?? (() => new Date());
  const archiveEveryMs = (options.archiveEverySeconds ?? 3600) * 1000;
  let lastArchive = Number.NEGATIVE_INFINITY;

  async function once(): Promise<RollupRun> {
    const refresh = await refreshRollups(options.db, { now: now() });
    if (refresh.events > 0) options.log.info({ rollup: refresh }, 'rollups refreshed');
    let archive: ArchiveResult | null = null;
    const at = now();
    if (options.retentionDays > 0 && at.getTime() - lastArchive >= archiveEveryMs) {
      archive = await archiveEvents(options.db, {
        retentionDays: options.retentionDays,
        now: at,
        ...(options.archiveDir ? { archiveDir: options.archiveDir } : {}),
      });
      lastArchive = at.getTime();
      if (archive.events > 0) options.log.info({ archive }, 'raw events archived');
    }
    return { refresh, archive };
  }

  return startPeriodicJob({
    run: once,
    delayMs: options.intervalSeconds * 1000,
    onError: (err) => options.log.error({ err }, 'rollup run failed; retrying at the next interval'),
  });
}
