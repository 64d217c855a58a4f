import type { Queryable } from '../db/types.ts';

// Reads and writes of kpi_snapshots (migration 0012). Values are numeric in SQL, numbers here
// (a KPI value is a measurement, not money to add up to the cent).

export interface SnapshotRow {
  key: string;
  day: string;
  value: number | null;
}

const UPSERT_SQL = `
INSERT INTO kpi_snapshots (metric_key, day, value, computed_at)
SELECT k, $2::date, v, $3::timestamptz
  FROM unnest($1::text[], $4::numeric[]) AS u(k, v)
    ON CONFLICT (metric_key, day) DO UPDATE SET value = EXCLUDED.value, computed_at = EXCLUDED.computed_at`;

/** Stores one day's values (idempotent: a day computed again replaces its values). */
export async function upsertSnapshots(
  tx: Queryable,
  input: { day: string; values: ReadonlyMap<string, number | null>; computedAt: Date },
): Promise<void> {
  const keys = [...input.values.keys()];
  if (keys.length === 0) return;
  const values = keys.map((k) => {
    const v = input.values.get(k);
    return v === null || v === undefined ? null : String(v);
  });
  await tx.query(UPSERT_SQL, [keys, input.day, input.computedAt.toISOString(), values]);
}

const DAYS_SQL = `
SELECT day::text AS day, count(*)::int AS keys
  FROM kpi_snapshots
 WHERE metric_key = ANY ($1::text[]) AND day BETWEEN $2::date AND $3::date
 GROUP BY day`;

/** How many of the keys have a snapshot on each day of [from, to] (days without any are absent). */
export async function countSnapshotsByDay(
  tx: Queryable,
  input: { keys: readonly string[]; from: string; to: string },
): Promise<Map<string, number>> {
  const res = await tx.query<{ day: string; keys: number }>(DAYS_SQL, [input.keys, input.from, input.to]);
  return new Map(res.rows.map((r) => [r.day, r.keys]));
}

const HISTORY_SQL = `
SELECT metric_key AS key, day::text AS day, value::float8 AS value
  FROM kpi_snapshots
 WHERE metric_key = ANY ($1::text[]) AND day BETWEEN $2::date AND $3::date
 ORDER BY metric_key, day`;

/** Stored values of the keys over days [from, to], by key then day. */
export async function selectSnapshots(
  tx: Queryable,
  input: { keys: readonly string[]; from: string; to: string },
): Promise<SnapshotRow[]> {
  const res = await tx.query<SnapshotRow>(HISTORY_SQL, [input.keys, input.from, input.to]);
  return res.rows;
}

const FIRST_SQL = `
SELECT DISTINCT ON (metric_key) metric_key AS key, day::text AS day, value::float8 AS value
  FROM kpi_snapshots
 WHERE metric_key = ANY ($1::text[]) AND value IS NOT NULL
 ORDER BY metric_key, day`;

/** The oldest defined value of each key: the baseline of a KPI the plan gave no current value. */
export async function selectFirstSnapshots(tx: Queryable, keys: readonly string[]): Promise<SnapshotRow[]> {
  const res = await tx.query<SnapshotRow>(FIRST_SQL, [keys]);
  return res.rows;
}
