import { requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import type { AlertsCtx } from './alert-scope.ts';
import { deleteApiRule } from './api-rules.sql.ts';
import { apiRuleForWrite } from './rule-access.ts';

/** DELETE /api/v1/alerts/rules/:name: the rule's alerts resolve at the evaluation that follows (at once). */
export async function deleteRule({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: { name: string };
}): Promise<{ name: string; deleted: true }> {
  requireAdmin(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const { found } = await apiRuleForWrite(ctx, tx, input.name);
    await deleteApiRule(tx, input.name);
    await writeAudit(tx, ctx.actor, {
      action: 'alert_rule.delete',
      targetType: 'alert_rule',
      targetId: input.name,
      details: { rule: found.rule },
    });
  });
  await ctx.evaluator.evaluate();
  return { name: input.name, deleted: true };
}
