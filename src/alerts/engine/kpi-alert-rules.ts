import type { KpiCategory } from '../../config/portfolio/kpis.ts';
import type { AlertRule } from '../alert-rule-schema.ts';

/**
 * The portfolio's KPI alerts (`kpis[].alerts`, e.g. mrr decrease > 10% week-over-week) as alert
 * rules, so one engine evaluates both. Their series come from KPI snapshots, portfolio-wide.
 */
export function rulesFromKpiAlerts(categories: readonly KpiCategory[]): AlertRule[] {
  return categories.flatMap((category) =>
    category.alerts.map((alert) => ({
      name: `kpi_${alert.metric}_${alert.condition.change}_${alert.condition.window.replaceAll('-', '_')}`,
      expr: {
        kind: 'change' as const,
        metric: alert.metric,
        direction: alert.condition.change,
        thresholdPct: alert.condition.thresholdPct,
        window: alert.condition.window,
      },
      for: '0s',
      severity: alert.severity,
      labels: { source: 'kpi', category: category.category },
      annotations: {
        summary: `${alert.metric} ${alert.condition.change} > ${alert.condition.thresholdPct}% ${alert.condition.window} ({{ $value }}%)`,
        action: alert.action,
      },
      suppressDuring: [],
    })),
  );
}
