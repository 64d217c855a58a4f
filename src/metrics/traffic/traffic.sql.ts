import type { Tx } from '../../db/types.ts';
import { dayBlocks, dayNumber } from '../rollups/hll.ts';
import { type Bucket, splitDaysAndHours } from './time-buckets.ts';

// Traffic figures per bucket and domain, read from the rollups only (never raw events). Whole UTC
// days come from traffic_blocks (a long range is a few aligned blocks), the hours at a bucket's
// edges (time zones) from traffic_hourly. One statement for every bucket and domain.

export interface HourlySums {
  pageviews: number;
  events: number;
  customEvents: number;
  sessions: number;
  bounces: number;
  durationS: number;
  valueEur: number;
  /** activity_daily rows of the whole UTC days: how many rows an exact distinct count reads. */
  personDays: number;
}

export const zeroSums = (): HourlySums => ({
  pageviews: 0,
  events: 0,
  customEvents: 0,
  sessions: 0,
  bounces: 0,
  durationS: 0,
  valueEur: 0,
  personDays: 0,
});

export function addSums(all: Iterable<HourlySums>): HourlySums {
  const acc = zeroSums();
  for (const s of all) {
    acc.pageviews += s.pageviews;
    acc.events += s.events;
    acc.customEvents += s.customEvents;
    acc.sessions += s.sessions;
    acc.bounces += s.bounces;
    acc.durationS += s.durationS;
    acc.valueEur += s.valueEur;
    acc.personDays += s.personDays;
  }
  return acc;
}

const SUMS = `sum(pageviews)::float8 AS pageviews, sum(events)::float8 AS events,
       sum(custom_events)::float8 AS custom_events, sum(sessions)::float8 AS sessions,
       sum(bounces)::float8 AS bounces, sum(duration_s)::float8 AS duration_s, sum(value_eur)::text AS value_eur`;

// Every lookup is a LATERAL probe of a primary key (domain, level, block) or a range of one
// (domain, hour): the plan cannot turn into a scan of the whole rollup, with or without statistics.

/** $1 domains; $2/$3/$4 (bucket, level, block) of whole days; $5/$6/$7 (bucket, start, end) edge hours. */
const TRAFFIC_SUMS_SQL = `
SELECT bucket, domain_id::text AS domain_id, ${SUMS}, sum(person_days)::float8 AS person_days
  FROM (SELECT b.bucket, t.*
          FROM unnest($2::int[], $3::int[], $4::int[]) AS b(bucket, level, block)
         CROSS JOIN LATERAL (
           SELECT domain_id, pageviews, events, custom_events, sessions, bounces, duration_s, value_eur, person_days
             FROM traffic_blocks
            WHERE domain_id = ANY ($1::uuid[]) AND level = b.level AND block = b.block OFFSET 0) t
        UNION ALL
        SELECT h.bucket, t.*
          FROM unnest($5::int[], $6::timestamptz[], $7::timestamptz[]) AS h(bucket, start_at, end_at)
         CROSS JOIN LATERAL (
           SELECT domain_id, pageviews, events, custom_events, sessions, bounces, duration_s, value_eur, 0 AS person_days
             FROM traffic_hourly
            WHERE domain_id = ANY ($1::uuid[]) AND hour >= h.start_at AND hour < h.end_at OFFSET 0) t) x
 GROUP BY bucket, domain_id`;

interface SumsRow {
  bucket: number;
  domain_id: string;
  pageviews: number;
  events: number;
  custom_events: number;
  sessions: number;
  bounces: number;
  duration_s: number;
  value_eur: string;
  person_days: number;
}

