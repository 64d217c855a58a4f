import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Ctx } from '../auth/context.ts';
import type { Db } from '../db/types.ts';
import type { EventRow } from '../ingest/event-row.ts';
import { actorOf } from '../server/authenticate-request.ts';
import { errorResponses } from '../server/error-handler.ts';
import {
  ExperimentKeyParams,
  ExperimentOut,
  ExperimentsOut,
  ShipInput,
  StatusHistoryOut,
  StopInput,
} from './api-schemas.ts';
import {
  Experiment,
  ExperimentStatus,
  type ExperimentsConfig,
  TargetingAttribute,
} from './experiment-schema.ts';
import { ResultsOut } from './results/results-schema.ts';
import { syncPortfolioExperiments } from './sync-portfolio-experiments.ts';
import { assignVisitor } from './verbs/assign-visitor.ts';
import { changeExperimentStatus, type StatusAction } from './verbs/change-status.ts';
import { createExperiment } from './verbs/create-experiment.ts';
import { getResults } from './verbs/get-results.ts';
import { publicConfig } from './verbs/public-config.ts';
import { getExperiment, getStatusHistory, listExperiments } from './verbs/read-experiments.ts';
import { updateExperiment } from './verbs/update-experiment.ts';

const tags = ['experiments'];
const readErrors = errorResponses(400, 401, 403, 404);
const writeErrors = errorResponses(400, 401, 403, 404, 409);

export interface ExperimentRouteDeps {
  db: Db;
  portfolio: { current(): { portfolio: { experiments?: ExperimentsConfig } } | null };
  ingest: { writer: { write(rows: readonly EventRow[]): Promise<number> } };
  now?: () => Date;
}

const AssignmentQuery = z
  .object({
    id: z.string().min(1).max(200).describe('The visitor or user id that is hashed.'),
    record: z.enum(['0', '1']).default('0').describe('1: record an `Experiment Viewed` exposure.'),
    domain: z.string().max(253).optional().describe('Host the exposure is recorded on.'),
  })
  .extend(Object.fromEntries(TargetingAttribute.options.map((a) => [a, z.string().max(200).optional()])));

const AssignmentOut = z.object({
  experiment: z.string(),
  id: z.string(),
  status: z.string(),
  variationKey: z.string(),
  variationId: z.number(),
  inExperiment: z.boolean(),
  hashUsed: z.boolean(),
  bucket: z.number().nullable(),
  reason: z.enum(['assigned', 'not_running', 'shipped', 'targeting', 'excluded']),
  recorded: z.boolean(),
});

const PublicConfigOut = z.object({
  experiments: z.array(
    z.object({
      key: z.string(),
      variations: z.number(),
      weights: z.array(z.number()),
      coverage: z.number(),
      hashVersion: z.number(),
      seed: z.string(),
      namespace: z.tuple([z.string(), z.number(), z.number()]).optional(),
    }),
  ),
});

