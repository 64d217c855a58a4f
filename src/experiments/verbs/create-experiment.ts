import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import type { Ctx } from '../../auth/context.ts';
import { DbError } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { type ExperimentOut, experimentOut } from '../api-schemas.ts';
import type { Experiment } from '../experiment-schema.ts';
import {
  EXPERIMENT_COLUMNS,
  type ExperimentRow,
  insertStatusHistory,
  resolveDomainIds,
} from '../store/experiment-rows.sql.ts';

/** Creates a draft experiment through the API; every domain must be in the caller's scope. */
export async function createExperiment({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: Experiment;
}): Promise<ExperimentOut> {
  requireAdmin(ctx.actor);
  const by = actorLabel(ctx.actor);
  try {
    return await ctx.db.transaction(
      async (tx) => {
        const domainIds = await resolveDomainIds(tx, input.domains);
        const res = await tx.query<ExperimentRow>(
          `INSERT INTO experiments (key, domain_ids, definition, status, source, created_by, created_at, updated_by, updated_at)
           VALUES ($1, $2::uuid[], $3, 'draft', 'api', $4, $5, $4, $5)
           ON CONFLICT (key) DO NOTHING
           RETURNING ${EXPERIMENT_COLUMNS}`,
          [input.key, domainIds, JSON.stringify(input), by, ctx.now],
        );
        const row = res.rows[0];
        if (!row) throw new AppError('conflict', `an experiment "${input.key}" already exists`, 'key');
        await insertStatusHistory(tx, {
          experimentId: row.id,
          from: null,
          to: 'draft',
          at: ctx.now,
          actor: by,
        });
        await writeAudit(tx, ctx.actor, {
          action: 'experiment.create',
          targetType: 'experiment',
          targetId: input.key,
          domainId: domainIds.length === 1 ? domainIds[0] : null,
          details: { domains: input.domains },
        });
        return experimentOut(row);
      },
      { scope: ctx.actor.scope },
    );
  } catch (err) {
    // The key may belong to an experiment outside the caller's scope, invisible to ON CONFLICT's read.
    if (err instanceof DbError && err.code === '23505')
      throw new AppError('conflict', `an experiment "${input.key}" already exists`, 'key');
    throw err;
  }
}
