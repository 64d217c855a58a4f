import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { actorOf } from '../../server/authenticate-request.ts';
import { errorResponses } from '../../server/error-handler.ts';
import {
  AlertOut,
  AlertsHealth,
  AlertsOut,
  FingerprintParams,
  HistoryOut,
  HistoryQuery,
  SilenceBody,
  SilenceOut,
  SuppressionBody,
  SuppressionOut,
} from './alert-api-schemas.ts';
import { getAlertHistory } from './alert-history.ts';
import type { AlertsCtx } from './alert-scope.ts';
import { commandAlert } from './command-alert.ts';
import { createSuppression } from './create-suppression.ts';
import type { AlertEvaluator } from './evaluate-alerts.ts';
import { getAlertsHealth, listAlerts } from './list-alerts.ts';
import { ruleRoutes } from './rules-routes.ts';
import { createSilence, expireSilence, listSilences } from './silences.ts';

const tags = ['alerts'];
const readErrors = errorResponses(400, 401, 403);
const writeErrors = errorResponses(400, 401, 403, 404, 409);

/** Alerts, health score, acknowledgements, silences, suppression windows and rules (docs/alerts.md, "Runtime"). */
export function alertRoutes(deps: { db: Db; alerts: AlertEvaluator }): FastifyPluginAsyncZod {
  return async (app) => {
    const ctx = (request: FastifyRequest): AlertsCtx => ({
      db: deps.db,
      actor: actorOf(request),
      now: deps.alerts.now(),
      evaluator: deps.alerts,
    });
    await app.register(ruleRoutes(ctx));

    app.get(
      '/api/v1/alerts',
      {
        schema: {
          tags,
          summary:
            'Current alerts (firing, pending, muted, acknowledged, recently resolved) and health scores',
          response: { 200: AlertsOut, ...readErrors },
        },
      },
      async (request) => listAlerts({ ctx: ctx(request) }),
    );

    app.get(
      '/api/v1/alerts/health',
      {
        schema: {
          tags,
          summary: 'Health score overall and per domain (100 − 30/15/5/1 per firing alert)',
          response: { 200: AlertsHealth, ...readErrors },
        },
      },
      async (request) => getAlertsHealth({ ctx: ctx(request) }),
    );

    app.get(
      '/api/v1/alerts/history',
      {
        schema: {
          tags,
          summary: 'Alert state changes in a time range, newest first',
          querystring: HistoryQuery,
          response: { 200: HistoryOut, ...readErrors },
        },
      },
      async (request) => getAlertHistory({ ctx: ctx(request), input: request.query }),
    );

    for (const type of ['acknowledge', 'resolve'] as const)
      app.post(
        `/api/v1/alerts/:fingerprint/${type}`,
        {
          schema: {
            tags,
            summary:
              type === 'acknowledge'
                ? 'Acknowledge an alert: stops its escalation'
                : 'Resolve an alert by hand: it stays resolved until its condition clears once',
            params: FingerprintParams,
            response: { 200: AlertOut, ...writeErrors },
          },
        },
        async (request) =>
          commandAlert({ ctx: ctx(request), input: { type, fingerprint: request.params.fingerprint } }),
      );

    app.get(
      '/api/v1/silences',
      {
        schema: {
          tags,
          summary: 'Silences: active and pending, then the last expired ones',
          response: { 200: z.object({ silences: z.array(SilenceOut) }), ...readErrors },
        },
      },
      async (request) => listSilences({ ctx: ctx(request) }),
    );

    app.post(
      '/api/v1/silences',
      {
        schema: {
          tags,
          summary: 'Silence matching alerts until endsAt',
          body: SilenceBody,
          response: { 201: SilenceOut, ...writeErrors },
        },
      },
      async (request, reply) => {
        const out = await createSilence({ ctx: ctx(request), input: request.body });
        return reply.code(201).send(out);
      },
    );

    app.delete(
      '/api/v1/silences/:id',
      {
        schema: {
          tags,
          summary: 'Expire a silence now',
          params: z.object({ id: z.string() }),
          response: { 200: SilenceOut, ...writeErrors },
        },
      },
      async (request) => expireSilence({ ctx: ctx(request), input: { id: request.params.id } }),
    );

    app.post(
      '/api/v1/suppressions',
      {
        schema: {
          tags,
          summary: 'Announce a deployment or maintenance window (default: the next 30 minutes)',
          body: SuppressionBody,
          response: { 201: SuppressionOut, ...writeErrors },
        },
      },
      async (request, reply) => {
        const out = await createSuppression({ ctx: ctx(request), input: request.body });
        return reply.code(201).send(out);
      },
    );
  };
}