/** /api/v1/experiments: definitions, status changes, history, results and assignment (docs/experiments.md). */
export function experimentRoutes(deps: ExperimentRouteDeps): FastifyPluginAsyncZod {
  const now = deps.now ?? (() => new Date());
  const ctx = (request: FastifyRequest): Ctx => ({ db: deps.db, actor: actorOf(request), now: now() });
  const config = () => deps.portfolio.current()?.portfolio.experiments;
  const maxConcurrentPerDomain = () => config()?.maxConcurrentPerDomain ?? 5;

  return async (app) => {
    // A failed sync must not keep the server from starting: the decision job retries it.
    app.addHook('onReady', async () => {
      try {
        await syncPortfolioExperiments(deps.db, config()?.definitions ?? [], now());
      } catch (err) {
        app.log.error({ err }, "syncing the portfolio file's experiments failed; the decision job retries");
      }
    });

    app.get(
      '/api/v1/experiments/config',
      {
        config: { public: true },
        schema: {
          tags,
          summary:
            'Public: running, untargeted experiments of a host in assignment shape (the tracker extension reads it)',
          querystring: z.object({ domain: z.string().min(1).max(253) }),
          response: { 200: PublicConfigOut },
        },
      },
      async (request, reply) => {
        reply.header('access-control-allow-origin', '*');
        reply.header('cache-control', 'public, max-age=60');
        return publicConfig(deps.db, request.query.domain);
      },
    );
    app.get(
      '/api/v1/experiments',
      {
        schema: {
          tags,
          summary: 'Experiments whose every domain is in your scope',
          querystring: z.object({
            status: ExperimentStatus.optional(),
            domain: z.string().max(253).optional(),
          }),
          response: { 200: ExperimentsOut, ...readErrors },
        },
      },
      async (request) => listExperiments({ ctx: ctx(request), input: request.query }),
    );
    app.post(
      '/api/v1/experiments',
      {
        schema: {
          tags,
          summary: 'Create a draft experiment',
          body: Experiment,
          response: { 201: ExperimentOut, ...writeErrors },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createExperiment({ ctx: ctx(request), input: request.body })),
    );
    app.get(
      '/api/v1/experiments/:key',
      {
        schema: {
          tags,
          summary: 'One experiment',
          params: ExperimentKeyParams,
          response: { 200: ExperimentOut, ...readErrors },
        },
      },
      async (request) => getExperiment({ ctx: ctx(request), input: request.params }),
    );
    app.put(
      '/api/v1/experiments/:key',
      {
        schema: {
          tags,
          summary: "Replace a draft's definition (API experiments only)",
          params: ExperimentKeyParams,
          body: Experiment,
          response: { 200: ExperimentOut, ...writeErrors },
        },
      },
      async (request) =>
        updateExperiment({ ctx: ctx(request), input: { key: request.params.key, definition: request.body } }),
    );
    const statusRoute = (action: StatusAction, summary: string, body: z.ZodType) =>
      app.post(
        `/api/v1/experiments/:key/${action}`,
        {
          schema: {
            tags,
            summary,
            params: ExperimentKeyParams,
            body,
            response: { 200: ExperimentOut, ...writeErrors },
          },
        },
        async (request) => {
          const b = (request.body ?? {}) as { reason?: string; variation?: string };
          return changeExperimentStatus({
            ctx: ctx(request),
            input: {
              key: (request.params as { key: string }).key,
              action,
              ...(b.reason ? { reason: b.reason } : {}),
              ...(b.variation ? { variation: b.variation } : {}),
              maxConcurrentPerDomain: maxConcurrentPerDomain(),
            },
          });
        },
      );
    statusRoute(
      'start',
      'Start (or restart) an experiment; 409 when a domain already runs the maximum',
      StopInput.optional(),
    );
    statusRoute('stop', 'Stop a running experiment', StopInput.optional());
    statusRoute('ship', 'Ship one variation to everyone', ShipInput);
    app.get(
      '/api/v1/experiments/:key/history',
      {
        schema: {
          tags,
          summary: 'Status history',
          params: ExperimentKeyParams,
          response: { 200: StatusHistoryOut, ...readErrors },
        },
      },
      async (request) => getStatusHistory({ ctx: ctx(request), input: request.params }),
    );
    app.get(
      '/api/v1/experiments/:key/results',
      {
        schema: {
          tags,
          summary: 'Per-variation statistics, effects, chance to win, SRM, progress and the recommendation',
          params: ExperimentKeyParams,
          response: { 200: ResultsOut, ...readErrors },
        },
      },
      async (request) => getResults({ ctx: ctx(request), input: request.params }),
    );
    app.get(
      '/api/v1/experiments/:key/assignment',
      {
        schema: {
          tags,
          summary: "A visitor's variation (GrowthBook-compatible hashing); record=1 records the exposure",
          params: ExperimentKeyParams,
          querystring: AssignmentQuery,
          response: { 200: AssignmentOut, ...readErrors },
        },
      },
      async (request) => {
        const { id, record, domain, ...rest } = request.query as Record<string, string | undefined>;
        const attributes = Object.fromEntries(
          Object.entries(rest).filter((kv): kv is [string, string] => typeof kv[1] === 'string'),
        );
        return assignVisitor({
          ctx: ctx(request),
          input: {
            key: request.params.key,
            id: id as string,
            attributes,
            record: record === '1',
            ...(domain ? { domain } : {}),
          },
          writeEvents: async (rows) => {
            await deps.ingest.writer.write(rows);
          },
        });
      },
    );
  };
}
