import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Host } from '../../config/portfolio/common.ts';
import { metricContext } from '../../metrics/metric-query.ts';
import { actorOf } from '../../server/authenticate-request.ts';
import type { ServerDeps } from '../../server/build-server.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { getUptimeHistory } from './get-uptime-history.ts';
import { getUptimeSummary } from './get-uptime-summary.ts';
import { listIncidents } from './list-incidents.ts';
import {
  IncidentsResult,
  MonitoringRangeQuery,
  UptimeHistoryQuery,
  UptimeHistoryResult,
  UptimeSummaryQuery,
  UptimeSummaryResult,
} from './uptime-schemas.ts';

const errors = errorResponses(400, 401, 403, 404);
const tags = ['monitoring'];

/** Uptime, response times, incidents and certificates of the domains (docs/uptime.md). */
export function uptimeRoutes(deps: Pick<ServerDeps, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    const ctx = (request: FastifyRequest) => metricContext(deps.db, actorOf(request));

    app.get(
      '/api/v1/monitoring/uptime',
      {
        schema: {
          tags,
          summary: 'Per domain: 30-day and today’s uptime against 99.97 %, p95, open incident, TLS days left',
          querystring: UptimeSummaryQuery,
          response: { 200: UptimeSummaryResult, ...errors },
        },
      },
      async (request) => getUptimeSummary({ ctx: ctx(request), input: request.query }),
    );

    app.get(
      '/api/v1/monitoring/uptime/:host',
      {
        schema: {
          tags,
          summary: 'One domain: uptime and response-time percentiles per day, and its incidents',
          params: z.object({ host: Host }),
          querystring: UptimeHistoryQuery,
          response: { 200: UptimeHistoryResult, ...errors },
        },
      },
      async (request) =>
        getUptimeHistory({ ctx: ctx(request), input: { ...request.query, host: request.params.host } }),
    );

    app.get(
      '/api/v1/monitoring/incidents',
      {
        schema: {
          tags,
          summary: 'Uptime incidents overlapping a range, to draw over the charts',
          querystring: MonitoringRangeQuery,
          response: { 200: IncidentsResult, ...errors },
        },
      },
      async (request) => listIncidents({ ctx: ctx(request), input: request.query }),
    );
  };
}
