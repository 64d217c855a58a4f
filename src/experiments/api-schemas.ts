import { z } from 'zod';
import { Experiment, ExperimentKey, ExperimentStatus } from './experiment-schema.ts';
import type { ExperimentRow } from './store/experiment-rows.sql.ts';

export const ExperimentKeyParams = z.object({ key: ExperimentKey });

export const ExperimentOut = z.object({
  key: z.string(),
  status: ExperimentStatus,
  source: z.enum(['portfolio', 'api']),
  definition: Experiment,
  startedAt: z.string().nullable(),
  stoppedAt: z.string().nullable(),
  stopReason: z.string().nullable(),
  shippedVariation: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type ExperimentOut = z.infer<typeof ExperimentOut>;

export const ExperimentsOut = z.object({ experiments: z.array(ExperimentOut) });

export const StatusChange = z.object({
  from: ExperimentStatus.nullable(),
  to: ExperimentStatus,
  at: z.string(),
  actor: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export const StatusHistoryOut = z.object({ key: z.string(), history: z.array(StatusChange) });

export const StopInput = z.object({ reason: z.string().min(1).max(500).optional() });
export const ShipInput = z.object({
  variation: z.string().min(1).max(60),
  reason: z.string().min(1).max(500).optional(),
});

export function experimentOut(row: ExperimentRow): ExperimentOut {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    key: row.key,
    status: row.status,
    source: row.source,
    definition: Experiment.parse(row.definition),
    startedAt: iso(row.started_at),
    stoppedAt: iso(row.stopped_at),
    stopReason: row.stop_reason,
    shippedVariation: row.shipped_variation,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedBy: row.updated_by,
    updatedAt: row.updated_at.toISOString(),
  };
}
