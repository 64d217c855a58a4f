import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import type { AlertRule } from '../alert-rule-schema.ts';
import { rulesFromKpiAlerts } from '../engine/kpi-alert-rules.ts';
import { type AlertScope, type AlertsCtx, alertScopeOf } from './alert-scope.ts';
import { type ApiRuleRow, selectApiRules } from './api-rules.sql.ts';
import type { AlertEvaluator } from './evaluate-alerts.ts';
import type { RuleSource } from './rule-api-schemas.ts';

/** The rules the portfolio file owns (its own and its KPI alerts), by name. */
export function fileRules(evaluator: AlertEvaluator): Map<string, { source: RuleSource; rule: AlertRule }> {
  const p = evaluator.portfolio();
  const out = new Map<string, { source: RuleSource; rule: AlertRule }>();
  if (!p) return out;
  for (const rule of p.alerting.rules) out.set(rule.name, { source: 'portfolio', rule });
  for (const rule of rulesFromKpiAlerts(p.kpis)) out.set(rule.name, { source: 'kpi', rule });
  return out;
}

/** A rule without `domains` applies to every domain: everyone sees it; else one of its domains. */
export function canSeeRule(scope: AlertScope, rule: AlertRule): boolean {
  if (scope.all || !rule.domains) return true;
  return rule.domains.some((d) => scope.hosts.has(d));
}

/**
 * A limited admin may write rules only for its own domains: `domains` must be listed and all in
 * scope (a rule for every domain needs the full scope).
 */
export function requireRuleInScope(scope: AlertScope, rule: AlertRule): void {
  if (scope.all) return;
  if (!rule.domains)
    throw new AppError(
      'forbidden',
      'your access is limited to some domains: list them in `domains` (a rule for every domain needs access to all)',
      'domains',
    );
  const outside = rule.domains.filter((d) => !scope.hosts.has(d));
  if (outside.length > 0)
    throw new AppError('forbidden', `not in your scope: ${outside.join(', ')}`, 'domains');
}

/** Every host in `domains` must be a domain of the portfolio. */
export async function requireKnownDomains(tx: Queryable, rule: AlertRule): Promise<void> {
  if (!rule.domains) return;
  const res = await tx.query<{ host: string }>('SELECT host FROM domains WHERE host = ANY ($1::text[])', [
    rule.domains,
  ]);
  const known = new Set(res.rows.map((r) => r.host));
  const index = rule.domains.findIndex((d) => !known.has(d));
  if (index >= 0)
    throw new AppError(
      'invalid_request',
      `unknown domain: ${rule.domains[index]} (not a domain of the portfolio)`,
      `domains.${index}`,
    );
}

/** A write to a name the file owns: 409, pointing at the file. */
export function fileRuleConflict(name: string, source: RuleSource): AppError {
  return new AppError(
    'conflict',
    source === 'kpi'
      ? `${name} comes from a KPI alert (kpis[].alerts): edit the portfolio file`
      : `${name} is a rule of the portfolio file (alerting.rules): edit the portfolio file`,
    'name',
  );
}

/** The API rule `name` for a write: 409 for the file's rules, 404 when absent or out of sight. */
export async function apiRuleForWrite(
  ctx: AlertsCtx,
  tx: Queryable,
  name: string,
): Promise<{ found: ApiRuleRow; scope: AlertScope }> {
  const clash = fileRules(ctx.evaluator).get(name);
  if (clash) throw fileRuleConflict(name, clash.source);
  const found = (await selectApiRules(tx, { name, forUpdate: true })).rows[0];
  const scope = await alertScopeOf(tx, ctx.actor);
  if (!found || !canSeeRule(scope, found.rule))
    throw new AppError('not_found', `no API rule ${name} (or not in your scope)`, 'name');
  requireRuleInScope(scope, found.rule);
  return { found, scope };
}
