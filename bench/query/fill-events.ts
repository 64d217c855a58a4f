// Bulk load for the query benchmark: a year of realistic traffic generated inside the database
// (far faster than shipping rows from JS), one day per statement, in time order as real traffic
// arrives. Sessions of 1–8 page views 30–150 s apart (about 40 % bounces), a visitor pool per
// domain, ~20 % of visitors identified (some on several domains), custom events and revenue.
import type { Db } from '../../src/db/types.ts';

const DAY_MS = 86_400_000;

// $1 domain ids, $2 day start, $3 sessions that day, $4 day index (varies the visitor pool), $5 hosts.
const FILL_DAY_SQL = `
WITH s AS (
  SELECT g,
         $1::uuid[] AS ids, $5::text[] AS hosts,
         1 + floor(power(random(), 1.7) * cardinality($1::uuid[]))::int AS d,
         $2::timestamptz + (power(random(), 0.8) * 86399) * interval '1 second' AS start_at,
         floor(power(random(), 1.3) * 60000)::int AS vnum,
         CASE WHEN random() < 0.42 THEN 1 ELSE 2 + floor(random() * 7)::int END AS pages,
         floor(random() * 100)::int AS r_src,
         floor(random() * 100)::int AS r_ua,
         floor(random() * 20)::int AS entry,
         random() AS r_goal
    FROM generate_series(1, $3::int) AS g
), sx AS (
  SELECT s.*, s.ids[s.d] AS domain_id,
         -- 20 % of the pool are identified users; the lowest ids are shared across domains.
         CASE WHEN s.vnum % 5 = 0 THEN md5('user' || (CASE WHEN s.vnum < 15000 THEN s.vnum ELSE s.vnum * 10 + s.d END))::uuid END AS user_id,
         CASE WHEN s.r_src < 35 THEN 'Google' WHEN s.r_src < 55 THEN NULL WHEN s.r_src < 65 THEN 'Twitter'
              WHEN s.r_src < 75 THEN 'Newsletter' WHEN s.r_src < 83 THEN 'Bing' WHEN s.r_src < 90 THEN 'Reddit'
              WHEN s.r_src < 95 THEN 'Facebook' ELSE 'DuckDuckGo' END AS source,
         CASE WHEN s.r_src < 35 THEN 'Organic Search' WHEN s.r_src < 55 THEN 'Direct' WHEN s.r_src < 65 THEN 'Organic Social'
              WHEN s.r_src < 75 THEN 'Email' WHEN s.r_src < 83 THEN 'Organic Search' WHEN s.r_src < 90 THEN 'Organic Social'
              WHEN s.r_src < 95 THEN 'Paid Social' ELSE 'Organic Search' END AS channel,
         CASE WHEN s.r_src BETWEEN 65 AND 74 THEN 'email' WHEN s.r_src BETWEEN 90 AND 94 THEN 'cpc' END AS medium,
         CASE WHEN s.r_src BETWEEN 65 AND 74 THEN 'weekly-digest' WHEN s.r_src BETWEEN 90 AND 94 THEN 'black-friday' END AS campaign,
         CASE WHEN s.r_ua < 55 THEN 'Chrome' WHEN s.r_ua < 75 THEN 'Safari' WHEN s.r_ua < 87 THEN 'Firefox'
              WHEN s.r_ua < 95 THEN 'Edge' ELSE 'Samsung Internet' END AS browser,
         CASE WHEN s.r_ua % 3 = 0 THEN 'iOS' WHEN s.r_ua % 3 = 1 THEN 'Windows' WHEN s.r_ua % 5 = 0 THEN 'Android' ELSE 'Mac' END AS os,
         CASE WHEN s.r_ua % 3 = 0 OR s.r_ua % 5 = 0 THEN 'Mobile' WHEN s.r_ua % 11 = 0 THEN 'Tablet' ELSE 'Desktop' END AS device
    FROM s
)
INSERT INTO events (domain_id, occurred_at, name, visitor_id, user_id, url, hostname, pathname, referrer,
                    source, medium, campaign, channel, browser, os, device, props, interactive, value_eur)
SELECT sx.domain_id, sx.start_at + (p - 1) * (30 + (sx.g % 120)) * interval '1 second',
       CASE WHEN p = sx.pages AND sx.r_goal < 0.03 THEN 'Purchase' WHEN p = sx.pages AND sx.r_goal < 0.08 THEN 'Signup' ELSE 'pageview' END,
       'v' || sx.d || '-' || ($4::int / 3 + sx.vnum), sx.user_id,
       'https://' || sx.hosts[sx.d] || '/' || CASE WHEN p = 1 THEN 'p/' || sx.entry ELSE 'p/' || ((sx.entry + p * 7) % 60) END,
       sx.hosts[sx.d],
       '/' || CASE WHEN p = 1 THEN 'p/' || sx.entry ELSE 'p/' || ((sx.entry + p * 7) % 60) END,
       CASE WHEN p = 1 AND sx.source IS NOT NULL THEN 'https://' || lower(sx.source) || '.com/' END,
       sx.source, sx.medium, sx.campaign, sx.channel, sx.browser, sx.os, sx.device, '{}'::jsonb, true,
       CASE WHEN p = sx.pages AND sx.r_goal < 0.03 THEN round((20 + (sx.g % 80))::numeric, 2) END
  FROM sx CROSS JOIN LATERAL generate_series(1, sx.pages) AS p`;

export interface FillResult {
  events: number;
  days: number;
  seconds: number;
}

/** Average events per session of FILL_DAY_SQL: 0.42 × 1 + 0.58 × (2 + 3) = 3.32. */
const EVENTS_PER_SESSION = 3.32;

/**
 * Loads about `targetEvents` events spread over the `days` days ending at `end` (exclusive), in
 * the listed domains, with 15 % monthly growth so that recent days hold more traffic.
 */
export async function fillEvents(
  db: Db,
  opts: {
    domains: { id: string; host: string }[];
    targetEvents: number;
    days: number;
    end: Date;
    /** Called after each day's insert (its own transaction): the bench folds rollups here. */
    onDay?: (i: number) => Promise<void>;
  },
): Promise<FillResult> {
  const t0 = Date.now();
  const start = new Date(Math.floor(opts.end.getTime() / DAY_MS) * DAY_MS - opts.days * DAY_MS);
  await db.query('SELECT ensure_event_partitions($1::date, $2)', [
    start.toISOString().slice(0, 10),
    Math.ceil(opts.days / 28) + 2,
  ]);
  const growth = 1.15 ** (12 / 365);
  const weights = Array.from({ length: opts.days }, (_, i) => growth ** i);
  const sum = weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < opts.days; i++) {
    const sessions = Math.round((opts.targetEvents * (weights[i] as number)) / sum / EVENTS_PER_SESSION);
    // One transaction per day: the seed and the insert share a session, so a run is repeatable.
    await db.transaction(async (tx) => {
      await tx.query('SELECT setseed($1)', [((i * 7919) % 10_000) / 10_000 - 0.5]);
      await tx.query(FILL_DAY_SQL, [
        opts.domains.map((d) => d.id),
        new Date(start.getTime() + i * DAY_MS),
        sessions,
        i,
        opts.domains.map((d) => d.host),
      ]);
    });
    await opts.onDay?.(i);
  }
  const n = await db.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return { events: Number(n.rows[0]?.n ?? 0), days: opts.days, seconds: (Date.now() - t0) / 1000 };
}
