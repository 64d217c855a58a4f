import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../server/authenticate-request.ts';
import type { ServerDeps } from '../../server/build-server.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { MetricQuery, metricContext } from '../metric-query.ts';
import { getBreakdown } from './get-breakdown.ts';
import { getFunnel } from './get-funnel.ts';
import { getGoals } from './get-goals.ts';
import { getTraffic } from './get-traffic.ts';
import {
  BreakdownQuery,
  BreakdownResult,
  FunnelQuery,
  FunnelResult,
  GoalsResult,
  TrafficQuery,
  TrafficResult,
} from './traffic-schemas.ts';

const errors = errorResponses(400, 401, 403, 404);
const tags = ['metrics'];

/** Traffic metrics, read from the rollups (docs/metrics.md "Traffic"). */
export function trafficRoutes(deps: Pick<ServerDeps, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    const ctx = (request: FastifyRequest) => metricContext(deps.db, actorOf(request));

    app.get(
      '/api/v1/metrics/traffic',
      {
        schema: {
          tags,
          summary: 'Visitors, page views, sessions, bounce rate and visit duration, with a chart series',
          querystring: TrafficQuery,
          response: { 200: TrafficResult, ...errors },
        },
      },
      async (request) => getTraffic({ ctx: ctx(request), input: request.query }),
    );

    app.get(
      '/api/v1/metrics/traffic/breakdown',
      {
        schema: {
          tags,
          summary:
            'Top pages, entry and exit pages, sources, referrers, channels, UTM tags, browsers, OS, devices',
          querystring: BreakdownQuery,
          response: { 200: BreakdownResult, ...errors },
        },
      },
      async (request) => getBreakdown({ ctx: ctx(request), input: request.query }),
    );

    app.get(
      '/api/v1/metrics/traffic/goals',
      {
        schema: {
          tags,
          summary: 'Goals (custom events): unique converters, events, conversion rate and value',
          querystring: MetricQuery,
          response: { 200: GoalsResult, ...errors },
        },
      },
      async (request) => getGoals({ ctx: ctx(request), input: request.query }),
    );

    app.get(
      '/api/v1/metrics/traffic/funnel',
      {
        schema: {
          tags,
          summary: 'An ordered funnel of page views and custom events, per visitor within the range',
          querystring: FunnelQuery,
          response: { 200: FunnelResult, ...errors },
        },
      },
      async (request) => getFunnel({ ctx: ctx(request), input: request.query }),
    );
  };
}
