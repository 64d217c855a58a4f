import { z } from 'zod';
import { DomainOut, MetricQuery, RangeOut } from '../metric-query.ts';

// Query and response shapes of the traffic endpoints; the types are inferred from them.

export const Interval = z.enum(['hour', 'day', 'week', 'month']);

export const TrafficQuery = MetricQuery.extend({
  interval: Interval.optional().describe(
    'Chart bucket (default: hour up to 2 days, day up to 90, else week)',
  ),
});
export type TrafficQuery = z.infer<typeof TrafficQuery>;

export const TrafficTotals = z.object({
  visitors: z.number().describe('Distinct persons (user, else anonymous visitor id) over the range'),
  pageviews: z.number(),
  sessions: z.number(),
  bounceRate: z.number().describe('bounces ÷ sessions, 0–1'),
  visitDurationS: z.number().describe('Mean session duration in seconds'),
  viewsPerVisit: z.number().describe('page views ÷ sessions'),
  events: z.number().describe('All events, page views included'),
  revenueEur: z.number().describe('Sum of the events’ value_eur'),
});
export type TrafficTotals = z.infer<typeof TrafficTotals>;

export const TrafficPoint = z.object({
  bucket: z.string().describe('ISO instant at which the hour/day/week/month starts in tz'),
  visitors: z.number(),
  pageviews: z.number(),
  sessions: z.number(),
  bounceRate: z.number(),
  visitDurationS: z.number(),
});

export const TrafficResult = z.object({
  range: RangeOut,
  previous: RangeOut.nullable(),
  domains: z.array(DomainOut),
  interval: Interval,
  totals: TrafficTotals,
  comparison: TrafficTotals.nullable(),
  series: z.array(TrafficPoint),
});
export type TrafficResult = z.infer<typeof TrafficResult>;

export const Dimension = z.enum([
  'page',
  'entry_page',
  'exit_page',
  'source',
  'referrer',
  'channel',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'browser',
  'os',
  'device',
]);
export type Dimension = z.infer<typeof Dimension>;

export const BreakdownQuery = MetricQuery.extend({
  dimension: Dimension,
  limit: z.coerce.number().int().min(1).max(1000).default(10),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type BreakdownQuery = z.infer<typeof BreakdownQuery>;

export const BreakdownRow = z.object({
  value: z.string(),
  visitors: z.number().describe('Sum over the days of the distinct persons that day'),
  pageviews: z.number(),
  sessions: z.number().optional(),
  bounceRate: z.number().optional(),
  visitDurationS: z.number().optional(),
  share: z.number().describe('visitors ÷ the visitors of all values, 0–1'),
});

export const BreakdownResult = z.object({
  range: RangeOut,
  domains: z.array(DomainOut),
  dimension: Dimension,
  rows: z.array(BreakdownRow),
  total: z.number().describe('How many values there are (for paging)'),
});
export type BreakdownResult = z.infer<typeof BreakdownResult>;

export const GoalsResult = z.object({
  range: RangeOut,
  domains: z.array(DomainOut),
  visitors: z.number().describe('Distinct persons over the same UTC days (the conversion base)'),
  goals: z.array(
    z.object({
      goal: z.string(),
      uniques: z.number(),
      events: z.number(),
      conversionRate: z.number().describe('uniques ÷ visitors, 0–1'),
      valueEur: z.number(),
    }),
  ),
});
export type GoalsResult = z.infer<typeof GoalsResult>;

export const FunnelQuery = MetricQuery.extend({
  steps: z
    .string()
    .max(2000)
    .describe('2–8 comma-separated steps: a page path starting with / or a custom event name'),
});
export type FunnelQuery = z.infer<typeof FunnelQuery>;

export const FunnelResult = z.object({
  range: RangeOut,
  domains: z.array(DomainOut),
  steps: z.array(
    z.object({
      step: z.string(),
      kind: z.enum(['page', 'goal']),
      visitors: z.number(),
      conversionRate: z.number().describe('visitors ÷ visitors of the first step, 0–1'),
      dropOff: z.number().describe('visitors of the previous step who did not reach this one'),
    }),
  ),
});
export type FunnelResult = z.infer<typeof FunnelResult>;
