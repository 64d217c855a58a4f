// Bulk load for the experiments benchmark, generated inside the database one day per statement.
// Each visitor of a domain belongs to one of the domain's experiments, in a sticky variation; ~60 %
// of its sessions start with an `Experiment Viewed` exposure ({experiment, variation index}), then
// 1–8 page views, the last one sometimes a Signup or a Purchase with revenue (variation c converts
// ~20 % better). ~20 % of visitors are identified users; a few users span several domains.
import type { Db } from '../../src/db/types.ts';
import { EXPOSURE_EVENT } from '../../src/experiments/sufficient-stats.sql.ts';

const DAY_MS = 86_400_000;

// $1 domain ids, $2 day start, $3 sessions, $4 day index, $5 experiments per domain, $6 visitors per domain.
const FILL_DAY_SQL = `
WITH s AS (
  SELECT g,
         1 + floor(power(random(), 1.2) * cardinality($1::uuid[]))::int AS d,
         $2::timestamptz + (random() * 86000) * interval '1 second' AS start_at,
         floor(power(random(), 1.3) * $6::int)::int AS vnum,
         CASE WHEN random() < 0.42 THEN 1 ELSE 2 + floor(random() * 7)::int END AS pages,
         random() AS r_goal, random() < 0.6 AS exposed
    FROM generate_series(1, $3::int) AS g
), sx AS (
  SELECT s.*, ($1::uuid[])[s.d] AS domain_id,
         CASE WHEN s.vnum % 5 = 0 THEN md5('user' || (CASE WHEN s.vnum < 500 THEN s.vnum::text
                                                            ELSE s.d || '-' || s.vnum END))::uuid END AS user_id,
         (s.d - 1) * $5::int + s.vnum % $5::int AS exp_index,
         abs(hashtext(s.d || '/' || s.vnum)) % 3 AS variation
    FROM s
)
INSERT INTO events (domain_id, occurred_at, name, visitor_id, user_id, session_id, props, interactive, value_eur)
SELECT sx.domain_id, sx.start_at + p * (20 + sx.g % 40) * interval '1 second',
       CASE WHEN p = 0 THEN '${EXPOSURE_EVENT}'
            WHEN p = sx.pages AND sx.r_goal < 0.03 * (1 + 0.1 * sx.variation) THEN 'Purchase'
            WHEN p = sx.pages AND sx.r_goal < 0.09 THEN 'Signup' ELSE 'pageview' END,
       'v' || sx.d || '-' || sx.vnum, sx.user_id, 's' || $4::int || '-' || sx.g,
       CASE WHEN p = 0 THEN jsonb_build_object('experiment', 'exp-' || lpad(sx.exp_index::text, 4, '0'),
                                               'variation', sx.variation)
            ELSE '{}'::jsonb END,
       p > 0,
       CASE WHEN p = sx.pages AND sx.r_goal < 0.03 * (1 + 0.1 * sx.variation) THEN round((20 + (sx.g % 80))::numeric, 2) END
  FROM sx CROSS JOIN LATERAL generate_series(CASE WHEN sx.exposed THEN 0 ELSE 1 END, sx.pages) AS p
 WHERE sx.exp_index < $7::int`;

/** 0.6 exposures + (0.42 × 1 + 0.58 × 5) page views per session. */
const EVENTS_PER_SESSION = 3.92;

export interface FillResult {
  events: number;
  exposures: number;
  seconds: number;
}

/** Visitors per domain and sessions per day for about `targetEvents` over `days` (as fillExposures). */
export function trafficFor(targetEvents: number, days: number, domains: number) {
  return {
    // About 2.5 sessions per visitor over the period, so returning visitors see their variation again.
    visitors: Math.max(100, Math.round(targetEvents / EVENTS_PER_SESSION / 2.5 / domains)),
    sessions: Math.round(targetEvents / days / EVENTS_PER_SESSION),
  };
}

/** One day's sessions (spread over the day from `dayStart`) in one transaction. */
export async function fillDay(
  db: Db,
  o: {
    domainIds: string[];
    experiments: number;
    dayStart: Date;
    dayIndex: number;
    sessions: number;
    visitors: number;
  },
): Promise<void> {
  const perDomain = Math.ceil(o.experiments / o.domainIds.length);
  await db.transaction(async (tx) => {
    await tx.query('SELECT setseed($1)', [((o.dayIndex * 7919) % 10_000) / 10_000 - 0.5]);
    await tx.query(FILL_DAY_SQL, [
      o.domainIds,
      o.dayStart,
      o.sessions,
      o.dayIndex,
      perDomain,
      o.visitors,
      o.experiments,
    ]);
  });
}

/** Loads about `targetEvents` events over the `days` days before `end`, evenly per day. */
export async function fillExposures(
  db: Db,
  opts: {
    domainIds: string[];
    experiments: number;
    targetEvents: number;
    days: number;
    end: Date;
    onDay?: (i: number) => void;
  },
): Promise<FillResult> {
  const t0 = Date.now();
  const start = new Date(opts.end.getTime() - opts.days * DAY_MS);
  await db.query('SELECT ensure_event_partitions($1::date, $2)', [
    start.toISOString().slice(0, 10),
    Math.ceil(opts.days / 28) + 2,
  ]);
  const { visitors, sessions } = trafficFor(opts.targetEvents, opts.days, opts.domainIds.length);
  for (let i = 0; i < opts.days; i++) {
    await fillDay(db, {
      domainIds: opts.domainIds,
      experiments: opts.experiments,
      dayStart: new Date(start.getTime() + i * DAY_MS),
      dayIndex: i,
      sessions,
      visitors,
    });
    opts.onDay?.(i);
  }
  await db.query('ANALYZE events');
  const n = await db.query<{ n: string; x: string }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE name = '${EXPOSURE_EVENT}') AS x FROM events`,
  );
  return {
    events: Number(n.rows[0]?.n ?? 0),
    exposures: Number(n.rows[0]?.x ?? 0),
    seconds: (Date.now() - t0) / 1000,
  };
}
