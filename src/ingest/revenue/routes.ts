import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../server/authenticate-request.ts';

import { errorResponses } from '../../server/error-handler.ts';
import type { MoneyRouteDeps } from './money-route-deps.ts';
import { recordRevenue, recordRevenueBatch } from './record-revenue.ts';
import {
  RecordRevenueBatchInput,
  RecordRevenueBatchResult,
  RecordRevenueInput,
  RecordRevenueResult,
} from './revenue-schemas.ts';
import { streamCatalogOf } from './stream-catalog.ts';

const errors = errorResponses(400, 401, 403, 404, 409);

export function revenueRoutes(deps: MoneyRouteDeps): FastifyPluginAsyncZod {
  return async (app) => {
    const ctx = (request: FastifyRequest) => ({ db: deps.db, actor: actorOf(request), now: new Date() });
    const streams = () => {
      const active = deps.portfolio.current();
      return active ? streamCatalogOf(active.portfolio) : null;
    };

    app.post(
      '/api/v1/revenue',
      {
        schema: {
          tags: ['revenue'],
          summary: 'Record an order, refund, subscription payment, commission, NFT or token sale',
          description:
            "Idempotent on (domain, source, externalId). The domain's secret key or an owner/admin. " +
            'Amounts are normalised to EUR with currency_rates.',
          body: RecordRevenueInput,
          response: { 200: RecordRevenueResult, 201: RecordRevenueResult, ...errors },
        },
      },
      async (request, reply) => {
        const result = await recordRevenue({ ctx: ctx(request), input: request.body, streams: streams() });
        return reply.code(result.result === 'created' ? 201 : 200).send(result);
      },
    );

    app.post(
      '/api/v1/revenue/batch',
      {
        schema: {
          tags: ['revenue'],
          summary: 'Record up to 500 revenue facts at once: all of them, or none when one is rejected',
          body: RecordRevenueBatchInput,
          response: { 200: RecordRevenueBatchResult, 201: RecordRevenueBatchResult, ...errors },
        },
      },
      async (request, reply) => {
        const result = await recordRevenueBatch({
          ctx: ctx(request),
          input: request.body,
          streams: streams(),
        });
        return reply.code(result.created > 0 ? 201 : 200).send(result);
      },
    );
  };
}
