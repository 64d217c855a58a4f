import type { Actor } from '../../auth/actor.ts';
import type { Ctx } from '../../auth/context.ts';
import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../shared/app-error.ts';
import type { LabelMatcher } from '../alert-rule-schema.ts';
import type { Labels } from '../notification.ts';
import type { AlertEvaluator } from './evaluate-alerts.ts';

/** A verb's context plus the evaluator that applies commands at once. */
export interface AlertsCtx extends Ctx {
  evaluator: AlertEvaluator;
}

/**
 * Which alerts an actor sees: an alert belongs to its `domain` label. Operators limited to some
 * domains see those domains' alerts only; portfolio-wide alerts (no domain) need the full scope.
 */
export interface AlertScope {
  all: boolean;
  hosts: ReadonlySet<string>;
}

export async function alertScopeOf(tx: Queryable, actor: Actor): Promise<AlertScope> {
  if (actor.scope.kind === 'all') return { all: true, hosts: new Set() };
  const res = await tx.query<{ host: string }>('SELECT host FROM domains WHERE id = ANY ($1::uuid[])', [
    actor.scope.domainIds,
  ]);
  return { all: false, hosts: new Set(res.rows.map((r) => r.host)) };
}

export function canSee(scope: AlertScope, labels: Labels): boolean {
  if (scope.all) return true;
  return labels.domain !== undefined && scope.hosts.has(labels.domain);
}

/** The hosts a silence or window names with `domain="…"` matchers. */
export function matchedDomains(matchers: readonly LabelMatcher[]): string[] {
  return matchers.filter((m) => m.name === 'domain' && m.op === '=').map((m) => m.value);
}

/** A silence or window is visible when every domain it names is in scope (unscoped: all). */
export function canSeeMatchers(scope: AlertScope, matchers: readonly LabelMatcher[]): boolean {
  if (scope.all) return true;
  const domains = matchedDomains(matchers);
  return domains.length > 0 && domains.every((d) => scope.hosts.has(d));
}

/** A limited operator may only mute its own domains: the matchers must pin `domain` inside the scope. */
export function requireMatchersInScope(scope: AlertScope, matchers: readonly LabelMatcher[]): void {
  if (scope.all) return;
  const domains = matchedDomains(matchers);
  if (domains.length === 0)
    throw new AppError(
      'forbidden',
      'your access is limited to some domains: add a matcher domain="<one of your domains>"',
      'matchers',
    );
  const outside = domains.filter((d) => !scope.hosts.has(d));
  if (outside.length > 0)
    throw new AppError(
      'not_found',
      `unknown domain: ${outside.join(', ')} (not in the portfolio, or not in your scope)`,
      'matchers',
    );
}
