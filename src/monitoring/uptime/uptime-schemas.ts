import { z } from 'zod';
import { DomainOut, MetricQuery, RangeOut, TimeZone } from '../../metrics/metric-query.ts';

// Query and response shapes of the uptime endpoints; the types are inferred from them.

export const UptimeSummaryQuery = z.object({
  domains: MetricQuery.shape.domains,
  tz: TimeZone.default('UTC').describe('Time zone of "today" (default UTC)'),
});
export type UptimeSummaryQuery = z.infer<typeof UptimeSummaryQuery>;

/** Range queries of the monitoring endpoints: the metrics' range without a comparison. */
export const MonitoringRangeQuery = MetricQuery.omit({ compare: true });
export type MonitoringRangeQuery = z.infer<typeof MonitoringRangeQuery>;

export const UptimeHistoryQuery = MonitoringRangeQuery.omit({ domains: true });
export type UptimeHistoryQuery = z.infer<typeof UptimeHistoryQuery>;

const Verdict = z.enum(['met', 'missed', 'no_data']).describe('Against the 99.97 % target');
const Ms = z.number().nullable();

export const IncidentOut = z.object({
  id: z.number(),
  host: z.string(),
  openedAt: z.string().describe('Time of the first failed run'),
  closedAt: z.string().nullable().describe('Time of the first successful run after it; null while open'),
  durationS: z.number().describe('Until closedAt, or until now while open'),
  cause: z.enum(['status', 'keyword', 'timeout', 'connection', 'tls', 'other']),
  lastError: z.string().nullable(),
  failedChecks: z.number(),
});
export type IncidentOut = z.infer<typeof IncidentOut>;

export const TlsOut = z.object({
  validTo: z.string(),
  daysLeft: z.number(),
  level: z.enum(['ok', '21d', '14d', '7d', 'expired']),
});

export const UptimeSummaryRow = z.object({
  domain: DomainOut,
  uptime30d: z.number().nullable().describe('Time-weighted, 0–1, over the last 30 days (rolling)'),
  downtime30dS: z.number(),
  downtimeBudget30dS: z.number().describe('Downtime the target allows over the monitored time'),
  verdict: Verdict,
  uptimeToday: z.number().nullable().describe('Since midnight in tz'),
  checks30d: z.number(),
  p95Ms30d: Ms,
  lastCheck: z
    .object({
      checkedAt: z.string(),
      ok: z.boolean(),
      statusCode: z.number().nullable(),
      responseMs: z.number().nullable(),
      error: z.string().nullable(),
    })
    .nullable(),
  openIncident: IncidentOut.nullable(),
  tls: TlsOut.nullable().describe('The latest certificate seen (https checks)'),
});

export const UptimeSummaryResult = z.object({
  target: z.number(),
  domains: z.array(UptimeSummaryRow),
});
export type UptimeSummaryResult = z.infer<typeof UptimeSummaryResult>;

const Figures = z.object({
  uptime: z.number().nullable(),
  downtimeS: z.number(),
  checks: z.number(),
  failed: z.number(),
  p50Ms: Ms,
  p95Ms: Ms,
  p99Ms: Ms,
});

export const UptimeHistoryResult = z.object({
  domain: DomainOut,
  range: RangeOut,
  target: z.number(),
  totals: Figures.extend({ verdict: Verdict, downtimeBudgetS: z.number() }),
  series: z.array(Figures.extend({ day: z.string() })),
  incidents: z.array(IncidentOut),
});
export type UptimeHistoryResult = z.infer<typeof UptimeHistoryResult>;

export const IncidentsResult = z.object({
  range: RangeOut,
  domains: z.array(DomainOut),
  incidents: z.array(IncidentOut),
});
export type IncidentsResult = z.infer<typeof IncidentsResult>;
