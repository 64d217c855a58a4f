import type { Db } from '../../db/types.ts';
import type { HourlyP95 } from './detect-latency-regression.ts';
import { hourOf } from './hourly-latency.ts';
import { quantileFromBuckets } from './latency-histogram.ts';
import type { SelfMetrics } from './registry.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Hours kept: the regression rule reads 7 days; the rest is for looking back at an incident. */
export const LATENCY_HISTORY_DAYS = 90;

// Adds into the hour's row: snapshots of one instance, and of several instances, accumulate.
const ADD_HOUR = `
  INSERT INTO request_latency_hourly AS t (hour, route, request_count, bucket_counts)
  VALUES ($1, $2, $3, $4::bigint[])
  ON CONFLICT (hour, route) DO UPDATE SET
    request_count = t.request_count + excluded.request_count,
    bucket_counts = ARRAY(
      SELECT coalesce(a, 0) + coalesce(b, 0)
        FROM unnest(t.bucket_counts, excluded.bucket_counts) WITH ORDINALITY AS u(a, b, i)
       ORDER BY i)`;

const DELETE_OLD = 'DELETE FROM request_latency_hourly WHERE hour < $1';

export interface SnapshotResult {
  rows: number;
  requests: number;
}

/**
 * Writes the request durations observed since the last snapshot into their hours' rows and
 * drops hours past LATENCY_HISTORY_DAYS. Run it every few minutes; on failure nothing is lost
 * (the observations go back to be written next time).
 */
export async function snapshotLatency(db: Db, metrics: SelfMetrics, now: Date): Promise<SnapshotResult> {
  const entries = metrics.hourlyLatency.take();
  let requests = 0;
  try {
    await db.transaction(async (tx) => {
      for (const e of entries) {
        const count = e.buckets.reduce((sum, c) => sum + c, 0);
        requests += count;
        await tx.query(ADD_HOUR, [e.hour, e.route, count, e.buckets]);
      }
      await tx.query(DELETE_OLD, [new Date(hourOf(now).getTime() - LATENCY_HISTORY_DAYS * DAY_MS)]);
    });
  } catch (err) {
    metrics.hourlyLatency.restore(entries);
    throw err;
  }
  return { rows: entries.length, requests };
}

// Buckets summed over routes (or one route) per hour; p95 is computed from the sums.
const HOURLY_BUCKETS = `
  SELECT l.hour, u.i::int AS i, sum(u.c)::float8 AS c
    FROM request_latency_hourly l, unnest(l.bucket_counts) WITH ORDINALITY AS u(c, i)
   WHERE l.hour >= $1 AND l.hour < $2 AND ($3::text IS NULL OR l.route = $3)
   GROUP BY l.hour, u.i
   ORDER BY l.hour, u.i`;

/** Hourly p95 over [from, to), over all recorded routes or one route template. */
export async function readHourlyP95(
  db: Db,
  range: { from: Date; to: Date; route?: string },
): Promise<HourlyP95[]> {
  const res = await db.query<{ hour: Date | string; i: number; c: number }>(HOURLY_BUCKETS, [
    range.from,
    range.to,
    range.route ?? null,
  ]);
  const byHour = new Map<number, number[]>();
  for (const row of res.rows) {
    const hour = new Date(row.hour).getTime();
    const buckets = byHour.get(hour) ?? [];
    buckets[row.i - 1] = row.c;
    byHour.set(hour, buckets);
  }
  return [...byHour].map(([hour, sparse]) => {
    const buckets = Array.from(sparse, (c) => c ?? 0);
    const p95 = quantileFromBuckets(0.95, buckets);
    return {
      hour: new Date(hour),
      requests: buckets.reduce((sum, c) => sum + c, 0),
      p95Ms: p95 === null ? null : p95 * 1000,
    };
  });
}