/** For each bucket, the sums of each domain (a domain without traffic is absent). */
export async function trafficSums(
  tx: Tx,
  domainIds: readonly string[],
  buckets: readonly Pick<Bucket, 'start' | 'end'>[],
): Promise<Map<string, HourlySums>[]> {
  const blocks: [number[], number[], number[]] = [[], [], []];
  buckets.forEach((b, i) => {
    const split = splitDaysAndHours(b.start, b.end);
    if (split.days) {
      for (const block of dayBlocks(dayNumber(split.days.from), dayNumber(split.days.to))) {
        blocks[0].push(i);
        blocks[1].push(block.level);
        blocks[2].push(block.block);
      }
    }
  });
  const hours = edgeHours(buckets);
  const res = await tx.query<SumsRow>(TRAFFIC_SUMS_SQL, [domainIds, ...blocks, ...hours]);
  const out = buckets.map(() => new Map<string, HourlySums>());
  for (const r of res.rows) {
    out[r.bucket]?.set(r.domain_id, {
      pageviews: r.pageviews,
      events: r.events,
      customEvents: r.custom_events,
      sessions: r.sessions,
      bounces: r.bounces,
      durationS: r.duration_s,
      valueEur: Number(r.value_eur),
      personDays: r.person_days,
    });
  }
  return out;
}

/**
 * Exact distinct persons per bucket (and per bucket and domain): whole UTC days from
 * activity_daily, the edges from activity_hourly, each person counted once.
 * $1 domains; $2/$3/$4 (bucket, first day, day after); $5/$6/$7 (bucket, start, end) edge hours.
 */
const VISITORS_SQL = `
SELECT bucket, CASE WHEN grouping(domain_id) = 0 THEN domain_id::text END AS domain_id,
       count(DISTINCT person COLLATE "C")::int AS visitors
  FROM (SELECT d.bucket, a.*
          FROM unnest($2::int[], $3::date[], $4::date[]) AS d(bucket, from_day, to_day)
         CROSS JOIN LATERAL (
           SELECT domain_id, person FROM activity_daily
            WHERE domain_id = ANY ($1::uuid[]) AND day >= d.from_day AND day < d.to_day OFFSET 0) a
        UNION ALL
        SELECT h.bucket, a.*
          FROM unnest($5::int[], $6::timestamptz[], $7::timestamptz[]) AS h(bucket, start_at, end_at)
         CROSS JOIN LATERAL (
           SELECT domain_id, person FROM activity_hourly
            WHERE domain_id = ANY ($1::uuid[]) AND hour >= h.start_at AND hour < h.end_at OFFSET 0) a) x
 GROUP BY GROUPING SETS ((bucket), (bucket, domain_id))`;

/** The hours at each bucket's edges as (bucket, start, end): parts that are not whole UTC days. */
function edgeHours(buckets: readonly Pick<Bucket, 'start' | 'end'>[]): [number[], string[], string[]] {
  const out: [number[], string[], string[]] = [[], [], []];
  buckets.forEach((b, i) => {
    for (const part of splitDaysAndHours(b.start, b.end).hours) {
      out[0].push(i);
      out[1].push(part.start.toISOString());
      out[2].push(part.end.toISOString());
    }
  });
  return out;
}

export interface VisitorCounts {
  /** Over all the domains together (a person on two domains counts once). */
  total: number;
  byDomain: Map<string, number>;
}

/** Exact distinct visitors in each bucket. */
export async function exactVisitors(
  tx: Tx,
  domainIds: readonly string[],
  buckets: readonly Pick<Bucket, 'start' | 'end'>[],
): Promise<VisitorCounts[]> {
  const days: [number[], string[], string[]] = [[], [], []];
  buckets.forEach((b, i) => {
    const split = splitDaysAndHours(b.start, b.end);
    if (split.days) {
      days[0].push(i);
      days[1].push(split.days.from);
      days[2].push(split.days.to);
    }
  });
  const hours = edgeHours(buckets);
  const res = await tx.query<{ bucket: number; domain_id: string | null; visitors: number }>(VISITORS_SQL, [
    domainIds,
    ...days,
    ...hours,
  ]);
  const out = buckets.map(() => ({ total: 0, byDomain: new Map<string, number>() }));
  for (const r of res.rows) {
    const o = out[r.bucket];
    if (!o) continue;
    if (r.domain_id === null) o.total = r.visitors;
    else o.byDomain.set(r.domain_id, r.visitors);
  }
  return out;
}
