import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Hostname } from '../../auth/operator-schemas.ts';
import { actorOf } from '../../server/authenticate-request.ts';

import { ErrorBody, errorResponses } from '../../server/error-handler.ts';
import type { MoneyRouteDeps } from '../revenue/money-route-deps.ts';
import { receiveStripeWebhook, WebhookReceipt } from './receive-stripe-webhook.ts';
import {
  removeStripeSecret,
  SetStripeSecretInput,
  StripeEndpointOut,
  setStripeSecret,
} from './stripe-secret.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

export function stripeRoutes(deps: MoneyRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const ctx = (request: FastifyRequest) => ({ db: deps.db, actor: actorOf(request), now: new Date() });

    // The signature covers the exact bytes received, so this scope keeps JSON bodies raw.
    await app.register(async (raw) => {
      raw.removeContentTypeParser('application/json');
      raw.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
        done(null, body);
      });
      raw.withTypeProvider<ZodTypeProvider>().post(
        '/api/v1/webhooks/stripe/:domain',
        {
          config: { public: true },
          schema: {
            tags: ['webhooks'],
            summary: 'Stripe webhook endpoint of a domain (verified by the Stripe-Signature header)',
            description:
              'Handles customer.subscription.created|updated|deleted, invoice.paid, invoice.payment_failed, ' +
              'charge.refunded and checkout.session.completed|async_payment_succeeded|async_payment_failed; ' +
              'other event types are acknowledged and ignored. A redelivered event changes nothing.',
            security: [],
            params: z.object({ domain: z.string().min(1).max(253) }),
            response: { 200: WebhookReceipt, 400: ErrorBody, 404: ErrorBody },
          },
        },
        async (request) =>
          receiveStripeWebhook({
            ctx: { db: deps.db, now: new Date() },
            input: {
              domain: request.params.domain,
              signature: request.headers['stripe-signature'] as string | undefined,
              payload: request.body as Buffer,
            },
          }),
      );
    });

    app.post(
      '/api/v1/webhooks/stripe/:domain/secret',
      {
        schema: {
          tags: ['webhooks'],
          summary: "Set or rotate a domain's Stripe webhook signing secret (owner or admin)",
          params: z.object({ domain: Hostname }),
          body: SetStripeSecretInput,
          response: { 200: StripeEndpointOut, 201: StripeEndpointOut, ...errors },
        },
      },
      async (request, reply) => {
        const out = await setStripeSecret({
          ctx: ctx(request),
          input: { domain: request.params.domain, secret: request.body.secret },
        });
        return reply.code(out.rotated ? 200 : 201).send(out);
      },
    );

    app.delete(
      '/api/v1/webhooks/stripe/:domain/secret',
      {
        schema: {
          tags: ['webhooks'],
          summary: "Remove a domain's Stripe webhook secret: its deliveries are refused from then on",
          params: z.object({ domain: Hostname }),
          response: { 200: z.object({ domain: z.string(), removed: z.literal(true) }), ...errors },
        },
      },
      async (request) => removeStripeSecret({ ctx: ctx(request), input: { domain: request.params.domain } }),
    );
  };
}
