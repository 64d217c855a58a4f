import { z } from 'zod';
import { AlertingConfig } from '../alerts/alert-rule-schema.ts';
import { Receivers } from '../alerts/notify/receiver-schema.ts';
import { ExperimentsConfig } from '../experiments/experiment-schema.ts';
import { UptimeConfig } from '../monitoring/uptime/check-schema.ts';
import { DEFAULT_TIERS, RewardsConfig } from '../rewards/reward-schema.ts';
import { CurrencyCode, Name } from './portfolio/common.ts';
import { Competitor } from './portfolio/competitors.ts';
import { checkReferences } from './portfolio/cross-references.ts';
import { Domain } from './portfolio/domains.ts';
import { Financials } from './portfolio/financials.ts';
import { KpiCategory } from './portfolio/kpis.ts';
import { always } from './portfolio/loose.ts';
import { Market } from './portfolio/markets.ts';
import { RevenueStream } from './portfolio/revenue-streams.ts';
import { Risk } from './portfolio/risks.ts';
import { Roadmap } from './portfolio/roadmap.ts';

/**
 * The portfolio file (`portfolio.yaml`): the owner's businesses, plan and targets in one document.
 * Every object is strict (an unknown key is an error, so a typo never silently drops a setting),
 * every number is bounded, and cross-references (hosts, market codes, metric keys) are checked.
 * A schema and its inferred type share one name. Money is in the portfolio's `currency`.
 *
 * Cross-field checks run even when other fields are invalid (`when: always`), so a file with a
 * type error and a dangling reference reports both at once; they therefore read their input
 * defensively (`portfolio/loose.ts`) instead of trusting the parsed type.
 *
 * This module assembles the top-level schema and is the public entry point: the sections live in
 * `portfolio/`, one file each, and everything other code may use is re-exported here.
 */

export const Owner = z.strictObject({ name: Name, email: z.email().optional() });
export type Owner = z.infer<typeof Owner>;

export const Portfolio = z
  .strictObject({
    version: z.literal(1).describe('Format version of this file; 1.'),
    name: Name.describe('Name of the portfolio.'),
    currency: CurrencyCode.default('EUR').describe('Currency of every amount in the file (ISO 4217).'),
    owner: Owner.optional(),
    domains: z.array(Domain).min(1, 'list at least one domain').describe('The businesses; hosts are unique.'),
    markets: z.array(Market).default([]),
    revenueStreams: z.array(RevenueStream).default([]),
    competitors: z.array(Competitor).default([]),
    kpis: z
      .array(KpiCategory)
      .default([])
      .describe('KPI categories; metric keys are unique across all of them.'),
    risks: z.array(Risk).default([]),
    roadmap: Roadmap.default({ phases: [] }),
    financials: Financials.optional(),
    alerting: AlertingConfig.default({ rules: [], routes: [], escalation: {}, suppressions: [] }).describe(
      'Alert rules, routes, escalation and suppression windows (docs/alerts.md).',
    ),
    receivers: Receivers.default([]).describe(
      'Where notifications go: webhook, Slack, e-mail; credentials by reference (docs/notifications.md).',
    ),
    uptime: UptimeConfig.optional().describe(
      'Uptime checks; without it every active domain is checked at https://<host>/ (docs/uptime.md).',
    ),
    experiments: ExperimentsConfig.default({ maxConcurrentPerDomain: 5, definitions: [] }).describe(
      'Experiments (drafts until started through the API) and the limit of running ones per domain (docs/experiments.md).',
    ),
    rewards: RewardsConfig.default({ tiers: DEFAULT_TIERS, rules: [] }).describe(
      'PTF loyalty rewards: rules per domain and activity, and loyalty tiers (docs/rewards.md).',
    ),
  })
  .superRefine(checkReferences, always)
  .describe('The portfolio file: one owner, many online businesses, one plan.');
export type Portfolio = z.infer<typeof Portfolio>;

export { closestName } from './portfolio/closest-name.ts';
export {
  CountryCode,
  CurrencyCode,
  Duration,
  Frequency,
  Host,
  IntegrationLevel,
  IsoDate,
  Level,
  MetricKey,
  RevenueCategory,
  Scalability,
  Severity,
  Slug,
} from './portfolio/common.ts';
export { Competitor } from './portfolio/competitors.ts';
export { derivedMetricValue, durationMinutes, riskScore } from './portfolio/derived-values.ts';
export { Domain, DomainKind, DomainStatus } from './portfolio/domains.ts';
export {
  FinancialBaseline,
  FinancialGoal,
  Financials,
  Investment,
  InvestmentAllocation,
  RevenueShare,
  Scenario,
  ScenarioName,
  Valuation,
  YearTarget,
} from './portfolio/financials.ts';
export {
  AlertWindow,
  KpiAlert,
  KpiAlertCondition,
  KpiCategory,
  KpiDashboard,
  KpiDerivedMetric,
  KpiDirection,
  KpiMetric,
  KpiTarget,
  KpiUnit,
} from './portfolio/kpis.ts';
export { Market } from './portfolio/markets.ts';
export { RevenueStream } from './portfolio/revenue-streams.ts';
export { Contingency, Risk, RiskCategory } from './portfolio/risks.ts';
export {
  Deliverable,
  DeliverableStatus,
  Milestone,
  PhaseResource,
  Roadmap,
  RoadmapPhase,
  Workstream,
} from './portfolio/roadmap.ts';
