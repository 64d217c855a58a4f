import { z } from 'zod';
import { ChangeWindow } from '../alert-rule-schema.ts';
import { Labels } from '../notification.ts';

/**
 * What the engine evaluates: the metrics at `now`, per label set (usually `{ domain }`), with
 * the history points the rules need. The caller computes them (rollups, KPI snapshots, the
 * anomaly detector); the engine only compares, so it needs no clock and no database.
 */
export const MetricSeries = z.object({
  metric: z.string().min(1),
  labels: Labels.optional(),
  /** Value at now in base units (ms, ratio 0..1, currency); absent when there is no data. */
  value: z.number().optional(),
  /** For each change window, the value `value` is compared with (e.g. same hour last week). */
  baseline: z.partialRecord(ChangeWindow, z.number()).optional(),
  /** Last time the metric (or, for `events`, any event) was seen; absence rules read it. */
  lastSeenAt: z.iso.datetime().optional(),
  /** Anomaly score 0..1 from the detector; an anomaly rule is active at score ≥ sensitivity. */
  anomalyScore: z.number().min(0).max(1).optional(),
});
export type MetricSeries = z.infer<typeof MetricSeries>;

export const MetricSnapshot = z.object({
  /** Every domain host of the portfolio: absence rules without a scope expect each to report. */
  domains: z.array(z.string()).optional(),
  series: z.array(MetricSeries),
});
export type MetricSnapshot = z.infer<typeof MetricSnapshot>;
