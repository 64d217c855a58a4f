import { type Actor, requireReader } from '../auth/actor.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import { AppError } from '../shared/app-error.ts';
import { type KpiBinding, type KpiDefinition, kpiDefinitions } from './kpi-definitions.ts';

/**
 * KPIs are portfolio-wide figures (every domain together): readers who see every domain only. A
 * limited operator or a domain's secret key would otherwise learn other domains' totals.
 */
export function requireKpiReader(actor: Actor): void {
  requireReader(actor);
  if (actor.scope.kind !== 'all')
    throw new AppError(
      'forbidden',
      'KPIs are portfolio-wide (every domain together); your access is limited to some domains — ' +
        'use the metrics endpoints for your domains',
    );
}

/** The KPIs of the active portfolio; 503 before one is loaded. */
export function activeKpis(portfolio: Pick<Portfolio, 'kpis'> | null): KpiDefinition[] {
  if (!portfolio)
    throw new AppError('unavailable', 'no portfolio file is loaded yet', undefined, undefined, 5);
  return kpiDefinitions(portfolio);
}

export function bindingOut(b: KpiBinding) {
  switch (b.kind) {
    case 'measured':
      return { status: b.kind, formula: b.binding.formula, reason: null };
    case 'derived':
      return { status: b.kind, formula: `${b.numerator} ÷ ${b.denominator}`, reason: null };
    case 'unbound':
      return { status: b.kind, formula: null, reason: b.reason };
  }
}
