import type { KpiUnit } from '../config/portfolio/kpis.ts';
import type { SourceName, SourceValues } from './metric-sources.ts';

// Which metric verb measures each KPI key of the portfolio file, on a UTC day D. Every window
// ends at D (inclusive) and covers whole UTC days, so the value of a past day never changes once
// its data is in. The table is docs/kpis.md's "Bindings"; keep both in step.

/** The unit a bound figure comes in from its verb; converted to the KPI's unit when shown. */
export type NativeUnit = 'EUR' | 'fraction' | 'seconds' | 'count';

export interface MetricBinding {
  /** The verbs it reads, each run once per day for every KPI that needs it. */
  sources: readonly SourceName[];
  unit: NativeUnit;
  /** What the figure is, for the API and the docs. */
  formula: string;
  pick(values: SourceValues): number | null;
}

const money = (formula: string, pick: MetricBinding['pick']): MetricBinding => ({
  sources: ['revenue30'],
  unit: 'EUR',
  formula,
  pick,
});
const engagement = (unit: NativeUnit, formula: string, pick: MetricBinding['pick']): MetricBinding => ({
  sources: ['engagement30'],
  unit,
  formula,
  pick,
});

/** Mean of the last `days` daily values (fewer when the series is shorter); null for none. */
function meanOfLast(series: readonly number[], days: number): number | null {
  const tail = series.slice(-days);
  return tail.length === 0 ? null : tail.reduce((s, v) => s + v, 0) / tail.length;
}

export const METRIC_BINDINGS: Readonly<Record<string, MetricBinding>> = {
  mrr: money('MRR at the end of D (revenue/mrr `mrr`)', (v) => v.revenue30?.mrr ?? null),
  arr: money('12 × MRR at the end of D (revenue/mrr `arr`)', (v) => v.revenue30?.arr ?? null),
  arpa: money(
    'MRR ÷ paying customers at the end of D (revenue/mrr `arpa`)',
    (v) => v.revenue30?.arpa ?? null,
  ),
  clv: money(
    'ARPA at the end of D ÷ monthly customer churn over D−29..D (revenue/mrr `clv`)',
    (v) => v.revenue30?.clv ?? null,
  ),
  cac: money(
    'Marketing costs ÷ new customers over D−29..D (revenue/mrr `cac`)',
    (v) => v.revenue30?.cac ?? null,
  ),
  burn_rate: {
    sources: ['revenue30', 'costs30'],
    unit: 'EUR',
    formula:
      'All costs (every category, portfolio-wide ones included) − earned revenue net of refunds, D−29..D',
    pick: (v) => (v.costs30 === undefined || !v.revenue30 ? null : v.costs30 - v.revenue30.revenue),
  },
  gross_margin: {
    sources: ['revenue30'],
    unit: 'fraction',
    formula: '(revenue − cogs) ÷ revenue over D−29..D (revenue/mrr `grossMargin`)',
    pick: (v) => v.revenue30?.grossMargin ?? null,
  },
  paying_customers: {
    sources: ['revenue30'],
    unit: 'count',
    formula: 'Customers with MRR above 0 at the end of D (revenue/mrr `payingCustomers`)',
    pick: (v) => v.revenue30?.payingCustomers ?? null,
  },
  churn_rate: {
    sources: ['revenue30'],
    unit: 'fraction',
    formula: 'Monthly customer churn rate over D−29..D (revenue/mrr `monthlyCustomerChurnRate`)',
    pick: (v) => v.revenue30?.monthlyCustomerChurnRate ?? null,
  },
  net_revenue_retention: {
    sources: ['revenue30'],
    unit: 'fraction',
    formula: 'End MRR of the customers paying on D−29 ÷ their MRR then (revenue/mrr `netRevenueRetention`)',
    pick: (v) => v.revenue30?.netRevenueRetention ?? null,
  },
  dau: engagement('count', 'Mean of the daily active persons of D−6..D (engagement `series[].dau`)', (v) =>
    v.engagement30 ? meanOfLast(v.engagement30.dailyPersons, 7) : null,
  ),
  mau: engagement(
    'count',
    'Distinct persons active in D−29..D (engagement `mau`)',
    (v) => v.engagement30?.mau ?? null,
  ),
  stickiness: engagement(
    'fraction',
    'Average DAU of D−29..D ÷ MAU (engagement `stickiness`)',
    (v) => v.engagement30?.stickiness ?? null,
  ),
  cross_domain_engagement: engagement(
    'fraction',
    'Identified users active on ≥ 2 domains ÷ active identified users, D−29..D (engagement `crossDomainRate`)',
    (v) => v.engagement30?.crossDomainRate ?? null,
  ),
  session_duration: engagement(
    'seconds',
    'Total session duration ÷ sessions started in D−29..D (engagement `avgSessionDurationS`)',
    (v) => v.engagement30?.avgSessionDurationS ?? null,
  ),
  retention_30d: engagement(
    'fraction',
    'Users first seen D−88..D−59 active again 30–59 days later (engagement `retention30d`)',
    (v) => v.engagement30?.retention30d ?? null,
  ),
  conversion_rate: {
    sources: ['overview30'],
    unit: 'fraction',
    formula: 'Persons who reached any goal ÷ visitors, D−29..D (overview `conversionRate`)',
    pick: (v) => v.overview30?.conversionRate ?? null,
  },
};

const SECONDS_PER: Partial<Record<KpiUnit, number>> = {
  milliseconds: 0.001,
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86_400,
};

/**
 * How a binding's figure turns into the KPI's unit, or why it cannot: a fraction shows as a
 * percentage (×100) or a ratio, seconds as any time unit, counts as count or users; money is EUR
 * only (metrics convert every amount to EUR when it is recorded).
 */
export function unitConversion(
  native: NativeUnit,
  unit: KpiUnit,
): { ok: true; convert: (v: number) => number } | { ok: false; reason: string } {
  const same = { ok: true as const, convert: (v: number) => v };
  switch (native) {
    case 'EUR':
      return unit === 'EUR'
        ? same
        : { ok: false, reason: `the metric is in EUR; unit ${unit} has no conversion` };
    case 'fraction':
      if (unit === 'percentage') return { ok: true, convert: (v) => v * 100 };
      if (unit === 'ratio') return same;
      return { ok: false, reason: `the metric is a fraction; use unit percentage or ratio, not ${unit}` };
    case 'seconds': {
      const per = SECONDS_PER[unit];
      if (per === undefined)
        return {
          ok: false,
          reason: `the metric is a duration; use a time unit (seconds, minutes…), not ${unit}`,
        };
      return { ok: true, convert: (v) => v / per };
    }
    case 'count':
      return unit === 'count' || unit === 'users'
        ? same
        : { ok: false, reason: `the metric is a count; use unit count or users, not ${unit}` };
  }
}
