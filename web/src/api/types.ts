// Response types of the API, inferred from the server's zod schemas (type-only imports: nothing
// from the server reaches the bundle, and a changed schema fails `tsc -p web`).

import type { z } from 'zod';
import type { StatusHistoryOut as StatusHistorySchema } from '../../../src/experiments/api-schemas.ts';
import type { Experiment as ExperimentSchema } from '../../../src/experiments/experiment-schema.ts';

export type {
  AlertOut,
  AlertsHealth,
  AlertsOut,
  SilenceBody,
  SilenceOut,
} from '../../../src/alerts/runtime/alert-api-schemas.ts';
export type { KpiHistoryOut, KpiOut, KpisOut } from '../../../src/kpis/kpi-schemas.ts';
export type {
  DomainOverlap,
  EngagementCohorts,
  EngagementSummary,
} from '../../../src/metrics/engagement/engagement-schemas.ts';
export type { OverviewFigures, OverviewOut } from '../../../src/metrics/overview/overview-schemas.ts';
export type {
  MrrMetricsOut,
  RevenueMetricsOut,
} from '../../../src/metrics/revenue/revenue-metric-schemas.ts';
export type {
  BreakdownResult,
  FunnelResult,
  GoalsResult,
  TrafficResult,
  TrafficTotals,
} from '../../../src/metrics/traffic/traffic-schemas.ts';
export type {
  IncidentOut,
  IncidentsResult,
  UptimeHistoryResult,
  UptimeSummaryResult,
} from '../../../src/monitoring/uptime/uptime-schemas.ts';
export type { WebVitalsResult } from '../../../src/monitoring/web-vitals/web-vitals-schemas.ts';

export interface Me {
  actor: string;
  kind: 'operator' | 'api_key' | 'system';
  role: string | null;
  scope: 'all' | string[];
}

export interface DomainInfo {
  id: string;
  host: string;
  name: string;
  kind: string;
  status: string;
}

export type { ExperimentOut } from '../../../src/experiments/api-schemas.ts';
export type { Experiment, ExperimentMetric } from '../../../src/experiments/experiment-schema.ts';
export type { ResultsOut } from '../../../src/experiments/results/results-schema.ts';
export type StatusHistoryOut = z.infer<typeof StatusHistorySchema>;
/** What POST /api/v1/experiments accepts: fields with defaults may be left out. */
export type ExperimentInput = z.input<typeof ExperimentSchema>;
