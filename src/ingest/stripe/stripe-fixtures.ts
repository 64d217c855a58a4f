import Stripe from 'stripe';

// Test support: Stripe event payloads shaped like the real ones (only the fields that matter,
// plus a few we ignore), and signing with Stripe's own library.

let counter = 0;
export function eventId(): string {
  counter += 1;
  return `evt_test_${Date.now().toString(36)}_${counter}`;
}

export function stripeEvent(
  type: string,
  object: Record<string, unknown>,
  options: { id?: string; created?: number } = {},
) {
  return {
    id: options.id ?? eventId(),
    object: 'event',
    api_version: '2025-09-30.clover',
    created: options.created ?? Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
}

export function sign(payload: string, secret: string, timestamp?: number): string {
  return Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp !== undefined ? { timestamp } : {}),
  });
}

export function subscription(over: Record<string, unknown> = {}) {
  return {
    id: 'sub_1',
    object: 'subscription',
    status: 'active',
    currency: 'usd',
    customer: 'cus_1',
    created: 1_767_225_600, // 2026-01-01
    start_date: 1_767_225_600,
    canceled_at: null,
    ended_at: null,
    items: {
      object: 'list',
      data: [
        {
          id: 'si_1',
          object: 'subscription_item',
          quantity: 2,
          current_period_end: 1_769_904_000, // 2026-02-01
          price: {
            id: 'price_pro_yearly',
            object: 'price',
            nickname: 'Pro yearly',
            product: 'prod_pro',
            currency: 'usd',
            unit_amount: 12_000,
            unit_amount_decimal: '12000',
            recurring: { interval: 'year', interval_count: 1, usage_type: 'licensed' },
          },
        },
      ],
    },
    ...over,
  };
}

export function invoice(over: Record<string, unknown> = {}) {
  return {
    id: 'in_1',
    object: 'invoice',
    currency: 'eur',
    amount_due: 2900,
    amount_paid: 2900,
    amount_remaining: 0,
    customer: 'cus_1',
    customer_email: 'Cyclist@Example.com',
    parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_1' } },
    status: 'paid',
    status_transitions: { paid_at: 1_767_312_000 }, // 2026-01-02
    ...over,
  };
}

export function charge(over: Record<string, unknown> = {}) {
  return {
    id: 'ch_1',
    object: 'charge',
    amount: 5000,
    amount_refunded: 500,
    currency: 'eur',
    customer: 'cus_2',
    payment_intent: 'pi_1',
    refunded: false,
    receipt_email: null,
    billing_details: { email: 'buyer@example.com', name: 'A Buyer' },
    ...over,
  };
}

export function checkoutSession(over: Record<string, unknown> = {}) {
  return {
    id: 'cs_test_1',
    object: 'checkout.session',
    mode: 'payment',
    payment_status: 'paid',
    status: 'complete',
    amount_total: 4599,
    currency: 'gbp',
    customer: null,
    payment_intent: 'pi_2',
    customer_email: null,
    customer_details: { email: 'shopper@example.com', name: 'Shopper' },
    ...over,
  };
}
