import { type CustomerStart, classifyMovements, type Movement, type MrrChange } from './mrr-movements.ts';
import { type MrrPeriod, summariseMrrPeriod } from './mrr-period.ts';
import { eur } from './revenue-breakdown.ts';
import {
  arpa,
  clvToCac,
  customerAcquisitionCost,
  customerChurnRate,
  customerLifetimeValue,
  grossMargin,
  grossMrrChurn,
  monthlyRate,
  monthsInRange,
  netMrrChurn,
  netRevenueRetention,
  paybackMonths,
} from './saas-formulas.ts';

// Every MRR and unit-economics figure of one set of domains over one range. Pure: the verb
// loads the inputs; this file holds the arithmetic. Money in, cents; money out, euros.

export interface CostCents {
  marketing: number;
  cogs: number;
  /** Marketing costs by channel as written on the cost (null: no channel). */
  marketingByChannel: Map<string | null, number>;
}

export interface MrrFiguresInput {
  start: readonly CustomerStart[];
  /** The range's changes, in time order. */
  changes: readonly MrrChange[];
  range: { from: string; to: string; days: number };
  /** Earned revenue net of refunds in the range, for the gross margin. */
  revenueCents: number;
  costs: CostCents;
}

export interface ChannelCac {
  channel: string | null;
  marketing: number;
  newCustomers: number;
  cac: number | null;
}

const money = (euros: number | null): number | null =>
  euros === null ? null : Math.round(euros * 100) / 100;

export function mrrFigures(input: MrrFiguresInput) {
  const movements: Movement[] = classifyMovements(input.start, input.changes);
  const period: MrrPeriod = summariseMrrPeriod(input.start, movements);
  const m = period.movements;
  const mrrEuros = period.endMrrCents / 100;
  const arpaValue = arpa(mrrEuros, period.endCustomers);
  const churnRate = customerChurnRate(period.customers.churn, period.startCustomers);
  const months = monthsInRange(input.range.from, input.range.to, input.range.days);
  const monthlyChurn = monthlyRate(churnRate, months);
  const clv = customerLifetimeValue(arpaValue, monthlyChurn);
  const marketing = input.costs.marketing / 100;
  const cac = customerAcquisitionCost(marketing, period.customers.new);
  const revenue = input.revenueCents / 100;
  const cogs = input.costs.cogs / 100;
  const figures = {
    mrr: eur(period.endMrrCents),
    arr: eur(period.endMrrCents * 12),
    payingCustomers: period.endCustomers,
    arpa: money(arpaValue),
    start: { mrr: eur(period.startMrrCents), payingCustomers: period.startCustomers },
    movements: {
      new: eur(m.new),
      expansion: eur(m.expansion),
      reactivation: eur(m.reactivation),
      contraction: eur(m.contraction),
      churn: eur(m.churn),
      net: eur(m.new + m.expansion + m.reactivation - m.contraction - m.churn),
    },
    customers: {
      new: period.customers.new,
      reactivated: period.customers.reactivation,
      expanded: period.customers.expansion,
      contracted: period.customers.contraction,
      churned: period.customers.churn,
    },
    customerChurnRate: churnRate,
    monthlyCustomerChurnRate: monthlyChurn,
    grossMrrChurn: grossMrrChurn(m.churn, m.contraction, period.startMrrCents),
    netMrrChurn: netMrrChurn(m, period.startMrrCents),
    netRevenueRetention: netRevenueRetention(period.startCohortEndMrrCents, period.startMrrCents),
    clv: money(clv),
    revenue: eur(input.revenueCents),
    cogs: eur(input.costs.cogs),
    grossMargin: grossMargin(revenue, cogs),
    marketing: eur(input.costs.marketing),
    cac: money(cac),
    clvToCac: clvToCac(clv, cac),
    paybackMonths: paybackMonths(cac, arpaValue),
    channels: channelCac(input.costs.marketingByChannel, period.newByChannel),
  };
  return { figures, movements, period };
}

export type MrrFigures = ReturnType<typeof mrrFigures>['figures'];

/**
 * CAC per acquisition channel: the channel's marketing costs ÷ the new customers whose
 * subscription names that channel. Channels match without regard to case or surrounding spaces;
 * costs and customers without a channel form the unattributed row (channel null).
 */
export function channelCac(
  marketingByChannel: ReadonlyMap<string | null, number>,
  newByChannel: ReadonlyMap<string | null, number>,
): ChannelCac[] {
  const rows = new Map<string, { channel: string | null; marketingCents: number; newCustomers: number }>();
  const keyOf = (c: string | null) => (c === null ? '' : c.trim().toLowerCase());
  const row = (c: string | null) => {
    const key = keyOf(c);
    const existing = rows.get(key);
    if (existing) return existing;
    const created = { channel: key === '' ? null : (c as string).trim(), marketingCents: 0, newCustomers: 0 };
    rows.set(key, created);
    return created;
  };
  for (const [c, cents] of marketingByChannel) row(c).marketingCents += cents;
  for (const [c, count] of newByChannel) row(c).newCustomers += count;
  return [...rows.values()]
    .map((r) => ({
      channel: r.channel,
      marketing: eur(r.marketingCents),
      newCustomers: r.newCustomers,
      cac: money(customerAcquisitionCost(r.marketingCents / 100, r.newCustomers)),
    }))
    .sort((a, b) =>
      a.channel === null ? 1 : b.channel === null ? -1 : a.channel.localeCompare(b.channel, 'en'),
    );
}
