import { z } from 'zod';
import { Duration, Frequency, Name, Probability, Slug, Text } from './common.ts';

export const RiskCategory = z.enum(['technical', 'market', 'operational', 'financial', 'regulatory']);
export type RiskCategory = z.infer<typeof RiskCategory>;

export const Contingency = z
  .strictObject({
    trigger: Text.describe('Observable condition that starts the contingency plan.'),
    actions: z.array(Text).min(1),
    recoveryTime: Duration.describe('Longest acceptable time to recover, e.g. "30 minutes".'),
    responsible: Name.describe('Role that runs the plan.'),
  })
  .describe('What to do when the risk materialises.');
export type Contingency = z.infer<typeof Contingency>;

/** No `riskScore` field: the score is derived (see `riskScore`), so it cannot disagree with its inputs. */
export const Risk = z
  .strictObject({
    id: Slug.describe('Stable id; unique.'),
    category: RiskCategory,
    title: Text.describe('The risk in one sentence.'),
    probability: Probability.describe('Likelihood over the plan period, 0..1.'),
    impact: Probability.describe(
      'Severity if it happens, 0..1. The risk score (probability × impact) is derived.',
    ),
    mitigations: z.array(Text).min(1),
    contingency: Contingency,
    owner: Name,
    reviewFrequency: Frequency,
  })
  .describe('A risk of the register (seed §8).');
export type Risk = z.infer<typeof Risk>;
