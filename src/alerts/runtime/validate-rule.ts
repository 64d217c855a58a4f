import { requireReader } from '../../auth/actor.ts';
import { AppError } from '../../shared/app-error.ts';
import { AlertRule } from '../alert-rule-schema.ts';
import { type AlertsCtx, alertScopeOf } from './alert-scope.ts';
import { fileRuleConflict, fileRules, requireKnownDomains, requireRuleInScope } from './rule-access.ts';
import type { ValidateRuleOut } from './rule-api-schemas.ts';

/**
 * POST /api/v1/alerts/rules/validate: a dry run of POST /api/v1/alerts/rules. Reports every schema
 * problem with its field, then the first of name clash, unknown domain or scope; stores nothing.
 */
export async function validateRule({
  ctx,
  input,
}: {
  ctx: AlertsCtx;
  input: unknown;
}): Promise<ValidateRuleOut> {
  requireReader(ctx.actor);
  const parsed = AlertRule.safeParse(input);
  if (!parsed.success)
    return {
      valid: false,
      problems: parsed.error.issues.map((i) => ({
        field: ['body', ...i.path.map(String)].join('.'),
        message: i.message,
      })),
      rule: null,
    };
  const rule = parsed.data;
  const problem = await ctx.db.transaction(async (tx) => {
    try {
      const clash = fileRules(ctx.evaluator).get(rule.name);
      if (clash) throw fileRuleConflict(rule.name, clash.source);
      const existing = await tx.query('SELECT 1 FROM alert_rules WHERE name = $1', [rule.name]);
      if (existing.rows.length > 0)
        throw new AppError('conflict', `rule ${rule.name} already exists (PUT replaces it)`, 'name');
      await requireKnownDomains(tx, rule);
      requireRuleInScope(await alertScopeOf(tx, ctx.actor), rule);
      return null;
    } catch (err) {
      if (err instanceof AppError) return { field: `body.${err.field ?? ''}`, message: err.message };
      throw err;
    }
  });
  return { valid: problem === null, problems: problem ? [problem] : [], rule };
}
