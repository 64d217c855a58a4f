import { z } from 'zod';
import { IsoDate } from '../config/portfolio/common.ts';
import { KpiDirection, KpiUnit } from '../config/portfolio/kpis.ts';

// Query and response schemas of the KPI endpoints (docs/kpis.md). Values are in each KPI's unit
// (a percentage as 0..100, money in EUR); null means the metric is undefined for the data.

export const KpisQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .min(7)
    .max(365)
    .default(90)
    .describe('Days of history the trend is fitted on, ending at asOf (default 90)'),
});
export type KpisQuery = z.infer<typeof KpisQuery>;

export const KpiHistoryQuery = z.object({
  from: IsoDate.optional().describe('First day, inclusive (default: 89 days before to)'),
  to: IsoDate.optional().describe('Last day, inclusive (default: asOf, the last complete UTC day)'),
});
export type KpiHistoryQuery = z.infer<typeof KpiHistoryQuery>;

export const KpiPoint = z.object({ day: z.string(), value: z.number().nullable() });

export const KpiBindingOut = z.object({
  status: z.enum(['measured', 'derived', 'unbound']),
  formula: z.string().nullable().describe('What the value is (measured: its verb and window)'),
  reason: z.string().nullable().describe('Why an unbound KPI has no value'),
});

export const KpiVerdictOut = z
  .enum(['on-track', 'at-risk', 'off-track', 'insufficient-data', 'no-target', 'no-deadline', 'unbound'])
  .describe(
    'on-track: probability ≥ the target confidence (0.5 if none); at-risk: ≥ half of it; else off-track',
  );

export const KpiOut = z.object({
  key: z.string(),
  name: z.string(),
  category: z.string(),
  unit: KpiUnit,
  direction: KpiDirection,
  binding: KpiBindingOut,
  current: z.number().nullable().describe('Value on asOf'),
  currentFrom: z
    .enum(['snapshot', 'live'])
    .nullable()
    .describe('live: no snapshot of asOf yet, computed for this answer'),
  target: z.number().nullable(),
  deadline: z.string().nullable(),
  confidence: z.number().nullable().describe("The target's stated confidence"),
  baseline: z.number().nullable(),
  baselineFrom: z.enum(['plan', 'first-snapshot']).nullable(),
  progress: z.number().nullable().describe('(current − baseline) ÷ (target − baseline), clipped to 0..1'),
  trend: z
    .object({
      slopePerDay: z.number(),
      intercept: z.number().describe('Fitted value on originDay'),
      originDay: z.string(),
      residualSe: z.number(),
      points: z.number().int(),
    })
    .nullable()
    .describe('Least-squares line through the history; null under 3 points'),
  projected: z.number().nullable().describe("The trend's value on the deadline"),
  probability: z.number().nullable().describe('P(the value on the deadline meets the target)'),
  verdict: KpiVerdictOut,
  history: z.array(KpiPoint).describe('Snapshots the trend is fitted on, oldest first'),
});
export type KpiOut = z.infer<typeof KpiOut>;

export const KpisOut = z.object({
  asOf: z.string().describe('The last complete UTC day: every current value is of this day'),
  days: z.number().int(),
  kpis: z.array(KpiOut),
});
export type KpisOut = z.infer<typeof KpisOut>;

export const KpiHistoryOut = z.object({
  key: z.string(),
  unit: KpiUnit,
  binding: KpiBindingOut,
  from: z.string(),
  to: z.string(),
  points: z.array(KpiPoint),
});
export type KpiHistoryOut = z.infer<typeof KpiHistoryOut>;
