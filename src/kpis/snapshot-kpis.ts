import type { Portfolio } from '../config/portfolio-schema.ts';
import { ALL_DOMAINS, type Db } from '../db/types.ts';
import { addDays, localDate, type MetricContext } from '../metrics/metric-query.ts';
import { selectFirstDataDays } from './first-data-days.sql.ts';
import { type KpiDefinition, kpiDefinitions, neededSources, valuesOfDay } from './kpi-definitions.ts';
import { countSnapshotsByDay, upsertSnapshots } from './kpi-snapshots.sql.ts';
import { measureSources, type SourceName } from './metric-sources.ts';

// Daily snapshots of every bound KPI. A snapshot is of a whole UTC day: the last complete one is
// "yesterday" at `now`, recomputed on every run (late events and webhooks may still change it);
// older days missing from the backfill window are filled from the rollups, once.

/** Days a backfill covers by default, ending yesterday. */
export const DEFAULT_BACKFILL_DAYS = 90;

/** The last complete UTC day at `now`: the day KPIs are reported as of. */
export function lastCompleteDay(now: Date): string {
  return addDays(localDate(now, 'UTC'), -1);
}

export interface SnapshotResult {
  /** Days computed and stored, oldest first. */
  days: string[];
  /** Keys stored each day (measured and derived). */
  keys: string[];
  /** KPIs left out, with why. */
  unbound: { key: string; reason: string }[];
}

function boundKeys(defs: readonly KpiDefinition[]): string[] {
  return defs.filter((d) => d.binding.kind !== 'unbound').map((d) => d.key);
}

/** Computes every bound KPI of the day from the metric verbs, as the system (every domain). */
export async function measureDay(
  db: Db,
  defs: readonly KpiDefinition[],
  day: string,
  now: Date,
  sources: ReadonlySet<SourceName> = neededSources(defs),
): Promise<Map<string, number | null>> {
  const ctx: MetricContext = { db, scope: ALL_DOMAINS, now };
  return valuesOfDay(defs, await measureSources(ctx, day, sources));
}

/** The KPIs measurable on `day`: every source they read has data by then (derived: both parts). */
function measurableOn(
  defs: readonly KpiDefinition[],
  firstData: Record<SourceName, string | null>,
  day: string,
): KpiDefinition[] {
  const ok = new Set<string>();
  for (const d of defs) {
    if (d.binding.kind !== 'measured') continue;
    if (d.binding.binding.sources.every((s) => firstData[s] !== null && (firstData[s] as string) <= day))
      ok.add(d.key);
  }
  return defs.filter((d) =>
    d.binding.kind === 'measured'
      ? ok.has(d.key)
      : d.binding.kind === 'derived' && ok.has(d.binding.numerator) && ok.has(d.binding.denominator),
  );
}

async function storeDay(db: Db, defs: readonly KpiDefinition[], day: string, now: Date): Promise<void> {
  const values = await measureDay(db, defs, day, now);
  await db.transaction((tx) => upsertSnapshots(tx, { day, values, computedAt: now }));
}

function result(defs: readonly KpiDefinition[], days: string[]): SnapshotResult {
  return {
    days,
    keys: boundKeys(defs),
    unbound: defs.flatMap((d) =>
      d.binding.kind === 'unbound' ? [{ key: d.key, reason: d.binding.reason }] : [],
    ),
  };
}

/** Snapshots the last complete day (yesterday at `now`), replacing what was stored for it. */
export async function snapshotKpis(
  db: Db,
  portfolio: Pick<Portfolio, 'kpis'>,
  now: Date,
): Promise<SnapshotResult> {
  const defs = kpiDefinitions(portfolio);
  const day = lastCompleteDay(now);
  if (boundKeys(defs).length === 0) return result(defs, []);
  await storeDay(db, defs, day, now);
  return result(defs, [day]);
}

/**
 * Fills the `days` days ending yesterday: yesterday always (as snapshotKpis), older days only where
 * a KPI has no snapshot, and a KPI never before the first day its sources hold data (so days
 * before tracking or billing began are not stored as zeros: a false upward trend).
 * Each day costs one call of each source verb over 30 days (docs/kpis.md, "Cost").
 */
export async function backfillKpis(
  db: Db,
  portfolio: Pick<Portfolio, 'kpis'>,
  now: Date,
  days: number = DEFAULT_BACKFILL_DAYS,
): Promise<SnapshotResult> {
  const defs = kpiDefinitions(portfolio);
  const keys = boundKeys(defs);
  const last = lastCompleteDay(now);
  if (keys.length === 0 || days < 1) return result(defs, []);
  const firstData = await selectFirstDataDays(db);
  const stored = await countSnapshotsByDay(db, { keys, from: addDays(last, -(days - 1)), to: last });
  const done: string[] = [];
  for (let day = addDays(last, -(days - 1)); day < last; day = addDays(day, 1)) {
    const due = measurableOn(defs, firstData, day);
    if (due.length === 0 || (stored.get(day) ?? 0) >= due.length) continue;
    await storeDay(db, due, day, now);
    done.push(day);
  }
  // Yesterday with every KPI, data or not: a source without any data measures an honest zero.
  await storeDay(db, defs, last, now);
  done.push(last);
  return result(defs, done);
}
