import { type Ctx, field, num, records, str } from './loose.ts';

/**
 * Consistency checks of the financials section. Defensive: they also run on a partly invalid
 * document, so they read their input through the `loose` readers instead of the parsed type.
 */

/** Breakdown categories unique, amounts summing to revenue, shares matching amounts; net ≤ gross margin. */
export function checkYearTarget(t: unknown, ctx: Ctx): void {
  const revenue = num(field(t, 'revenue'));
  const shares = records(field(t, 'breakdown'));
  const seen = new Map<string, number>();
  shares.forEach((s, i) => {
    const category = str(s?.category);
    if (category === undefined) return;
    const first = seen.get(category);
    if (first !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['breakdown', i, 'category'],
        message: `duplicate category (see breakdown.${first})`,
      });
    else seen.set(category, i);
  });
  const amounts = shares.map((s) => num(s?.amount));
  if (revenue !== undefined && amounts.length > 0 && amounts.every((a) => a !== undefined)) {
    const sum = amounts.reduce<number>((a, c) => a + (c ?? 0), 0);
    if (Math.abs(sum - revenue) > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['breakdown'],
        message: `amounts sum to ${sum}, not the revenue ${revenue}`,
      });
  }
  if (revenue !== undefined && revenue > 0)
    shares.forEach((s, i) => {
      const amount = num(s?.amount);
      const share = num(s?.sharePct);
      if (amount === undefined || share === undefined) return;
      const actual = (amount / revenue) * 100;
      if (Math.abs(actual - share) > 0.5)
        ctx.addIssue({
          code: 'custom',
          path: ['breakdown', i, 'sharePct'],
          message: `amount is ${actual.toFixed(1)}% of revenue, not ${share}%`,
        });
    });
  const gross = num(field(t, 'grossMarginPct'));
  const net = num(field(t, 'netMarginPct'));
  if (gross !== undefined && net !== undefined && net > gross)
    ctx.addIssue({
      code: 'custom',
      path: ['netMarginPct'],
      message: `must not exceed grossMarginPct (${gross})`,
    });
}

/** The declared total range is the sum of the allocation ranges. */
export function checkInvestmentTotals(inv: unknown, ctx: Ctx): void {
  const allocations = records(field(inv, 'allocations'));
  const total = field(inv, 'total');
  for (const bound of ['min', 'max'] as const) {
    const parts = allocations.map((a) => num(field(a?.amount, bound)));
    const declared = num(field(total, bound));
    if (declared === undefined || parts.some((p) => p === undefined)) continue;
    const sum = parts.reduce<number>((a, c) => a + (c ?? 0), 0);
    if (Math.abs(sum - declared) > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['total', bound],
        message: `must equal the sum of the allocations' ${bound} (${sum})`,
      });
  }
}

/** Target years unique; each scenario measured against an existing year target, pctOfTarget consistent. */
export function checkScenarios(f: unknown, ctx: Ctx): void {
  const targets = records(field(f, 'targets'));
  const byYear = new Map<number, number>();
  targets.forEach((t, i) => {
    const year = num(t?.year);
    if (year === undefined) return;
    if (byYear.has(year))
      ctx.addIssue({
        code: 'custom',
        path: ['targets', i, 'year'],
        message: `duplicate year (see targets.${byYear.get(year)})`,
      });
    else byYear.set(year, i);
  });
  const seen = new Set<string>();
  records(field(f, 'scenarios')).forEach((s, i) => {
    const year = num(s?.year);
    const name = str(s?.name);
    if (year === undefined) return;
    if (name !== undefined) {
      if (seen.has(`${year}/${name}`))
        ctx.addIssue({
          code: 'custom',
          path: ['scenarios', i, 'name'],
          message: `duplicate ${name} scenario for ${year}`,
        });
      seen.add(`${year}/${name}`);
    }
    const targetIndex = byYear.get(year);
    if (targetIndex === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['scenarios', i, 'year'],
        message: `no financial target for ${year}`,
      });
      return;
    }
    const target = num(targets[targetIndex]?.revenue);
    const revenue = num(s?.annualRevenue);
    const pct = num(s?.pctOfTarget);
    if (target === undefined || target === 0 || revenue === undefined || pct === undefined) return;
    const actual = (revenue / target) * 100;
    if (Math.abs(actual - pct) > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['scenarios', i, 'pctOfTarget'],
        message: `annualRevenue is ${actual.toFixed(1)}% of the ${year} target revenue (${target}), not ${pct}%`,
      });
  });
}
