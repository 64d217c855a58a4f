import { z } from 'zod';
import { always, field, num } from './loose.ts';

/** Shared fragments of the portfolio file: scalars, identifiers, enums and the min/max range. */

const HOST_RE =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const METRIC_KEY_RE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;
/** Shared with `durationMinutes`, which reads the number and unit back out of a valid Duration. */
export const DURATION_RE = /^([1-9][0-9]{0,4}) (minute|hour|day|week|month)s?$/;

export const Name = z.string().min(1, 'must not be empty').max(200);
export const Text = z.string().min(1, 'must not be empty').max(2000);
export const TextList = z.array(Text).max(200);
export const Money = z.number().nonnegative().max(1e12);
export const Probability = z.number().min(0).max(1);
export const Percent = z.number().min(0).max(100);
export const GrowthPct = z.number().min(-100).max(100_000);
export const KpiValue = z.number().min(-1e12).max(1e12);

export const IsoDate = z.iso
  .date({ error: 'must be a real calendar date written YYYY-MM-DD' })
  .describe('Calendar date, ISO 8601 `YYYY-MM-DD`.');
export type IsoDate = z.infer<typeof IsoDate>;

export const Host = z
  .string()
  .regex(HOST_RE, {
    error: (iss) =>
      typeof iss.input === 'string' && iss.input !== iss.input.toLowerCase()
        ? 'must be lowercase (hostnames are compared exactly)'
        : 'must be a hostname like example.com: no scheme, path, port or trailing dot',
  })
  .describe('Lowercase hostname, e.g. `fixie.run`.');
export type Host = z.infer<typeof Host>;

export const Slug = z
  .string()
  .regex(SLUG_RE, 'must be a kebab-case id: lowercase letters and digits separated by single hyphens')
  .max(100)
  .describe('Stable kebab-case identifier, e.g. `scalability-failure`.');
export type Slug = z.infer<typeof Slug>;

export const MetricKey = z
  .string()
  .regex(
    METRIC_KEY_RE,
    'must be a snake_case key: a lowercase letter, then lowercase letters, digits and single underscores',
  )
  .max(100)
  .describe('Stable snake_case metric key, e.g. `mrr` or `clv_cac_ratio`.');
export type MetricKey = z.infer<typeof MetricKey>;

export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code like EUR')
  .describe('ISO 4217 currency code.');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

export const CountryCode = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code like DE')
  .describe('ISO 3166-1 alpha-2 country code.');
export type CountryCode = z.infer<typeof CountryCode>;

/** A duration such as `30 minutes`, `14 days` or `1 month`; see `durationMinutes`. */
export const Duration = z
  .string()
  .regex(DURATION_RE, 'must be a duration like "30 minutes", "4 hours", "14 days", "2 weeks" or "3 months"')
  .describe('Duration: a whole number and a unit (minutes, hours, days, weeks, months).');
export type Duration = z.infer<typeof Duration>;

export const Level = z.enum(['low', 'medium', 'high']);
export type Level = z.infer<typeof Level>;
export const Scalability = z.enum(['linear', 'exponential', 'step']);
export type Scalability = z.infer<typeof Scalability>;
export const IntegrationLevel = z.enum(['none', 'basic', 'advanced']);
export type IntegrationLevel = z.infer<typeof IntegrationLevel>;
export const Frequency = z.enum([
  'real-time',
  'hourly',
  'daily',
  'weekly',
  'bi-weekly',
  'monthly',
  'quarterly',
  'yearly',
]);
export type Frequency = z.infer<typeof Frequency>;
export const Severity = z.enum(['critical', 'high', 'medium', 'low']);
export type Severity = z.infer<typeof Severity>;

/** Revenue categories of the financial breakdown (seed §14.1); revenue streams may name one. */
export const RevenueCategory = z.enum(['e-commerce', 'web3', 'saas', 'affiliate', 'consulting', 'other']);
export type RevenueCategory = z.infer<typeof RevenueCategory>;

/** A `{ min, max }` pair of `value`s with min ≤ max; `what` names the unit in the descriptions. */
export const Range = (value: z.ZodNumber, what: string) =>
  z
    .strictObject({
      min: value.describe(`Lower bound (${what}).`),
      max: value.describe(`Upper bound (${what}).`),
    })
    .superRefine((r: unknown, ctx) => {
      const min = num(field(r, 'min'));
      const max = num(field(r, 'max'));
      if (min !== undefined && max !== undefined && min > max)
        ctx.addIssue({ code: 'custom', path: ['max'], message: `must be at least min (${min})` });
    }, always);
