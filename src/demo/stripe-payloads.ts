import { createHmac } from 'node:crypto';
import { hashKeys } from './random.ts';
import type { PlannedSubscription, Price, SubscriptionStep } from './subscription-plan.ts';

// Stripe webhook deliveries for the planned subscriptions, shaped like Stripe's own events (API
// version 2025-09-30: the billing period lives on the items) and signed the way Stripe signs them.

const API_VERSION = '2025-09-30.clover';

/** `Stripe-Signature` for a payload: t=…,v1=hex(HMAC-SHA256(secret, `${t}.${payload}`)). */
export function stripeSignature(payload: string, secret: string, timestampSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestampSeconds}.${payload}`).digest('hex');
  return `t=${timestampSeconds},v1=${v1}`;
}

const seconds = (ms: number) => Math.floor(ms / 1000);

function idFor(prefix: string, ...keys: (string | number)[]): string {
  return `${prefix}_demo${hashKeys(...keys).toString(36)}${hashKeys(...keys, 'b').toString(36)}`;
}

function periodOf(sub: PlannedSubscription, step: SubscriptionStep): { start: number; end: number } {
  // The current period runs from the last invoice (or the trial's start) to the next one.
  let start = sub.startedAt;
  for (const s of sub.steps) {
    if (s.at > step.at) break;
    if (s.type === 'invoice.paid') start = s.at;
  }
  const end = new Date(start);
  if (sub.trialEnd && step.at < sub.trialEnd) return { start, end: sub.trialEnd };
  if (step.price.interval === 'month') end.setUTCMonth(end.getUTCMonth() + 1);
  else end.setUTCFullYear(end.getUTCFullYear() + 1);
  return { start, end: end.getTime() };
}

function item(sub: PlannedSubscription, price: Price, periodEnd: number) {
  return {
    id: idFor('si', sub.id, price.id),
    object: 'subscription_item',
    quantity: 1,
    current_period_end: seconds(periodEnd),
    price: {
      id: price.id,
      object: 'price',
      nickname: price.nickname,
      product: price.product,
      currency: 'eur',
      unit_amount: price.amountCents,
      unit_amount_decimal: String(price.amountCents),
      recurring: { interval: price.interval, interval_count: 1, usage_type: 'licensed' },
    },
  };
}

function subscriptionObject(sub: PlannedSubscription, step: SubscriptionStep) {
  const period = periodOf(sub, step);
  const canceled = step.status === 'canceled';
  return {
    id: sub.id,
    object: 'subscription',
    status: step.status,
    currency: 'eur',
    customer: sub.customerId,
    created: seconds(sub.startedAt),
    start_date: seconds(sub.startedAt),
    trial_start: sub.trialEnd ? seconds(sub.startedAt) : null,
    trial_end: sub.trialEnd ? seconds(sub.trialEnd) : null,
    cancel_at_period_end: false,
    canceled_at: canceled ? seconds(step.at) : null,
    ended_at: canceled ? seconds(step.at) : null,
    metadata: { channel: sub.channel, source: 'portfolio-os demo' },
    items: { object: 'list', data: [item(sub, step.price, period.end)] },
  };
}

function invoiceObject(sub: PlannedSubscription, step: SubscriptionStep) {
  const id = idFor('in', sub.id, step.at);
  return {
    id,
    object: 'invoice',
    status: 'paid',
    currency: 'eur',
    amount_due: step.price.amountCents,
    amount_paid: step.price.amountCents,
    customer: sub.customerId,
    customer_email: sub.email,
    billing_reason:
      step.at === sub.steps.find((s) => s.type === 'invoice.paid')?.at
        ? 'subscription_create'
        : 'subscription_cycle',
    parent: { type: 'subscription_details', subscription_details: { subscription: sub.id } },
    status_transitions: { paid_at: seconds(step.at) },
    lines: {
      object: 'list',
      data: [{ id: idFor('il', id), amount: step.price.amountCents, price: { id: step.price.id } }],
    },
  };
}

/** The webhook event for one step of a subscription: its id is stable, so a re-run is a redelivery. */
export function stripeEventOf(sub: PlannedSubscription, step: SubscriptionStep, index: number) {
  return {
    id: idFor('evt', sub.id, index, step.type),
    object: 'event',
    api_version: API_VERSION,
    created: seconds(step.at),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: step.type,
    data: { object: step.type === 'invoice.paid' ? invoiceObject(sub, step) : subscriptionObject(sub, step) },
  };
}

/** A fresh endpoint signing secret in Stripe's format. */
export function newWebhookSecret(random: () => string): string {
  return `whsec_${random()}`;
}
