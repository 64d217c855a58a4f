import { z } from 'zod';
import { DomainOut, RangeOut } from '../metric-query.ts';

// The portfolio overview: every domain side by side plus totals. Each figure comes with its value
// in the comparison period (null without one) and the relative change (null from 0).

const Figure = z.object({
  value: z.number(),
  previous: z.number().nullable(),
  change: z.number().nullable(),
});

export const OverviewFigures = z.object({
  visitors: Figure.describe('Distinct persons (docs/metrics.md "Traffic")'),
  pageviews: Figure,
  bounceRate: Figure,
  revenueEur: Figure.describe('Earned revenue net of refunds in the range (docs/metrics.md "Revenue")'),
  mrrEur: Figure.describe('MRR at the end of the range'),
  conversionRate: Figure.describe('Persons who reached any goal ÷ visitors'),
});
export type OverviewFigures = z.infer<typeof OverviewFigures>;

export const OverviewOut = z.object({
  range: RangeOut,
  previous: RangeOut.nullable(),
  domains: z.array(z.object({ domain: DomainOut, figures: OverviewFigures })),
  totals: OverviewFigures,
});
export type OverviewOut = z.infer<typeof OverviewOut>;
