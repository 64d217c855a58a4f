import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Portfolio } from '../config/portfolio-schema.ts';
import type { Db } from '../db/types.ts';
import { actorOf } from '../server/authenticate-request.ts';
import { errorResponses } from '../server/error-handler.ts';
import { getKpiHistory } from './get-kpi-history.ts';
import { getKpis } from './get-kpis.ts';
import { KpiHistoryOut, KpiHistoryQuery, KpisOut, KpisQuery } from './kpi-schemas.ts';

const errors = errorResponses(400, 401, 403, 404, 503);

/** What the routes need; ServerDeps has it. `now` is the clock (tests pass a fixed one). */
export interface KpiRouteDeps {
  db: Db;
  portfolio: { current(): { portfolio: Pick<Portfolio, 'kpis'> } | null };
  now?: () => Date;
}

/** GET /api/v1/kpis and /kpis/:key/history: portfolio-wide, for readers who see every domain. */
export function kpiRoutes(deps: KpiRouteDeps): FastifyPluginAsyncZod {
  const now = deps.now ?? (() => new Date());
  return async (app) => {
    app.get(
      '/api/v1/kpis/progress',
      {
        schema: {
          tags: ['kpis'],
          summary: 'KPIs of the portfolio file: value, target, progress, trend, probability and verdict',
          description:
            'Values are of the last complete UTC day (asOf), over every domain; the trend is a least-squares ' +
            'line through the daily snapshots. Needs access to all domains. Formulas: docs/kpis.md.',
          querystring: KpisQuery,
          response: { 200: KpisOut, ...errors },
        },
      },
      async (request) =>
        getKpis({
          ctx: { db: deps.db, actor: actorOf(request), now: now() },
          input: { portfolio: deps.portfolio.current()?.portfolio ?? null, query: request.query },
        }),
    );

    app.get(
      '/api/v1/kpis/:key/history',
      {
        schema: {
          tags: ['kpis'],
          summary: 'Daily snapshots of one KPI, in its unit',
          params: z.object({ key: z.string().min(1).max(100) }),
          querystring: KpiHistoryQuery,
          response: { 200: KpiHistoryOut, ...errors },
        },
      },
      async (request) =>
        getKpiHistory({
          ctx: { db: deps.db, actor: actorOf(request), now: now() },
          input: {
            portfolio: deps.portfolio.current()?.portfolio ?? null,
            key: request.params.key,
            query: request.query,
          },
        }),
    );
  };
}
