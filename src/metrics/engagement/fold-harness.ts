import type { Db, Tx } from '../../db/types.ts';
import { type RefreshOptions, type RefreshResult, refreshRollups } from '../rollups/refresh-rollups.ts';
import { ENGAGEMENT_FOLD_STEPS } from './fold-engagement.sql.ts';

// Test support: the rollup fold with the engagement steps run where they belong, inside its
// transaction right after its 'sessions_activity' step. Until refresh-rollups.ts lists them itself
// this is how tests fold; once it does, running them twice is harmless (each step is idempotent).

/** refreshRollups, plus ENGAGEMENT_FOLD_STEPS after the step that finishes activity_daily. */
export async function refreshWithEngagement(db: Db, options: RefreshOptions = {}): Promise<RefreshResult> {
  let current: Tx | null = null;
  const capturing = new Proxy(db, {
    get(target, key) {
      if (key === 'transaction') {
        return <T>(fn: (tx: Tx) => Promise<T>, opts?: Parameters<Db['transaction']>[1]) =>
          target.transaction((tx) => {
            current = tx;
            return fn(tx);
          }, opts);
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return refreshRollups(capturing, {
    ...options,
    async onStep(step) {
      if (step === 'sessions_activity' && current) {
        for (const [, sql] of ENGAGEMENT_FOLD_STEPS) await current.query(sql);
      }
      await options.onStep?.(step);
    },
  });
}
