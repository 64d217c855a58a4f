import {
  inScope,
  type MetricContext,
  type MetricDomain,
  rangeOut,
  resolveMetricDomains,
  resolveQuery,
} from '../../metrics/metric-query.ts';
import type { IncidentRow } from './uptime.sql.ts';
import { incidentsOverlapping } from './uptime.sql.ts';
import type { IncidentOut, IncidentsResult, MonitoringRangeQuery } from './uptime-schemas.ts';

export function incidentOut(row: IncidentRow, host: string, now: Date): IncidentOut {
  const end = row.closedAt ?? now;
  return {
    id: row.id,
    host,
    openedAt: row.openedAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    durationS: Math.max(0, Math.round((end.getTime() - row.openedAt.getTime()) / 1000)),
    cause: row.cause,
    lastError: row.lastError,
    failedChecks: row.failedChecks,
  };
}

export function hostOf(domains: readonly MetricDomain[]): (id: string) => string {
  const hosts = new Map(domains.map((d) => [d.id, d.host]));
  return (id) => hosts.get(id) ?? id;
}

/** Incidents overlapping a range, every domain in scope: what the dashboard draws over its charts. */
export async function listIncidents({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: MonitoringRangeQuery;
}): Promise<IncidentsResult> {
  const { range } = resolveQuery({ ...input, compare: 'none' }, ctx.now);
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const host = hostOf(domains);
    const rows = await incidentsOverlapping(
      tx,
      domains.map((d) => d.id),
      range,
    );
    return {
      range: rangeOut(range),
      domains,
      incidents: rows.map((r) => incidentOut(r, host(r.domainId), ctx.now)),
    };
  });
}
