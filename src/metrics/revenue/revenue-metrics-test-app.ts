import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { systemActor } from '../../auth/actor.ts';
import { type MoneyTestServer, startMoneyTestServer } from '../../ingest/revenue/money-test-server.ts';
import { sign, type stripeEvent, subscription } from '../../ingest/stripe/stripe-fixtures.ts';
import { PortfolioStore } from '../../portfolio/portfolio-store.ts';
import { installAuthentication } from '../../server/authenticate-request.ts';
import { installErrorHandling } from '../../server/error-handler.ts';
import { EXAMPLE_PORTFOLIO } from '../../test-support/test-server.ts';
import { revenueMetricsRoutes } from './routes.ts';

// Test support: the money test server (webhooks, revenue API, imports, as in production) plus a
// small app serving only the revenue metrics routes, over the same database and example portfolio.

export const webhookSecret = (host: string) => `whsec_${host.replace(/[^a-z0-9]/g, '_')}_0123456789`;

/** A Stripe subscription with one monthly (or yearly) price, in EUR unless `currency` says otherwise. */
export function pricedSubscription(o: {
  id: string;
  customer: string;
  cents: number;
  start: string;
  status?: string;
  interval?: 'month' | 'year';
  channel?: string;
  trialEnd?: string;
  endedAt?: string;
  currency?: string;
}) {
  const start = Date.parse(o.start) / 1000;
  return subscription({
    id: o.id,
    customer: o.customer,
    status: o.status ?? 'active',
    currency: o.currency ?? 'eur',
    created: start,
    start_date: start,
    trial_end: o.trialEnd ? Date.parse(o.trialEnd) / 1000 : null,
    ended_at: o.endedAt ? Date.parse(o.endedAt) / 1000 : null,
    metadata: o.channel ? { channel: o.channel } : {},
    items: {
      object: 'list',
      data: [
        {
          id: `si_${o.id}`,
          object: 'subscription_item',
          quantity: 1,
          current_period_end: start + 30 * 86_400,
          price: {
            id: `price_${o.cents}_${o.interval ?? 'month'}`,
            object: 'price',
            nickname: `Plan ${o.cents}`,
            product: 'prod_plan',
            currency: o.currency ?? 'eur',
            unit_amount: o.cents,
            unit_amount_decimal: String(o.cents),
            recurring: { interval: o.interval ?? 'month', interval_count: 1, usage_type: 'licensed' },
          },
        },
      ],
    },
  });
}

export async function startRevenueMetricsTestApp(hosts: string[]) {
  const s: MoneyTestServer = await startMoneyTestServer();
  for (const host of hosts) {
    const res = await s.request('POST', `/api/v1/webhooks/stripe/${host}/secret`, {
      token: s.ownerToken,
      body: { secret: webhookSecret(host) },
    });
    if (res.status !== 201) throw new Error(`cannot set the Stripe secret of ${host}: ${res.text}`);
  }
  const portfolio = new PortfolioStore(s.db, EXAMPLE_PORTFOLIO);
  await portfolio.load(systemActor('test'));
  const app = Fastify().withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  await app.register(swagger, {
    openapi: { info: { title: 'test', version: 'test' } },
    transform: jsonSchemaTransform,
  });
  installAuthentication(app, s.db);
  await app.register(revenueMetricsRoutes({ db: s.db, portfolio }));
  await app.ready();

  return {
    ...s,
    /** Delivers a signed Stripe event about `host`; returns the webhook's JSON answer. */
    async deliver(host: string, event: ReturnType<typeof stripeEvent>) {
      const body = JSON.stringify(event);
      const res = await s.request('POST', `/api/v1/webhooks/stripe/${host}`, {
        raw: body,
        headers: { 'stripe-signature': sign(body, webhookSecret(host)) },
      });
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${res.text}`);
      return res.json as { outcome: string; duplicate: boolean };
    },
    /** GET on the metrics app. */
    async metrics(path: string, token: string = s.ownerToken) {
      const res = await app.inject({
        method: 'GET',
        url: path,
        headers: { authorization: `Bearer ${token}` },
      });
      // biome-ignore lint/suspicious/noExplicitAny: responses are inspected field by field
      return { status: res.statusCode, json: res.json() as any };
    },
    /** The OpenAPI document of the metrics app. */
    openapi: () => app.swagger() as { paths: Record<string, Record<string, unknown>> },
    async close() {
      await app.close();
      await s.close();
    },
  };
}
export type RevenueMetricsTestApp = Awaited<ReturnType<typeof startRevenueMetricsTestApp>>;
