import type { Db } from '../../db/types.ts';
import { startPeriodicJob } from '../../shared/periodic-job.ts';
import { type ExperimentFoldResult, foldExperimentStats } from './fold-experiment-stats.ts';

/**
 * Keeps experiment statistics folded in the background (on the rollups' interval), so a results
 * request or the decision job only folds the last few seconds' events itself.
 */
export function startExperimentFold(options: {
  db: Db;
  intervalSeconds: number;
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}) {
  return startPeriodicJob<ExperimentFoldResult>({
    run: async () => {
      const result = await foldExperimentStats(options.db);
      if (result.rebuilt > 0 || result.subjects > 0)
        options.log.info({ experimentFold: result }, 'experiment statistics folded');
      return result;
    },
    delayMs: options.intervalSeconds * 1000,
    onError: (err) => options.log.error({ err }, 'experiment fold failed; retrying at the next interval'),
  });
}
