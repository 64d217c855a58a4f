import { z } from 'zod';
import { DomainOut, RangeOut } from '../metric-query.ts';

// Responses of the revenue metrics endpoints. Money is EUR (a number with at most 2 decimals);
// ratios are fractions (0.05 = 5%); null means undefined for these data (docs/metrics.md).

const Money = z.number().describe('EUR');
const Ratio = z.number().nullable();

const Amounts = {
  net: Money.describe('Earned (completed, approved, paid) net of refunds'),
  gross: Money.describe('Earned, refunds excluded'),
  refunds: Money.describe('Refunded (positive)'),
  pending: Money.describe('Pending: not earned yet, not in net'),
  count: z.int().describe('Earned rows'),
};
const Comparison = {
  previousNet: Money.nullable().describe('Net in the comparison period; null without comparison'),
  change: Ratio.describe('Relative change of net; null without comparison or from 0'),
};

const StreamTarget = z.object({
  annual: Money.describe('targetRevenue of the portfolio file (annual)'),
  planned: Money.describe('currentRevenue of the portfolio file (annual, where the plan started)'),
  forRange: Money.describe('annual × days ÷ 365'),
  runRate: Money.describe('net × 365 ÷ days'),
  progress: Ratio.describe('net ÷ forRange; null when the target is 0'),
});

const SeriesPoint = z.object({ date: z.string(), net: Money, pending: Money });

export const RevenueMetricsOut = z.object({
  range: RangeOut,
  previous: RangeOut.nullable(),
  domains: z.array(DomainOut),
  currency: z.literal('EUR'),
  interval: z.enum(['day', 'week', 'month']),
  total: z.object(Amounts),
  previousTotal: z.object(Amounts).nullable(),
  change: Ratio,
  byDomain: z.array(z.object({ domain: DomainOut, ...Amounts, ...Comparison })),
  byStream: z.array(
    z.object({
      stream: z.string().nullable().describe('Stream id; null: revenue recorded without a stream'),
      name: z.string().nullable(),
      domain: z.string().nullable().describe('Host the stream earns on; null for cross-platform'),
      crossPlatform: z.boolean(),
      ...Amounts,
      ...Comparison,
      target: StreamTarget.nullable().describe('null: the stream is not in the portfolio file'),
    }),
  ),
  byKind: z.array(z.object({ kind: z.string(), ...Amounts, ...Comparison })),
  series: z.array(SeriesPoint),
  previousSeries: z.array(SeriesPoint).nullable(),
});
export type RevenueMetricsOut = z.infer<typeof RevenueMetricsOut>;

const Movements = z.object({
  new: Money,
  expansion: Money,
  reactivation: Money,
  contraction: Money,
  churn: Money,
  net: Money.describe('new + expansion + reactivation − contraction − churn'),
});

export const MrrFiguresOut = z.object({
  mrr: Money.describe('MRR at the range end: active and past_due subscriptions, monthly'),
  arr: Money.describe('12 × MRR'),
  payingCustomers: z.int().describe('Customers with MRR above 0 at the range end'),
  arpa: Money.nullable().describe('MRR ÷ paying customers'),
  start: z.object({ mrr: Money, payingCustomers: z.int() }).describe('At the range start'),
  movements: Movements,
  customers: z
    .object({
      new: z.int(),
      reactivated: z.int(),
      expanded: z.int(),
      contracted: z.int(),
      churned: z.int(),
    })
    .describe('Distinct customers with at least one movement of the kind'),
  customerChurnRate: Ratio.describe('Churned customers ÷ paying customers at the start'),
  monthlyCustomerChurnRate: Ratio.describe('The churn rate turned monthly: 1 − (1 − rate)^(1 / months)'),
  grossMrrChurn: Ratio.describe('(churn + contraction) ÷ start MRR'),
  netMrrChurn: Ratio.describe('(churn + contraction − expansion − reactivation) ÷ start MRR'),
  netRevenueRetention: Ratio.describe("End MRR of the start's paying customers ÷ start MRR"),
  clv: Money.nullable().describe('ARPA ÷ monthly customer churn rate'),
  revenue: Money.describe('Earned revenue net of refunds in the range'),
  cogs: Money.describe('Costs of category cogs (payment fees included) in the range'),
  grossMargin: Ratio.describe('(revenue − cogs) ÷ revenue'),
  marketing: Money.describe('Costs of category marketing in the range'),
  cac: Money.nullable().describe('Marketing ÷ new customers'),
  clvToCac: Ratio.describe('CLV ÷ CAC'),
  paybackMonths: Ratio.describe('CAC ÷ ARPA'),
  channels: z.array(
    z.object({
      channel: z.string().nullable().describe('null: costs or customers without a channel'),
      marketing: Money,
      newCustomers: z.int(),
      cac: Money.nullable(),
    }),
  ),
});

const BridgeMonth = z.object({
  month: z.string().describe('YYYY-MM in the asked time zone, clipped to the range'),
  start: Money,
  new: Money,
  expansion: Money,
  reactivation: Money,
  contraction: Money,
  churn: Money,
  end: Money,
});

export const MrrMetricsOut = z.object({
  range: RangeOut,
  previous: RangeOut.nullable(),
  domains: z.array(DomainOut),
  currency: z.literal('EUR'),
  at: z.string().describe('The instant MRR is measured at: the end of the range'),
  total: MrrFiguresOut,
  previousTotal: MrrFiguresOut.nullable(),
  change: z.object({ mrr: Ratio, payingCustomers: Ratio, arpa: Ratio, revenue: Ratio }),
  bridge: z.array(BridgeMonth),
  byDomain: z.array(
    z.object({ domain: DomainOut, current: MrrFiguresOut, previous: MrrFiguresOut.nullable() }),
  ),
  portfolioWideCosts: z
    .object({ marketing: Money, cogs: Money })
    .nullable()
    .describe('Costs without a domain, included in total; null when a domain filter is set'),
});
export type MrrMetricsOut = z.infer<typeof MrrMetricsOut>;
