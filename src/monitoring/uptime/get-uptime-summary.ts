import {
  inScope,
  localDate,
  type MetricContext,
  resolveMetricDomains,
  startOfLocalDay,
} from '../../metrics/metric-query.ts';
import { hostOf, incidentOut } from './list-incidents.ts';
import { tlsDaysLeft, tlsExpiryLevel } from './tls-expiry.ts';
import { checkFigures, incidentsOverlapping, lastChecks, monitoredSince } from './uptime.sql.ts';
import { downtimeBudgetS, UPTIME_TARGET, uptimeOver, uptimeVerdict } from './uptime-formulas.ts';
import type { UptimeSummaryQuery, UptimeSummaryResult } from './uptime-schemas.ts';

const DAY_MS = 86_400_000;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundOrNull = (x: number | null, digits: number) => (x === null ? null : round(x, digits));

/** Per domain: uptime over the last 30 days and today, p95, the open incident and the certificate. */
export async function getUptimeSummary({
  ctx,
  input,
}: {
  ctx: MetricContext;
  input: UptimeSummaryQuery;
}): Promise<UptimeSummaryResult> {
  const now = ctx.now;
  const last30 = { start: new Date(now.getTime() - 30 * DAY_MS), end: now };
  const today = { start: startOfLocalDay(localDate(now, input.tz), input.tz), end: now };
  return inScope(ctx, async (tx) => {
    const domains = await resolveMetricDomains(tx, input.domains);
    const ids = domains.map((d) => d.id);
    const host = hostOf(domains);
    const since = await monitoredSince(tx, ids);
    const incidents = await incidentsOverlapping(tx, ids, last30);
    const [figures] = await checkFigures(tx, ids, [last30]);
    const latest = await lastChecks(tx, ids);
    return {
      target: UPTIME_TARGET,
      domains: domains.map((domain) => {
        const own = incidents.filter((i) => i.domainId === domain.id);
        const spans = own.map((i) => ({ start: i.openedAt, end: i.closedAt }));
        const first = since.get(domain.id) ?? null;
        const month = uptimeOver(last30, first, spans, now);
        const day = uptimeOver(today, first, spans, now);
        const f = figures?.get(domain.id);
        const l = latest.get(domain.id);
        const open = own.find((i) => i.closedAt === null);
        return {
          domain,
          uptime30d: roundOrNull(month.uptime, 6),
          downtime30dS: Math.round(month.downtimeS),
          downtimeBudget30dS: Math.round(downtimeBudgetS(month.monitoredS)),
          verdict: uptimeVerdict(month.uptime),
          uptimeToday: roundOrNull(day.uptime, 6),
          checks30d: f?.checks ?? 0,
          p95Ms30d: roundOrNull(f?.p95Ms ?? null, 1),
          lastCheck: l
            ? {
                checkedAt: l.checkedAt.toISOString(),
                ok: l.ok,
                statusCode: l.statusCode,
                responseMs: l.responseMs,
                error: l.error,
              }
            : null,
          openIncident: open ? incidentOut(open, host(open.domainId), now) : null,
          tls: l?.tlsValidTo
            ? {
                validTo: l.tlsValidTo.toISOString(),
                daysLeft: round(tlsDaysLeft(l.tlsValidTo, now), 1),
                level: tlsExpiryLevel(l.tlsValidTo, now),
              }
            : null,
        };
      }),
    };
  });
}
