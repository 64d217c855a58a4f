import type { Queryable } from '../../db/types.ts';
import type { FailureCause } from './run-check.ts';

// The reads behind the uptime endpoints; every one probes (domain_id, time) indexes.

export interface Window {
  start: Date;
  end: Date;
}

export interface CheckFigures {
  checks: number;
  failed: number;
  /** Response-time percentiles of the successful runs, ms; null without one. */
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface IncidentRow {
  id: number;
  domainId: string;
  openedAt: Date;
  closedAt: Date | null;
  cause: FailureCause;
  lastError: string | null;
  failedChecks: number;
}

export interface LastCheck {
  checkedAt: Date;
  ok: boolean;
  statusCode: number | null;
  responseMs: number | null;
  error: string | null;
  tlsValidTo: Date | null;
}

const date = (v: unknown) => new Date(v as string | Date);
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** First check of each domain still stored: where its monitored time starts. */
export async function monitoredSince(
  tx: Queryable,
  domainIds: readonly string[],
): Promise<Map<string, Date>> {
  const res = await tx.query<{ domain_id: string; first: Date }>(
    `SELECT d.id AS domain_id, f.checked_at AS first
       FROM unnest($1::uuid[]) AS d(id)
       CROSS JOIN LATERAL (
         SELECT checked_at FROM uptime_checks c WHERE c.domain_id = d.id ORDER BY checked_at LIMIT 1
       ) f`,
    [domainIds],
  );
  return new Map(res.rows.map((r) => [r.domain_id, date(r.first)]));
}

/** Incidents overlapping [start, end), oldest first. */
export async function incidentsOverlapping(
  tx: Queryable,
  domainIds: readonly string[],
  window: Window,
): Promise<IncidentRow[]> {
  const res = await tx.query<Record<string, unknown>>(
    `SELECT id, domain_id::text AS domain_id, opened_at, closed_at, cause, last_error, failed_checks
       FROM uptime_incidents
      WHERE domain_id = ANY ($1::uuid[]) AND opened_at < $3 AND (closed_at IS NULL OR closed_at > $2)
      ORDER BY opened_at, id`,
    [domainIds, window.start, window.end],
  );
  return res.rows.map((r) => ({
    id: Number(r.id),
    domainId: r.domain_id as string,
    openedAt: date(r.opened_at),
    closedAt: r.closed_at === null ? null : date(r.closed_at),
    cause: r.cause as FailureCause,
    lastError: (r.last_error as string | null) ?? null,
    failedChecks: Number(r.failed_checks),
  }));
}

/**
 * Per window (in order) and domain: runs, failed runs and response-time percentiles. Percentiles
 * are percentile_cont (linear interpolation) over successful runs only; failures count in uptime.
 */
export async function checkFigures(
  tx: Queryable,
  domainIds: readonly string[],
  windows: readonly Window[],
): Promise<Map<string, CheckFigures>[]> {
  const res = await tx.query<Record<string, unknown>>(
    `SELECT w.i, c.domain_id::text AS domain_id, count(*)::int AS checks,
            count(*) FILTER (WHERE NOT c.ok)::int AS failed,
            percentile_cont(0.50) WITHIN GROUP (ORDER BY c.response_ms) FILTER (WHERE c.ok) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY c.response_ms) FILTER (WHERE c.ok) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY c.response_ms) FILTER (WHERE c.ok) AS p99
       FROM unnest($2::timestamptz[], $3::timestamptz[]) WITH ORDINALITY AS w(s, e, i)
       JOIN uptime_checks c ON c.domain_id = ANY ($1::uuid[]) AND c.checked_at >= w.s AND c.checked_at < w.e
      GROUP BY w.i, c.domain_id`,
    [domainIds, windows.map((w) => w.start), windows.map((w) => w.end)],
  );
  const out = windows.map(() => new Map<string, CheckFigures>());
  for (const r of res.rows) {
    out[Number(r.i) - 1]?.set(r.domain_id as string, {
      checks: Number(r.checks),
      failed: Number(r.failed),
      p50Ms: num(r.p50),
      p95Ms: num(r.p95),
      p99Ms: num(r.p99),
    });
  }
  return out;
}

/** The latest run of each domain, and the latest certificate expiry seen in the week before it. */
export async function lastChecks(
  tx: Queryable,
  domainIds: readonly string[],
): Promise<Map<string, LastCheck>> {
  const res = await tx.query<Record<string, unknown>>(
    `SELECT d.id::text AS domain_id, c.checked_at, c.ok, c.status_code, c.response_ms, c.error, t.tls_valid_to
       FROM unnest($1::uuid[]) AS d(id)
       CROSS JOIN LATERAL (
         SELECT checked_at, ok, status_code, response_ms, error FROM uptime_checks u
          WHERE u.domain_id = d.id ORDER BY checked_at DESC LIMIT 1
       ) c
       LEFT JOIN LATERAL (
         SELECT tls_valid_to FROM uptime_checks u
          WHERE u.domain_id = d.id AND u.checked_at > c.checked_at - interval '7 days'
            AND u.tls_valid_to IS NOT NULL
          ORDER BY checked_at DESC LIMIT 1
       ) t ON true`,
    [domainIds],
  );
  return new Map(
    res.rows.map((r) => [
      r.domain_id as string,
      {
        checkedAt: date(r.checked_at),
        ok: Boolean(r.ok),
        statusCode: num(r.status_code),
        responseMs: num(r.response_ms),
        error: (r.error as string | null) ?? null,
        tlsValidTo: r.tls_valid_to ? date(r.tls_valid_to) : null,
      },
    ]),
  );
}
