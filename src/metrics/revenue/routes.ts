import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../server/authenticate-request.ts';
import type { ServerDeps } from '../../server/build-server.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { MetricQuery, metricContext } from '../metric-query.ts';
import { getMrrMetrics } from './get-mrr-metrics.ts';
import { getRevenueMetrics, RevenueQuery } from './get-revenue-metrics.ts';
import { MrrMetricsOut, RevenueMetricsOut } from './revenue-metric-schemas.ts';

const errors = errorResponses(400, 401, 403, 404, 503);

/** GET /api/v1/metrics/revenue and /revenue/mrr: operators and secret keys, limited to their scope. */
export function revenueMetricsRoutes(deps: Pick<ServerDeps, 'db' | 'portfolio'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/metrics/revenue',
      {
        schema: {
          tags: ['metrics'],
          summary: 'Revenue by domain, stream (with targets) and kind, net of refunds, with a series',
          description:
            'Earned revenue is completed, approved or paid, net of refunds; pending is shown apart; ' +
            'reversed and failed never count. Formulas: docs/metrics.md.',
          querystring: RevenueQuery,
          response: { 200: RevenueMetricsOut, ...errors },
        },
      },
      async (request) =>
        getRevenueMetrics({
          ctx: metricContext(deps.db, actorOf(request)),
          input: {
            query: request.query,
            streams: deps.portfolio.current()?.portfolio.revenueStreams ?? [],
          },
        }),
    );

    app.get(
      '/api/v1/metrics/revenue/mrr',
      {
        schema: {
          tags: ['metrics'],
          summary: 'MRR, ARR, ARPA, customers, MRR movements and bridge, churn, NRR, CLV, CAC, gross margin',
          description:
            'MRR at the end of the range and its movements over the range, for the asked domains ' +
            'together and each one, with the comparison period. Formulas: docs/metrics.md.',
          querystring: MetricQuery,
          response: { 200: MrrMetricsOut, ...errors },
        },
      },
      async (request) =>
        getMrrMetrics({ ctx: metricContext(deps.db, actorOf(request)), input: request.query }),
    );
  };
}
