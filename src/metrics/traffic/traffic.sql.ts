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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

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

/** Every UTC hour starting in [start, end), as ISO strings. */
function hoursIn(start: Date, end: Date): string[] {
  const out: string[] = [];
  for (let t = Math.ceil(start.getTime() / HOUR_MS) * HOUR_MS; t < end.getTime(); t += HOUR_MS)
    out.push(new Date(t).toISOString());
  return out;
}

const SUMS = `sum(pageviews)::float8 AS pageviews, sum(events)::float8 AS events,
       sum(custom_events)::float8 AS custom_events, sum(sessions)::float8 AS sessions,
       sum(bounces)::float8 AS bounces, sum(duration_s)::float8 AS duration_s, sum(value_eur)::text AS value_eur`;

/** $1 domains; $2/$3/$4 (bucket, level, block) of whole days; $5/$6 (bucket, UTC hour) at the edges. */
const TRAFFIC_SUMS_SQL = `
SELECT bucket, domain_id::text AS domain_id, ${SUMS}, sum(person_days)::float8 AS person_days
  FROM (SELECT b.bucket, t.domain_id, t.pageviews, t.events, t.custom_events, t.sessions, t.bounces, t.duration_s,
               t.value_eur, t.person_days
          FROM unnest($2::int[], $3::int[], $4::int[]) AS b(bucket, level, block)
          JOIN traffic_blocks t ON t.domain_id = ANY ($1::uuid[]) AND t.level = b.level AND t.block = b.block
        UNION ALL
        SELECT h.bucket, t.domain_id, t.pageviews, t.events, t.custom_events, t.sessions, t.bounces, t.duration_s,
               t.value_eur, 0
          FROM unnest($5::int[], $6::timestamptz[]) AS h(bucket, hour)
          JOIN traffic_hourly t ON t.domain_id = ANY ($1::uuid[]) AND t.hour = h.hour) x
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
  const hours: [number[], string[]] = [[], []];
  buckets.forEach((b, i) => {
    const split = splitDaysAndHours(b.start, b.end);
    if (split.days) {
      for (const block of dayBlocks(dayNumber(split.days.from), dayNumber(split.days.to))) {
        blocks[0].push(i);
        blocks[1].push(block.level);
        blocks[2].push(block.block);
      }
    }
    for (const part of split.hours) {
      for (const h of hoursIn(part.start, part.end)) {
        hours[0].push(i);
        hours[1].push(h);
      }
    }
  });
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
 * $1 domains; $2/$3 (bucket, UTC day); $4/$5 (bucket, UTC hour).
 */
const VISITORS_SQL = `
SELECT bucket, CASE WHEN grouping(domain_id) = 0 THEN domain_id::text END AS domain_id,
       count(DISTINCT person)::int AS visitors
  FROM (SELECT d.bucket, a.domain_id, a.person
          FROM unnest($2::int[], $3::date[]) AS d(bucket, day)
          JOIN activity_daily a ON a.domain_id = ANY ($1::uuid[]) AND a.day = d.day
        UNION ALL
        SELECT h.bucket, a.domain_id, a.person
          FROM unnest($4::int[], $5::timestamptz[]) AS h(bucket, hour)
          JOIN activity_hourly a ON a.domain_id = ANY ($1::uuid[]) AND a.hour = h.hour) x
 GROUP BY GROUPING SETS ((bucket), (bucket, domain_id))`;

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
