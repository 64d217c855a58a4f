import { z } from 'zod';

/**
 * An experiment's definition, the same in the portfolio file (`experiments.definitions`) and in
 * the API. Weights are fractions summing to 1 (the seed's 50/25/25 split is 0.5/0.25/0.25); a
 * bandit rewrites them while the experiment runs. docs/experiments.md, "Experiments, exposures
 * and decisions", describes every field.
 */

const KEY_RE = /^[a-z0-9][a-z0-9_.-]*$/;
const HOST_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$/;

export const ExperimentKey = z
  .string()
  .max(100)
  .regex(KEY_RE, 'must be lowercase letters, digits, "_", "." or "-", starting with a letter or digit')
  .refine((k) => k !== 'config', 'is reserved (GET /api/v1/experiments/config is the public config)')
  .describe('Stable experiment key, e.g. `checkout-flow`; the hash seed by default.');
export type ExperimentKey = z.infer<typeof ExperimentKey>;

export const VariationKey = z
  .string()
  .max(60)
  .regex(KEY_RE, 'must be lowercase letters, digits, "_", "." or "-"');

export const Variation = z.strictObject({
  key: VariationKey,
  name: z.string().min(1).max(200),
  weight: z.number().min(0).max(1).describe('Share of covered traffic, 0..1; weights sum to 1.'),
});
export type Variation = z.infer<typeof Variation>;

/** Attributes a targeting condition may name: what the tracker and the ingest know of a visit. */
export const TargetingAttribute = z.enum([
  'country',
  'device',
  'browser',
  'os',
  'language',
  'source',
  'medium',
  'campaign',
  'channel',
  'hostname',
  'pathname',
  'utm_source',
  'utm_medium',
  'utm_campaign',
]);
export type TargetingAttribute = z.infer<typeof TargetingAttribute>;

const AttrValue = z.string().max(200);
export const TargetingCondition = z.discriminatedUnion('op', [
  z.strictObject({ attribute: TargetingAttribute, op: z.enum(['eq', 'neq']), value: AttrValue }),
  z.strictObject({
    attribute: TargetingAttribute,
    op: z.enum(['in', 'nin']),
    values: z.array(AttrValue).min(1).max(200),
  }),
  z.strictObject({
    attribute: TargetingAttribute,
    op: z.enum(['contains', 'startsWith']),
    value: AttrValue.min(1),
  }),
  z.strictObject({ attribute: TargetingAttribute, op: z.enum(['exists', 'notExists']) }),
]);
export type TargetingCondition = z.infer<typeof TargetingCondition>;

export const Namespace = z
  .strictObject({
    id: z.string().min(1).max(100),
    range: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]),
  })
  .refine((n) => n.range[0] < n.range[1], {
    message: 'range must be [start, end) with start < end',
    path: ['range'],
  })
  .describe('Experiments in one namespace with disjoint ranges never share a visitor.');
export type Namespace = z.infer<typeof Namespace>;

const MetricBase = {
  key: z.string().min(1).max(100).regex(KEY_RE, 'must be lowercase letters, digits, "_", "." or "-"'),
  name: z.string().min(1).max(200).optional(),
  /** Which way is better; a guardrail breach is a significant move the other way. */
  direction: z.enum(['increase', 'decrease']).default('increase'),
  windowDays: z
    .number()
    .int()
    .min(1)
    .max(90)
    .default(14)
    .describe('Days after the first exposure that count.'),
};

export const ExperimentMetric = z.discriminatedUnion('kind', [
  z.strictObject({
    ...MetricBase,
    kind: z.literal('conversion'),
    event: z.string().min(1).max(120).describe('The goal: an event name, e.g. `purchase`.'),
  }),
  z.strictObject({
    ...MetricBase,
    kind: z.literal('revenue'),
    per: z.enum(['visitor', 'user']).default('visitor'),
  }),
  z.strictObject({
    ...MetricBase,
    kind: z.literal('engagement'),
    measure: z.enum(['pageviews', 'session_seconds']),
  }),
  z.strictObject({
    ...MetricBase,
    kind: z.literal('retention'),
    days: z.number().int().min(1).max(90).describe('Returned within this many days (from day 1).'),
  }),
]);
export type ExperimentMetric = z.infer<typeof ExperimentMetric>;

