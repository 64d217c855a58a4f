import { z } from 'zod';
import {
  CurrencyCode,
  Frequency,
  IsoDate,
  KpiValue,
  MetricKey,
  Name,
  Probability,
  Severity,
  Text,
} from './common.ts';

const UNIT_NAMES = [
  'percentage',
  'ratio',
  'count',
  'users',
  'seconds',
  'milliseconds',
  'minutes',
  'hours',
  'days',
] as const;
export const KpiUnit = z
  .union([z.enum(UNIT_NAMES), CurrencyCode], {
    error: `must be one of ${UNIT_NAMES.join(', ')} or an ISO 4217 currency code like EUR`,
  })
  .describe('Unit of the value: a currency code for money, or a named unit.');
export type KpiUnit = z.infer<typeof KpiUnit>;

export const KpiDirection = z.enum(['higher-is-better', 'lower-is-better']);
export type KpiDirection = z.infer<typeof KpiDirection>;

export const KpiMetric = z
  .strictObject({
    key: MetricKey.describe('Key other sections use to name this metric; unique across all categories.'),
    name: Name,
    current: KpiValue.optional().describe('Value when the plan was written; omit when not measured yet.'),
    target: KpiValue.optional().describe('Value to reach; omit for metrics that are watched, not targeted.'),
    unit: KpiUnit,
    frequency: Frequency.describe('How often the metric is computed.'),
    owner: Name.describe('Role accountable for the metric.'),
    description: Text,
    direction: KpiDirection,
  })
  .describe('A measured KPI.');
export type KpiMetric = z.infer<typeof KpiMetric>;

/** A ratio of two measured metrics, e.g. CLV:CAC = clv / cac; its values are computed, not stored. */
export const KpiDerivedMetric = z
  .strictObject({
    key: MetricKey.describe('Key of the derived metric; unique across all metrics.'),
    name: Name,
    numerator: MetricKey.describe('Key of the measured metric divided…'),
    denominator: MetricKey.describe('…by this measured metric.'),
    description: Text.optional(),
    direction: KpiDirection,
  })
  .describe('A metric computed as numerator / denominator; unit is `ratio`.');
export type KpiDerivedMetric = z.infer<typeof KpiDerivedMetric>;

export const KpiTarget = z
  .strictObject({
    metric: MetricKey.describe('Key of a metric or derived metric.'),
    target: KpiValue,
    deadline: IsoDate,
    confidence: Probability.describe('Confidence of reaching the target by the deadline, 0..1.'),
  })
  .describe('A dated target for a metric.');
export type KpiTarget = z.infer<typeof KpiTarget>;

export const AlertWindow = z.enum(['day-over-day', 'week-over-week', 'month-over-month']);
export type AlertWindow = z.infer<typeof AlertWindow>;

export const KpiAlertCondition = z
  .strictObject({
    change: z.enum(['decrease', 'increase']).describe('Direction of the change that fires the alert.'),
    thresholdPct: z
      .number()
      .gt(0)
      .max(1000)
      .describe('Fires when the change is strictly greater than this, percent.'),
    window: AlertWindow.describe('Periods compared.'),
  })
  .describe(
    'Relative change of the metric between two consecutive periods, e.g. decrease > 10% week-over-week.',
  );
export type KpiAlertCondition = z.infer<typeof KpiAlertCondition>;

export const KpiAlert = z
  .strictObject({
    metric: MetricKey.describe('Key of a metric or derived metric.'),
    condition: KpiAlertCondition,
    severity: Severity,
    action: Text.describe('What the owner of the metric does when the alert fires.'),
  })
  .describe('An alert rule on a metric.');
export type KpiAlert = z.infer<typeof KpiAlert>;

export const KpiDashboard = z
  .strictObject({
    name: Name,
    frequency: Frequency.describe('How often the dashboard is reviewed or refreshed.'),
    stakeholders: z.array(Name).min(1),
    metrics: z.array(MetricKey).min(1).describe('Keys of the metrics shown.'),
  })
  .describe('A dashboard: which metrics, for whom.');
export type KpiDashboard = z.infer<typeof KpiDashboard>;

/** Metric keys are unique across all categories; that and the references are checked in cross-references.ts. */
export const KpiCategory = z
  .strictObject({
    category: Name.describe('Category name, e.g. Financial Performance; unique.'),
    metrics: z.array(KpiMetric).default([]),
    derivedMetrics: z.array(KpiDerivedMetric).default([]),
    targets: z.array(KpiTarget).default([]),
    alerts: z.array(KpiAlert).default([]),
    dashboards: z.array(KpiDashboard).default([]),
  })
  .describe('A group of KPIs with their targets, alerts and dashboards (seed §7).');
export type KpiCategory = z.infer<typeof KpiCategory>;
