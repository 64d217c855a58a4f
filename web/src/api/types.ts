// Response types of the API. Where the server's zod schemas exist they are the source (type-only
// imports: nothing from the server reaches the bundle); the rest are written to the planned shapes
// with optional fields, so a panel shows "—" instead of failing while an endpoint is still growing.

export type {
  DomainOverlap,
  EngagementCohorts,
  EngagementSummary,
} from '../../../src/metrics/engagement/engagement-schemas.ts';
export type {
  MrrMetricsOut,
  RevenueMetricsOut,
} from '../../../src/metrics/revenue/revenue-metric-schemas.ts';

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

export interface RangeOut {
  from: string;
  to: string;
  tz: string;
  days: number;
}

export interface TrafficFigures {
  visitors?: number;
  pageviews?: number;
  sessions?: number;
  bounceRate?: number | null;
  visitDurationS?: number | null;
  viewsPerVisit?: number | null;
  events?: number;
  revenueEur?: number | string | null;
}

export interface TrafficPoint extends TrafficFigures {
  bucket: string;
}

export interface TrafficSummary {
  range: RangeOut;
  previous?: RangeOut | null;
  totals: TrafficFigures;
  comparison?: TrafficFigures | null;
  change?: Partial<Record<keyof TrafficFigures, number | null>> | null;
  series?: TrafficPoint[];
  comparisonSeries?: TrafficPoint[] | null;
}

export interface BreakdownRow {
  value: string | null;
  visitors?: number;
  pageviews?: number;
  share?: number | null;
  [extra: string]: unknown;
}

export interface Breakdown {
  rows: BreakdownRow[];
  total?: number;
}

export interface GoalRow {
  goal?: string;
  name?: string;
  uniques?: number;
  visitors?: number;
  events?: number;
  conversionRate?: number | null;
  valueEur?: number | string | null;
}

export interface Goals {
  goals: GoalRow[];
}

export interface FunnelStep {
  step?: string;
  name?: string;
  label?: string;
  visitors?: number;
  conversionRate?: number | null;
  dropOff?: number | null;
  [extra: string]: unknown;
}

export interface Funnel {
  steps: FunnelStep[];
}

export interface OverviewDomain {
  host: string;
  name?: string;
  visitors?: number;
  pageviews?: number;
  revenueEur?: number | string | null;
  mrrEur?: number | string | null;
  conversionRate?: number | null;
  change?: Partial<Record<string, number | null>> | null;
  [extra: string]: unknown;
}

export interface Overview {
  range: RangeOut;
  domains: OverviewDomain[];
  totals?: Omit<OverviewDomain, 'host'> | null;
  change?: Partial<Record<string, number | null>> | null;
}
