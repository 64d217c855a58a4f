import type { Queryable } from '../../db/types.ts';

// The queries behind the alert engine's metric snapshot (docs/alerts.md, "Runtime"): one per
// source, each returning rows keyed by domain host. Run by the evaluator as the database owner.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface DomainRow {
  id: string;
  host: string;
}

export async function selectActiveDomains(tx: Queryable): Promise<DomainRow[]> {
  const res = await tx.query<DomainRow>(
    'SELECT id::text AS id, host FROM domains WHERE archived_at IS NULL ORDER BY host',
  );
  return res.rows;
}

export interface UptimeWindowRow {
  host: string;
  checks: number;
  ok: number;
  errors: number;
  p95: number | null;
  /** The certificate's notAfter as the window's latest HTTPS check saw it. */
  tlsValidTo: Date | string | null;
}

/** Uptime check runs of (from, to]: availability, server errors, response-time p95 and TLS expiry per domain. */
export async function selectUptimeWindow(tx: Queryable, from: Date, to: Date): Promise<UptimeWindowRow[]> {
  const res = await tx.query<UptimeWindowRow>(
    `SELECT d.host,
            count(*)::int AS checks,
            (count(*) FILTER (WHERE c.ok))::int AS ok,
            (count(*) FILTER (WHERE c.status_code IS NULL OR c.status_code >= 500))::int AS errors,
            (percentile_cont(0.95) WITHIN GROUP (ORDER BY c.response_ms))::float8 AS p95,
            (array_agg(c.tls_valid_to ORDER BY c.checked_at DESC)
               FILTER (WHERE c.tls_valid_to IS NOT NULL))[1] AS "tlsValidTo"
       FROM uptime_checks c JOIN domains d ON d.id = c.domain_id
      WHERE c.checked_at > $1 AND c.checked_at <= $2 AND d.archived_at IS NULL
      GROUP BY d.host`,
    [from, to],
  );
  return res.rows;
}

/** Time of each domain's latest event at or before `now` (future-dated events do not count). */
export async function selectLastEvents(tx: Queryable, now: Date): Promise<Map<string, Date>> {
  const res = await tx.query<{ host: string; last: Date | string | null }>(
    `SELECT d.host,
            (SELECT max(e.occurred_at) FROM events e WHERE e.domain_id = d.id AND e.occurred_at <= $1) AS last
       FROM domains d WHERE d.archived_at IS NULL`,
    [now],
  );
  const out = new Map<string, Date>();
  for (const r of res.rows) if (r.last !== null) out.set(r.host, new Date(r.last));
  return out;
}

export interface RevenueWindowRow {
  host: string;
  current: number;
  dayAgo: number;
  weekAgo: number;
}

/**
 * Revenue (EUR, refunds included) of the last 24 hours, of the 24 hours before, and of the same
 * 24 hours a week earlier, for domains with any revenue in the last 8 days.
 */
export async function selectRevenueWindows(tx: Queryable, now: Date): Promise<RevenueWindowRow[]> {
  const at = (ms: number) => new Date(now.getTime() - ms);
  const res = await tx.query<RevenueWindowRow>(
    `SELECT d.host,
            coalesce(sum(r.amount_eur) FILTER (WHERE r.occurred_at > $2), 0)::float8 AS current,
            coalesce(sum(r.amount_eur) FILTER (WHERE r.occurred_at > $3 AND r.occurred_at <= $2), 0)::float8 AS "dayAgo",
            coalesce(sum(r.amount_eur) FILTER (WHERE r.occurred_at > $4 AND r.occurred_at <= $5), 0)::float8 AS "weekAgo"
       FROM revenue r JOIN domains d ON d.id = r.domain_id
      WHERE r.occurred_at > $4 AND r.occurred_at <= $1 AND d.archived_at IS NULL
      GROUP BY d.host`,
    [now, at(DAY_MS), at(2 * DAY_MS), at(8 * DAY_MS), at(7 * DAY_MS)],
  );
  return res.rows;
}

/** Distinct visitors and goal converters per domain over UTC days [from, to] (the rollups). */
export async function selectConversion(
  tx: Queryable,
  days: { from: string; to: string },
): Promise<{ host: string; visitors: number; converters: number }[]> {
  const res = await tx.query<{ host: string; visitors: number; converters: number }>(
    `SELECT d.host,
            (SELECT count(DISTINCT a.person)::int FROM activity_daily a
              WHERE a.domain_id = d.id AND a.day BETWEEN $1::date AND $2::date) AS visitors,
            (SELECT count(DISTINCT s.person)::int FROM person_day_steps s
              WHERE s.domain_id = d.id AND s.kind = 'goal' AND s.day BETWEEN $1::date AND $2::date) AS converters
       FROM domains d WHERE d.archived_at IS NULL`,
    [days.from, days.to],
  );
  return res.rows;
}

/** Marketing costs and subscriptions started per domain over UTC days [from, to]. */
export async function selectAcquisition(
  tx: Queryable,
  days: { from: string; to: string },
): Promise<{ host: string; marketing: number; newCustomers: number }[]> {
  const res = await tx.query<{ host: string; marketing: number; newCustomers: number }>(
    `SELECT d.host,
            (SELECT coalesce(sum(c.amount_eur), 0)::float8 FROM costs c
              WHERE c.domain_id = d.id AND c.category = 'marketing'
                AND c.incurred_on BETWEEN $1::date AND $2::date) AS marketing,
            (SELECT count(*)::int FROM subscriptions s
              WHERE s.domain_id = d.id AND s.started_at >= $1::date AND s.started_at < $2::date + 1) AS "newCustomers"
       FROM domains d WHERE d.archived_at IS NULL`,
    [days.from, days.to],
  );
  return res.rows;
}

/** On-chain transactions (revenue rows with a transaction hash) per domain and UTC hour of [from, to). */
export async function selectHourlyChainTransactions(
  tx: Queryable,
  from: Date,
  to: Date,
): Promise<{ host: string; hour: Date; n: number }[]> {
  const res = await tx.query<{ host: string; hour: Date | string; n: number }>(
    `SELECT d.host, date_trunc('hour', r.occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, count(*)::int AS n
       FROM revenue r JOIN domains d ON d.id = r.domain_id
      WHERE r.transaction_hash IS NOT NULL AND r.occurred_at >= $1 AND r.occurred_at < $2
        AND d.archived_at IS NULL
      GROUP BY 1, 2`,
    [from, to],
  );
  return res.rows.map((r) => ({ host: r.host, hour: new Date(r.hour), n: r.n }));
}

/** KPI snapshot values of the keys on the given days (YYYY-MM-DD). */
export async function selectKpiValues(
  tx: Queryable,
  keys: readonly string[],
  days: readonly string[],
): Promise<Map<string, number>> {
  if (keys.length === 0) return new Map();
  const res = await tx.query<{ key: string; day: string; value: number | null }>(
    `SELECT metric_key AS key, day::text AS day, value::float8 AS value
       FROM kpi_snapshots WHERE metric_key = ANY ($1::text[]) AND day = ANY ($2::date[])`,
    [keys, days],
  );
  const out = new Map<string, number>();
  for (const r of res.rows) if (r.value !== null) out.set(`${r.key}@${r.day}`, r.value);
  return out;
}
