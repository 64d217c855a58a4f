import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../../server/authenticate-request.ts';
import type { ServerDeps } from '../../server/build-server.ts';
import { errorResponses } from '../../server/error-handler.ts';
import { MetricQuery, metricContext } from '../metric-query.ts';
import { CohortQuery, DomainOverlap, EngagementCohorts, EngagementSummary } from './engagement-schemas.ts';
import { getDomainOverlap } from './get-domain-overlap.ts';
import { getEngagementCohorts } from './get-engagement-cohorts.ts';
import { getEngagementSummary } from './get-engagement-summary.ts';

const errors = errorResponses(400, 401, 403, 404, 503);

/** Engagement metrics over the activity rollup; every query runs under the caller's domain scope. */
export function engagementRoutes(deps: Pick<ServerDeps, 'db'>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/metrics/engagement',
      {
        schema: {
          tags: ['metrics'],
          summary:
            'DAU, MAU, stickiness, session duration, 30-day retention, revenue per user, cross-domain use',
          description: 'Formulas: docs/metrics.md, "Engagement". Activity is counted per UTC day.',
          querystring: MetricQuery,
          response: { 200: EngagementSummary, ...errors },
        },
      },
      async (request) =>
        getEngagementSummary({ ctx: metricContext(deps.db, actorOf(request)), input: request.query }),
    );

    app.get(
      '/api/v1/metrics/engagement/cohorts',
      {
        schema: {
          tags: ['metrics'],
          summary: 'Cohort retention table: identified users by week or month first seen, active per period',
          querystring: CohortQuery,
          response: { 200: EngagementCohorts, ...errors },
        },
      },
      async (request) =>
        getEngagementCohorts({ ctx: metricContext(deps.db, actorOf(request)), input: request.query }),
    );

    app.get(
      '/api/v1/metrics/engagement/overlap',
      {
        schema: {
          tags: ['metrics'],
          summary: 'Domain-overlap matrix: identified users active on both domains of each pair',
          querystring: MetricQuery,
          response: { 200: DomainOverlap, ...errors },
        },
      },
      async (request) =>
        getDomainOverlap({ ctx: metricContext(deps.db, actorOf(request)), input: request.query }),
    );
  };
}
