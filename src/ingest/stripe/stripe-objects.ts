import { z } from 'zod';

// Only the fields we read, bounded; everything else Stripe sends passes through untouched
// (loose objects), so new API versions adding fields never break ingestion.

const StripeId = z.string().min(1).max(255);
const Timestamp = z.int().nonnegative().max(32_503_680_000); // before year 3000
const Currency = z.string().regex(/^[A-Za-z]{3}$/);
const Amount = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** A reference Stripe may send as an id or as the expanded object. */
const Ref = z.union([StripeId, z.looseObject({ id: StripeId })]).nullish();

export function refId(ref: z.infer<typeof Ref>): string | null {
  if (!ref) return null;
  return typeof ref === 'string' ? ref : ref.id;
}

export const StripeEvent = z.looseObject({
  id: StripeId,
  type: z.string().min(1).max(100),
  created: Timestamp,
  livemode: z.boolean().optional(),
  data: z.looseObject({ object: z.looseObject({ id: StripeId.optional() }) }),
});
export type StripeEvent = z.infer<typeof StripeEvent>;

const Price = z.looseObject({
  id: StripeId,
  nickname: z.string().max(500).nullish(),
  product: Ref,
  currency: Currency.nullish(),
  unit_amount: Amount.nullish(),
  unit_amount_decimal: z.string().max(50).nullish(),
  recurring: z
    .looseObject({
      interval: z.enum(['day', 'week', 'month', 'year']),
      interval_count: z.int().min(1).max(1000),
      usage_type: z.string().max(50).nullish(),
    })
    .nullish(),
});

export const StripeSubscription = z.looseObject({
  id: StripeId,
  status: z.string().min(1).max(50),
  currency: Currency,
  customer: Ref,
  created: Timestamp,
  start_date: Timestamp.nullish(),
  current_period_end: Timestamp.nullish(),
  canceled_at: Timestamp.nullish(),
  ended_at: Timestamp.nullish(),
  items: z.looseObject({
    data: z
      .array(
        z.looseObject({
          price: Price,
          quantity: z.int().min(0).max(1_000_000_000).nullish(),
          current_period_end: Timestamp.nullish(),
        }),
      )
      .max(100),
  }),
});
export type StripeSubscription = z.infer<typeof StripeSubscription>;

export const StripeInvoice = z.looseObject({
  id: StripeId,
  currency: Currency,
  amount_paid: Amount,
  amount_due: Amount,
  customer: Ref,
  customer_email: z.string().max(500).nullish(),
  // Before API version 2025-03-31 the subscription was a top-level field; now it is under parent.
  subscription: Ref,
  parent: z.looseObject({ subscription_details: z.looseObject({ subscription: Ref }).nullish() }).nullish(),
  status_transitions: z.looseObject({ paid_at: Timestamp.nullish() }).nullish(),
});
export type StripeInvoice = z.infer<typeof StripeInvoice>;

export const StripeCharge = z.looseObject({
  id: StripeId,
  currency: Currency,
  amount_refunded: Amount,
  customer: Ref,
  payment_intent: Ref,
  receipt_email: z.string().max(500).nullish(),
  billing_details: z.looseObject({ email: z.string().max(500).nullish() }).nullish(),
});
export type StripeCharge = z.infer<typeof StripeCharge>;

export const StripeCheckoutSession = z.looseObject({
  id: StripeId,
  mode: z.string().max(50),
  payment_status: z.string().max(50),
  amount_total: Amount.nullish(),
  currency: Currency.nullish(),
  customer: Ref,
  payment_intent: Ref,
  customer_email: z.string().max(500).nullish(),
  customer_details: z.looseObject({ email: z.string().max(500).nullish() }).nullish(),
});
export type StripeCheckoutSession = z.infer<typeof StripeCheckoutSession>;

/** A usable, lower-cased e-mail, or null: a buyer we cannot name is still revenue. */
export function buyerEmail(...candidates: (string | null | undefined)[]): string | null {
  for (const c of candidates) {
    if (!c) continue;
    const parsed = z.email().max(254).safeParse(c.trim());
    if (parsed.success) return parsed.data.toLowerCase();
  }
  return null;
}

export function dateOf(seconds: number): Date {
  return new Date(seconds * 1000);
}
