import { requireReader } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import { foldExperimentStats } from '../folding/fold-experiment-stats.ts';
import { computeResults } from '../results/compute-results.ts';
import type { ResultsOut } from '../results/results-schema.ts';
import { definitionOf, findExperiment } from '../store/experiment-rows.sql.ts';

/** GET /api/v1/experiments/:key/results, inside the caller's scope (an experiment and its folded statistics). */
export async function getResults({ ctx, input }: { ctx: Ctx; input: { key: string } }): Promise<ResultsOut> {
  requireReader(ctx.actor);
  // Results are always current: the fold takes only what was committed since its last run.
  await foldExperimentStats(ctx.db, { now: ctx.now });
  return ctx.db.transaction(
    async (tx) => {
      const row = await findExperiment(tx, input.key);
      return computeResults(tx, row, definitionOf(row), ctx.now);
    },
    { scope: ctx.actor.scope },
  );
}
