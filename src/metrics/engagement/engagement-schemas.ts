import { z } from 'zod';
import { DomainOut, MetricQuery, RangeOut } from '../metric-query.ts';

// Query and response schemas of the engagement endpoints (docs/metrics.md, "Engagement").

const Ratio = z.number().nullable();

export const DaySpanOut = z.object({ from: z.string(), to: z.string(), days: z.number().int() });

export const SegmentOut = z.object({
  segment: z.enum(['power_user', 'multi_domain', 'single_domain']),
  label: z.string(),
  minDomains: z.number().int().describe('Domains a user must be active on to be in the segment'),
  users: z.number().int(),
  share: Ratio.describe('users ÷ active identified users'),
});

export const EngagementTotals = z.object({
  dau: z.number().nullable().describe('Average distinct persons (users and anonymous visitors) per day'),
  dauUsers: z.number().nullable().describe('Average distinct identified users per day'),
  mau: z.number().int().describe('Distinct persons in the 30 days ending at the last day'),
  mauUsers: z.number().int().describe('Distinct identified users in the 30 days ending at the last day'),
  mauEstimated: z
    .boolean()
    .describe('mau is estimated from HyperLogLog sketches (past 20,000 person-days; standard error 2.3 %)'),
  stickiness: Ratio.describe("Average DAU over MAU's 30 days ÷ MAU"),
  stickinessUsers: Ratio.describe('The same for identified users'),
  sessions: z.number().int(),
  avgSessionDurationS: Ratio.describe('Total session duration ÷ sessions, seconds'),
  activeUsers: z.number().int().describe('Distinct identified users active in the range'),
  retention30d: Ratio.describe('Share of the cohort active again on a day 30–59 after their first day'),
  retention30dCohort: z.number().int().describe('Identified users first seen in the cohort days'),
  retention30dRetained: z.number().int(),
  revenueEur: z.number().describe('Earned revenue in the range, net of refunds'),
  revenuePerUser: Ratio.describe('revenueEur ÷ activeUsers'),
  crossDomainUsers: z.number().int().describe('Identified users active on ≥ 2 of the domains'),
  crossDomainRate: Ratio.describe('crossDomainUsers ÷ activeUsers'),
  segments: z.array(SegmentOut),
  domainsPerUser: z
    .array(z.object({ domains: z.number().int(), users: z.number().int() }))
    .describe('Identified users by the number of domains they were active on'),
});
export type EngagementTotals = z.infer<typeof EngagementTotals>;

export const EngagementWindows = z.object({
  activity: DaySpanOut.nullable().describe('UTC days of activity counted (none after today)'),
  mau: DaySpanOut.nullable(),
  retentionCohort: DaySpanOut.nullable().describe('First days of the 30-day retention cohort'),
});

export const DailyPoint = z.object({
  day: z.string(),
  dau: z.number().int(),
  dauUsers: z.number().int(),
  sessions: z.number().int(),
});

const Change = z.number().nullable();
export const EngagementChange = z.object({
  dau: Change,
  mau: Change,
  stickiness: Change,
  avgSessionDurationS: Change,
  retention30d: Change,
  revenuePerUser: Change,
  crossDomainRate: Change,
  activeUsers: Change,
});

export const EngagementSummary = z.object({
  range: RangeOut,
  previous: RangeOut.nullable(),
  domains: z.array(DomainOut),
  windows: EngagementWindows,
  totals: EngagementTotals,
  series: z.array(DailyPoint),
  comparison: EngagementTotals.nullable(),
  comparisonSeries: z.array(DailyPoint).nullable(),
  change: EngagementChange.describe('Relative change from the comparison period; null when undefined'),
});
export type EngagementSummary = z.infer<typeof EngagementSummary>;

export const CohortQuery = MetricQuery.extend({
  interval: z.enum(['week', 'month']).default('month').describe('Cohorts by ISO week or calendar month'),
  periods: z.coerce
    .number()
    .int()
    .min(1)
    .max(52)
    .default(12)
    .describe('How many cohorts, ending with the period that contains the last day'),
});
export type CohortQuery = z.infer<typeof CohortQuery>;

export const EngagementCohorts = z.object({
  range: RangeOut,
  domains: z.array(DomainOut),
  interval: z.enum(['week', 'month']),
  lastDay: z.string().describe('Last UTC day counted (the range end, or today)'),
  cohorts: z.array(
    z.object({
      cohort: z.string().describe('First day of the cohort period'),
      users: z.number().int().describe('Identified users first seen in that period'),
      cells: z.array(
        z.object({
          offset: z.number().int(),
          period: z.string(),
          users: z.number().int(),
          share: Ratio,
          complete: z.boolean().describe('false for the period still running at lastDay'),
        }),
      ),
    }),
  ),
});
export type EngagementCohorts = z.infer<typeof EngagementCohorts>;

export const DomainOverlap = z.object({
  range: RangeOut,
  activity: DaySpanOut.nullable(),
  domains: z.array(DomainOut),
  users: z.array(z.number().int()).describe('Identified users active on each domain (the diagonal)'),
  matrix: z.array(z.array(z.number().int())).describe('matrix[i][j]: users active on both i and j'),
  share: z.array(z.array(Ratio)).describe("share[i][j] = matrix[i][j] ÷ users[i]: i's users also on j"),
});
export type DomainOverlap = z.infer<typeof DomainOverlap>;
