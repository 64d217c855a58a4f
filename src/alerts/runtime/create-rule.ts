import { actorLabel, requireAdmin } from '../../auth/actor.ts';
import { writeAudit } from '../../auth/audit.ts';
import { AppError } from '../../shared/app-error.ts';
import type { AlertRule } from '../alert-rule-schema.ts';
import { type AlertsCtx, alertScopeOf } from './alert-scope.ts';
import { insertApiRule } from './api-rules.sql.ts';
import { fileRuleConflict, fileRules, requireKnownDomains, requireRuleInScope } from './rule-access.ts';
import type { RuleOut } from './rule-api-schemas.ts';

/** POST /api/v1/alerts/rules: a new rule, evaluated from the next evaluation on (run at once). */
export async function createRule({ ctx, input }: { ctx: AlertsCtx; input: AlertRule }): Promise<RuleOut> {
  requireAdmin(ctx.actor);
  const clash = fileRules(ctx.evaluator).get(input.name);
  if (clash) throw fileRuleConflict(input.name, clash.source);
  const by = actorLabel(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    await requireKnownDomains(tx, input);
    requireRuleInScope(await alertScopeOf(tx, ctx.actor), input);
    const existing = await tx.query('SELECT 1 FROM alert_rules WHERE name = $1', [input.name]);
    if (existing.rows.length > 0)
      throw new AppError(
        'conflict',
        `rule ${input.name} already exists; PUT /api/v1/alerts/rules/${input.name} to change it`,
        'name',
      );
    await insertApiRule(tx, input, by, ctx.now);
    await writeAudit(tx, ctx.actor, {
      action: 'alert_rule.create',
      targetType: 'alert_rule',
      targetId: input.name,
      details: { rule: input },
    });
  });
  await ctx.evaluator.evaluate();
  const now = ctx.now.toISOString();
  return {
    name: input.name,
    source: 'api',
    active: true,
    rule: input,
    createdBy: by,
    createdAt: now,
    updatedBy: by,
    updatedAt: now,
  };
}
