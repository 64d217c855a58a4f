import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import { type ExperimentOut, experimentOut } from '../api-schemas.ts';
import type { ExperimentStatus } from '../experiment-schema.ts';
import {
  definitionOf,
  EXPERIMENT_COLUMNS,
  type ExperimentRow,
  findExperiment,
  insertStatusHistory,
} from '../store/experiment-rows.sql.ts';

export type StatusAction = 'start' | 'stop' | 'ship';

/** Which statuses each action leaves from, and where it goes. A stopped experiment may restart. */
const TRANSITIONS: Record<StatusAction, { from: readonly ExperimentStatus[]; to: ExperimentStatus }> = {
  start: { from: ['draft', 'stopped'], to: 'running' },
  stop: { from: ['running'], to: 'stopped' },
  ship: { from: ['running', 'stopped'], to: 'shipped' },
};

export interface StatusChangeInput {
  key: string;
  action: StatusAction;
  reason?: string;
  /** ship: the variation that goes to everyone. */
  variation?: string;
  /** start: the portfolio's limit of running experiments per domain (the seed's 5). */
  maxConcurrentPerDomain: number;
  /** Extra facts for the history row (the decision job's analysis). */
  details?: Record<string, unknown>;
}

/** start / stop / ship, with a status-history row and an audit row in the same transaction. */
export async function changeExperimentStatus({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: StatusChangeInput;
}): Promise<ExperimentOut> {
  requireAdmin(ctx.actor);
  const by = actorLabel(ctx.actor);
  const rule = TRANSITIONS[input.action];
  return ctx.db.transaction(
    async (tx) => {
      // Starts are serialized so two of them cannot both take a domain's last free place.
      if (input.action === 'start')
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('experiments.start'))");
      const row = await findExperiment(tx, input.key, { forUpdate: true });
      if (!rule.from.includes(row.status))
        throw new AppError(
          'conflict',
          `cannot ${input.action} an experiment that is ${row.status}`,
          'status',
        );
      let shipped: string | null = null;
      if (input.action === 'ship') {
        const keys = definitionOf(row).variations.map((v) => v.key);
        if (!input.variation || !keys.includes(input.variation))
          throw new AppError('invalid_request', `variation must be one of ${keys.join(', ')}`, 'variation');
        shipped = input.variation;
      }
      if (input.action === 'start') await checkConcurrency(tx, row, input.maxConcurrentPerDomain);
      const res = await tx.query<ExperimentRow>(
        `UPDATE experiments SET status = $2,
           started_at = CASE WHEN $2 = 'running' THEN coalesce(started_at, $3) ELSE started_at END,
           stopped_at = CASE WHEN $2 IN ('stopped', 'shipped') THEN coalesce(stopped_at, $3)
                             WHEN $2 = 'running' THEN NULL ELSE stopped_at END,
           stop_reason = CASE WHEN $2 = 'running' THEN NULL WHEN $2 = 'stopped' THEN $4 ELSE stop_reason END,
           shipped_variation = $5, updated_by = $6, updated_at = $3
         WHERE id = $1 RETURNING ${EXPERIMENT_COLUMNS}`,
        [row.id, rule.to, ctx.now, input.reason ?? null, shipped, by],
      );
      const updated = res.rows[0] as ExperimentRow;
      await insertStatusHistory(tx, {
        experimentId: row.id,
        from: row.status,
        to: rule.to,
        at: ctx.now,
        actor: by,
        reason: input.reason ?? null,
        details: { ...(shipped ? { variation: shipped } : {}), ...input.details },
      });
      await writeAudit(tx, ctx.actor, {
        action: `experiment.${input.action}`,
        targetType: 'experiment',
        targetId: row.key,
        details: { from: row.status, to: rule.to, reason: input.reason ?? null, variation: shipped },
      });
      return experimentOut(updated);
    },
    { scope: ctx.actor.scope },
  );
}

/** 409 naming the first domain already at its limit (counted past the row policy: 0016). */
async function checkConcurrency(tx: Queryable, row: ExperimentRow, limit: number): Promise<void> {
  const res = await tx.query<{ domain_id: string; running: number; host: string }>(
    `SELECT r.domain_id, r.running, d.host
       FROM app_running_experiments($1::uuid[]) r JOIN domains d ON d.id = r.domain_id
      WHERE r.running >= $2 ORDER BY d.host`,
    [row.domain_ids, limit],
  );
  const full = res.rows[0];
  if (full)
    throw new AppError(
      'conflict',
      `${full.host} already runs ${full.running} experiments (at most ${limit} at once); stop one first`,
      'domains',
      { domain: full.host, running: full.running, limit },
    );
}
