import type { Ctx } from '../auth/context.ts';
import type { Portfolio } from '../config/portfolio-schema.ts';
import { addDays } from '../metrics/metric-query.ts';
import { activeKpis, bindingOut, requireKpiReader } from './kpi-access.ts';
import { type KpiDefinition, toKpiUnit } from './kpi-definitions.ts';
import type { KpiOut, KpisOut, KpisQuery } from './kpi-schemas.ts';
import { type SnapshotRow, selectFirstSnapshots, selectSnapshots } from './kpi-snapshots.sql.ts';
import { lastCompleteDay, measureDay } from './snapshot-kpis.ts';
import { evaluateKpi, type TrendPoint } from './trend.ts';

interface Stored {
  history: SnapshotRow[];
  first: SnapshotRow | undefined;
  /** The value of asOf and where it came from; absent when neither stored nor measurable. */
  current: { value: number | null; from: 'snapshot' | 'live' } | undefined;
}

function kpiOut(def: KpiDefinition, asOf: string, s: Stored): KpiOut {
  const common = {
    key: def.key,
    name: def.name,
    category: def.category,
    unit: def.unit,
    direction: def.direction,
    binding: bindingOut(def.binding),
    target: def.target,
    deadline: def.deadline,
    confidence: def.confidence,
  };
  const history = s.history.map((r) => ({ day: r.day, value: toKpiUnit(def, r.value) }));
  if (s.current?.from === 'live') history.push({ day: asOf, value: toKpiUnit(def, s.current.value) });
  const current = toKpiUnit(def, s.current?.value ?? null);
  const firstValue = toKpiUnit(def, s.first?.value ?? null);
  const baseline = def.planned ?? firstValue;
  const e = evaluateKpi({
    history: history.filter((p): p is TrendPoint => p.value !== null),
    asOf,
    current,
    baseline,
    target: def.target,
    deadline: def.deadline,
    confidence: def.confidence,
    direction: def.direction,
  });
  return {
    ...common,
    current,
    currentFrom: s.current?.from ?? null,
    baseline,
    baselineFrom: def.planned !== null ? 'plan' : firstValue !== null ? 'first-snapshot' : null,
    progress: e.progress,
    trend: e.trend
      ? {
          slopePerDay: e.trend.slopePerDay,
          intercept: e.trend.intercept,
          originDay: e.trend.originDay,
          residualSe: e.trend.residualSe,
          points: e.trend.points,
        }
      : null,
    projected: e.projected,
    probability: e.probability,
    verdict: def.binding.kind === 'unbound' ? 'unbound' : e.verdict,
    history,
  };
}

/**
 * `GET /api/v1/kpis/progress`: every KPI of the portfolio file with its value on the last complete UTC day,
 * target, progress, trend over the stored history and verdict. A KPI whose day is not snapshotted
 * yet is computed live for the answer (not stored: a GET writes nothing).
 */
export async function getKpis({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: { portfolio: Pick<Portfolio, 'kpis'> | null; query: KpisQuery };
}): Promise<KpisOut> {
  requireKpiReader(ctx.actor);
  const defs = activeKpis(input.portfolio);
  const asOf = lastCompleteDay(ctx.now);
  const from = addDays(asOf, -(input.query.days - 1));
  const keys = defs.filter((d) => d.binding.kind !== 'unbound').map((d) => d.key);
  const { rows, firsts } = await ctx.db.transaction(
    async (tx) => ({
      rows: await selectSnapshots(tx, { keys, from, to: asOf }),
      firsts: await selectFirstSnapshots(tx, keys),
    }),
    { scope: ctx.actor.scope },
  );
  const stored = new Map<string, Stored>(
    keys.map((k) => [k, { history: [], first: undefined, current: undefined }]),
  );
  for (const r of rows) {
    const s = stored.get(r.key) as Stored;
    s.history.push(r);
    if (r.day === asOf) s.current = { value: r.value, from: 'snapshot' };
  }
  for (const f of firsts) (stored.get(f.key) as Stored).first = f;
  if (keys.some((k) => stored.get(k)?.current === undefined)) {
    const live = await measureDay(ctx.db, defs, asOf, ctx.now);
    for (const [key, value] of live) {
      const s = stored.get(key);
      if (s && s.current === undefined) s.current = { value, from: 'live' };
    }
  }
  const empty: Stored = { history: [], first: undefined, current: undefined };
  return {
    asOf,
    days: input.query.days,
    kpis: defs.map((d) => kpiOut(d, asOf, stored.get(d.key) ?? empty)),
  };
}
