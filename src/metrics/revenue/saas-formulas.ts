// SaaS ratios (docs/metrics.md, "Revenue"). Pure. Each returns null — never 0, NaN or Infinity —
// when the ratio is undefined: nothing to divide by, or a lifetime that never ends.

/** Average days per month (365.25 ÷ 12), for turning a range's rate into a monthly one. */
export const DAYS_PER_MONTH = 365.25 / 12;

function ratio(numerator: number, denominator: number): number | null {
  if (denominator === 0 || !Number.isFinite(numerator) || !Number.isFinite(denominator)) return null;
  return numerator / denominator;
}

/** Average revenue per account: MRR ÷ paying customers. */
export function arpa(mrr: number, payingCustomers: number): number | null {
  return ratio(mrr, payingCustomers);
}

/** Customers who churned in the range ÷ customers paying at its start. */
export function customerChurnRate(churnedCustomers: number, startCustomers: number): number | null {
  return ratio(churnedCustomers, startCustomers);
}

/**
 * How many months a range is: whole calendar months when it runs from a 1st to a month's last
 * day (so a calendar month's rate is its monthly rate as is), else days ÷ 30.4375.
 */
export function monthsInRange(from: string, to: string, days: number): number {
  const next = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  if (from.endsWith('-01') && next.endsWith('-01')) {
    const months = (y: string) => Number(y.slice(0, 4)) * 12 + Number(y.slice(5, 7));
    return months(next) - months(from);
  }
  return days / DAYS_PER_MONTH;
}

/**
 * The monthly rate with the same survival over the range: 1 − (1 − r)^(1 / months). A rate above
 * 1 (more churned than there were at the start, counting customers who joined and left) counts as 1.
 */
export function monthlyRate(rangeRate: number | null, months: number): number | null {
  if (rangeRate === null || months <= 0) return null;
  const r = Math.min(Math.max(rangeRate, 0), 1);
  return 1 - (1 - r) ** (1 / months);
}

/** (churn + contraction) ÷ MRR at the start. */
export function grossMrrChurn(churn: number, contraction: number, startMrr: number): number | null {
  return ratio(churn + contraction, startMrr);
}

/** (churn + contraction − expansion − reactivation) ÷ MRR at the start; negative when expansion wins. */
export function netMrrChurn(
  m: { churn: number; contraction: number; expansion: number; reactivation: number },
  startMrr: number,
): number | null {
  return ratio(m.churn + m.contraction - m.expansion - m.reactivation, startMrr);
}

/** MRR at the end of the customers paying at the start ÷ their MRR at the start. */
export function netRevenueRetention(startCohortEndMrr: number, startMrr: number): number | null {
  return ratio(startCohortEndMrr, startMrr);
}

/** Customer lifetime value: ARPA ÷ monthly customer churn rate. No churn: no finite lifetime, null. */
export function customerLifetimeValue(arpaValue: number | null, monthlyChurn: number | null): number | null {
  if (arpaValue === null || monthlyChurn === null) return null;
  return ratio(arpaValue, monthlyChurn);
}

/** Customer acquisition cost: marketing costs ÷ new customers. */
export function customerAcquisitionCost(marketing: number, newCustomers: number): number | null {
  return ratio(marketing, newCustomers);
}

/** CLV ÷ CAC; null when either is unknown or acquisition cost nothing. */
export function clvToCac(clv: number | null, cac: number | null): number | null {
  if (clv === null || cac === null || cac <= 0) return null;
  return clv / cac;
}

/** Months of ARPA it takes to earn the CAC back: CAC ÷ ARPA. */
export function paybackMonths(cac: number | null, arpaValue: number | null): number | null {
  if (cac === null || arpaValue === null || arpaValue <= 0) return null;
  return cac / arpaValue;
}

/** (revenue − cost of goods sold, payment fees included) ÷ revenue; null without positive revenue. */
export function grossMargin(revenue: number, cogs: number): number | null {
  if (revenue <= 0) return null;
  return (revenue - cogs) / revenue;
}
