import { systemActor } from '../../auth/actor.ts';
import type { Db } from '../../db/types.ts';
import { type PeriodicJob, startPeriodicJob } from '../../shared/periodic-job.ts';
import type { RewardsConfig } from '../reward-schema.ts';
import { type BookRewardsResult, bookRewardsForEvents } from './book-rewards.ts';
import { recomputeTiers } from './recompute-tiers.ts';

export interface RewardsFoldOptions {
  db: Db;
  /** The active portfolio's `rewards` section at run time (a reload may change the rules). */
  rewards: () => RewardsConfig | null | undefined;
  log: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
  /** REWARDS_FOLD_SECONDS (default 60); 0: no timer, only runNow(). */
  seconds: number;
  now?: () => Date;
}

/**
 * Books new events into the rewards ledger every `seconds`; runs never overlap and a failed run
 * books nothing and is retried at the next one. When the file's tier thresholds change (and at
 * the first run) every user's tier is recomputed first.
 */
export function startRewardsFold(options: RewardsFoldOptions): PeriodicJob<BookRewardsResult> {
  const now = options.now ?? (() => new Date());
  const actor = systemActor('rewards-fold');
  let appliedTiers: string | null = null;
  let warnedHosts = '';
  return startPeriodicJob<BookRewardsResult>({
    run: async () => {
      const rewards = options.rewards() ?? null;
      const tiers = JSON.stringify(rewards?.tiers ?? null);
      if (tiers !== appliedTiers) {
        const recomputed = await recomputeTiers({
          ctx: { db: options.db, actor, now: now() },
          input: { tiers: rewards?.tiers },
        });
        if (recomputed.changed > 0) options.log.info({ tiers: recomputed }, 'loyalty tiers recomputed');
        appliedTiers = tiers;
      }
      const result = await bookRewardsForEvents({
        ctx: { db: options.db, actor, now: now() },
        input: { rewards },
      });
      const hosts = result.unknownHosts.join(',');
      if (hosts !== warnedHosts && hosts !== '')
        options.log.warn(
          { hosts: result.unknownHosts },
          'reward rules name hosts that are not domains in the database; they are skipped',
        );
      warnedHosts = hosts;
      if (result.rewarded > 0) options.log.info({ rewards: result }, 'rewards booked');
      return result;
    },
    delayMs: options.seconds > 0 ? options.seconds * 1000 : 0,
    onError: (err) => options.log.error({ err }, 'rewards fold failed; retrying at the next run'),
  });
}
