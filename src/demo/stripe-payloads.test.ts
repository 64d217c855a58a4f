import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { StripeEvent, StripeInvoice, StripeSubscription } from '../ingest/stripe/stripe-objects.ts';
import { verifyStripeSignature } from '../ingest/stripe/verify-signature.ts';
import { stripeEventOf, stripeSignature } from './stripe-payloads.ts';
import type { PlannedSubscription, Price } from './subscription-plan.ts';

const price: Price = {
  id: 'price_demo_seobiz-pro_yearly',
  nickname: 'Pro (yearly)',
  product: 'prod_demo_seobiz-pro',
  amountCents: 49_000,
  interval: 'year',
  mrrCents: 4083,
};
const day = 86_400_000;
const start = Date.parse('2026-09-01T10:00:00Z');
const sub: PlannedSubscription = {
  id: 'sub_demo1',
  site: 0,
  customerId: 'cus_demo1',
  email: 'emma.peeters.abc123@example.com',
  person: 3,
  channel: 'Paid Search',
  startedAt: start,
  trialEnd: start + 14 * day,
  steps: [
    { type: 'customer.subscription.created', at: start, status: 'trialing', price },
    { type: 'customer.subscription.updated', at: start + 14 * day, status: 'active', price },
    { type: 'invoice.paid', at: start + 14 * day, status: 'active', price },
    { type: 'customer.subscription.deleted', at: start + 100 * day, status: 'canceled', price },
  ],
};

describe('Stripe webhook payloads', () => {
  it("are signed exactly as Stripe's own library signs them", () => {
    const payload = JSON.stringify(
      stripeEventOf(sub, sub.steps[0] as PlannedSubscription['steps'][number], 0),
    );
    const secret = 'whsec_demo_test_secret_value';
    const t = 1_790_000_000;
    const theirs = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: t });
    expect(stripeSignature(payload, secret, t)).toBe(theirs);
    const check = verifyStripeSignature({
      header: stripeSignature(payload, secret, t),
      payload: Buffer.from(payload),
      secret,
      now: new Date(t * 1000),
    });
    expect(check).toEqual({ ok: true, timestamp: t });
  });

  it('carry what the webhook handler reads: status, customer, price, trial, period and channel', () => {
    const events = sub.steps.map((step, i) => stripeEventOf(sub, step, i));
    for (const event of events) expect(StripeEvent.safeParse(event).success).toBe(true);
    const created = StripeSubscription.parse(events[0]?.data.object);
    expect(created).toMatchObject({
      id: 'sub_demo1',
      status: 'trialing',
      currency: 'eur',
      customer: 'cus_demo1',
      start_date: start / 1000,
      trial_end: (start + 14 * day) / 1000,
      metadata: { channel: 'Paid Search' },
    });
    // During the trial the period ends with it; once paid it runs a year from the invoice.
    expect(created.items.data[0]?.current_period_end).toBe((start + 14 * day) / 1000);
    const active = StripeSubscription.parse(events[1]?.data.object);
    expect(active.items.data[0]?.price).toMatchObject({
      unit_amount: 49_000,
      recurring: { interval: 'year' },
    });
    const invoice = StripeInvoice.parse(events[2]?.data.object);
    expect(invoice).toMatchObject({
      amount_paid: 49_000,
      customer_email: 'emma.peeters.abc123@example.com',
      parent: { subscription_details: { subscription: 'sub_demo1' } },
      status_transitions: { paid_at: (start + 14 * day) / 1000 },
    });
    const deleted = StripeSubscription.parse(events[3]?.data.object);
    expect(deleted).toMatchObject({ status: 'canceled', ended_at: (start + 100 * day) / 1000 });
  });

  it('have ids that depend only on the subscription and the step, so a re-run is a redelivery', () => {
    const ids = sub.steps.map((step, i) => stripeEventOf(sub, step, i).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(sub.steps.map((step, i) => stripeEventOf(sub, step, i).id)).toEqual(ids);
  });
});
