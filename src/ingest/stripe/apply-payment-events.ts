import type { Tx } from '../../db/types.ts';
import { loadEurRates } from '../revenue/currency-rates.sql.ts';
import { refreshTotalSpent } from '../revenue/link-users.sql.ts';
import { centsOfNumeric, convertToEurCents, formatCents } from '../revenue/money.ts';
import { selectRevenueByKeys } from '../revenue/revenue-rows.sql.ts';
import type { RevenueStatus } from '../revenue/revenue-status.ts';
import type { RevenueEntry } from '../revenue/write-revenue-entries.ts';
import { stripeAmountToCents } from './stripe-amounts.ts';
import {
  buyerEmail,
  dateOf,
  refId,
  StripeCharge,
  StripeCheckoutSession,
  type StripeEvent,
  StripeInvoice,
} from './stripe-objects.ts';
import {
  type EventResult,
  objectOf,
  recordStripeRevenue,
  STRIPE_SOURCE,
  stripeMetadata,
  unknownCurrency,
} from './stripe-revenue.ts';
import { updateRefundAmount } from './update-refund.sql.ts';

interface Input {
  domainId: string;
  event: StripeEvent;
}

function entry(
  domainId: string,
  fields: Pick<RevenueEntry, 'externalId' | 'kind' | 'amountCents' | 'currency' | 'occurredAt' | 'status'> &
    Partial<RevenueEntry>,
): RevenueEntry {
  return {
    domainId,
    source: STRIPE_SOURCE,
    userId: null,
    email: null,
    stream: null,
    chain: null,
    transactionHash: null,
    metadata: {},
    ...fields,
  };
}

/**
 * invoice.paid → a paid row keyed by the invoice id; invoice.payment_failed → the same row as
 * failed (amount due), so a retry that succeeds later moves it failed → paid. The subscription's
 * own past_due status comes from the customer.subscription.updated event Stripe sends as well.
 */
export async function applyInvoiceEvent(tx: Tx, { domainId, event }: Input): Promise<EventResult> {
  const invoice = objectOf(StripeInvoice, event);
  const paid = event.type === 'invoice.paid';
  const amount = paid ? invoice.amount_paid : invoice.amount_due;
  if (amount === 0) return { outcome: 'ignored', detail: 'zero amount (trial or fully credited invoice)' };
  const subscription =
    refId(invoice.subscription) ?? refId(invoice.parent?.subscription_details?.subscription);
  const paidAt = invoice.status_transitions?.paid_at;
  return recordStripeRevenue(
    tx,
    entry(domainId, {
      externalId: invoice.id,
      kind: subscription ? 'subscription' : 'order',
      amountCents: stripeAmountToCents(amount, invoice.currency),
      currency: invoice.currency.toUpperCase(),
      occurredAt: dateOf(paid && paidAt ? paidAt : event.created),
      status: paid ? 'paid' : 'failed',
      email: buyerEmail(invoice.customer_email),
      metadata: stripeMetadata(event, {
        invoice: invoice.id,
        customer: refId(invoice.customer),
        subscription,
      }),
    }),
  );
}

const CHECKOUT_STATUS: Record<string, (paymentStatus: string) => RevenueStatus | null> = {
  'checkout.session.completed': (p) => (p === 'paid' ? 'completed' : p === 'unpaid' ? 'pending' : null),
  'checkout.session.async_payment_succeeded': () => 'completed',
  'checkout.session.async_payment_failed': () => 'failed',
};

/**
 * A one-off payment through Checkout → an order keyed by the session id. Delayed payment methods
 * complete the session unpaid (pending) and settle with async_payment_succeeded|failed.
 * Subscription-mode sessions are skipped: their money arrives as invoice.paid.
 */
export async function applyCheckoutEvent(tx: Tx, { domainId, event }: Input): Promise<EventResult> {
  const session = objectOf(StripeCheckoutSession, event);
  if (session.mode !== 'payment') {
    return { outcome: 'ignored', detail: `mode ${session.mode}: recorded from invoice.paid instead` };
  }
  const status = CHECKOUT_STATUS[event.type]?.(session.payment_status) ?? null;
  if (!status || !session.amount_total || !session.currency) {
    return { outcome: 'ignored', detail: `nothing to record (payment_status ${session.payment_status})` };
  }
  return recordStripeRevenue(
    tx,
    entry(domainId, {
      externalId: session.id,
      kind: 'order',
      amountCents: stripeAmountToCents(session.amount_total, session.currency),
      currency: session.currency.toUpperCase(),
      occurredAt: dateOf(event.created),
      status,
      email: buyerEmail(session.customer_details?.email, session.customer_email),
      metadata: stripeMetadata(event, {
        checkoutSession: session.id,
        customer: refId(session.customer),
        paymentIntent: refId(session.payment_intent),
      }),
    }),
  );
}

/**
 * charge.refunded → one refund row per charge, `refund:<charge id>`, for the total refunded so
 * far (amount_refunded is cumulative): a later partial refund grows it, an older event never
 * shrinks it. The row keeps the rate of its first recording.
 */
export async function applyRefundEvent(tx: Tx, { domainId, event }: Input): Promise<EventResult> {
  const charge = objectOf(StripeCharge, event);
  if (charge.amount_refunded === 0) return { outcome: 'ignored', detail: 'nothing refunded' };
  const externalId = `refund:${charge.id}`;
  const amountCents = -stripeAmountToCents(charge.amount_refunded, charge.currency);
  const [existing] = await selectRevenueByKeys(tx, [{ domainId, source: STRIPE_SOURCE, externalId }]);
  if (!existing) {
    return recordStripeRevenue(
      tx,
      entry(domainId, {
        externalId,
        kind: 'refund',
        amountCents,
        currency: charge.currency.toUpperCase(),
        occurredAt: dateOf(event.created),
        status: 'completed',
        email: buyerEmail(charge.billing_details?.email, charge.receipt_email),
        metadata: stripeMetadata(event, {
          charge: charge.id,
          customer: refId(charge.customer),
          paymentIntent: refId(charge.payment_intent),
        }),
      }),
    );
  }
  if (amountCents >= centsOfNumeric(existing.amount)) {
    return {
      outcome: 'ignored',
      detail: `already recorded a refund of ${existing.amount} ${existing.currency}`,
    };
  }
  const rate = existing.eurPerUnit ?? (await loadEurRates(tx)).get(existing.currency);
  if (!rate) throw unknownCurrency(existing.currency);
  const amountEur = convertToEurCents(amountCents, rate);
  await updateRefundAmount(tx, {
    id: existing.id,
    amount: formatCents(amountCents),
    amountEur: formatCents(amountEur),
  });
  if (existing.userId) await refreshTotalSpent(tx, [{ userId: existing.userId, domainId }]);
  return { outcome: 'applied' };
}
