import { requireReader } from '../../auth/actor.ts';
import { type AlertsCtx, alertScopeOf } from './alert-scope.ts';
import { selectApiRules } from './api-rules.sql.ts';
import { canSeeRule, fileRules } from './rule-access.ts';
import type { RuleOut, RulesOut } from './rule-api-schemas.ts';

/** GET /api/v1/alerts/rules: the file's rules, its KPI alerts, then the API's; by scope. */
export async function listRules({ ctx }: { ctx: AlertsCtx }): Promise<RulesOut> {
  requireReader(ctx.actor);
  const file = fileRules(ctx.evaluator);
  return ctx.db.transaction(async (tx) => {
    const scope = await alertScopeOf(tx, ctx.actor);
    const api = await selectApiRules(tx);
    const rules: RuleOut[] = [
      ...[...file.values()].map(({ source, rule }) => ({
        name: rule.name,
        source,
        active: true,
        rule,
        createdBy: null,
        createdAt: null,
        updatedBy: null,
        updatedAt: null,
      })),
      ...api.rows.map((r) => ({
        name: r.name,
        source: 'api' as const,
        active: !file.has(r.name),
        rule: r.rule,
        createdBy: r.createdBy,
        createdAt: r.createdAt,
        updatedBy: r.updatedBy,
        updatedAt: r.updatedAt,
      })),
    ];
    return { rules: rules.filter((r) => canSeeRule(scope, r.rule)) };
  });
}
