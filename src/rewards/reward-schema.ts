import { z } from 'zod';
import { closestName } from '../config/portfolio/closest-name.ts';
import { Host, Slug } from '../config/portfolio/common.ts';
import { type Ctx, field, records, str } from '../config/portfolio/loose.ts';
import { ptfProblem, ptfToWei } from './ledger/ptf-decimal.ts';

/**
 * The portfolio file's `rewards:` section: which activity earns PTF loyalty points on which
 * domain, and the loyalty tiers (docs/rewards.md, "Reward rules"). Amounts are PTF written as
 * decimals ("1.5" or 1.5) and stay as written here: the ledger converts them exactly to wei with
 * `ptfToWei` (the parsed file is JSON, so it cannot hold bigints).
 */

const MAX_PTF_PER_UNIT = 1_000_000n;
const MAX_DAILY_CAP = 1_000_000_000n;
const MAX_TIER = 1_000_000_000n;

/** An amount of PTF: a decimal with at most 18 decimals, more than 0 if `positive`, at most `max` PTF. */
export function ptfAmount(options: { positive: boolean; max: bigint }) {
  return z
    .union([z.string().max(60), z.number()], {
      error: 'must be a decimal number of PTF, like 1.5 or "0.25"',
    })
    .superRefine((value, ctx) => {
      const problem = ptfProblem(value);
      if (problem) return void ctx.addIssue({ code: 'custom', message: problem });
      const wei = ptfToWei(value);
      if (options.positive && wei === 0n) ctx.addIssue({ code: 'custom', message: 'must be more than 0' });
      else if (wei > options.max * 10n ** 18n)
        ctx.addIssue({ code: 'custom', message: `must be at most ${options.max} PTF` });
    });
}

/** PTF per event or per unit of the measure: more than 0, at most 1,000,000. */
export const PtfAmount = ptfAmount({ positive: true, max: MAX_PTF_PER_UNIT }).describe(
  'PTF, as a decimal (quote it to keep more than 15 significant digits).',
);
export type PtfAmount = z.infer<typeof PtfAmount>;

const PropName = z
  .string()
  .min(1, 'must not be empty')
  .max(100)
  .describe('Name of a property of the event (its `props`).');
const PropValue = z.union([z.string().max(200), z.number(), z.boolean()]);

export const RewardMeasure = z
  .union(
    [
      z.literal('event'),
      z.literal('value_eur'),
      z.strictObject({ prop: PropName.describe('A numeric property, e.g. `km`.') }),
    ],
    { error: 'must be "event", "value_eur" or { prop: <numeric property> }' },
  )
  .describe(
    '`event`: ptf per event; `value_eur`: ptf per euro of the event value; `{ prop: km }`: ptf per unit of a numeric property.',
  );
export type RewardMeasure = z.infer<typeof RewardMeasure>;

export const AiOptimizedSource = z
  .union([z.boolean(), z.strictObject({ prop: PropName.describe('true (or "true") marks the event.') })], {
    error: 'must be true, false or { prop: <boolean property> }',
  })
  .describe(
    'Whether a reward gets the 5 % AI bonus: always, never, or when a property of the event is true.',
  );
export type AiOptimizedSource = z.infer<typeof AiOptimizedSource>;

export const RewardRule = z
  .strictObject({
    id: Slug.describe('Stable id of the rule (daily caps and history name it).'),
    domain: Host.describe('The domain whose events this rule rewards.'),
    event: z.string().min(1, 'must not be empty').max(120).describe('Event name, e.g. `Purchase`.'),
    where: z
      .record(PropName, z.union([PropValue, z.array(PropValue).min(1).max(100)]))
      .refine((w) => Object.keys(w).length <= 20, 'at most 20 property filters')
      .optional()
      .describe('Property filters, all must hold: a value, or a list of accepted values.'),
    ptf: PtfAmount,
    per: RewardMeasure.default('event'),
    aiOptimized: AiOptimizedSource.default(false),
    dailyCapPerUser: ptfAmount({ positive: true, max: MAX_DAILY_CAP })
      .optional()
      .describe('Most PTF (before bonuses) one user earns from this rule per UTC day.'),
    description: z.string().min(1).max(200).optional(),
  })
  .describe(
    'An activity that earns PTF. Rules are tried in order; the first that matches rewards the event.',
  );
export type RewardRule = z.infer<typeof RewardRule>;

const TierThreshold = ptfAmount({ positive: true, max: MAX_TIER });

export const LoyaltyTiers = z
  .strictObject({
    bronze: z
      .literal(0, { error: 'bronze is where every user starts: its threshold is always 0' })
      .optional(),
    silver: TierThreshold,
    gold: TierThreshold,
    platinum: TierThreshold,
  })
  .superRefine((t, ctx) => {
    const order = ['silver', 'gold', 'platinum'] as const;
    for (let i = 1; i < order.length; i++) {
      const [low, high] = [order[i - 1] as (typeof order)[number], order[i] as (typeof order)[number]];
      if (ptfProblem(t[low]) || ptfProblem(t[high])) continue;
      if (ptfToWei(t[high]) <= ptfToWei(t[low]))
        ctx.addIssue({ code: 'custom', path: [high], message: `must be more than ${low} (${t[low]})` });
    }
  })
  .describe('Lifetime PTF earned to reach each tier; bronze starts at 0.');
export type LoyaltyTiers = z.infer<typeof LoyaltyTiers>;

export const DEFAULT_TIERS: LoyaltyTiers = { silver: 1000, gold: 5000, platinum: 25000 };

/** The portfolio file's `rewards:` section. */
export const RewardsConfig = z
  .strictObject({
    tiers: LoyaltyTiers.default(DEFAULT_TIERS),
    rules: z.array(RewardRule).max(500).default([]),
  })
  .superRefine((r, ctx) => {
    const first = new Map<string, number>();
    r.rules.forEach((rule, i) => {
      const at = first.get(rule.id);
      if (at !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'id'],
          message: `duplicate rule id "${rule.id}" (first at rewards.rules.${at})`,
        });
      else first.set(rule.id, i);
    });
  });
export type RewardsConfig = z.infer<typeof RewardsConfig>;

/**
 * Cross-reference check for the portfolio schema (beside the others in cross-references.ts):
 * every rule's domain is a host of `domains:`. Defensive, like those checks: it also runs on a
 * partly invalid document.
 */
export function checkRewardReferences(ctx: Ctx, p: unknown, hosts: Set<string>): void {
  for (const [i, rule] of records(field(field(p, 'rewards'), 'rules')).entries()) {
    const host = str(rule?.domain);
    if (host === undefined || hosts.has(host)) continue;
    const suggestion = closestName(host, [...hosts]);
    const hint = suggestion
      ? `did you mean "${suggestion}"?`
      : `defined: ${[...hosts].slice(0, 10).join(', ')}`;
    ctx.addIssue({
      code: 'custom',
      path: ['rewards', 'rules', i, 'domain'],
      message: `unknown domain "${host}" (${hint})`,
    });
  }
}
