import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { metricContext } from '../../metrics/metric-query.ts';
import { actorOf } from '../../server/authenticate-request.ts';
import type { ServerDeps } from '../../server/build-server.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { getWebVitals } from './get-web-vitals.ts';
import { WebVitalsQuery, WebVitalsResult } from './web-vitals-schemas.ts';

const errors = errorResponses(400, 401, 403, 404);

/** Web Vitals p75 per domain from the tracker's `Web Vitals` events (docs/uptime.md "Web Vitals"). */
export function webVitalsRoutes(deps: Pick<ServerDeps, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/monitoring/web-vitals',
      {
        schema: {
          tags: ['monitoring'],
          summary: 'LCP, INP, CLS, FCP and TTFB at p75 per domain, rated, against the seed’s LCP < 1.3 s',
          querystring: WebVitalsQuery,
          response: { 200: WebVitalsResult, ...errors },
        },
      },
      async (request) =>
        getWebVitals({ ctx: metricContext(deps.db, actorOf(request)), input: request.query }),
    );
  };
}
