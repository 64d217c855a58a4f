import { z } from 'zod';
import { ExperimentStatus } from '../experiment-schema.ts';

const Effect = z.object({
  variation: z.string(),
  improvement: z.number(),
  ci: z.tuple([z.number(), z.number()]),
  chanceToWin: z.number(),
  pValue: z.number().nullable(),
  error: z.string().nullable(),
});

export const MetricResultOut = z.object({
  key: z.string(),
  kind: z.string(),
  role: z.enum(['primary', 'secondary', 'guardrail']),
  direction: z.enum(['increase', 'decrease']),
  variations: z.array(
    z.object({
      variation: z.string(),
      n: z.number(),
      sum: z.number(),
      sumSquares: z.number(),
      mean: z.number().nullable(),
    }),
  ),
  /** Null when the analysis could not run (no exposures yet). */
  effects: z.array(Effect).nullable(),
});

export const ResultsOut = z.object({
  key: z.string(),
  status: ExperimentStatus,
  from: z.string().nullable(),
  until: z.string(),
  metrics: z.array(MetricResultOut),
  srm: z.object({ pValue: z.number(), warning: z.boolean() }).nullable(),
  progress: z.object({
    neededTotal: z.number().nullable(),
    exposedTotal: z.number(),
    moreVisitors: z.number().nullable(),
    moreDays: z.number().nullable(),
    dailyVisitors: z.number(),
  }),
  recommendation: z.object({
    action: z.enum(['ship', 'keep_control', 'stop_guardrail', 'keep_running']),
    variation: z.string().optional(),
    metric: z.string().optional(),
    text: z.string(),
  }),
});
export type ResultsOut = z.infer<typeof ResultsOut>;
