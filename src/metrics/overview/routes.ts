import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../server/authenticate-request.ts';
import type { ServerDeps } from '../../server/build-server.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { MetricQuery, metricContext } from '../metric-query.ts';
import { getOverview } from './get-overview.ts';
import { OverviewOut } from './overview-schemas.ts';

const errors = errorResponses(400, 401, 403, 404);

/** `GET /api/v1/metrics/overview`: the portfolio at a glance (the dashboard's first page). */
export function overviewRoutes(deps: Pick<ServerDeps, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/metrics/overview',
      {
        schema: {
          tags: ['metrics'],
          summary:
            'Every domain side by side plus totals: visitors, page views, bounce rate, revenue, MRR, conversion',
          querystring: MetricQuery,
          response: { 200: OverviewOut, ...errors },
        },
      },
      async (request) => getOverview({ ctx: metricContext(deps.db, actorOf(request)), input: request.query }),
    );
  };
}
