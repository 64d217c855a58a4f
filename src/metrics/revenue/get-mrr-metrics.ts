import type { Tx } from '../../db/types.ts';
import { centsOfNumeric } from '../../ingest/revenue/money.ts';
import {
  change,
  type DateRange,
  inScope,
  type MetricContext,
  type MetricDomain,
  type MetricQuery,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../metric-query.ts';
import { selectCostTotals } from './cost-totals.sql.ts';
import { type CostCents, type MrrFigures, mrrFigures } from './mrr-figures.ts';
import type { CustomerStart, MrrChange } from './mrr-movements.ts';
import { monthWindows, mrrBridge } from './mrr-period.ts';
import { eur } from './revenue-breakdown.ts';
import type { MrrMetricsOut } from './revenue-metric-schemas.ts';
import { selectRevenueTotals } from './revenue-totals.sql.ts';
import { selectCustomersAt, selectMrrChanges } from './subscription-changes.sql.ts';

/** What one range needs, for every asked domain at once. */
interface PeriodInputs {
  range: DateRange;
  start: CustomerStart[];
  changes: MrrChange[];
  revenueByDomain: Map<string, number>;
  costs: { domainId: string | null; category: 'marketing' | 'cogs'; channel: string | null; cents: number }[];
}

async function loadPeriod(
  tx: Tx,
  domainIds: string[],
  range: DateRange,
  includePortfolioWide: boolean,
): Promise<PeriodInputs> {
  const start = await selectCustomersAt(tx, { domainIds, at: range.start });
  const changes = await selectMrrChanges(tx, { domainIds, start: range.start, end: range.end });
  const revenueRows = await selectRevenueTotals(tx, { domainIds, current: range, previous: null });
  const revenueByDomain = new Map<string, number>();
  for (const r of revenueRows) {
    if (r.pending) continue;
    revenueByDomain.set(
      r.domainId,
      (revenueByDomain.get(r.domainId) ?? 0) + Number(centsOfNumeric(r.amountEur)),
    );
  }
  const costRows = await selectCostTotals(tx, {
    domainIds,
    from: range.from,
    to: range.to,
    includePortfolioWide,
  });
  const costs = costRows.map((c) => ({ ...c, cents: Number(centsOfNumeric(c.amountEur)) }));
  return { range, start, changes, revenueByDomain, costs };
}

/** The figures of the domains `keep` accepts; portfolio-wide costs only when `wide`. */
function figuresOf(p: PeriodInputs, keep: (domainId: string) => boolean, wide: boolean) {
  const costs: CostCents = { marketing: 0, cogs: 0, marketingByChannel: new Map() };
  for (const c of p.costs) {
    if (c.domainId === null ? !wide : !keep(c.domainId)) continue;
    if (c.category === 'cogs') costs.cogs += c.cents;
    else {
      costs.marketing += c.cents;
      costs.marketingByChannel.set(c.channel, (costs.marketingByChannel.get(c.channel) ?? 0) + c.cents);
    }
  }
  let revenueCents = 0;
  for (const [domainId, cents] of p.revenueByDomain) if (keep(domainId)) revenueCents += cents;
  return mrrFigures({
    start: p.start.filter((c) => keep(c.domainId)),
    changes: p.changes.filter((c) => keep(c.domainId)),
    range: p.range,
    revenueCents,
    costs,
  });
}

function headlineChange(current: MrrFigures, previous: MrrFigures | null) {
  const of = (pick: (f: MrrFigures) => number | null) => {
    const now = pick(current);
    return now === null || previous === null ? null : change(now, pick(previous));
  };
  return {
    mrr: of((f) => f.mrr),
    payingCustomers: of((f) => f.payingCustomers),
    arpa: of((f) => f.arpa),
    revenue: of((f) => f.revenue),
  };
}

/**
 * MRR at the range's end with its movements over the range, the monthly bridge, churn and
 * retention, and unit economics (CAC, CLV, payback, gross margin): for the asked domains together
 * and for each one, with the comparison period. Runs under the caller's scope.
 */
export async function getMrrMetrics({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MetricQuery;
}): Promise<MrrMetricsOut> {
  const q = resolveQuery(input, ctx.now);
  // Costs without a domain belong to the whole portfolio: counted only for a caller who sees every
  // domain and asks for all of them.
  const wide = (input.domains ?? '').trim() === '' && ctx.scope.kind === 'all';
  return inScope(ctx, async (tx) => {
    const domains: MetricDomain[] = await resolveMetricDomains(tx, input.domains);
    const ids = domains.map((d) => d.id);
    const current = await loadPeriod(tx, ids, q.range, wide);
    const previous = q.previous ? await loadPeriod(tx, ids, q.previous, wide) : null;
    const all = () => true;
    const total = figuresOf(current, all, wide);
    const previousTotal = previous ? figuresOf(previous, all, wide).figures : null;
    const bridge = mrrBridge(total.period.startMrrCents, total.movements, monthWindows(q.range)).map((b) => ({
      month: b.month,
      start: eur(b.start),
      new: eur(b.new),
      expansion: eur(b.expansion),
      reactivation: eur(b.reactivation),
      contraction: eur(b.contraction),
      churn: eur(b.churn),
      end: eur(b.end),
    }));
    const portfolioWide = { marketing: 0, cogs: 0 };
    if (wide) {
      for (const c of current.costs.filter((x) => x.domainId === null)) portfolioWide[c.category] += c.cents;
    }
    return {
      range: rangeOut(q.range),
      previous: q.previous ? rangeOut(q.previous) : null,
      domains,
      currency: 'EUR',
      at: q.range.end.toISOString(),
      total: total.figures,
      previousTotal,
      change: headlineChange(total.figures, previousTotal),
      bridge,
      byDomain: domains.map((d) => {
        const only = (id: string) => id === d.id;
        return {
          domain: d,
          current: figuresOf(current, only, false).figures,
          previous: previous ? figuresOf(previous, only, false).figures : null,
        };
      }),
      portfolioWideCosts: wide
        ? { marketing: eur(portfolioWide.marketing), cogs: eur(portfolioWide.cogs) }
        : null,
    };
  });
}
