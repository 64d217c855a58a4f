import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import { AppError } from '../../shared/app-error.ts';
import type { AlertRule } from '../alert-rule-schema.ts';
import type { AlertsCtx } from './alert-scope.ts';
import { updateApiRule } from './api-rules.sql.ts';
import { apiRuleForWrite, requireKnownDomains, requireRuleInScope } from './rule-access.ts';
import type { RuleOut } from './rule-api-schemas.ts';

/** PUT /api/v1/alerts/rules/:name: replaces an API rule whole (the file's rules: edit the file). */
export async function replaceRule({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: { name: string; rule: AlertRule };
}): Promise<RuleOut> {
  requireAdmin(ctx.actor);
  if (input.rule.name !== input.name)
    throw new AppError(
      'invalid_request',
      `must be ${input.name}, the name in the path (to rename, create the new rule and delete this one)`,
      'name',
    );
  const by = actorLabel(ctx.actor);
  const before = await ctx.db.transaction(async (tx) => {
    const { found, scope } = await apiRuleForWrite(ctx, tx, input.name);
    await requireKnownDomains(tx, input.rule);
    requireRuleInScope(scope, input.rule);
    await updateApiRule(tx, input.rule, by, ctx.now);
    await writeAudit(tx, ctx.actor, {
      action: 'alert_rule.replace',
      targetType: 'alert_rule',
      targetId: input.name,
      details: { before: found.rule, after: input.rule },
    });
    return found;
  });
  await ctx.evaluator.evaluate();
  return {
    name: input.name,
    source: 'api',
    active: true,
    rule: input.rule,
    createdBy: before.createdBy,
    createdAt: before.createdAt,
    updatedBy: by,
    updatedAt: ctx.now.toISOString(),
  };
}
