import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import type { Ctx } from '../../auth/context.ts';
import { AppError } from '../../shared/app-error.ts';
import { type ExperimentOut, experimentOut } from '../api-schemas.ts';
import type { Experiment } from '../experiment-schema.ts';
import {
  EXPERIMENT_COLUMNS,
  type ExperimentRow,
  findExperiment,
  resolveDomainIds,
} from '../store/experiment-rows.sql.ts';

/** Replaces a draft's definition whole; a running or finished experiment's definition is fixed. */
export async function updateExperiment({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { key: string; definition: Experiment };
}): Promise<ExperimentOut> {
  requireAdmin(ctx.actor);
  if (input.definition.key !== input.key)
    throw new AppError('invalid_request', 'the key of an experiment cannot change', 'key');
  return ctx.db.transaction(
    async (tx) => {
      const row = await findExperiment(tx, input.key, { forUpdate: true });
      if (row.source === 'portfolio')
        throw new AppError('conflict', 'this experiment comes from the portfolio file: edit the file', 'key');
      if (row.status !== 'draft')
        throw new AppError(
          'conflict',
          `only a draft can be edited; this experiment is ${row.status}`,
          'status',
        );
      const domainIds = await resolveDomainIds(tx, input.definition.domains);
      const res = await tx.query<ExperimentRow>(
        `UPDATE experiments SET definition = $2, domain_ids = $3::uuid[], updated_by = $4, updated_at = $5
         WHERE id = $1 RETURNING ${EXPERIMENT_COLUMNS}`,
        [row.id, JSON.stringify(input.definition), domainIds, actorLabel(ctx.actor), ctx.now],
      );
      const updated = res.rows[0];
      // The new domains may leave the caller's scope: the row policy's WITH CHECK refuses it.
      if (!updated) throw new AppError('not_found', `no experiment "${input.key}"`, 'key');
      await writeAudit(tx, ctx.actor, {
        action: 'experiment.update',
        targetType: 'experiment',
        targetId: input.key,
        details: { before: row.definition, after: input.definition },
      });
      return experimentOut(updated);
    },
    { scope: ctx.actor.scope },
  );
}
