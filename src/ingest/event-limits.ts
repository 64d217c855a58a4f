import { z } from 'zod';

/** Bounds on every collected field: what a sane client sends, with room to spare. */
export const LIMITS = {
  nameLength: 120,
  urlLength: 2000,
  props: 30,
  propKeyLength: 100,
  propValueLength: 500,
  batchEvents: 1000,
  umamiBatch: 100,
  idLength: 200,
  screenLength: 20,
  languageLength: 35,
  /** Longer real user agents exist only as attacks; request headers are cut at the same length. */
  userAgentLength: 1000,
  maxFutureMs: 5 * 60_000,
  maxPastDays: 5 * 365,
} as const;

export const EventName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(LIMITS.nameLength, `at most ${LIMITS.nameLength} characters`);

export const PageUrl = z
  .string()
  .max(LIMITS.urlLength, `at most ${LIMITS.urlLength} characters`)
  .refine((u) => {
    try {
      const parsed = new URL(u);
      return parsed.protocol === 'http:' || parsed.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

export const Referrer = z.string().max(LIMITS.urlLength, `at most ${LIMITS.urlLength} characters`);

const PropValue = z.union([
  z.string().max(LIMITS.propValueLength, `at most ${LIMITS.propValueLength} characters`),
  z.number().finite(),
  z.boolean(),
]);

export const Props = z
  .record(
    z.string().min(1).max(LIMITS.propKeyLength, `keys at most ${LIMITS.propKeyLength} characters`),
    PropValue,
  )
  .refine((p) => Object.keys(p).length <= LIMITS.props, `at most ${LIMITS.props} properties`);
export type Props = z.infer<typeof Props>;

/** Money as a decimal string with at most two decimals (numbers are accepted and converted). */
export const Amount = z
  .union([z.string(), z.number().finite()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => /^-?\d{1,12}(\.\d{1,2})?$/.test(v), 'must be a decimal amount with at most 2 decimals');

export const Currency = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

export const Revenue = z.strictObject({ amount: Amount, currency: Currency });
export type Revenue = z.infer<typeof Revenue>;

export const ClientEventId = z.string().min(1).max(LIMITS.idLength);
