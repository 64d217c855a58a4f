import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import { AppError } from '../../shared/app-error.ts';
import type { AlertOut } from './alert-api-schemas.ts';
import { type AlertsCtx, alertScopeOf, canSee } from './alert-scope.ts';
import { insertCommand, loadEngineState } from './alert-state.sql.ts';
import { alertOut } from './list-alerts.ts';

/**
 * Acknowledge (stops escalation) or resolve (by hand) an alert: the command and its audit row in
 * one transaction, then an evaluation at once so the answer shows the alert as it now stands.
 */
export async function commandAlert({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: { type: 'acknowledge' | 'resolve'; fingerprint: string };
}): Promise<AlertOut> {
  requireAdmin(ctx.actor);
  const by = actorLabel(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const scope = await alertScopeOf(tx, ctx.actor);
    const alert = (await loadEngineState(tx)).state?.alerts[input.fingerprint];
    if (!alert || !canSee(scope, alert.labels))
      throw new AppError('not_found', `no alert ${input.fingerprint} (or not in your scope)`, 'fingerprint');
    if (alert.state === 'resolved')
      throw new AppError('conflict', `alert ${input.fingerprint} is already resolved`, 'fingerprint');
    const domain = alert.labels.domain
      ? await tx.query<{ id: string }>('SELECT id::text AS id FROM domains WHERE host = $1', [
          alert.labels.domain,
        ])
      : null;
    await insertCommand(tx, { type: input.type, fingerprint: input.fingerprint, by }, ctx.now);
    await writeAudit(tx, ctx.actor, {
      action: `alert.${input.type}`,
      targetType: 'alert',
      targetId: input.fingerprint,
      domainId: domain?.rows[0]?.id ?? null,
      details: { rule: alert.rule, labels: alert.labels },
    });
  });
  const outcome = await ctx.evaluator.evaluate();
  const after = outcome.state.alerts[input.fingerprint];
  if (!after) throw new AppError('not_found', `alert ${input.fingerprint} is gone`, 'fingerprint');
  return alertOut(after);
}
