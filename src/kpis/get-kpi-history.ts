import type { Ctx } from '../auth/context.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import { addDays, MAX_RANGE_DAYS } from '../metrics/metric-query.ts';
import { AppError } from '../shared/app-error.ts';
import { activeKpis, bindingOut, requireKpiReader } from './kpi-access.ts';
import { toKpiUnit } from './kpi-definitions.ts';
import type { KpiHistoryOut, KpiHistoryQuery } from './kpi-schemas.ts';
import { selectSnapshots } from './kpi-snapshots.sql.ts';
import { lastCompleteDay } from './snapshot-kpis.ts';
import { dayNumber } from './trend.ts';

/** `GET /api/v1/kpis/:key/history`: the stored daily values of one KPI, in its unit. */
export async function getKpiHistory({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { portfolio: Pick<Portfolio, 'kpis'> | null; key: string; query: KpiHistoryQuery };
}): Promise<KpiHistoryOut> {
  requireKpiReader(ctx.actor);
  const def = activeKpis(input.portfolio).find((d) => d.key === input.key);
  if (!def) throw new AppError('not_found', `no KPI "${input.key}" in the portfolio file`, 'key');
  const to = input.query.to ?? lastCompleteDay(ctx.now);
  const from = input.query.from ?? addDays(to, -89);
  if (from > to) throw new AppError('invalid_request', `from (${from}) is after to (${to})`, 'from');
  const days = dayNumber(to) - dayNumber(from) + 1;
  if (days > MAX_RANGE_DAYS)
    throw new AppError('invalid_request', `the range is ${days} days; at most ${MAX_RANGE_DAYS}`, 'from');
  const rows =
    def.binding.kind === 'unbound'
      ? []
      : await ctx.db.transaction((tx) => selectSnapshots(tx, { keys: [def.key], from, to }), {
          scope: ctx.actor.scope,
        });
  return {
    key: def.key,
    unit: def.unit,
    binding: bindingOut(def.binding),
    from,
    to,
    points: rows.map((r) => ({ day: r.day, value: toKpiUnit(def, r.value) })),
  };
}
