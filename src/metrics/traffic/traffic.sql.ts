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

// Buckets are passed as (bucket, hour) and (bucket, day) pairs and joined by equality: one scan
// of the rollup with a hash join, where a range join per bucket rescanned it for every bucket.
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Every UTC hour starting in [start, end), as ISO strings. */
function hoursIn(start: Date, end: Date): string[] {
  const out: string[] = [];
  for (let t = Math.ceil(start.getTime() / HOUR_MS) * HOUR_MS; t < end.getTime(); t += HOUR_MS)
    out.push(new Date(t).toISOString());
  return out;
}

/** $1 domains, $2 bucket numbers, $3 the UTC hours of each: sums of traffic_hourly per bucket. */
const HOURLY_SUMS_SQL = `
SELECT b.bucket,
       coalesce(sum(t.pageviews), 0)::float8 AS pageviews,
       coalesce(sum(t.events), 0)::float8 AS events,
       coalesce(sum(t.custom_events), 0)::float8 AS custom_events,
       coalesce(sum(t.sessions), 0)::float8 AS sessions,
       coalesce(sum(t.bounces), 0)::float8 AS bounces,
       coalesce(sum(t.duration_s), 0)::float8 AS duration_s,
       coalesce(sum(t.value_eur), 0)::text AS value_eur
  FROM unnest($2::int[], $3::timestamptz[]) AS b(bucket, hour)
  JOIN traffic_hourly t ON t.hour = b.hour AND t.domain_id = ANY ($1::uuid[])
 GROUP BY b.bucket`;

export async function hourlySums(
  tx: Tx,
  domainIds: readonly string[],
  buckets: readonly Pick<Bucket, 'start' | 'end'>[],
): Promise<HourlySums[]> {
  const bucketOf: number[] = [];
  const hours: string[] = [];
  buckets.forEach((b, i) => {
    for (const h of hoursIn(b.start, b.end)) {
      bucketOf.push(i);
      hours.push(h);
    }
  });
  const res = await tx.query<Record<string, number | string>>(HOURLY_SUMS_SQL, [domainIds, bucketOf, hours]);
  const byBucket = new Map(res.rows.map((r) => [Number(r.bucket), r]));
  return buckets.map((_, i) => {
    const r = byBucket.get(i);
    return {
      pageviews: Number(r?.pageviews ?? 0),
      events: Number(r?.events ?? 0),
      customEvents: Number(r?.custom_events ?? 0),
      sessions: Number(r?.sessions ?? 0),
      bounces: Number(r?.bounces ?? 0),
      durationS: Number(r?.duration_s ?? 0),
      valueEur: Number(r?.value_eur ?? 0),
    };
  });
}

/**
 * Distinct persons per bucket: whole UTC days from activity_daily, the edges from activity_hourly.
 * $1 domains; $2/$3 (bucket, UTC day) pairs; $4/$5 (bucket, UTC hour) pairs.
 */
const VISITORS_SQL = `
SELECT bucket, count(DISTINCT person)::int AS visitors
  FROM (SELECT d.bucket, a.person
          FROM unnest($2::int[], $3::date[]) AS d(bucket, day)
          JOIN activity_daily a ON a.day = d.day AND a.domain_id = ANY ($1::uuid[])
        UNION ALL
        SELECT h.bucket, a.person
          FROM unnest($4::int[], $5::timestamptz[]) AS h(bucket, hour)
          JOIN activity_hourly a ON a.hour = h.hour AND a.domain_id = ANY ($1::uuid[])) x
 GROUP BY bucket`;

/** Exact distinct visitors in each bucket (a person active on two domains counts once). */
export async function distinctVisitors(
  tx: Tx,
  domainIds: readonly string[],
  buckets: readonly Pick<Bucket, 'start' | 'end'>[],
): Promise<number[]> {
  const days: [number[], string[]] = [[], []];
  const hours: [number[], string[]] = [[], []];
  buckets.forEach((b, i) => {
    const split = splitDaysAndHours(b.start, b.end);
    if (split.days) {
      const last = Date.parse(`${split.days.to}T00:00:00Z`);
      for (let t = Date.parse(`${split.days.from}T00:00:00Z`); t < last; t += DAY_MS) {
        days[0].push(i);
        days[1].push(new Date(t).toISOString().slice(0, 10));
      }
    }
    for (const part of split.hours) {
      for (const h of hoursIn(part.start, part.end)) {
        hours[0].push(i);
        hours[1].push(h);
      }
    }
  });
  const res = await tx.query<{ bucket: number; visitors: number }>(VISITORS_SQL, [
    domainIds,
    ...days,
    ...hours,
  ]);
  const out = buckets.map(() => 0);
  for (const r of res.rows) out[r.bucket] = r.visitors;
  return out;
}
