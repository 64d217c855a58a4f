import { requireReader } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import { type ExperimentOut, experimentOut } from '../api-schemas.ts';
import type { ExperimentStatus } from '../experiment-schema.ts';
import { EXPERIMENT_COLUMNS, type ExperimentRow, findExperiment } from '../store/experiment-rows.sql.ts';

/** Experiments whose every domain is in the caller's scope, newest first. */
export async function listExperiments({
  ctx,
  input = {},
}: {
  ctx: Ctx;
  input?: { status?: ExperimentStatus; domain?: string };
}): Promise<{ experiments: ExperimentOut[] }> {
  requireReader(ctx.actor);
  return ctx.db.transaction(
    async (tx) => {
      const res = await tx.query<ExperimentRow>(
        `SELECT ${EXPERIMENT_COLUMNS} FROM experiments e
         WHERE ($1::text IS NULL OR e.status = $1)
           AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM domains d WHERE d.host = $2 AND d.id = ANY (e.domain_ids)))
         ORDER BY e.created_at DESC, e.key`,
        [input.status ?? null, input.domain ?? null],
      );
      return { experiments: res.rows.map(experimentOut) };
    },
    { scope: ctx.actor.scope },
  );
}

export async function getExperiment({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { key: string };
}): Promise<ExperimentOut> {
  requireReader(ctx.actor);
  return ctx.db.transaction(async (tx) => experimentOut(await findExperiment(tx, input.key)), {
    scope: ctx.actor.scope,
  });
}

export async function getStatusHistory({ ctx, input }: { ctx: Ctx; input: { key: string } }) {
  requireReader(ctx.actor);
  return ctx.db.transaction(
    async (tx) => {
      const row = await findExperiment(tx, input.key);
      const res = await tx.query<{
        from_status: ExperimentStatus | null;
        to_status: ExperimentStatus;
        at: Date;
        actor: string;
        reason: string | null;
        details: Record<string, unknown>;
      }>(
        `SELECT from_status, to_status, at, actor, reason, details FROM experiment_status_history
         WHERE experiment_id = $1 ORDER BY id`,
        [row.id],
      );
      return {
        key: row.key,
        history: res.rows.map((h) => ({
          from: h.from_status,
          to: h.to_status,
          at: h.at.toISOString(),
          actor: h.actor,
          reason: h.reason,
          details: h.details,
        })),
      };
    },
    { scope: ctx.actor.scope },
  );
}
