import { z } from 'zod';
import {
  GrowthPct,
  IsoDate,
  Money,
  Name,
  Percent,
  Probability,
  Range,
  RevenueCategory,
  Text,
  TextList,
} from './common.ts';
import { checkInvestmentTotals, checkScenarios, checkYearTarget } from './financial-checks.ts';
import { always } from './loose.ts';

export const FinancialBaseline = z
  .strictObject({
    annualRevenue: Money,
    mrr: Money.describe('Monthly recurring revenue.'),
    monthlyGrowthPct: z.number().min(-100).max(1000).describe('Month-over-month revenue growth, percent.'),
    asOf: IsoDate.optional(),
  })
  .describe('Where the portfolio stands when the plan starts.');
export type FinancialBaseline = z.infer<typeof FinancialBaseline>;

export const FinancialGoal = z
  .strictObject({
    annualRevenue: Money,
    profitMarginPct: z.number().min(-100).max(100),
    by: IsoDate,
  })
  .describe('The headline goal of the plan.');
export type FinancialGoal = z.infer<typeof FinancialGoal>;

export const RevenueShare = z.strictObject({
  category: RevenueCategory,
  amount: Money,
  sharePct: Percent.describe('amount / revenue × 100, to within half a point.'),
  description: Text.optional(),
});
export type RevenueShare = z.infer<typeof RevenueShare>;

export const Valuation = z.strictObject({
  revenueMultiple: Range(z.number().nonnegative().max(1000), 'times annual revenue'),
  estimatedValue: Range(Money, 'portfolio currency'),
  exitOptions: TextList.default([]),
});
export type Valuation = z.infer<typeof Valuation>;

/** Targets are floors for revenue and margins and ceilings for cac, payback and churn. */
export const YearTarget = z
  .strictObject({
    year: z.int().min(2000).max(2100).describe('Calendar year; unique.'),
    revenue: Money.describe('Annual revenue, at least.'),
    mrr: Money.describe('MRR at the end of the year, at least.'),
    yoyGrowthPct: GrowthPct.optional().describe('Revenue growth over the previous year, percent.'),
    breakdown: z
      .array(RevenueShare)
      .default([])
      .describe('Revenue by category; amounts sum to revenue, shares to 100.'),
    grossMarginPct: z.number().min(-100).max(100).optional(),
    netMarginPct: z.number().min(-100).max(100).optional().describe('Not above grossMarginPct.'),
    ebitda: z.number().min(-1e12).max(1e12).optional(),
    cashflowPositiveByMonth: z
      .int()
      .min(1)
      .max(120)
      .optional()
      .describe('Month of the plan cash flow turns positive.'),
    cac: Money.optional().describe('Customer acquisition cost, at most.'),
    clv: Money.optional().describe('Customer lifetime value, at least.'),
    paybackMonths: z.number().nonnegative().max(120).optional().describe('CAC payback period, at most.'),
    monthlyChurnPct: Percent.optional().describe('Monthly churn, at most.'),
    expansion: TextList.default([]).describe('Growth initiatives behind the target.'),
    valuation: Valuation.optional(),
  })
  .superRefine(checkYearTarget, always)
  .describe('Financial targets for one calendar year (seed §14.1).');
export type YearTarget = z.infer<typeof YearTarget>;

export const ScenarioName = z.enum(['conservative', 'realistic', 'optimistic']);
export type ScenarioName = z.infer<typeof ScenarioName>;

export const Scenario = z
  .strictObject({
    name: ScenarioName,
    year: z.int().min(2000).max(2100).describe('Year of the target the scenario is measured against.'),
    annualRevenue: Money,
    pctOfTarget: z
      .number()
      .nonnegative()
      .max(1000)
      .describe("annualRevenue / that year's target revenue × 100."),
    probability: Probability.describe('Probability of reaching at least annualRevenue, 0..1.'),
  })
  .describe('A risk-adjusted revenue projection (seed §14.3).');
export type Scenario = z.infer<typeof Scenario>;

export const InvestmentAllocation = z.strictObject({
  area: Name,
  amount: Range(Money, 'portfolio currency'),
  items: TextList.default([]),
});
export type InvestmentAllocation = z.infer<typeof InvestmentAllocation>;

export const Investment = z
  .strictObject({
    periodMonths: z.int().min(1).max(120),
    allocations: z.array(InvestmentAllocation).min(1),
    total: Range(Money, 'portfolio currency').describe('Sum of the allocations (min of mins, max of maxes).'),
    expectedRoiPct: Range(z.number().min(-100).max(100_000), 'percent').optional(),
    breakEvenMonth: Range(z.number().int().min(1).max(120), 'month of the plan').optional(),
  })
  .superRefine(checkInvestmentTotals, always)
  .describe('Investment needed over the plan period (seed §14.4).');
export type Investment = z.infer<typeof Investment>;

export const Financials = z
  .strictObject({
    baseline: FinancialBaseline,
    goal: FinancialGoal.optional(),
    targets: z.array(YearTarget).default([]),
    scenarios: z.array(Scenario).default([]),
    investment: Investment.optional(),
  })
  .superRefine(checkScenarios, always)
  .describe('Baseline, yearly targets, scenarios and investment (seed executive summary, §14).');
export type Financials = z.infer<typeof Financials>;
