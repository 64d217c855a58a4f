import { z } from 'zod';
import { Host, Level, Money, Name, RevenueCategory, Scalability, Slug } from './common.ts';
import { always, field } from './loose.ts';

/**
 * A stream is earned either on one domain (`domain`) or across the whole portfolio
 * (`crossPlatform: true`, e.g. affiliate commissions) — exactly one of the two.
 */
export const RevenueStream = z
  .strictObject({
    id: Slug.describe('Stable id of the stream; unique.'),
    name: Name,
    domain: Host.optional().describe('Host of the domain the stream is earned on. Omit when crossPlatform.'),
    crossPlatform: z
      .boolean()
      .optional()
      .describe(
        'true: earned across the portfolio rather than on one domain. Omit or false when `domain` is set.',
      ),
    category: RevenueCategory.optional().describe(
      'Category of the financial breakdown the stream counts toward.',
    ),
    currentRevenue: Money.describe('Current annual revenue.'),
    targetRevenue: Money.describe('Annual revenue to reach within `timelineMonths`.'),
    timelineMonths: z
      .int()
      .min(1)
      .max(120)
      .describe('Months, from the start of the plan, to reach targetRevenue.'),
    dependency: Level.describe('How much the stream depends on other work or partners.'),
    scalability: Scalability,
    riskLevel: Level,
    implementationEffort: Level,
    crossDomainSynergy: z.boolean().describe('Whether the stream feeds or is fed by other domains.'),
    automated: z.boolean().describe('Whether the stream runs without manual work.'),
  })
  .superRefine((s: unknown, ctx) => {
    const hasDomain = field(s, 'domain') !== undefined;
    const cross = field(s, 'crossPlatform') === true;
    if (hasDomain && cross)
      ctx.addIssue({
        code: 'custom',
        path: ['crossPlatform'],
        message: 'set either domain or crossPlatform: true, not both',
      });
    else if (!hasDomain && !cross)
      ctx.addIssue({ code: 'custom', path: [], message: 'set domain (a host) or crossPlatform: true' });
  }, always)
  .describe('A source of revenue (seed §4).');
export type RevenueStream = z.infer<typeof RevenueStream>;