export const DecisionRules = z.strictObject({
  chanceToWin: z.number().min(0.5).max(0.99999).default(0.99),
  minImprovement: z.number().min(0).max(10).default(0.02).describe('Relative lift, 0.02 = 2 %.'),
  engine: z.enum(['bayesian', 'frequentist']).default('bayesian'),
  sequential: z.boolean().default(false),
  power: z.number().min(0.5).max(0.999).default(0.95),
  minimumDetectableEffect: z.number().min(0.001).max(10).default(0.05),
  autoStop: z.boolean().default(true).describe('Stop (and recommend shipping) once the rules are met.'),
});
export type DecisionRules = z.infer<typeof DecisionRules>;

export const BanditSettings = z.strictObject({
  everyHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .default(24),
  floor: z.number().min(0).max(0.2).default(0.01).describe('Least weight any arm keeps.'),
  minExposuresPerArm: z.number().int().min(0).max(1e6).default(100),
});
export type BanditSettings = z.infer<typeof BanditSettings>;

export const Experiment = z
  .strictObject({
    key: ExperimentKey,
    name: z.string().min(1).max(200),
    hypothesis: z.string().min(1).max(2000).optional(),
    domains: z.array(z.string().regex(HOST_RE, 'must be a lowercase hostname')).min(1).max(50),
    variations: z.array(Variation).min(2).max(20),
    coverage: z.number().min(0).max(1).default(1),
    targeting: z.array(TargetingCondition).max(50).default([]).describe('All must hold.'),
    namespace: Namespace.optional(),
    hashVersion: z.union([z.literal(1), z.literal(2)]).default(2),
    seed: z.string().min(1).max(200).optional(),
    metrics: z.strictObject({
      primary: ExperimentMetric,
      secondary: z.array(ExperimentMetric).max(20).default([]),
      guardrails: z.array(ExperimentMetric).max(20).default([]),
    }),
    decision: DecisionRules.default(DecisionRules.parse({})),
    mode: z.enum(['fixed', 'bandit']).default('fixed'),
    bandit: BanditSettings.default(BanditSettings.parse({})),
  })
  .superRefine((e, ctx) => {
    const sum = e.variations.reduce((s, v) => s + v.weight, 0);
    if (Math.abs(sum - 1) > 1e-6)
      ctx.addIssue({
        code: 'custom',
        path: ['variations'],
        message: `weights must sum to 1 (they sum to ${sum})`,
      });
    duplicates(
      e.variations.map((v) => v.key),
      ['variations'],
      'variation key',
      ctx,
    );
    duplicates(e.domains, ['domains'], 'domain', ctx);
    const metrics = [e.metrics.primary, ...e.metrics.secondary, ...e.metrics.guardrails];
    duplicates(
      metrics.map((m) => m.key),
      ['metrics'],
      'metric key',
      ctx,
    );
  });
export type Experiment = z.infer<typeof Experiment>;

function duplicates(values: string[], path: PropertyKey[], what: string, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path, message: `duplicate ${what} "${v}"` });
    seen.add(v);
  }
}

/** The portfolio file's `experiments:` section. */
export const ExperimentsConfig = z.strictObject({
  maxConcurrentPerDomain: z.number().int().min(1).max(100).default(5),
  definitions: z.array(Experiment).max(500).default([]),
});
export type ExperimentsConfig = z.infer<typeof ExperimentsConfig>;

export const ExperimentStatus = z.enum(['draft', 'running', 'stopped', 'shipped']);
export type ExperimentStatus = z.infer<typeof ExperimentStatus>;
