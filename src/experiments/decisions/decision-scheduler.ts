import type { Db } from '../../db/types.ts';
import { startPeriodicJob } from '../../shared/periodic-job.ts';
import type { ExperimentsConfig } from '../experiment-schema.ts';
import { syncPortfolioExperiments } from '../sync-portfolio-experiments.ts';
import { type DecisionReport, runExperimentDecisions } from './run-experiment-decisions.ts';

export interface DecisionSchedulerOptions {
  db: Db;
  /** The active portfolio's `experiments` section at run time (a reload may add definitions). */
  experiments: () => ExperimentsConfig | null;
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** EXPERIMENT_DECISION_MINUTES (default 60); 0: no timer, only runNow(). */
  minutes: number;
  now?: () => Date;
}

/** runExperimentDecisions every `minutes`, after bringing in the portfolio file's new drafts. */
export function startExperimentDecisions(options: DecisionSchedulerOptions) {
  const now = options.now ?? (() => new Date());
  return startPeriodicJob<DecisionReport>({
    run: async () => {
      const config = options.experiments();
      const at = now();
      await syncPortfolioExperiments(options.db, config?.definitions ?? [], at);
      const report = await runExperimentDecisions({
        db: options.db,
        now: at,
        maxConcurrentPerDomain: config?.maxConcurrentPerDomain ?? 5,
      });
      if (report.stopped.length + report.reweighted.length + report.errors.length > 0)
        options.log.info({ experimentDecisions: report }, 'experiment decisions applied');
      return report;
    },
    delayMs: options.minutes > 0 ? options.minutes * 60_000 : 0,
    onError: (err) => options.log.error({ err }, 'experiment decisions failed; retrying at the next run'),
  });
}
