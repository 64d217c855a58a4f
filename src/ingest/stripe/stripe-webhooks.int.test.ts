import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeIntegration } from '../../test-support/integration.ts';
import { type MoneyTestServer, startMoneyTestServer } from '../revenue/money-test-server.ts';
import { charge, checkoutSession, invoice, sign, stripeEvent, subscription } from './stripe-fixtures.ts';

const DOMAIN = 'fixie.run';
const OTHER = 'puffs-store.com';
const SECRET = 'whsec_fixie_run_webhook_0123456789';
const OTHER_SECRET = 'whsec_puffs_store_webhook_987654321';
const path = (domain = DOMAIN) => `/api/v1/webhooks/stripe/${domain}`;

describeIntegration('Stripe webhooks', () => {
  let s: MoneyTestServer;
  beforeAll(async () => {
    s = await startMoneyTestServer();
    for (const [domain, secret] of [
      [DOMAIN, SECRET],
      [OTHER, OTHER_SECRET],
    ]) {
      const res = await s.request('POST', `${path(domain)}/secret`, {
        token: s.ownerToken,
        body: { secret },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await s?.close();
  });

  type Event = ReturnType<typeof stripeEvent>;
  const deliver = (
    event: Event | string,
    options: { secret?: string; header?: string; domain?: string } = {},
  ) => {
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    return s.request('POST', path(options.domain), {
      raw: body,
      contentType: 'application/json; charset=utf-8',
      headers: { 'stripe-signature': options.header ?? sign(body, options.secret ?? SECRET) },
    });
  };
  const revenue = async (externalId: string) =>
    (
      await s.db.query<Record<string, unknown>>(
        `SELECT r.kind, r.amount, r.currency, r.amount_eur, r.status, r.source, r.occurred_at, r.user_id, r.updated_at,
                d.host
           FROM revenue r JOIN domains d ON d.id = r.domain_id WHERE r.external_id = $1`,
        [externalId],
      )
    ).rows;
  const sub = async (externalId: string) =>
    (
      await s.db.query<Record<string, unknown>>(
        `SELECT plan, status, mrr_eur, currency, started_at, current_period_end, canceled_at
           FROM subscriptions WHERE external_id = $1`,
        [externalId],
      )
    ).rows;
  const eventRow = async (id: string) =>
    (
      await s.db.query<{ outcome: string; type: string }>(
        'SELECT outcome, type FROM stripe_events WHERE event_id = $1',
        [id],
      )
    ).rows;

  describe('subscriptions', () => {
    it('creates the subscription with its plan, status and MRR normalised to a month and to EUR', async () => {
      const res = await deliver(
        stripeEvent('customer.subscription.created', subscription(), { created: 1_000_000_100 }),
      );
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ received: true, duplicate: false, outcome: 'applied' });
      // 2 seats × $120/year = $20/month = €17.20
      expect(await sub('sub_1')).toEqual([
        {
          plan: 'Pro yearly',
          status: 'active',
          mrr_eur: '17.20',
          currency: 'USD',
          started_at: new Date('2026-01-01T00:00:00Z'),
          current_period_end: new Date('2026-02-01T00:00:00Z'),
          canceled_at: null,
        },
      ]);
    });

    it('applies a newer update and ignores an older one delivered late', async () => {
      const newer = stripeEvent('customer.subscription.updated', subscription({ status: 'past_due' }), {
        created: 1_000_000_300,
      });
      const older = stripeEvent('customer.subscription.updated', subscription({ status: 'trialing' }), {
        created: 1_000_000_200,
      });
      expect((await deliver(newer)).json.outcome).toBe('applied');
      const late = await deliver(older);
      expect(late.status).toBe(200);
      expect(late.json.outcome).toBe('stale');
      expect((await sub('sub_1'))[0]?.status).toBe('past_due');
      expect((await eventRow(older.id))[0]?.outcome).toMatch(/^stale: /);
    });

    it('cancels on customer.subscription.deleted, keeping the plan value', async () => {
      const ended = 1_769_904_000;
      const res = await deliver(
        stripeEvent('customer.subscription.deleted', subscription({ status: 'canceled', ended_at: ended }), {
          created: 1_000_000_400,
        }),
      );
      expect(res.json.outcome).toBe('applied');
      expect((await sub('sub_1'))[0]).toMatchObject({
        status: 'canceled',
        canceled_at: new Date(ended * 1000),
        mrr_eur: '17.20',
      });
    });

    it('does not track an incomplete subscription yet', async () => {
      const res = await deliver(
        stripeEvent('customer.subscription.created', subscription({ id: 'sub_inc', status: 'incomplete' })),
      );
      expect(res.json).toMatchObject({ outcome: 'ignored', detail: expect.stringMatching(/incomplete/) });
      expect(await sub('sub_inc')).toEqual([]);
    });
  });

  describe('invoices', () => {
    it('records a failed payment, then the same invoice paid on retry, linked to the buyer', async () => {
      const failed = await deliver(
        stripeEvent('invoice.payment_failed', invoice({ id: 'in_retry', amount_paid: 0 })),
      );
      expect(failed.json.outcome).toBe('applied');
      expect((await revenue('in_retry'))[0]).toMatchObject({
        status: 'failed',
        amount: '29.00',
        kind: 'subscription',
      });
      const paid = await deliver(stripeEvent('invoice.paid', invoice({ id: 'in_retry' })));
      expect(paid.json.outcome).toBe('applied');
      const [row] = await revenue('in_retry');
      expect(row).toMatchObject({
        host: DOMAIN,
        source: 'stripe',
        kind: 'subscription',
        status: 'paid',
        amount: '29.00',
        currency: 'EUR',
        amount_eur: '29.00',
        occurred_at: new Date('2026-01-02T00:00:00Z'),
      });
      const user = await s.db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [
        row?.user_id,
      ]);
      expect(user.rows).toEqual([{ email: 'cyclist@example.com' }]);
    });

    it('treats a failure reported after the payment as stale', async () => {
      const res = await deliver(stripeEvent('invoice.payment_failed', invoice({ id: 'in_retry' })));
      expect(res.json.outcome).toBe('stale');
      expect((await revenue('in_retry'))[0]?.status).toBe('paid');
    });

    it('converts zero-decimal currencies by their exponent, and records one-off invoices as orders', async () => {
      const res = await deliver(
        stripeEvent(
          'invoice.paid',
          invoice({ id: 'in_jpy', currency: 'jpy', amount_paid: 1000, amount_due: 1000, parent: null }),
        ),
      );
      expect(res.json.outcome).toBe('applied');
      expect((await revenue('in_jpy'))[0]).toMatchObject({
        kind: 'order',
        amount: '1000.00',
        currency: 'JPY',
        amount_eur: '5.60',
      });
    });

    it('ignores a zero-amount invoice (a trial)', async () => {
      const res = await deliver(
        stripeEvent('invoice.paid', invoice({ id: 'in_trial', amount_paid: 0, amount_due: 0 })),
      );
      expect(res.json.outcome).toBe('ignored');
      expect(await revenue('in_trial')).toEqual([]);
    });

    it('refuses an unknown currency so that Stripe retries, and applies the retry once the rate exists', async () => {
      const event = stripeEvent('invoice.paid', invoice({ id: 'in_xts', currency: 'xts' }));
      const refused = await deliver(event);
      expect(refused.status).toBe(400);
      expect(refused.json.error.field).toBe('body.data.object.currency');
      expect(await eventRow(event.id)).toEqual([]);
      await s.db.query(
        "INSERT INTO currency_rates (currency, eur_per_unit, as_of, source) VALUES ('XTS', 2, '2026-01-01', 'test')",
      );
      const retried = await deliver(event);
      expect(retried.json.outcome).toBe('applied');
      expect((await revenue('in_xts'))[0]).toMatchObject({ amount: '29.00', amount_eur: '58.00' });
    });
  });

  describe('refunds', () => {
    it('records the cumulative refund of a charge as one negative row that only grows', async () => {
      expect((await deliver(stripeEvent('charge.refunded', charge()))).json.outcome).toBe('applied');
      expect((await revenue('refund:ch_1'))[0]).toMatchObject({
        kind: 'refund',
        amount: '-5.00',
        amount_eur: '-5.00',
        status: 'completed',
      });
      expect(
        (await deliver(stripeEvent('charge.refunded', charge({ amount_refunded: 1200 })))).json.outcome,
      ).toBe('applied');
      expect((await revenue('refund:ch_1'))[0]?.amount).toBe('-12.00');
      const older = await deliver(stripeEvent('charge.refunded', charge({ amount_refunded: 500 })));
      expect(older.json.outcome).toBe('ignored');
      const rows = await revenue('refund:ch_1');
      expect(rows).toHaveLength(1);
      expect(rows[0]?.amount).toBe('-12.00');
    });
  });

  describe('checkout', () => {
    it('records a paid one-off checkout as an order', async () => {
      const res = await deliver(stripeEvent('checkout.session.completed', checkoutSession()));
      expect(res.json.outcome).toBe('applied');
      expect((await revenue('cs_test_1'))[0]).toMatchObject({
        kind: 'order',
        status: 'completed',
        amount: '45.99',
        currency: 'GBP',
        amount_eur: '52.43',
      });
    });

    it('records a delayed payment pending, then settles it', async () => {
      const session = checkoutSession({ id: 'cs_async', payment_status: 'unpaid' });
      await deliver(stripeEvent('checkout.session.completed', session));
      expect((await revenue('cs_async'))[0]?.status).toBe('pending');
      const settled = await deliver(
        stripeEvent('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' }),
      );
      expect(settled.json.outcome).toBe('applied');
      expect((await revenue('cs_async'))[0]?.status).toBe('completed');
    });

    it('skips subscription-mode sessions (their money arrives as invoice.paid)', async () => {
      const res = await deliver(
        stripeEvent('checkout.session.completed', checkoutSession({ id: 'cs_sub', mode: 'subscription' })),
      );
      expect(res.json).toMatchObject({ outcome: 'ignored', detail: expect.stringMatching(/invoice.paid/) });
      expect(await revenue('cs_sub')).toEqual([]);
    });
  });

  describe('delivery', () => {
    it('changes nothing when an event is delivered again', async () => {
      const event = stripeEvent('checkout.session.completed', checkoutSession({ id: 'cs_twice' }));
      expect((await deliver(event)).json.duplicate).toBe(false);
      const before = await revenue('cs_twice');
      const again = await deliver(event);
      expect(again.status).toBe(200);
      expect(again.json).toEqual({ received: true, duplicate: true, outcome: 'duplicate' });
      expect(await revenue('cs_twice')).toEqual(before);
      expect(await eventRow(event.id)).toEqual([{ outcome: 'applied', type: 'checkout.session.completed' }]);
    });

    it('acknowledges and records event types it does not handle', async () => {
      const event = stripeEvent('customer.created', { id: 'cus_9', object: 'customer' });
      const res = await deliver(event);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ received: true, outcome: 'ignored' });
      expect((await eventRow(event.id))[0]?.outcome).toMatch(/^ignored: event type customer.created/);
    });

    it('accepts when one of several v1 signatures matches (a secret being rolled)', async () => {
      const body = JSON.stringify(
        stripeEvent('checkout.session.completed', checkoutSession({ id: 'cs_roll' })),
      );
      const t = Math.floor(Date.now() / 1000);
      const v1 = (secret: string) => (sign(body, secret, t).match(/v1=([0-9a-f]+)/) as RegExpMatchArray)[1];
      const header = `t=${t},v1=${v1('whsec_the_previous_secret_000000')},v1=${v1(SECRET)}`;
      expect((await deliver(body, { header })).json.outcome).toBe('applied');
    });

    it.each([
      [
        'a tampered body',
        (body: string) => ({ body: body.replace('4599', '9999'), header: sign(body, SECRET) }),
      ],
      [
        'a timestamp 10 minutes old',
        (body: string) => ({ body, header: sign(body, SECRET, Math.floor(Date.now() / 1000) - 600) }),
      ],
      [
        'the wrong secret',
        (body: string) => ({ body, header: sign(body, 'whsec_not_the_right_one_000000') }),
      ],
      ["another domain's secret", (body: string) => ({ body, header: sign(body, OTHER_SECRET) })],
      ['only a v0 signature', (body: string) => ({ body, header: sign(body, SECRET).replace('v1=', 'v0=') })],
      ['no header', (body: string) => ({ body, header: '' })],
    ])('refuses %s with 400 naming the header, and records nothing', async (_, make) => {
      const event = stripeEvent('checkout.session.completed', checkoutSession({ id: 'cs_forged' }));
      const { body, header } = make(JSON.stringify(event));
      const res = await deliver(body, { header });
      expect(res.status).toBe(400);
      expect(res.json.error).toMatchObject({ code: 'invalid_request', field: 'headers.stripe-signature' });
      expect(await revenue('cs_forged')).toEqual([]);
      expect(await eventRow(event.id)).toEqual([]);
    });

    it('answers 404 with the same message for an unknown domain and a domain without a secret', async () => {
      const body = JSON.stringify(stripeEvent('ping', {}));
      const unknown = await deliver(body, { domain: 'no-such-domain.example' });
      const unconfigured = await deliver(body, { domain: 'aiftw.be' });
      expect(unknown.status).toBe(404);
      expect(unconfigured.status).toBe(404);
      expect(unknown.json.error.message).toBe(unconfigured.json.error.message);
    });

    it('keeps each domain to its own rows', async () => {
      const event = stripeEvent('checkout.session.completed', checkoutSession({ id: 'cs_other' }));
      expect((await deliver(event, { domain: OTHER, secret: OTHER_SECRET })).json.outcome).toBe('applied');
      expect((await revenue('cs_other')).map((r) => r.host)).toEqual([OTHER]);
      // The same event id on another domain's endpoint is that domain's own delivery.
      expect((await deliver(event)).json.duplicate).toBe(false);
      expect((await revenue('cs_other')).map((r) => r.host).sort()).toEqual([DOMAIN, OTHER]);
    });

    it('refuses a signed body that is not a Stripe event', async () => {
      const notJson = await deliver('{"id": ');
      expect(notJson.status).toBe(400);
      expect(notJson.json.error.field).toBe('body');
      const noType = await deliver(JSON.stringify({ id: 'evt_x', created: 1, data: { object: {} } }));
      expect(noType.json.error.field).toBe('body.type');
      const badObject = await deliver(stripeEvent('invoice.paid', invoice({ amount_paid: -5 })));
      expect(badObject.status).toBe(400);
      expect(badObject.json.error.field).toBe('body.data.object.amount_paid');
    });
  });
});
