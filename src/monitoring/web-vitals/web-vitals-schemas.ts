import { z } from 'zod';
import { DomainOut, RangeOut } from '../../metrics/metric-query.ts';

export { MonitoringRangeQuery as WebVitalsQuery } from '../uptime/uptime-schemas.ts';

const VitalOut = z.object({
  p75: z
    .number()
    .nullable()
    .describe('75th percentile over page loads (ms; CLS unitless); null without samples'),
  samples: z.number(),
  rating: z.enum(['good', 'needs_improvement', 'poor']).nullable().describe("Google's thresholds"),
});

export const WebVitalsRow = z.object({
  domain: DomainOut,
  pageLoads: z.number(),
  lcp: VitalOut,
  inp: VitalOut,
  cls: VitalOut,
  fcp: VitalOut,
  ttfb: VitalOut,
  seedTarget: z
    .object({ lcpBelowMs: z.number(), verdict: z.enum(['met', 'missed', 'no_data']) })
    .describe("The seed's LCP target"),
});

export const WebVitalsResult = z.object({
  range: RangeOut,
  thresholds: z.record(z.string(), z.object({ good: z.number(), poor: z.number() })),
  domains: z.array(WebVitalsRow),
});
export type WebVitalsResult = z.infer<typeof WebVitalsResult>;
