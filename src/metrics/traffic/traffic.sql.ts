import type { Tx } from '../../db/types.ts';
import { type Bucket, splitDaysAndHours } from './time-buckets.ts';

// Traffic figures per bucket, read from the rollups only (never raw events).

export interface HourlySums {
  pageviews: number;
  events: number;
  customEvents: number;
  sessions: number;
  bounces: number;
  durationS: number;
  valueEur: number;
}

/** $1 domains, $2/$3 bucket starts/ends: sums of traffic_hourly per bucket (1-based ordinality). */
const HOURLY_SUMS_SQL = `
SELECT b.i::int AS bucket,
       coalesce(sum(t.pageviews), 0)::float8 AS pageviews,
       coalesce(sum(t.events), 0)::float8 AS events,
       coalesce(sum(t.custom_events), 0)::float8 AS custom_events,
       coalesce(sum(t.sessions), 0)::float8 AS sessions,
       coalesce(sum(t.bounces), 0)::float8 AS bounces,
       coalesce(sum(t.duration_s), 0)::float8 AS duration_s,
       coalesce(sum(t.value_eur), 0)::text AS value_eur
  FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS b(s, e, i)
  LEFT JOIN traffic_hourly t ON t.domain_id = ANY ($1::uuid[]) AND t.hour >= b.s AND t.hour < b.e
 GROUP BY b.i
 ORDER BY b.i`;

export async function hourlySums(
  tx: Tx,
  domainIds: readonly string[],
  buckets: readonly Pick<Bucket, 'start' | 'end'>[],
): Promise<HourlySums[]> {
  const res = await tx.query<Record<string, number | string>>(HOURLY_SUMS_SQL, [
    domainIds,
    buckets.map((b) => b.start.toISOString()),
    buckets.map((b) => b.end.toISOString()),
  ]);
  return res.rows.map((r) => ({
    pageviews: Number(r.pageviews),
    events: Number(r.events),
    customEvents: Number(r.custom_events),
    sessions: Number(r.sessions),
    bounces: Number(r.bounces),
    durationS: Number(r.duration_s),
    valueEur: Number(r.value_eur),
  }));
}

/**
 * Distinct persons per bucket: whole UTC days from activity_daily, the edges from activity_hourly.
 * $1 domains; $2..$4 day parts (bucket, from, to); $5..$7 hour parts (bucket, start, end).
 */
const VISITORS_SQL = `
SELECT bucket, count(DISTINCT person)::int AS visitors
  FROM (SELECT d.bucket, a.person
          FROM unnest($2::int[], $3::date[], $4::date[]) AS d(bucket, d0, d1)
          JOIN activity_daily a ON a.domain_id = ANY ($1::uuid[]) AND a.day >= d.d0 AND a.day < d.d1
        UNION ALL
        SELECT h.bucket, a.person
          FROM unnest($5::int[], $6::timestamptz[], $7::timestamptz[]) AS h(bucket, h0, h1)
          JOIN activity_hourly a ON a.domain_id = ANY ($1::uuid[]) AND a.hour >= h.h0 AND a.hour < h.h1) x
 GROUP BY bucket`;

/** Exact distinct visitors in each bucket (a person active on two domains counts once). */
export async function distinctVisitors(
  tx: Tx,
  domainIds: readonly string[],
  buckets: readonly Pick<Bucket, 'start' | 'end'>[],
): Promise<number[]> {
  const dayParts: [number[], string[], string[]] = [[], [], []];
  const hourParts: [number[], string[], string[]] = [[], [], []];
  buckets.forEach((b, i) => {
    const split = splitDaysAndHours(b.start, b.end);
    if (split.days) {
      dayParts[0].push(i);
      dayParts[1].push(split.days.from);
      dayParts[2].push(split.days.to);
    }
    for (const h of split.hours) {
      hourParts[0].push(i);
      hourParts[1].push(h.start.toISOString());
      hourParts[2].push(h.end.toISOString());
    }
  });
  const res = await tx.query<{ bucket: number; visitors: number }>(VISITORS_SQL, [
    domainIds,
    ...dayParts,
    ...hourParts,
  ]);
  const out = buckets.map(() => 0);
  for (const r of res.rows) out[r.bucket] = r.visitors;
  return out;
}
