import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import { AppError } from '../../shared/app-error.ts';
import type { SuppressionBody, SuppressionOut } from './alert-api-schemas.ts';
import { type AlertsCtx, alertScopeOf, requireMatchersInScope } from './alert-scope.ts';

export const DEFAULT_WINDOW_MS = 30 * 60_000;

/** POST /api/v1/suppressions: a deployment or maintenance window, by default 30 minutes from now. */
export async function createSuppression({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: SuppressionBody;
}): Promise<SuppressionOut> {
  requireAdmin(ctx.actor);
  const startsAt = input.startsAt ? new Date(input.startsAt) : ctx.now;
  const endsAt = input.endsAt ? new Date(input.endsAt) : new Date(startsAt.getTime() + DEFAULT_WINDOW_MS);
  if (endsAt <= startsAt) throw new AppError('invalid_request', 'must be after startsAt', 'endsAt');
  const out = await ctx.db.transaction(async (tx) => {
    requireMatchersInScope(await alertScopeOf(tx, ctx.actor), input.matchers);
    const res = await tx.query<{ id: string }>(
      `INSERT INTO alert_suppressions (kind, matchers, starts_at, ends_at, created_by, comment, created_at)
       VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7) RETURNING id::text AS id`,
      [
        input.kind,
        JSON.stringify(input.matchers),
        startsAt,
        endsAt,
        actorLabel(ctx.actor),
        input.comment ?? null,
        ctx.now,
      ],
    );
    const id = (res.rows[0] as { id: string }).id;
    await writeAudit(tx, ctx.actor, {
      action: 'suppression.create',
      targetType: 'suppression',
      targetId: id,
      details: { kind: input.kind, matchers: input.matchers },
    });
    return {
      id,
      kind: input.kind,
      matchers: input.matchers,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      createdBy: actorLabel(ctx.actor),
      comment: input.comment ?? null,
    };
  });
  await ctx.evaluator.evaluate();
  return out;
}
